-- Writing the audit group's judgements (paqa_dash/metrics/record_judgement.py): inserts only, never an
-- UPDATE or DELETE, so every saved version stays.

-- name: record_judgement_next_version
SELECT coalesce(max(version), 0) + 1 AS version
FROM judgement_versions
WHERE audit_run = $audit_run AND child_id = $child;

-- name: record_judgement_insert_version
INSERT INTO judgement_versions (audit_run, child_id, version, saved_at, saved_by, saved_role)
VALUES ($audit_run, $child, $version, $saved_at, $saved_by, $saved_role);

-- name: record_judgement_insert_answer
INSERT INTO judgement_answers (audit_run, child_id, version, question, grade, notes)
VALUES ($audit_run, $child, $version, $question, $grade, $notes);

-- name: record_judgement_insert_presence
INSERT INTO judgement_presence (audit_run, child_id, version, agency, present)
VALUES ($audit_run, $child, $version, $agency, $present);

-- name: record_judgement_read_versions
SELECT audit_run, child_id, version, saved_at, saved_by, saved_role FROM judgement_versions;
-- name: record_judgement_read_answers
SELECT audit_run, child_id, version, question, grade, notes FROM judgement_answers;
-- name: record_judgement_read_presence
SELECT audit_run, child_id, version, agency, present FROM judgement_presence;

-- name: record_judgement_carry_versions
-- another store's versions (registered as carried_versions), into a new store that holds none
INSERT INTO judgement_versions SELECT audit_run, child_id, version, saved_at, saved_by, saved_role FROM carried_versions;
-- name: record_judgement_carry_answers
INSERT INTO judgement_answers SELECT audit_run, child_id, version, question, grade, notes FROM carried_answers;
-- name: record_judgement_carry_presence
INSERT INTO judgement_presence SELECT audit_run, child_id, version, agency, present FROM carried_presence;
