-- Derived tables of the core groups & agencies page (paqa_dash/derive/registry.py): stored stand-ins
-- for inline CTE blocks of queries/metrics/, each defining the same final CTE with the same
-- columns, for the plans of the filter; and the main blocks that write them.

-- name: derived_agencies_cte_core_group_facts_stored
-- timeliness_cte_core_group_facts for the started plans in the filter, from table derived_core_group_plans
-- (its rows written for this $as_of: the table holds one block of rows per as-of date it was written for); the
-- interval statuses as written when $cg_weeks is the interval they were written for, else counted from `intervals`
-- for the interval asked (the inline block says how)
cg_plan_facts AS (
    SELECT f.plan_id, f.start_date, f.cutoff, f.first_met,
           CASE WHEN f.interval_weeks = $cg_weeks THEN f.intervals_on_time
                ELSE coalesce(len(list_filter(f.intervals, lambda x: x.gap <= 7 * $cg_weeks)), 0) END AS intervals_on_time,
           CASE WHEN f.interval_weeks = $cg_weeks THEN f.intervals_late
                ELSE coalesce(len(list_filter(f.intervals, lambda x: NOT coalesce(x.gap <= 7 * $cg_weeks, FALSE)
                                                                AND x.room >= 7 * $cg_weeks)), 0) END AS intervals_late,
           CASE WHEN f.interval_weeks = $cg_weeks THEN f.intervals_not_due
                ELSE coalesce(len(list_filter(f.intervals, lambda x: NOT coalesce(x.gap <= 7 * $cg_weeks, FALSE)
                                                                AND x.room < 7 * $cg_weeks)), 0) END AS intervals_not_due,
           $cg_weeks AS interval_weeks, f.intervals
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

-- name: derived_agencies_cte_challenges_stored_as_of
-- the same m_ch as of an earlier $as_of, from the rows written as of the far future (the resolver reads it when the
-- table is current but for the as-of date): a plan's linked events by then are its events dated by then; an
-- unlinked event counts from the plan's start to its end, or to $as_of while open then, so by then it is the
-- far-future row dated by $as_of.  `started` is the plans started by $as_of, as always.
m_ch AS (
    SELECT c.* FROM started s JOIN derived_challenge_links c ON c.plan_id = s.plan_id
    WHERE c.event_date <= $as_of
)
