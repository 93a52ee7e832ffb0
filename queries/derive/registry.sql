-- The children an import changed, for the derive registry's rewrite child by child
-- (paqa_dash/derive/registry.py `refresh`): every derived entry written per child deletes the rows of these
-- children's plans and inserts theirs, worked out by its own inline block.

-- name: registry_children_of_run
-- The children whose rows import run $run_id wrote (inserted or updated: every written row carries the run's id),
-- in any source table, and every child of a family a family change of the run names (household change is
-- counted for the child and its siblings: queries/metrics/household.sql, coverage.sql).
SELECT child_id FROM children WHERE run_id = $run_id
UNION SELECT child_id FROM plans WHERE run_id = $run_id
UNION SELECT child_id FROM events WHERE run_id = $run_id
UNION SELECT e.child_id FROM attendance a JOIN events e ON e.event_id = a.event_id WHERE a.run_id = $run_id
UNION SELECT child_id FROM needs WHERE run_id = $run_id
UNION SELECT p.child_id FROM actions a JOIN plans p ON p.plan_id = a.plan_id WHERE a.run_id = $run_id
UNION SELECT child_id FROM family_changes WHERE run_id = $run_id AND child_id IS NOT NULL
UNION SELECT c.child_id FROM family_changes f JOIN children c ON c.family_id = f.family_id WHERE f.run_id = $run_id

-- name: registry_scope_children
-- The children listed in $child_ids, as a table (registry_scope_children)
SELECT unnest(CAST($child_ids AS VARCHAR[])) AS child_id

-- name: registry_scope_plans
-- The plans of the children in registered table registry_scope_children: in the store now, and in the plan
-- sequence as last written (a plan removed since, whose derived rows must go too)
SELECT plan_id FROM plans WHERE child_id IN (SELECT child_id FROM registry_scope_children)
UNION SELECT plan_id FROM plan_sequence WHERE child_id IN (SELECT child_id FROM registry_scope_children)

-- name: registry_run_flags
-- needs: coverage_cte_run_flags
-- What each import run's data records (coverage_cte_run_flags): a plan's kinds of record count its run's, so a run
-- whose flags an import changed changes the derived rows of children the import never touched
SELECT * FROM m_cov_runs ORDER BY run_id

-- name: registry_scoped_run_flags
SELECT * FROM registry_scope_run_flags ORDER BY run_id

-- name: registry_cte_run_flags_scoped
-- coverage_cte_run_flags as worked out from the whole store before the source tables were narrowed to the changed
-- children (temp table registry_scope_run_flags, written from registry_run_flags)
m_cov_runs AS (
    SELECT * FROM registry_scope_run_flags
)

-- name: registry_narrow_children
-- The rows of the changed children (temp tables registry_scope_children, registry_scope_plans) in each source table
-- the derived tables are worked out from, taken while a refresh rewrites them child by child (registry.py
-- `narrowed`): every row of a child, of its plans, of their events and actions, and every household change of its
-- family.  A block names only the scope tables, its own table and tables narrowed before it (the same rows either
-- way), so its rows are the same taken in any order.
-- Each large table is read twice: the row ids of the rows wanted, from the key columns alone, then those rows
-- (`rowid IN`: DuckDB fetches them by row id, 0.04 s for 9,000 of 32 million events).  The semi-join on the rows
-- themselves, with every column, cost more: at a million plans the events took 1.52 s that way against 0.82 s, the
-- action reviews 0.40 s against 0.16 s (docs/benchmark.md, *One authority-year into a million plans*, fourth round).
SELECT * FROM children
WHERE child_id IN (SELECT child_id FROM registry_scope_children)

-- name: registry_narrow_plans
SELECT * FROM plans
WHERE child_id IN (SELECT child_id FROM registry_scope_children)

-- name: registry_narrow_events
-- a child's rows, and another child's naming one of its plans, as two semi-joins: DuckDB answers `a OR b` of two
-- IN-subqueries with a mark join of each over every row (2.1 s against 1.1 s over 32 million events); a row in
-- both is taken once by `rowid IN`
SELECT * FROM events
WHERE rowid IN (SELECT rowid FROM events WHERE child_id IN (SELECT child_id FROM registry_scope_children)
                UNION ALL
                SELECT rowid FROM events WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans))

-- name: registry_narrow_attendance
-- (`events` is the narrowed table by now: registry.NARROWED's order)
SELECT * FROM attendance
WHERE rowid IN (SELECT rowid FROM attendance
                WHERE event_id IN (SELECT event_id FROM events
                                   WHERE child_id IN (SELECT child_id FROM registry_scope_children)
                                      OR plan_id IN (SELECT plan_id FROM registry_scope_plans)))

-- name: registry_narrow_family_changes
SELECT * FROM family_changes
WHERE child_id IN (SELECT child_id FROM registry_scope_children)
   OR family_id IN (SELECT family_id FROM children
                    WHERE child_id IN (SELECT child_id FROM registry_scope_children))

-- name: registry_narrow_needs
-- as registry_narrow_events
SELECT * FROM needs
WHERE rowid IN (SELECT rowid FROM needs WHERE child_id IN (SELECT child_id FROM registry_scope_children)
                UNION ALL
                SELECT rowid FROM needs WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans))

-- name: registry_narrow_actions
SELECT * FROM actions
WHERE rowid IN (SELECT rowid FROM actions WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans))

-- name: registry_narrow_action_matches
SELECT * FROM action_matches WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans)

-- name: registry_narrow_action_reviews
-- (`actions` is the narrowed table by now)
SELECT * FROM action_reviews
WHERE rowid IN (SELECT rowid FROM action_reviews WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans)
                UNION ALL
                SELECT rowid FROM action_reviews
                WHERE action_id IN (SELECT action_id FROM actions
                                    WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans)))

-- name: registry_narrow_language_findings
SELECT * FROM language_findings
WHERE action_id IN (SELECT action_id FROM actions WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans))
   OR action_id IN (SELECT action_id FROM action_reviews WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans))

-- name: registry_narrow_plan_reviews
SELECT * FROM plan_reviews WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans)

-- name: registry_narrow_plan_sequence
SELECT * FROM plan_sequence
WHERE rowid IN (SELECT rowid FROM plan_sequence WHERE child_id IN (SELECT child_id FROM registry_scope_children))

-- name: registry_narrow_core_group_attendance
SELECT * FROM core_group_attendance
WHERE rowid IN (SELECT rowid FROM core_group_attendance WHERE plan_id IN (SELECT plan_id FROM registry_scope_plans))

-- name: registry_tables
-- The store's own tables (not this connection's temp tables): a derived table an earlier version did not write, or
-- one dropped, is missing whatever its record says (registry.stale)
SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND NOT temporary
