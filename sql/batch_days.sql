-- Every local date each period of _batch touches, for the families that compute their
-- periods together: an instant is matched to its periods by its date, an equality
-- join, then kept by the exact bounds.
CREATE OR REPLACE TEMP TABLE _batch_days AS
SELECT seq, start_at, end_at, by_group,
    unnest(range(local_time(start_at)::DATE::TIMESTAMP, local_time(end_at - INTERVAL 1 MICROSECOND)::DATE::TIMESTAMP + INTERVAL 1 DAY, INTERVAL 1 DAY))::DATE AS day
FROM _batch;
