-- One child's multi-agency chronology (child timeline page, audit pack).  Every block takes $child
-- (the child's pseudonym) and returns at most that child's rows, so it stays fast at national scale.

-- name: ui_timeline_child
SELECT child_id, family_id, birth_month, sex, ethnicity, disability
FROM children
WHERE child_id = $child;

-- name: ui_timeline_plans
-- one child's plans, numbered by the metrics' own plan sequence (SPEC 7.1), run behind metrics_cte_seq
SELECT plan_id, child_id, start_date, end_date, initial_category, latest_category, team, end_reason, plan_number
FROM seq
ORDER BY start_date, plan_id;

-- name: ui_timeline_events
SELECT event_id, event_date, event_type, agency, plan_id, detail
FROM events
WHERE child_id = $child
ORDER BY event_date, event_id;

-- name: ui_timeline_attendance
SELECT a.event_id, a.agency, a.invited, a.attended, a.contributed
FROM attendance a
JOIN events e USING (event_id)
WHERE e.child_id = $child
ORDER BY a.event_id, a.agency;

-- name: ui_timeline_needs
SELECT need_id, plan_id, factor, identified_date, resolved_date
FROM needs
WHERE child_id = $child
ORDER BY identified_date, factor, need_id;

-- name: ui_timeline_family_changes
-- Changes recorded against the child or against the child's family (SPEC 7.6).
SELECT fc.change_id, fc.change_date, fc.change_type, fc.detail
FROM family_changes fc
WHERE fc.child_id = $child
   OR (fc.family_id IS NOT NULL
       AND fc.family_id = (SELECT family_id FROM children WHERE child_id = $child))
ORDER BY fc.change_date, fc.change_id;

-- name: ui_timeline_actions
-- Each action of the child's plans, with its best-matching action on an earlier plan (SPEC 7.4).
SELECT a.action_id, a.plan_id, a.action_text, a.owner_agency, a.set_date, a.due_date, a.status,
       a.completed_date, a.addresses_factor,
       m.matches_action_id, m.matches_plan_id, m.score, m.method,
       ma.action_text AS matches_text
FROM actions a
JOIN plans p ON p.plan_id = a.plan_id
LEFT JOIN action_matches m ON m.action_id = a.action_id
LEFT JOIN actions ma ON ma.action_id = m.matches_action_id
WHERE p.child_id = $child
ORDER BY p.start_date, a.set_date NULLS LAST, a.action_id;

-- name: ui_timeline_find_children
-- Pseudonyms starting with what the user typed, children with plans first (the picker's suggestions).
SELECT c.child_id, COUNT(p.plan_id) AS plans
FROM children c
LEFT JOIN plans p ON p.child_id = c.child_id
WHERE c.child_id LIKE $prefix || '%'
GROUP BY c.child_id
ORDER BY plans DESC, c.child_id
LIMIT $limit;
