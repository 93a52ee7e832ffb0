-- Derived tables (paqa_dash/metrics/derived.py): the state they are checked against, and the stored
-- stand-ins for inline CTE blocks of queries/metrics.sql.  A stored block defines the same final CTE,
-- with the same columns, as the inline block it replaces.

-- name: derived_source_state
SELECT (SELECT max(run_id) FROM import_runs) AS latest_run,
       (SELECT count(*) FROM children) AS children,
       (SELECT count(*) FROM plans) AS plans,
       (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM attendance) AS attendance,
       (SELECT count(*) FROM family_changes) AS family_changes,
       (SELECT count(*) FROM needs) AS needs,
       (SELECT count(*) FROM actions) AS actions,
       (SELECT count(*) FROM action_matches) AS action_matches

-- name: metrics_cte_ending_facts_stored
-- metrics_cte_ending_facts for the ended plans in the filter, from table derived_ending_facts
ending_facts AS (
    SELECT f.* FROM ended e JOIN derived_ending_facts f ON f.plan_id = e.plan_id
)

-- name: metrics_ending_facts_rows
-- needs: metrics_cte_ending_facts
SELECT * FROM ending_facts
