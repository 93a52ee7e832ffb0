-- Queries of the import pipeline (paqa_dash/ingest/load.py).

-- The stored ids among a batch's references ($ids): a semi-join, so a batch costs its own size, not the store's.
-- name: load_children_ids
SELECT child_id FROM children WHERE child_id IN (SELECT unnest($ids));

-- name: load_events_ids
SELECT event_id FROM events WHERE event_id IN (SELECT unnest($ids));

-- name: load_family_ids
SELECT DISTINCT family_id FROM children WHERE family_id IN (SELECT unnest($ids));

-- name: load_plan_children
-- (also the stored plans among a batch's references: plans.child_id is never blank)
SELECT plan_id, child_id FROM plans WHERE plan_id IN (SELECT unnest($plan_ids));

-- name: load_plans_of_children_in
SELECT plan_id, child_id, start_date, end_date FROM plans WHERE child_id IN (SELECT unnest($child_ids));

-- name: load_children_of_plans
SELECT DISTINCT child_id FROM plans WHERE plan_id IN (SELECT unnest($plan_ids));

-- The stored team names with their plan counts: a team met again in other case or spacing keeps its stored name
-- (paqa_dash/ingest/teams.py).
-- name: load_team_spellings
SELECT team, count(*) AS plans FROM plans WHERE team IS NOT NULL GROUP BY team ORDER BY plans DESC, team;

-- name: load_runs_with_hash
SELECT run_id, started_at, authorities FROM import_runs WHERE file_hash = $file_hash ORDER BY run_id;

-- name: load_next_run_id
SELECT coalesce(max(run_id), 0) + 1 FROM import_runs;

-- name: load_insert_run
-- Both times from the importer's clock: DuckDB's now() is the transaction's start, before the run's own start.
INSERT INTO import_runs (run_id, started_at, finished_at, kind, source, file_hash, rows_read, rows_loaded,
                         rows_rejected, rows_duplicate, counts_json, authorities)
VALUES ($run_id, $started_at, $finished_at, $kind, $source, $file_hash, $rows_read, $rows_loaded, $rows_rejected,
        $rows_duplicate, $counts_json, $authorities);

-- name: load_replace_rejects
-- A reject of a row imported before (same table, fingerprint and field: the reason's words may have changed with
-- the version) replaces the stored one.  An issue of a whole file or of its header (no fingerprint, no row or the
-- heading row: a file's unknown column, its encoding) replaces the same issue of the same file name, so importing a
-- file again does not list it twice.  A reader's issue about a row with no fingerprint (an Annex A formula cell, a
-- CIN plan without its start date) is kept: another authority's file of the same name may say the same of its row.
DELETE FROM rejects r USING staged n
WHERE r.table_name = n.table_name AND r.field IS NOT DISTINCT FROM n.field
  AND ((n.fingerprint IS NOT NULL AND r.fingerprint = n.fingerprint)
       OR (n.fingerprint IS NULL AND r.fingerprint IS NULL AND r.reason = n.reason AND r.source = n.source
           AND coalesce(n.row_number, 1) = 1 AND r.row_number IS NOT DISTINCT FROM n.row_number));

-- name: load_insert_rejects
INSERT INTO rejects (run_id, table_name, source, row_number, field, reason, fingerprint, record_id)
SELECT run_id, table_name, source, row_number, field, reason, fingerprint, record_id FROM staged;

-- name: load_clear_rejects_of_loaded_records
-- An earlier run's reject of a record this run wrote (inserted or updated, so its run_id is this run's): the row
-- was corrected and imported again, and the reject no longer says what the store holds.
DELETE FROM rejects r
WHERE r.run_id < $run_id AND r.record_id IS NOT NULL AND (
       (r.table_name = 'children' AND r.record_id IN (SELECT child_id FROM children WHERE run_id = $run_id))
    OR (r.table_name = 'plans' AND r.record_id IN (SELECT plan_id FROM plans WHERE run_id = $run_id))
    OR (r.table_name = 'events' AND r.record_id IN (SELECT event_id FROM events WHERE run_id = $run_id))
    OR (r.table_name = 'family_changes'
        AND r.record_id IN (SELECT change_id FROM family_changes WHERE run_id = $run_id))
    OR (r.table_name = 'needs' AND r.record_id IN (SELECT need_id FROM needs WHERE run_id = $run_id))
    OR (r.table_name = 'actions' AND r.record_id IN (SELECT action_id FROM actions WHERE run_id = $run_id)));

-- name: load_replace_warnings
-- As load_replace_rejects, the message compared too (a row may carry warnings of one field with other words).
DELETE FROM warnings w USING staged n
WHERE w.table_name = n.table_name AND w.field IS NOT DISTINCT FROM n.field AND w.message = n.reason
  AND ((n.fingerprint IS NOT NULL AND w.fingerprint = n.fingerprint)
       OR (n.fingerprint IS NULL AND w.fingerprint IS NULL AND w.source = n.source
           AND coalesce(n.row_number, 1) = 1 AND w.row_number IS NOT DISTINCT FROM n.row_number));

-- name: load_insert_warnings
INSERT INTO warnings (run_id, table_name, source, row_number, field, message, fingerprint)
SELECT run_id, table_name, source, row_number, field, reason, fingerprint FROM staged;

