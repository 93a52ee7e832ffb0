-- The currency of the derived data (paqa_dash/derive/currency.py).

-- name: currency_store_state
-- Everything the currency of the derived data is judged on, read once per question (paqa_dash/derive/
-- currency.py): the latest import run, the row count of every source and stored table, the latest dates.
SELECT (SELECT max(run_id) FROM import_runs) AS latest_run,
       (SELECT count(*) FROM children) AS children,
       (SELECT count(*) FROM plans) AS plans,
       (SELECT count(*) FROM events) AS events,
       (SELECT count(*) FROM attendance) AS attendance,
       (SELECT count(*) FROM family_changes) AS family_changes,
       (SELECT count(*) FROM needs) AS needs,
       (SELECT count(*) FROM actions) AS actions,
       (SELECT count(*) FROM action_matches) AS action_matches,
       (SELECT count(*) FROM plan_sequence) AS plan_sequence,
       (SELECT count(*) FROM core_group_attendance) AS core_group_attendance,
       (SELECT count(*) FROM action_reviews) AS action_reviews,
       (SELECT count(*) FROM language_findings) AS language_findings,
       (SELECT count(*) FROM plan_reviews) AS plan_reviews,
       (SELECT max(greatest(start_date, coalesce(end_date, start_date))) FROM plans) AS latest_plan_date,
       (SELECT max(event_date) FROM events WHERE event_type = 'CORE_GROUP') AS latest_meeting

-- name: currency_records
-- The records of what each derived thing was built from (meta keys 'derived:<name>').
SELECT key, value FROM meta WHERE starts_with(key, $prefix)

-- name: currency_tables
-- The store's tables: a derived table dropped while its record stays (a hand repair, a copy of part of a store) is
-- not current, and its readers work its rows out inline instead of failing on the missing table.
SELECT DISTINCT table_name FROM duckdb_tables()
