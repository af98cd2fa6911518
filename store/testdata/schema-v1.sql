-- The schema as it stood before the optional case columns of spec v2: a database
-- made by that version is built from it in upgrade_test.go.
--
-- utilscore schema: the seven input kinds of spec/inputs.md, the districts list,
-- the working-day calendar, the load ledger, rejected rows and superseded case versions.
--
-- This file is the single source of truth for the input contract: ingest reads the
-- columns, their types, NOT NULL (= required) and the ENUM code lists back from the
-- database, so a column added here is validated and loaded without touching Go code.
-- Every kind table ends with load_id and source_row (the record's position in its file,
-- 1 = first record after the header), which trace each row to where it came from.

CREATE TYPE IF NOT EXISTS utility_code AS ENUM ('power', 'water', 'gas', 'telecom');
CREATE TYPE IF NOT EXISTS area_type_code AS ENUM ('urban_core', 'urban', 'town', 'rural');
CREATE TYPE IF NOT EXISTS customer_class_code AS ENUM (
    'residential',
    'lv_zero', 'lv_nonres', 'hv_single', 'hv_dual',                  -- power
    'nonres_dn40', 'nonres_dn100', 'nonres_large', 'real_estate',    -- water (nonres_large also gas)
    'nonres_general',                                                -- gas
    'individual', 'business', 'key_account');                        -- telecom
CREATE TYPE IF NOT EXISTS business_type_code AS ENUM ('new', 'expansion', 'temporary', 'transfer', 'other');
CREATE TYPE IF NOT EXISTS capacity_unit_code AS ENUM ('kVA', 'kW', 'DN', 'm3/h', 'Mbps');
CREATE TYPE IF NOT EXISTS case_channel_code AS ENUM ('online', 'window', 'app', 'hotline', 'joint_window', 'pre_service');
CREATE TYPE IF NOT EXISTS case_status_code AS ENUM ('open', 'connected', 'cancelled', 'withdrawn');
CREATE TYPE IF NOT EXISTS stage_code AS ENUM (
    'applied', 'accepted', 'surveyed', 'plan_replied', 'contract', 'approval_submitted',
    'approval_granted', 'works_started', 'works_completed', 'inspected', 'connected', 'closed',
    'suspended', 'resumed');
CREATE TYPE IF NOT EXISTS outage_kind_code AS ENUM ('planned', 'fault', 'exempt');
CREATE TYPE IF NOT EXISTS ticket_kind_code AS ENUM ('complaint', 'repair', 'enquiry');
CREATE TYPE IF NOT EXISTS ticket_channel_code AS ENUM ('12345', '12398', '95598', 'hotline', 'online', 'window');
CREATE TYPE IF NOT EXISTS subject_code AS ENUM ('case', 'ticket');

-- 1. Connection applications (报装工单). Key: (utility, case_id).
CREATE TABLE IF NOT EXISTS cases (
    case_id               VARCHAR NOT NULL,
    utility               utility_code NOT NULL,
    joint_id              VARCHAR,
    district              VARCHAR NOT NULL,
    area_type             area_type_code,
    customer_class        customer_class_code NOT NULL,
    business_type         business_type_code,
    capacity              DOUBLE,
    capacity_unit         capacity_unit_code,
    channel               case_channel_code,
    is_low_risk           BOOLEAN,
    has_external_works    BOOLEAN,
    procedures            INTEGER,
    materials             INTEGER,
    visits                INTEGER,
    fee_cny               DECIMAL(18, 2),
    status                case_status_code NOT NULL,
    applied_at            TIMESTAMPTZ NOT NULL,
    accepted_at           TIMESTAMPTZ,
    surveyed_at           TIMESTAMPTZ,
    plan_replied_at       TIMESTAMPTZ,
    contract_at           TIMESTAMPTZ,
    approval_submitted_at TIMESTAMPTZ,
    approval_granted_at   TIMESTAMPTZ,
    works_started_at      TIMESTAMPTZ,
    works_completed_at    TIMESTAMPTZ,
    inspected_at          TIMESTAMPTZ,
    connected_at          TIMESTAMPTZ,
    closed_at             TIMESTAMPTZ,
    suspended_days        DOUBLE,
    applicant             VARCHAR,
    contact_phone         VARCHAR,
    address               VARCHAR,
    recorded_at           TIMESTAMPTZ,
    load_id               BIGINT NOT NULL,
    source_row            BIGINT NOT NULL
);

-- Every version of a case that a newer export replaced, or that lost to a newer one
-- already stored: the integrity audit reads stage times that changed after the fact here.
CREATE TABLE IF NOT EXISTS case_history AS
    SELECT *, NULL::BIGINT AS superseded_by_load FROM cases LIMIT 0;

-- 2. Stage events (long form). Key: (utility, case_id, stage, occurred_at).
CREATE TABLE IF NOT EXISTS case_events (
    case_id     VARCHAR NOT NULL,
    utility     utility_code NOT NULL,
    stage       stage_code NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL,
    recorded_at TIMESTAMPTZ,
    operator    VARCHAR,
    load_id     BIGINT NOT NULL,
    source_row  BIGINT NOT NULL
);

-- 3. Supply interruptions. Key: (utility, outage_id).
CREATE TABLE IF NOT EXISTS outages (
    outage_id        VARCHAR NOT NULL,
    utility          utility_code NOT NULL,
    district         VARCHAR NOT NULL,
    area_type        area_type_code NOT NULL,
    kind             outage_kind_code NOT NULL,
    exempt_reason    VARCHAR,
    start_at         TIMESTAMPTZ NOT NULL,
    end_at           TIMESTAMPTZ NOT NULL,
    customers        BIGINT NOT NULL,
    notified_at      TIMESTAMPTZ,
    emergency_supply BOOLEAN,
    cause            VARCHAR,
    feeder           VARCHAR,
    load_id          BIGINT NOT NULL,
    source_row       BIGINT NOT NULL
);

