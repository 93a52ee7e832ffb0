-- Derived table of the endings (paqa_dash/derive/registry.py): the stored stand-in for an inline CTE
-- block of queries/metrics/endings.sql, defining the same final CTE with the same columns, and the
-- main block that writes it.

-- name: derived_cte_ending_facts_stored
-- endings_cte_ending_facts for the ended plans in the filter, from table derived_ending_facts
ending_facts AS (
    SELECT f.* FROM ended e JOIN derived_ending_facts f ON f.plan_id = e.plan_id
)

-- name: derived_ending_facts_rows
-- needs: endings_cte_ending_facts
SELECT * FROM ending_facts
