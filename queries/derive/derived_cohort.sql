-- Derived tables of the cohort pages (paqa_dash/derive/registry.py): stored stand-ins for inline CTE
-- blocks.  Each stored block defines the same final CTE, with the same columns, as the block it replaces.

-- name: derived_cohort_cte_ending_flags_stored
-- endings_cte_endings (CTE ending_signs) for the ended plans in the filter: the plan's own columns from
-- `ended`, its warning signs and what followed from table derived_ending_flags (written by
-- endings_cte_endings itself, for the default short-plan months and re-plan window).  One join instead
-- of two (ended -> ending facts -> flags), and no per-plan reason strings to build.
ending_signs AS (
    SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.initial_category, e.end_reason,
           e.plan_number, e.duration_band, e.next_plan_id, e.next_start,
           d.short, d.open_actions, d.unaddressed_adult_need, d.open_adult_factors,
           d.reasons, d.premature
    FROM ended e JOIN derived_ending_flags d ON d.plan_id = e.plan_id
)

-- name: derived_cohort_ending_flags_rows
-- needs: endings_cte_endings
SELECT plan_id, short, open_actions, unaddressed_adult_need, open_adult_factors, reasons, premature
FROM ending_signs

-- name: derived_cohort_cte_dup_counts_stored
-- cohorts_cte_dup_counts (CTE dup_counts) for the repeat plans started in the filter, from table derived_dup_counts
dup_counts AS (
    SELECT d.* FROM started s JOIN derived_dup_counts d ON d.plan_id = s.plan_id WHERE s.is_repeat
)

-- name: derived_cohort_dup_counts_rows
-- needs: cohorts_cte_dup_counts
SELECT * FROM dup_counts
