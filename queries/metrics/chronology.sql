-- One child's multi-agency chronology (child timeline page, audit pack).  Every block takes $child
-- (the child's pseudonym) and returns at most that child's rows, so it stays fast at national scale.

-- name: chronology_timeline_child
-- authority: the child's DfE LA number (NULL when its source named none); the child is read as of its data date
SELECT child_id, family_id, birth_month, sex, ethnicity, disability, authority
FROM children
WHERE child_id = $child;

-- name: chronology_timeline_plans
-- one child's plans, numbered by the metrics' own plan sequence, run behind metrics_sequence_cte_seq
SELECT plan_id, child_id, start_date, end_date, initial_category, latest_category, team, end_reason, plan_number
FROM seq
ORDER BY start_date, plan_id;

-- name: chronology_timeline_in_scope
-- whether the user's scope holds a plan of the one child in $child_ids (the filter CTE's $scope_* checks),
-- run behind metrics_sequence_cte_seq
SELECT count(*) > 0 AS in_scope FROM m_in_scope;

-- name: chronology_timeline_events
-- what happened: a meeting only scheduled (a due date, no date yet) has not
SELECT event_id, event_date, event_type, agency, plan_id, detail
FROM events
WHERE child_id = $child AND event_date IS NOT NULL
ORDER BY event_date, event_id;

-- name: chronology_timeline_attendance
SELECT a.event_id, a.agency, a.invited, a.attended, a.contributed
FROM attendance a
JOIN events e USING (event_id)
WHERE e.child_id = $child
ORDER BY a.event_id, a.agency;

-- name: chronology_timeline_needs
-- resolution_recorded: whether the need's source records when needs are resolved (the need has a resolved date, or
-- its import run brought any need with one; rows outside an import count as one run).  A CIN census's assessment
-- factors never carry one, so without this every census factor reads "still open" for ever.
SELECT n.need_id, n.plan_id, n.factor, n.identified_date, n.resolved_date,
       n.resolved_date IS NOT NULL
         OR coalesce(n.run_id, -1) IN (SELECT DISTINCT coalesce(run_id, -1) FROM needs
                                       WHERE resolved_date IS NOT NULL) AS resolution_recorded
FROM needs n
WHERE n.child_id = $child
ORDER BY n.identified_date, n.factor, n.need_id;

-- name: chronology_timeline_family_changes
-- Changes recorded against the child or against the child's family (household change).
SELECT fc.change_id, fc.change_date, fc.change_type, fc.detail
FROM family_changes fc
WHERE fc.child_id = $child
   OR (fc.family_id IS NOT NULL
       AND fc.family_id = (SELECT family_id FROM children WHERE child_id = $child))
ORDER BY fc.change_date, fc.change_id;

-- name: chronology_timeline_actions
-- Each action of the child's plans, with its best-matching action on an earlier plan (duplicated actions).
-- The matched action's text is read by key (paqa_dash.metrics.by_key, through the primary key's index): joining
-- `actions` a second time here would scan all of its millions of rows.
SELECT a.action_id, a.plan_id, a.action_text, a.owner_agency, a.set_date, a.due_date, a.status,
       a.completed_date, a.addresses_factor,
       m.matches_action_id, m.matches_plan_id, m.score, m.method
FROM actions a
JOIN plans p ON p.plan_id = a.plan_id
LEFT JOIN action_matches m ON m.action_id = a.action_id
WHERE p.child_id = $child
ORDER BY p.start_date, a.set_date NULLS LAST, a.action_id;

-- name: chronology_timeline_find_children
-- Pseudonyms starting with what the user typed, children with plans first (the picker's suggestions).
SELECT c.child_id, COUNT(p.plan_id) AS plans
FROM children c
LEFT JOIN plans p ON p.child_id = c.child_id
WHERE c.child_id LIKE $prefix || '%'
GROUP BY c.child_id
ORDER BY plans DESC, c.child_id
LIMIT $limit;

-- name: chronology_timeline_cohort
-- Where $child stands among the children of the plans matching the filters (run behind
-- metrics_sequence_cte_seq, which gives `started`), in the order the timeline steps through: most such plans
-- first, then the most recent start, then pseudonym.  One row: the cohort's size, the child's
-- 1-based position (NULL when not in it), its neighbours, and the first $first children.  No sort
-- of the whole cohort: positions are counts of smaller keys and neighbours the nearest keys.
per_child AS (
    SELECT child_id, row(-count(*), -datediff('day', DATE '1970-01-01', max(start_date)), child_id) AS k
    FROM started
    GROUP BY child_id
),
me AS (SELECT any_value(k) AS k FROM per_child WHERE child_id = $child)
SELECT count(*) AS children,
       CASE WHEN (SELECT k FROM me) IS NOT NULL
            THEN 1 + count(*) FILTER (WHERE k < (SELECT k FROM me)) END AS position,
       arg_max(child_id, k) FILTER (WHERE k < (SELECT k FROM me)) AS previous_child,
       arg_min(child_id, k) FILTER (WHERE k > (SELECT k FROM me)) AS next_child,
       coalesce(arg_min(child_id, k, $first), []) AS first_children
FROM per_child;
