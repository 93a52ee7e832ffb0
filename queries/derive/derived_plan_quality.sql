-- Derived tables of the plan quality page: the per-plan blocks of queries/metrics/plan_quality.sql,
-- written at import for every plan (as of the far future) and read here in their place, joined to the filter's
-- plans, for any as-of date: nothing in them depends on it but which plans are started by then (the join to
-- `started`) and which adult factors an open plan knows of, which plan_quality_cte_plan_facts works out when read
-- from each factor's `known_from`.  The columns taken from `started` (child, team, start date, plan number) are
-- never stored: they depend on the filter and the re-plan window.

-- name: derived_plan_quality_plan_base_rows
-- needs: plan_quality_cte_plan_base
SELECT * EXCLUDE (child_id, team, start_date, plan_number, quarter) FROM pq_plan_base

-- name: derived_plan_quality_cte_plan_base_stored
pq_plan_base AS (
    SELECT s.plan_id, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date, s.plan_number,
           CAST(date_trunc('quarter', s.start_date) AS DATE) AS quarter,   -- the quarter's first day
           f.* EXCLUDE (plan_id)
    FROM started s
    JOIN derived_pq_plans f ON f.plan_id = s.plan_id
)

-- name: derived_plan_quality_plan_language_rows
-- needs: plan_quality_cte_plan_language
SELECT * EXCLUDE (team) FROM pq_lang

-- name: derived_plan_quality_cte_plan_language_stored
pq_lang AS (
    SELECT l.plan_id, coalesce(s.team, '(no team)') AS team, l.* EXCLUDE (plan_id)
    FROM started s
    JOIN derived_pq_language l ON l.plan_id = s.plan_id
)
