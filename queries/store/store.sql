-- What the store itself answers (paqa_dash/store.py).

-- name: store_data_date
-- The latest date the store records anything on, or a census return's reference date: the default "as of" date, so an extract taken in March
-- is not read in November as eight months of missed meetings.
SELECT max(d) AS data_date FROM (
    SELECT max(event_date) AS d FROM events
    UNION ALL SELECT max(start_date) FROM plans
    UNION ALL SELECT max(end_date) FROM plans
    UNION ALL SELECT max(change_date) FROM family_changes
    -- a census return speaks for its whole year: its data runs to its reference date (31 March), not to its
    -- last event, or a return whose last record is 28 March would default to the reporting year before it
    UNION ALL SELECT max(as_of) FROM row_returns WHERE table_name = 'children'
);

-- name: store_authority_data_dates
-- Each authority's own data date (its latest event, plan start or end, household change, or census return's
-- reference date: store_data_date), so a regional store
-- whose authorities' returns end on different dates reads each one as of its own last date, never as of a
-- later authority's (its open plans would look months overdue for reviews that are only missing from its return).
SELECT c.authority, max(x.d) AS data_date
FROM (SELECT child_id, max(event_date) AS d FROM events GROUP BY child_id
      UNION ALL SELECT child_id, max(coalesce(greatest(start_date, end_date), start_date)) FROM plans GROUP BY child_id
      UNION ALL SELECT child_id, max(change_date) FROM family_changes WHERE child_id IS NOT NULL GROUP BY child_id
      UNION ALL SELECT row_id, max(as_of) FROM row_returns WHERE table_name = 'children' GROUP BY row_id) x
JOIN children c ON c.child_id = x.child_id
WHERE c.authority IS NOT NULL
GROUP BY c.authority ORDER BY c.authority;

-- name: store_cte_implausible_plans
-- Plans whose recorded dates cannot be right (docs/data_contract.md, "Implausible plans";
-- paqa_dash.settings.Plausibility): started before $plausible_from; the child certainly $adult_years or
-- older at the start (birth months are the first of the month, so a month is allowed); an ended plan
-- longer than $longest_plan_years years.  Judged on the recorded dates, never on an as-of date, so every
-- view and the stored plan sequence leave out the same plans.  One row per implausible plan, with the
-- first rule it fails in words: the import's warnings and the plan sequence read this one definition.
s_implausible AS (
    SELECT pl.plan_id, pl.child_id, pl.start_date, pl.end_date,
           CASE WHEN pl.start_date < $plausible_from
                    THEN 'plan starts before ' || strftime($plausible_from, '%Y') || ' (' || strftime(pl.start_date, '%Y-%m-%d') || ')'
                WHEN c.birth_month IS NOT NULL
                     AND pl.start_date >= CAST(c.birth_month + to_years($adult_years) + INTERVAL 1 MONTH AS DATE)
                    THEN 'child aged ' || CAST($adult_years AS VARCHAR) || ' or over at plan start'
                ELSE 'plan lasts over ' || CAST($longest_plan_years AS VARCHAR) || ' years ('
                     || strftime(pl.start_date, '%Y-%m-%d') || ' to ' || strftime(pl.end_date, '%Y-%m-%d') || ')'
           END AS reason
    FROM plans pl LEFT JOIN children c ON c.child_id = pl.child_id
    WHERE pl.start_date < $plausible_from
       OR (c.birth_month IS NOT NULL
           AND pl.start_date >= CAST(c.birth_month + to_years($adult_years) + INTERVAL 1 MONTH AS DATE))
       OR (pl.end_date IS NOT NULL AND pl.end_date > CAST(pl.start_date + to_years($longest_plan_years) AS DATE))
)


-- name: store_event_types_checked
-- The event types the stored events table's CHECK allows (its text): a store made before the Annex A
-- event types (CONTACT, EARLY_HELP_START, ...) existed lacks them, and DuckDB cannot alter a CHECK.
SELECT constraint_text FROM duckdb_constraints()
WHERE table_name = 'events' AND constraint_type = 'CHECK' AND constraint_text LIKE '%event_type%';

-- name: store_events_set_aside
ALTER TABLE events RENAME TO events_before_new_types;

-- name: store_events_restore
-- After the schema has made the events table again (with today's CHECK): the rows back, by column name.
INSERT INTO events BY NAME SELECT * FROM events_before_new_types;
DROP TABLE events_before_new_types;

-- name: store_row_returns_set_aside
ALTER TABLE row_returns RENAME TO row_returns_keyed;

-- name: store_row_returns_restore
-- After the schema has made row_returns again (without the key): the rows back, by column name.
INSERT INTO row_returns BY NAME SELECT * FROM row_returns_keyed;
DROP TABLE row_returns_keyed;

-- name: store_primary_keys
-- Each table's primary key columns (the store's own tables, not another attached database's).
SELECT table_name, constraint_column_names AS key FROM duckdb_constraints()
WHERE database_name = current_database() AND schema_name = 'main' AND constraint_type = 'PRIMARY KEY';

-- name: store_table_definition
-- The CREATE statement of $table_name as DuckDB prints it (what the table is made again from).
SELECT sql FROM duckdb_tables()
WHERE database_name = current_database() AND schema_name = 'main' AND table_name = $table_name AND NOT temporary;
