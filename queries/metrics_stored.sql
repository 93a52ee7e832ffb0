-- The stored plan sequence (table plan_sequence, paqa_dash/metrics/stored_sequence.py).

-- name: metrics_cte_seq_stored
-- the same `seq`, read from the table written at import (only used when it is current: see
-- stored_sequence.usable); choosing children first leaves their plan numbers unchanged
seq AS (
    SELECT * FROM plan_sequence
    WHERE len($child_ids) = 0 OR list_contains($child_ids, child_id)
)

-- name: metrics_stored_sequence_state
-- Is plan_sequence current?  Compared with the plans table: same row count, and the latest plan date
-- (an as_of on or after it changes nothing in the numbering).  One scan of each table.
SELECT (SELECT count(*) FROM plan_sequence) AS stored_rows,
       (SELECT count(*) FROM plans) AS plan_rows,
       (SELECT max(greatest(start_date, coalesce(end_date, start_date))) FROM plans) AS latest_plan_date,
       (SELECT max(run_id) FROM import_runs) AS latest_run,
       (SELECT value FROM meta WHERE key = 'plan_sequence_run') AS stored_run,
       (SELECT value FROM meta WHERE key = 'plan_sequence_replan_months') AS stored_replan_months

-- name: metrics_stored_sequence_exists
SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'plan_sequence' AND schema_name = 'main'

-- name: metrics_stored_sequence_clear
DELETE FROM plan_sequence
