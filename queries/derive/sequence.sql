-- The stored plan sequence (table plan_sequence) and core group attendance sums (table
-- core_group_attendance): paqa_dash/derive/sequence.py writes them, the resolver reads them when current.

-- name: derive_sequence_cte_seq_rows
-- the stored sequence's rows of the children $child_ids names (none named: every child's); choosing children first
-- leaves their plan numbers unchanged.  With no child named the resolver reads derive_sequence_cte_seq_rows_every_child
-- in its place (registry.EVERY_CHILD; metrics_sequence_cte_every_child says why)
m_seq_rows AS (
    SELECT * FROM plan_sequence
    WHERE len($child_ids) = 0 OR child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[])))
)

-- name: derive_sequence_cte_seq_rows_every_child
-- derive_sequence_cte_seq_rows when no child is named: every row, the same rows
m_seq_rows AS (SELECT * FROM plan_sequence)

-- name: derive_sequence_cte_seq_stored
-- needs: derive_sequence_cte_seq_rows
-- the same `seq`, read from the table written at import (only used when it is current: see
-- paqa_dash/derive/registry.py resolve)
seq AS (SELECT * FROM m_seq_rows)

-- name: derive_sequence_cte_seq_stored_as_of
-- needs: derive_sequence_cte_seq_rows
-- the same `seq` as of an earlier $as_of, from the table written as of the far future (paqa_dash/derive/registry.py
-- resolve: only when that table is current but for the as-of date or the re-plan window).  Why it gives the inline
-- rows: plans are numbered per child in start order, so a plan started by $as_of keeps its number, first plan and
-- previous plan when later plans are ignored; what the as-of changes is only which dates are known by then: an end
-- after $as_of is still open (no length band), a previous plan's end after it is not known (no gap, no re-plan), a
-- next plan started after it is not there yet.  The re-plan within the window is worked out from $replan_months.
seq AS (
    SELECT * REPLACE (CASE WHEN end_date <= $as_of THEN end_date END AS end_date,
                      CASE WHEN end_date <= $as_of THEN duration_band END AS duration_band,
                      CASE WHEN previous_end <= $as_of THEN previous_end END AS previous_end,
                      CASE WHEN previous_end <= $as_of THEN gap_days END AS gap_days,
                      (plan_number >= 2 AND previous_end IS NOT NULL AND previous_end <= $as_of
                         AND CAST(previous_end + to_months($replan_months) AS DATE) >= start_date) AS repeat_within_window,
                      CASE WHEN next_start <= $as_of THEN next_plan_id END AS next_plan_id,
                      CASE WHEN next_start <= $as_of THEN next_start END AS next_start)
    FROM m_seq_rows
    WHERE start_date <= $as_of
)

-- name: derive_sequence_clear
DELETE FROM plan_sequence

-- name: derive_sequence_attendance_clear
DELETE FROM core_group_attendance

-- name: derive_sequence_cte_core_group_events
-- the core group meetings the sums are of: every one in the store
cg_events AS (
    SELECT event_id, plan_id, event_date FROM events WHERE event_type = 'CORE_GROUP' AND plan_id IS NOT NULL
)

-- name: derive_sequence_cte_core_group_events_of_scope
-- the same, of the plans an import changed only (temp table registry_scope_plans, derive/registry.py), which
-- write_attendance reads in its place: a filter on the sums' plan_id was not taken below the grouping and the join
-- to 40 million attendance rows, 12 to 14 CPU s at a million plans for one authority-year; here 0.2 s
cg_events AS (
    SELECT event_id, plan_id, event_date FROM events
    WHERE event_type = 'CORE_GROUP' AND plan_id IN (SELECT plan_id FROM registry_scope_plans)
)

-- name: derive_sequence_attendance_rows
-- needs: derive_sequence_cte_core_group_events
-- the rows of core_group_attendance: per plan, quarter of the meeting and agency
SELECT ev.plan_id, date_trunc('quarter', ev.event_date)::DATE AS quarter, a.agency,
       count(*) AS invited, count(*) FILTER (WHERE a.attended) AS attended,
       count(*) FILTER (WHERE coalesce(a.contributed, FALSE)) AS contributed
