-- Household change (paqa_dash/metrics/household.py), run behind the plan sequence.

-- name: household_cte_family_changes
-- household changes of the child or its family, placed against started plans: during the plan
-- (start..end, or ..$as_of while open) or in the gap before a repeat plan (strictly after the
-- previous plan's end, strictly before this start).  m_fc keeps one row per plan and change that is
-- either (a change linked by child and by family once); counts are of DISTINCT change_id, as a
-- sibling's change is one change.  Filter-free, so the importer keeps it in derived_family_change_links.
m_fc_links AS (
    SELECT s.plan_id, s.child_id, s.start_date, s.end_date, s.previous_end, fc.change_id, fc.change_date
    FROM started s JOIN family_changes fc ON fc.child_id = s.child_id
    WHERE fc.change_date <= $as_of
    UNION ALL
    SELECT s.plan_id, s.child_id, s.start_date, s.end_date, s.previous_end, fc.change_id, fc.change_date
    FROM started s JOIN family_changes fc ON fc.family_id = s.family_id
    WHERE s.family_id IS NOT NULL AND fc.change_date <= $as_of
),
m_fc AS (
    -- change_date (one per change) lets the stored rows be read as of an earlier date
    -- (derived_household_cte_family_changes_stored_as_of)
    SELECT DISTINCT plan_id, child_id, change_id, during_plan, before_repeat, change_date
    FROM (SELECT plan_id, child_id, change_id, change_date,
                 change_date >= start_date AND change_date <= coalesce(end_date, $as_of) AS during_plan,
                 previous_end IS NOT NULL AND change_date > previous_end AND change_date < start_date AS before_repeat
          FROM m_fc_links)
    WHERE during_plan OR before_repeat
)

-- name: household_family_change_counts
-- needs: household_cte_family_changes
-- distinct changes during a started plan, and in the gap before one: each change once (one grouping of m_fc by
-- change, not a DISTINCT count per column: two hash tables of every row; docs/benchmark.md); `gaps_measured`: the
-- repeat plans whose previous plan's end is in the data (none: no gap was searched, so the count before is unknown)
SELECT count(*) FILTER (WHERE during_plan) AS during_plans,
       count(*) FILTER (WHERE before_repeat) AS before_repeat_plans,
       (SELECT count(*) FROM started WHERE is_repeat AND previous_end IS NOT NULL) AS gaps_measured
FROM (SELECT change_id, bool_or(during_plan) AS during_plan, bool_or(before_repeat) AS before_repeat
      FROM m_fc GROUP BY change_id)

-- name: household_repeat_plans_after_change
-- needs: household_cte_family_changes
-- repeat plans started in the filter whose previous plan's end is in the data, and how many of them followed a
-- change of household in the gap (the audit's finding on repeated changes of household; the Regional view)
SELECT (SELECT count(*) FROM started WHERE is_repeat AND previous_end IS NOT NULL) AS repeat_plans_with_gap,
       count(DISTINCT plan_id) FILTER (WHERE before_repeat) AS after_change
FROM m_fc

-- name: household_family_changes_per_child
-- needs: household_cte_family_changes
SELECT s.child_id,
       count(DISTINCT m.change_id) FILTER (WHERE m.during_plan OR m.before_repeat) AS changes,
       bool_or(s.is_repeat) AS has_repeat_plan
FROM started s LEFT JOIN m_fc m ON m.plan_id = s.plan_id
GROUP BY s.child_id
ORDER BY s.child_id

-- name: household_cte_family_change_children
-- needs: household_cte_family_changes
-- per child with a started plan: household changes during those plans or before them (distinct
-- changes), and whether one of the plans is a repeat plan.  Changes are counted over m_fc alone (a
-- few rows per plan), plans over `started`, so nothing larger than a child count meets in the join.
m_fc_child_changes AS (
    SELECT child_id, count(DISTINCT change_id) AS changes FROM m_fc GROUP BY child_id
),
m_fc_children AS (
    SELECT s.child_id, coalesce(c.changes, 0) AS changes, s.has_repeat_plan
    FROM (SELECT child_id, bool_or(is_repeat) AS has_repeat_plan FROM started GROUP BY child_id) s
    LEFT JOIN m_fc_child_changes c ON c.child_id = s.child_id
)

-- name: household_family_change_buckets
-- needs: household_cte_family_change_children
-- children by bucket of changes (0, 1, 2, 3+) and whether they had a repeat plan
SELECT CASE WHEN changes >= 3 THEN '3+' ELSE CAST(changes AS VARCHAR) END AS bucket, has_repeat_plan,
       count(*) AS children
FROM m_fc_children GROUP BY ALL ORDER BY ALL

-- name: household_family_change_top_children
-- needs: household_cte_family_change_children
-- the $limit children with most changes (ties by pseudonym), with the number of children with any
m_fc_top AS (
    SELECT child_id, changes, count(*) OVER () AS children_with_changes
    FROM m_fc_child_changes ORDER BY changes DESC, child_id LIMIT $limit
)
SELECT t.child_id, t.changes, bool_or(s.is_repeat) AS has_repeat_plan, t.children_with_changes
FROM m_fc_top t JOIN started s ON s.child_id = t.child_id
GROUP BY ALL ORDER BY t.changes DESC, t.child_id

-- name: household_cte_after_first_changes
-- each plan ended in the filter and every household change of the child or its family after its end (a sibling's
-- change once; CTE m_after_dates): household_after_first_plan keeps the first plans' changes within the re-plan
-- window when it reads them, so the rows depend on no threshold and no as-of date (a plan's end is its own), and the
-- importer keeps them in derived_after_first_changes (paqa_dash/derive/registry.py), read for any as-of date
m_after_dates AS (
    SELECT f.plan_id, fc.change_id, fc.change_date FROM ended f JOIN family_changes fc ON fc.child_id = f.child_id
    WHERE fc.change_date > f.end_date
    UNION
    SELECT f.plan_id, fc.change_id, fc.change_date FROM ended f JOIN family_changes fc ON fc.family_id = f.family_id
    WHERE f.family_id IS NOT NULL AND fc.change_date > f.end_date
)

-- name: household_after_first_changes_rows
-- needs: household_cte_after_first_changes
SELECT * FROM m_after_dates

-- name: household_cte_after_first_changes_stored
-- household_cte_after_first_changes from table derived_after_first_changes, for the plans ended in the filter (not
-- two joins of every ending with every household change per call: docs/benchmark.md)
m_after_dates AS (
    SELECT d.* FROM ended f JOIN derived_after_first_changes d ON d.plan_id = f.plan_id
)

-- name: household_after_first_plan
-- needs: household_cte_after_first_changes
-- The fair comparison (docs/definitions.md, "Household change after a first plan"): children whose first plan
-- (plan number 1) ended in the period and who have been followed up the re-plan window ($replan_months) by
-- $as_of, by the household changes of the child or its family in that window after the end (end < change
-- date <= end + window, m_after_dates; a sibling's change counts once) and whether another plan started within
-- the same window.  Every child is counted over the same exposure, re-planned or not, so the two groups compare.
m_first_ended AS (
    SELECT plan_id, child_id, family_id, end_date, next_start,
           CAST(end_date + to_months($replan_months) AS DATE) AS window_end
    FROM ended
    WHERE plan_number = 1 AND CAST(end_date + to_months($replan_months) AS DATE) <= $as_of
),
m_after_links AS (
    SELECT f.plan_id, d.change_id FROM m_first_ended f JOIN m_after_dates d ON d.plan_id = f.plan_id
    WHERE d.change_date <= f.window_end
),
m_after AS (
    SELECT f.plan_id, coalesce(n.changes, 0) AS changes,
           coalesce(f.next_start <= f.window_end, FALSE) AS replanned
    FROM m_first_ended f
    -- count(*): a plan's rows in m_after_dates are of distinct changes (a UNION, and a change has one date)
    LEFT JOIN (SELECT plan_id, count(*) AS changes FROM m_after_links GROUP BY plan_id) n
           ON n.plan_id = f.plan_id
)
SELECT CASE WHEN changes >= 3 THEN '3+' ELSE CAST(changes AS VARCHAR) END AS bucket, replanned,
       count(*) AS children
FROM m_after GROUP BY ALL ORDER BY ALL
