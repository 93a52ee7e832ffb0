-- Derived tables of the cohort pages (paqa_dash/derive/registry.py): stored stand-ins for inline CTE
-- blocks.  Each stored block defines the same final CTE, with the same columns, as the block it replaces.

-- name: derived_cohort_cte_ending_flags_stored
-- endings_cte_ending_marks (CTE m_marks) for the ended plans in the filter: the plan's own columns from `ended`
-- and its ending facts from table derived_ending_flags (written by endings_cte_ending_marks itself, as of the far
-- future: a plan's facts are worked out from its own end date, so every as-of date reads them).  No threshold is
-- stored: endings_cte_endings works out the short plans and premature endings from these rows for the thresholds
-- asked.
m_marks AS (
    SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.initial_category, e.end_reason,
           e.plan_number, e.duration_band, e.next_plan_id, e.next_start,
           d.open_actions, d.unaddressed_adult_need, d.open_adult_factors
    FROM ended e JOIN derived_ending_flags d ON d.plan_id = e.plan_id
)

-- name: derived_cohort_ending_flags_rows
-- needs: endings_cte_ending_marks
SELECT plan_id, open_actions, unaddressed_adult_need, open_adult_factors
FROM m_marks

-- name: derived_cohort_cte_dup_counts_stored
-- cohorts_cte_dup_counts (CTE dup_counts) for the repeat plans started in the filter, from table derived_dup_counts
dup_counts AS (
    SELECT d.* FROM started s JOIN derived_dup_counts d ON d.plan_id = s.plan_id WHERE s.is_repeat
)

-- name: derived_cohort_dup_counts_rows
-- needs: cohorts_cte_dup_counts
SELECT * FROM dup_counts