FROM cg_events ev JOIN attendance a ON a.event_id = ev.event_id
WHERE a.invited
GROUP BY 1, 2, 3

-- name: derive_sequence_cte_core_group_attendance_stored
-- the same sums as engagement_cte_core_group_attendance, from the summary written at import (used only
-- when it is current and the as-of date is on or after the latest core group)
m_attq AS (
    SELECT s.child_id, c.plan_id, c.quarter, c.agency, c.invited, c.attended, c.contributed
    FROM started s JOIN core_group_attendance c ON c.plan_id = s.plan_id
)

-- name: derive_sequence_cte_core_group_attendance_stored_as_of
-- the same sums as of an earlier $as_of that is a quarter end (the resolver reads it only then): the summary is
-- per quarter of the meeting date, so a meeting is on or before a quarter end exactly when its quarter starts on
-- or before it; the plans are `started` as of $as_of as always
m_attq AS (
    SELECT s.child_id, c.plan_id, c.quarter, c.agency, c.invited, c.attended, c.contributed
    FROM started s JOIN core_group_attendance c ON c.plan_id = s.plan_id
    WHERE c.quarter <= $as_of
)

-- name: derive_sequence_agency_attendance_stored
-- needs: derive_sequence_cte_core_group_attendance_stored
SELECT agency, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended,
       sum(contributed)::BIGINT AS contributed
FROM m_attq GROUP BY agency ORDER BY agency

-- name: derive_sequence_cte_attendance_of_plans
-- the per plan, quarter and agency sums that core_group_attendance_by_plan adds up over the agencies, of every plan
cga_rows AS (
    SELECT plan_id, quarter, invited, attended FROM core_group_attendance
)

-- name: derive_sequence_cte_attendance_of_plans_of_scope
-- the same, of the plans an import changed only (temp table registry_scope_plans), which write_attendance reads in
-- its place, as it reads their core groups (derive_sequence_cte_core_group_events_of_scope)
cga_rows AS (
    SELECT plan_id, quarter, invited, attended FROM core_group_attendance
    WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans)
)

-- name: derive_sequence_attendance_by_plan_rows
-- needs: derive_sequence_cte_attendance_of_plans
-- the rows of core_group_attendance_by_plan: core_group_attendance summed over the agencies, per plan and quarter
SELECT plan_id, quarter, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended
FROM cga_rows GROUP BY plan_id, quarter

-- name: derive_sequence_attendance_by_plan_clear
DELETE FROM core_group_attendance_by_plan

-- name: derive_sequence_cte_plan_attendance_stored
-- the same sums as engagement_cte_core_group_attendance added up over the agencies, per plan and quarter of the
-- meeting, from core_group_attendance_by_plan (read only when the sums are current, as m_attq), with the plan's
-- authority: the Regional view's sums by authority join a fifth of core_group_attendance's rows to the plans once
m_attp AS (
    SELECT s.authority, c.plan_id, c.quarter, c.invited, c.attended
    FROM started s JOIN core_group_attendance_by_plan c ON c.plan_id = s.plan_id
)

-- name: derive_sequence_cte_plan_attendance_stored_as_of
-- the same as of an earlier $as_of that is a quarter end (as derive_sequence_cte_core_group_attendance_stored_as_of)
m_attp AS (
    SELECT s.authority, c.plan_id, c.quarter, c.invited, c.attended
    FROM started s JOIN core_group_attendance_by_plan c ON c.plan_id = s.plan_id
    WHERE c.quarter <= $as_of
)

-- name: derive_sequence_attendance_by_authority_stored
-- needs: derive_sequence_cte_plan_attendance_stored
-- (from the per plan sums: core_group_attendance's 18.7 million rows at a million plans, joined to the plans and
-- again for the authority, were half the Regional view's time; 3.8 million rows joined once)
SELECT authority, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended
FROM m_attp GROUP BY authority

-- name: derive_sequence_attendance_by_quarter_stored
-- needs: derive_sequence_cte_core_group_attendance_stored
SELECT quarter, agency, sum(invited)::BIGINT AS invited, sum(attended)::BIGINT AS attended,
       sum(contributed)::BIGINT AS contributed
FROM m_attq GROUP BY 1, 2 ORDER BY 1, 2
