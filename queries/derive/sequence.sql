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

-- name: metrics_stored_attendance_clear
DELETE FROM core_group_attendance

-- name: metrics_stored_attendance_write
INSERT INTO core_group_attendance
SELECT ev.plan_id, date_trunc('quarter', ev.event_date)::DATE AS quarter, a.agency,
       count(*) AS invited, count(*) FILTER (WHERE a.attended) AS attended,
       count(*) FILTER (WHERE coalesce(a.contributed, FALSE)) AS contributed
FROM events ev JOIN attendance a ON a.event_id = ev.event_id
WHERE ev.event_type = 'CORE_GROUP' AND a.invited AND ev.plan_id IS NOT NULL
GROUP BY 1, 2, 3

-- name: metrics_stored_attendance_facts
-- what the summary reflects: row counts of events and attendance, and the latest core group date
SELECT (SELECT count(*) FROM events) AS events_rows,
       (SELECT count(*) FROM attendance) AS attendance_rows,
       (SELECT max(event_date) FROM events WHERE event_type = 'CORE_GROUP') AS latest_meeting,
       (SELECT max(run_id) FROM import_runs) AS latest_run

-- name: metrics_stored_attendance_exists
SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'core_group_attendance' AND schema_name = 'main'

-- name: metrics_cte_core_group_attendance_stored
-- the same sums as metrics_cte_core_group_attendance, from the summary written at import (used only
-- when it is current and the as-of date is on or after the latest core group)
m_attq AS (
    SELECT c.quarter, c.agency, c.invited, c.attended, c.contributed
    FROM started s JOIN core_group_attendance c ON c.plan_id = s.plan_id
)

-- name: metrics_agency_attendance_stored
-- needs: metrics_cte_core_group_attendance_stored
SELECT agency, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended,
       sum(contributed)::BIGINT AS contributed
FROM m_attq GROUP BY agency ORDER BY agency

-- name: metrics_attendance_by_quarter_stored
-- needs: metrics_cte_core_group_attendance_stored
SELECT quarter, agency, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended,
       sum(contributed)::BIGINT AS contributed
FROM m_attq GROUP BY 1, 2 ORDER BY 1, 2