-- name: load_clear_children
DELETE FROM children;
-- name: load_clear_plans
DELETE FROM plans;
-- name: load_clear_events
DELETE FROM events;
-- name: load_clear_attendance
DELETE FROM attendance;
-- name: load_clear_family_changes
DELETE FROM family_changes;
-- name: load_clear_needs
DELETE FROM needs;
-- name: load_clear_actions
DELETE FROM actions;
-- name: load_clear_action_matches
DELETE FROM action_matches;
-- name: load_clear_rejects
DELETE FROM rejects;
-- name: load_clear_warnings
DELETE FROM warnings;
-- name: load_clear_import_runs
DELETE FROM import_runs;
-- name: load_clear_action_reviews
DELETE FROM action_reviews;
-- name: load_clear_language_findings
DELETE FROM language_findings;
-- name: load_clear_plan_reviews
DELETE FROM plan_reviews;
-- name: load_clear_plan_sequence
DELETE FROM plan_sequence;
-- name: load_clear_core_group_attendance
DELETE FROM core_group_attendance;

-- name: load_clear_core_group_attendance_by_plan
DELETE FROM core_group_attendance_by_plan;

-- name: load_implausible_plans
-- needs: store_cte_implausible_plans
-- The implausible plans among $plan_ids (an import's plans, now written), for the import's warnings.
-- A semi-join, which DuckDB narrows to those plans before judging them (list_contains judged every plan of the
-- store: 0.16 s a batch at 100,000 plans, 0.04 s this way).
SELECT plan_id, reason FROM s_implausible WHERE plan_id IN (SELECT unnest($plan_ids)) ORDER BY plan_id

-- name: load_upsert_row_returns
-- The newest return date of each written row (`staged`: row_id, as_of, a row id possibly repeated) wins over the
-- stored one; a row not stored yet is added.  The only writer of row_returns (but its clearing), so each
-- (table_name, row_id) has one row without a primary key to keep it so (queries/store/schema.sql).
MERGE INTO row_returns r
USING (SELECT $table_name AS table_name, row_id, max(as_of) AS as_of FROM staged GROUP BY row_id) s
ON r.table_name = s.table_name AND r.row_id = s.row_id
WHEN MATCHED AND s.as_of > r.as_of THEN UPDATE SET as_of = s.as_of
WHEN NOT MATCHED THEN INSERT (table_name, row_id, as_of) VALUES (s.table_name, s.row_id, s.as_of);

-- name: load_row_returns_held
-- Whether row_returns holds a row of $table_name (asked once a run, before it writes one: ingest/load.py _RunReturns).
SELECT EXISTS (SELECT 1 FROM row_returns WHERE table_name = $table_name) AS held;

-- name: load_clear_row_returns
DELETE FROM row_returns;

-- name: load_clear_census_returns
DELETE FROM census_returns;

-- name: load_insert_census_returns
-- The run's census returns (`staged`: source, authority, reference_date), in one statement: a region's decade is
-- some 1,500 files, and a statement each took 1.5 s of a million-plan import's serial end.
INSERT INTO census_returns (run_id, source, authority, reference_date)
SELECT $run_id, source, authority, CAST(reference_date AS DATE) FROM staged;

-- name: load_census_returns_any
-- Whether any import run recorded a census return (none: no return of an import can be held before it).
SELECT EXISTS (SELECT 1 FROM census_returns) AS any_returns;

-- name: load_census_returns_held
-- The census returns of earlier runs of one authority ($authority: NULL for returns naming none) and reference date,
-- with when each was imported: a return of the same year imported again is warned about (ingest/load.py).
SELECT c.source, i.started_at
FROM census_returns c JOIN import_runs i USING (run_id)
WHERE c.reference_date = CAST($reference_date AS DATE) AND c.authority IS NOT DISTINCT FROM $authority
ORDER BY c.run_id, c.source;

-- name: load_census_runs_unrecorded
-- Census import runs with no census_returns rows: runs recorded before the table (ingest/load.py reads the rows'
-- return dates for them, `load_census_year_held_unrecorded`, only while there are any).
SELECT count(*) AS runs
FROM import_runs i
WHERE i.kind LIKE '%cin_xml%' AND NOT EXISTS (SELECT 1 FROM census_returns c WHERE c.run_id = i.run_id);

-- name: load_census_year_held_unrecorded
-- Whether the store holds children of $authority whose newest return is of $reference_date, read before this run
-- writes any: for a store whose earlier runs were imported before census_returns recorded their files.
SELECT count(*) AS held
FROM row_returns r JOIN children c ON c.child_id = r.row_id
WHERE r.table_name = 'children' AND r.as_of = CAST($reference_date AS DATE)
  AND c.authority IS NOT DISTINCT FROM $authority;

-- name: load_clear_judgement_versions
-- the synthetic demo's judgements, when real data replaces the demo (they are about children who do not exist)
DELETE FROM judgement_versions;
-- name: load_clear_judgement_answers
DELETE FROM judgement_answers;
-- name: load_clear_judgement_presence
DELETE FROM judgement_presence;

-- name: load_column_types
-- The stored type of each column of $table_name (the loader casts a batch's values as an INSERT would, to compare
-- them with the stored rows in SQL).
SELECT column_name, data_type FROM duckdb_columns()
WHERE database_name = current_database() AND schema_name = current_schema() AND table_name = $table_name
ORDER BY column_index;

-- name: load_index_scan_limit
-- How many rows of $table_name DuckDB reads through its primary key's index rather than by a scan: the larger of its
-- settings index_scan_max_count and index_scan_percentage of the table's rows (paqa_dash/ingest/load.py `_by_index`).
SELECT greatest(CAST(current_setting('index_scan_max_count') AS BIGINT),
                CAST(CAST(current_setting('index_scan_percentage') AS DOUBLE) * coalesce(max(estimated_size), 0) AS BIGINT))
       AS index_rows
FROM duckdb_tables() WHERE table_name = $table_name AND database_name = current_database() AND NOT temporary
