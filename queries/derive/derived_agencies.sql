-- Derived tables of the core groups & agencies page (paqa_dash/derive/registry.py): stored stand-ins
-- for inline CTE blocks of queries/metrics/, each defining the same final CTE with the same
-- columns, for the plans of the filter; and the main blocks that write them.

-- name: derived_agencies_cte_core_group_facts_stored
-- timeliness_cte_core_group_facts for the started plans in the filter, from table derived_core_group_plans
-- (its rows written for this $as_of: the table holds one block of rows per as-of date it was written for); the
-- interval statuses counted from `intervals` for the interval $cg_weeks asked (the inline block says how)
cg_plan_facts AS (
    SELECT f.plan_id, f.start_date, f.cutoff, f.first_met,
           coalesce(len(list_filter(f.intervals, lambda x: x.gap <= 7 * $cg_weeks)), 0) AS intervals_on_time,
           coalesce(len(list_filter(f.intervals, lambda x: NOT coalesce(x.gap <= 7 * $cg_weeks, FALSE)
                                                           AND x.room >= 7 * $cg_weeks)), 0) AS intervals_late,
           coalesce(len(list_filter(f.intervals, lambda x: NOT coalesce(x.gap <= 7 * $cg_weeks, FALSE)
                                                           AND x.room < 7 * $cg_weeks)), 0) AS intervals_not_due,
           f.intervals
    FROM started s JOIN derived_core_group_plans f ON f.plan_id = s.plan_id
    WHERE f.as_of = $as_of
)

-- name: derived_agencies_core_group_facts_rows
-- needs: timeliness_cte_core_group_facts
SELECT * FROM cg_plan_facts

-- name: derived_agencies_cte_review_facts_stored
-- timeliness_cte_review_facts for the started plans in the filter, from table derived_review_plans (its rows
-- written for this $as_of)
rv_plan_facts AS (
    SELECT f.* EXCLUDE (as_of) FROM started s JOIN derived_review_plans f ON f.plan_id = s.plan_id
    WHERE f.as_of = $as_of
)

-- name: derived_agencies_review_facts_rows
-- needs: timeliness_cte_review_facts
SELECT * FROM rv_plan_facts

-- name: derived_agencies_cte_challenges_stored
-- engagement_cte_challenges for the started plans in the filter, from table derived_challenge_links
m_ch AS (
    SELECT c.* FROM started s JOIN derived_challenge_links c ON c.plan_id = s.plan_id
)

-- name: derived_agencies_challenge_links_rows
-- needs: engagement_cte_challenges
SELECT * FROM m_ch
