-- Every interruption with the kind the outage figures count it as (metrics.md H8),
-- under the settings in _outage_settings: the outage query reads it, and so does any
-- query that splits the same interruptions another way, so the rule is written once.
-- kind: planned and fault are counted; exempt is shown on its own; momentary only
-- counted. hours: the interruption's length.
CREATE OR REPLACE TEMP VIEW _outage_kinds AS
WITH logged AS (
    -- An exemption stands only when the profile accepts its reason, for the utilities
    -- its list applies to; any other counts as planned (or fault, as the profile says).
    SELECT o.* REPLACE (
            CASE WHEN o.kind = 'exempt' AND s.exempt_reasons IS NOT NULL
                      AND (s.exempt_utilities IS NULL OR list_contains(s.exempt_utilities, o.utility::VARCHAR))
                      AND NOT coalesce(list_contains(s.exempt_reasons, o.exempt_reason), false)
                 THEN s.exempt_others_as ELSE o.kind::VARCHAR END AS kind),
        list_contains(s.momentary_utilities, o.utility::VARCHAR)
            AND seconds_between(o.start_at, o.end_at) <= s.momentary_minutes * 60 AS momentary
    FROM outages o CROSS JOIN _outage_settings s
)
-- A momentary interruption (短时停电, DL/T 836) is out of every sustained figure and
-- only counted; an accepted exemption stays shown on its own, however short.
SELECT * EXCLUDE (momentary) REPLACE (CASE WHEN momentary AND kind <> 'exempt' THEN 'momentary' ELSE kind END AS kind),
    seconds_between(start_at, end_at) / 3600.0 AS hours
FROM logged