-- 4. Customers served per month. Key: (utility, district, area_type, month).
CREATE TABLE IF NOT EXISTS customer_base (
    utility     utility_code NOT NULL,
    district    VARCHAR NOT NULL,
    area_type   area_type_code NOT NULL,
    month       DATE NOT NULL,  -- first day of the month
    customers   BIGINT NOT NULL,
    load_id     BIGINT NOT NULL,
    source_row  BIGINT NOT NULL
);

-- 5. Complaints, repair calls, enquiries. Key: (utility, ticket_id).
CREATE TABLE IF NOT EXISTS tickets (
    ticket_id     VARCHAR NOT NULL,
    utility       utility_code NOT NULL,
    district      VARCHAR NOT NULL,
    kind          ticket_kind_code NOT NULL,
    channel       ticket_channel_code,
    received_at   TIMESTAMPTZ NOT NULL,
    responded_at  TIMESTAMPTZ,
    closed_at     TIMESTAMPTZ,
    valid         BOOLEAN,
    satisfied     BOOLEAN,
    case_id       VARCHAR,
    summary       VARCHAR,
    contact_phone VARCHAR,
    load_id       BIGINT NOT NULL,
    source_row    BIGINT NOT NULL
);

-- 6. Service ratings (好差评). Key: (utility, evaluation_id).
CREATE TABLE IF NOT EXISTS evaluations (
    evaluation_id VARCHAR NOT NULL,
    utility       utility_code NOT NULL,
    district      VARCHAR NOT NULL,
    subject       subject_code NOT NULL,
    subject_id    VARCHAR NOT NULL,
    rated_at      TIMESTAMPTZ NOT NULL,
    rating        TINYINT NOT NULL,
    channel       VARCHAR,
    comment       VARCHAR,
    rectified_at  TIMESTAMPTZ,
    load_id       BIGINT NOT NULL,
    source_row    BIGINT NOT NULL
);

-- 7. Monthly water balance. Key: (utility, district, month).
CREATE TABLE IF NOT EXISTS water_balance (
    utility                utility_code NOT NULL,
    district               VARCHAR NOT NULL,
    month                  DATE NOT NULL,
    system_input_m3        DOUBLE NOT NULL,
    billed_m3              DOUBLE NOT NULL,
    residential_metered_m3 DOUBLE,
    pipe_length_km         DOUBLE,
    avg_pressure_mpa       DOUBLE,
    frost_depth_m          DOUBLE,
    load_id                BIGINT NOT NULL,
    source_row             BIGINT NOT NULL
);

-- 8. District reference list: logs that name a district are matched to its code here.
CREATE TABLE IF NOT EXISTS districts (
    district    VARCHAR NOT NULL,  -- 6-digit 行政区划代码
    name        VARCHAR NOT NULL,
    parent      VARCHAR,
    area_type   area_type_code,
    load_id     BIGINT NOT NULL,
    source_row  BIGINT NOT NULL
);

-- Working-day calendar (spec/calendar.md). workdays_before is the number of working
-- days from the first day of the table up to (not including) day, so the working time
-- between two instants is two look-ups and a subtraction, never a loop over days.
CREATE TABLE IF NOT EXISTS calendar (
    day             DATE NOT NULL,
    is_workday      BOOLEAN,           -- NULL only on the row after the last known day
    workdays_before INTEGER NOT NULL,
    note            VARCHAR
);

-- One row per file loaded (or refused after its rows were read).
CREATE SEQUENCE IF NOT EXISTS load_ids START 1;
CREATE TABLE IF NOT EXISTS loads (
    load_id         BIGINT PRIMARY KEY,
    file_name       VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,
    format          VARCHAR NOT NULL,
    encoding        VARCHAR NOT NULL,
    profile         VARCHAR NOT NULL,
    rows_read       BIGINT NOT NULL,
    rows_loaded     BIGINT NOT NULL,
    rows_rejected   BIGINT NOT NULL,
    rows_updated    BIGINT NOT NULL,   -- loaded rows that replaced a stored version
    ignored_columns VARCHAR,           -- source headers no mapping knew
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL
);

-- Rows that failed validation: one row per problem, so a row with two bad cells
-- shows both. rows_rejected in loads counts rows, not problems.
CREATE TABLE IF NOT EXISTS rejects (
    load_id     BIGINT NOT NULL,
    file_name   VARCHAR NOT NULL,
    line        BIGINT,            -- physical line (text files) or sheet row (xlsx, parquet)
    column_name VARCHAR,
    value       VARCHAR,
    reason      VARCHAR NOT NULL
);

-- The service's run history: one row per finished run of a scheduled job.
CREATE SEQUENCE IF NOT EXISTS run_ids START 1;
CREATE TABLE IF NOT EXISTS runs (
    run_id        BIGINT NOT NULL,
    job           VARCHAR NOT NULL,   -- nightly or quarterly
    period        VARCHAR,            -- the quarter published or refreshed
    started_at    TIMESTAMPTZ NOT NULL,
    finished_at   TIMESTAMPTZ NOT NULL,
    files         BIGINT NOT NULL,
    rows_loaded   BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    outcome       VARCHAR NOT NULL,   -- ok or failed
    detail        VARCHAR
);
