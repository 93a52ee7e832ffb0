-- Stored plan-quality reviews (paqa_dash/derive/reviews.py): written at import for the actions an
-- import run inserted or changed ($run_id; NULL = every action), read by the plan quality page, the
-- audit sample and the audit pack.  Lists of ids travel as one list parameter, joined by unnest.

-- name: reviews_actions_of_run
-- The actions to review: those import run $run_id wrote (NULL: every action).
SELECT a.action_id, a.plan_id, a.action_text, a.owner_agency, a.due_date
FROM actions a
WHERE $run_id IS NULL OR a.run_id = $run_id
ORDER BY a.action_id;

-- name: reviews_plans_of_run
-- Plans whose language must be re-read: the plans of the run's actions, and the plan an updated
-- action was stored under before (its reading ease changes too).
SELECT plan_id FROM actions WHERE $run_id IS NULL OR run_id = $run_id
UNION
SELECT r.plan_id FROM action_reviews r JOIN actions a USING (action_id) WHERE $run_id IS NULL OR a.run_id = $run_id;

-- name: reviews_actions_of_plans
SELECT a.action_id, a.plan_id, a.action_text
FROM actions a
WHERE a.plan_id IN (SELECT unnest($plan_ids))
ORDER BY a.plan_id, a.action_id;

-- name: reviews_delete_run_reviews
DELETE FROM action_reviews WHERE $run_id IS NULL OR action_id IN (SELECT action_id FROM actions WHERE run_id = $run_id);

-- name: reviews_delete_run_findings
DELETE FROM language_findings
WHERE $run_id IS NULL OR action_id IN (SELECT action_id FROM actions WHERE run_id = $run_id);

-- name: reviews_delete_plans
DELETE FROM plan_reviews WHERE plan_id IN (SELECT unnest($plan_ids));

-- name: reviews_insert_actions
INSERT INTO action_reviews
SELECT action_id, plan_id, specific, measurable, achievable, time_bound, owner_named, smart, failed, reasons,
       theme, theme_confidence, theme_evidence, deficit_phrases, jargon_terms
FROM new_reviews;

-- name: reviews_insert_findings
INSERT INTO language_findings
SELECT id, "start", "end", phrase, kind, term, suggestion, why, source FROM new_findings;

-- name: reviews_insert_plans
INSERT INTO plan_reviews SELECT plan_id, reading_ease, deficit_phrases, jargon_terms FROM new_plan_reviews;

-- name: reviews_of_actions
SELECT action_id, specific, measurable, achievable, time_bound, owner_named, smart, failed, reasons,
       theme, theme_confidence, theme_evidence
FROM action_reviews
WHERE action_id IN (SELECT unnest($action_ids));

-- name: reviews_findings_of_actions
SELECT action_id AS id, phrase, kind, suggestion, why, source, start_pos AS "start", end_pos AS "end", term
FROM language_findings
WHERE action_id IN (SELECT unnest($action_ids))
ORDER BY action_id, start_pos;

-- name: reviews_of_plans
SELECT plan_id, reading_ease, deficit_phrases, jargon_terms
FROM plan_reviews
WHERE plan_id IN (SELECT unnest($plan_ids));
