-- The stored plan sequence (table plan_sequence) and core group attendance sums (table
-- core_group_attendance): paqa_dash/derive/sequence.py writes them, the resolver reads them when current.

-- name: derive_sequence_cte_seq_stored
-- the same `seq`, read from the table written at import (only used when it is current: see
-- paqa_dash/derive/registry.py resolve); choosing children first leaves their plan numbers unchanged
seq AS (
    SELECT * FROM plan_sequence
    WHERE len($child_ids) = 0 OR list_contains($child_ids, child_id)
)

-- name: derive_sequence_clear
DELETE FROM plan_sequence

-- name: derive_sequence_attendance_clear
DELETE FROM core_group_attendance

-- name: derive_sequence_attendance_write
INSERT INTO core_group_attendance
SELECT ev.plan_id, date_trunc('quarter', ev.event_date)::DATE AS quarter, a.agency,
       count(*) AS invited, count(*) FILTER (WHERE a.attended) AS attended,
       count(*) FILTER (WHERE coalesce(a.contributed, FALSE)) AS contributed
FROM events ev JOIN attendance a ON a.event_id = ev.event_id
WHERE ev.event_type = 'CORE_GROUP' AND a.invited AND ev.plan_id IS NOT NULL
GROUP BY 1, 2, 3

-- name: derive_sequence_cte_core_group_attendance_stored
-- the same sums as engagement_cte_core_group_attendance, from the summary written at import (used only
-- when it is current and the as-of date is on or after the latest core group)
m_attq AS (
    SELECT c.quarter, c.agency, c.invited, c.attended, c.contributed
    FROM started s JOIN core_group_attendance c ON c.plan_id = s.plan_id
)

-- name: derive_sequence_agency_attendance_stored
-- needs: derive_sequence_cte_core_group_attendance_stored
SELECT agency, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended,
       sum(contributed)::BIGINT AS contributed
FROM m_attq GROUP BY agency ORDER BY agency

-- name: derive_sequence_attendance_by_quarter_stored
-- needs: derive_sequence_cte_core_group_attendance_stored
SELECT quarter, agency, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended,
       sum(contributed)::BIGINT AS contributed
FROM m_attq GROUP BY 1, 2 ORDER BY 1, 2
