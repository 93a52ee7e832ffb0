-- Derived table of the household change page (paqa_dash/derive/registry.py): the stored stand-in for
-- household_cte_family_changes (same final CTE m_fc, same columns) for the started plans in the filter,
-- and the main block that writes it.

-- name: derived_household_cte_family_changes_stored
m_fc AS (
    SELECT f.* FROM started s JOIN derived_family_change_links f ON f.plan_id = s.plan_id
)

-- name: derived_household_family_change_links_rows
-- needs: household_cte_family_changes
SELECT * FROM m_fc
