-- Data quality page: import history, rejects and warnings, rows per table.
-- Filters: $table / $reason / $source are NULL for "all"; $limit caps the rows shown on screen.

-- name: data_quality_import_runs
SELECT run_id, started_at, finished_at, kind, source, authorities, file_hash, rows_read, rows_loaded, rows_rejected,
       rows_duplicate, counts_json
FROM import_runs
ORDER BY run_id DESC;

-- name: data_quality_table_counts
SELECT 'children' AS table_name, count(*) AS rows FROM children
UNION ALL SELECT 'plans', count(*) FROM plans
UNION ALL SELECT 'events', count(*) FROM events
UNION ALL SELECT 'attendance', count(*) FROM attendance
UNION ALL SELECT 'family_changes', count(*) FROM family_changes
UNION ALL SELECT 'needs', count(*) FROM needs
UNION ALL SELECT 'actions', count(*) FROM actions
UNION ALL SELECT 'action_matches', count(*) FROM action_matches
UNION ALL SELECT 'action_reviews', count(*) FROM action_reviews
UNION ALL SELECT 'language_findings', count(*) FROM language_findings
UNION ALL SELECT 'plan_reviews', count(*) FROM plan_reviews
UNION ALL SELECT 'rejects', count(*) FROM rejects
UNION ALL SELECT 'warnings', count(*) FROM warnings;

-- name: data_quality_reject_options
SELECT 'table' AS kind, table_name AS value, count(*) AS n FROM rejects GROUP BY table_name
UNION ALL SELECT 'source', source, count(*) FROM rejects GROUP BY source
UNION ALL SELECT 'reason', reason, count(*) FROM rejects GROUP BY reason
ORDER BY kind, n DESC, value
LIMIT 3000;

-- name: data_quality_reject_reasons
SELECT table_name, reason, count(*) AS n
FROM rejects
WHERE ($table IS NULL OR table_name = $table)
  AND ($reason IS NULL OR reason = $reason)
  AND ($source IS NULL OR source = $source)
GROUP BY table_name, reason
ORDER BY n DESC, table_name, reason;

-- name: data_quality_rejects
SELECT run_id, table_name, source, row_number, field, reason
FROM rejects
WHERE ($table IS NULL OR table_name = $table)
  AND ($reason IS NULL OR reason = $reason)
  AND ($source IS NULL OR source = $source)
ORDER BY run_id DESC, table_name, source, row_number
LIMIT $limit;

-- name: data_quality_warnings
SELECT run_id, table_name, source, row_number, field, message
FROM warnings
WHERE ($table IS NULL OR table_name = $table)
  AND ($source IS NULL OR source = $source)
ORDER BY run_id DESC, table_name, source, row_number
LIMIT $limit;

-- name: data_quality_warning_messages
SELECT table_name, message, count(*) AS n
FROM warnings
GROUP BY table_name, message
ORDER BY n DESC, table_name, message;

-- name: data_quality_implausible_plans
-- needs: store_cte_implausible_plans
-- Every implausible plan now in the store (left out of every measure), earliest first.
SELECT plan_id, child_id, start_date, end_date, reason FROM s_implausible ORDER BY start_date, plan_id
