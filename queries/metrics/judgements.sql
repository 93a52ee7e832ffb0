-- The audit group's recorded judgements (paqa_dash/metrics/judgements.py): read only; written by
-- queries/metrics/record_judgement.sql.

-- name: judgements_tables
-- how many of the judgement tables the store holds (a store made before they existed has none until a save)
SELECT count(*) AS n FROM information_schema.tables WHERE list_contains($tables, table_name);

-- name: judgements_runs
-- the audit runs with judgements, most recently saved first
SELECT audit_run, count(DISTINCT child_id) AS children, max(saved_at) AS last_saved
FROM judgement_versions
GROUP BY audit_run
ORDER BY last_saved DESC, audit_run;

-- name: judgements_versions
-- every saved version of one child's form in one audit run, newest first
SELECT version, saved_at, saved_by, saved_role
FROM judgement_versions
WHERE audit_run = $audit_run AND child_id = $child
ORDER BY version DESC;

-- name: judgements_answers
SELECT question, grade, notes
FROM judgement_answers
WHERE audit_run = $audit_run AND child_id = $child AND version = $version
ORDER BY question;

-- name: judgements_presence
SELECT agency, present
FROM judgement_presence
WHERE audit_run = $audit_run AND child_id = $child AND version = $version
ORDER BY agency;

-- name: judgements_rows
-- one row per question of the latest version of each child's form ($history: of every version), in one audit
-- run or all ($audit_run NULL), with who was present joined into one text
WITH chosen AS (
    SELECT v.*, max(v.version) OVER (PARTITION BY v.audit_run, v.child_id) AS latest
    FROM judgement_versions v
    WHERE $audit_run IS NULL OR v.audit_run = $audit_run
), kept AS (
    SELECT * FROM chosen WHERE $history OR version = latest
), present AS (
    SELECT audit_run, child_id, version, string_agg(agency || ': ' || present, '; ' ORDER BY agency) AS present
    FROM judgement_presence
    GROUP BY audit_run, child_id, version
)
SELECT k.audit_run, k.child_id, k.version, k.version = k.latest AS is_latest, k.saved_at, k.saved_by,
       k.saved_role, a.question, a.grade, a.notes, coalesce(p.present, '') AS present
FROM kept k
JOIN judgement_answers a USING (audit_run, child_id, version)
LEFT JOIN present p USING (audit_run, child_id, version)
ORDER BY k.audit_run, k.child_id, k.version DESC, a.question;

-- name: judgements_children_in_scope
-- of the children in $child_ids, those with a plan the user's scope holds (the filter CTE's $scope_* checks),
-- run behind metrics_sequence_cte_seq
SELECT DISTINCT child_id FROM m_in_scope;

-- name: judgements_child_runs
-- the audit runs with a saved form of one child, with the form's latest version, most recently saved first
SELECT audit_run, max(version) AS version, max(saved_at) AS last_saved
FROM judgement_versions
WHERE child_id = $child
GROUP BY audit_run
ORDER BY last_saved DESC, audit_run;
