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

-- name: derived_household_cte_family_changes_stored_as_of
-- the same m_fc as of an earlier $as_of, from the rows written as of the far future (the resolver reads it when the
-- table is current but for the as-of date): a change during the plan by then is one during it (up to its end, or
-- open) dated by $as_of; a change in the gap before a repeat plan started by then is dated before that start, so
-- it is the same row
m_fc AS (
    SELECT f.plan_id, f.child_id, f.change_id, f.during_plan AND f.change_date <= $as_of AS during_plan,
           f.before_repeat, f.change_date
    FROM started s JOIN derived_family_change_links f ON f.plan_id = s.plan_id
    WHERE (f.during_plan AND f.change_date <= $as_of) OR f.before_repeat
)
