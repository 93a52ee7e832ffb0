-- The stored action matches (paqa_dash/derive/matches.py): rewritten for the children an import
-- changed.

-- name: matches_actions_of_children
-- In one order whatever order the rows were stored in (the scoring depends on it: an import read in
-- batches of children stores the same rows in another order than one batch).
SELECT a.action_id, a.plan_id, p.child_id, p.start_date AS plan_start, a.action_text
FROM actions a JOIN plans p USING (plan_id)
WHERE p.child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[])))
ORDER BY p.child_id, p.start_date, a.plan_id, a.action_id;

-- name: matches_delete_matches_of_children
DELETE FROM action_matches
WHERE plan_id IN (SELECT plan_id FROM plans WHERE child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[]))));

-- name: matches_insert_matches
INSERT INTO action_matches SELECT action_id, plan_id, matches_action_id, matches_plan_id, score, method FROM new_matches;
