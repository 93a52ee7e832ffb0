-- Derived tables of the core groups & agencies page (paqa_dash/derive/registry.py): stored stand-ins
-- for inline CTE blocks of queries/metrics/, each defining the same final CTE with the same
-- columns, for the plans of the filter; and the main blocks that write them.

-- name: metrics_cte_core_group_facts_stored
-- metrics_cte_core_group_facts for the started plans in the filter, from table derived_core_group_plans
cg_plan_facts AS (
    SELECT f.* FROM started s JOIN derived_core_group_plans f ON f.plan_id = s.plan_id
)

-- name: metrics_core_group_facts_rows
-- needs: metrics_cte_core_group_facts
SELECT * FROM cg_plan_facts

-- name: metrics_cte_review_facts_stored
-- metrics_cte_review_facts for the started plans in the filter, from table derived_review_plans
rv_plan_facts AS (
    SELECT f.* FROM started s JOIN derived_review_plans f ON f.plan_id = s.plan_id
)

-- name: metrics_review_facts_rows
-- needs: metrics_cte_review_facts
SELECT * FROM rv_plan_facts

-- name: metrics_cte_challenges_stored
-- metrics_cte_challenges for the started plans in the filter, from table derived_challenge_links
m_ch AS (
    SELECT c.* FROM started s JOIN derived_challenge_links c ON c.plan_id = s.plan_id
)

-- name: metrics_challenge_links_rows
-- needs: metrics_cte_challenges
SELECT * FROM m_ch
