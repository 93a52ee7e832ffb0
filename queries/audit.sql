-- Audit sample and audit pack (issue 6, items 4-5).  Main blocks named audit_* that read the
-- shared CTE chain of queries/metrics.sql (seq / started / m_fc / m_att) are run through
-- paqa_dash.metrics.sqlrun.run, so "family change before a re-plan" and "core group attendance"
-- keep the one SPEC 7.6 definition.  $children is a list of pseudonyms.

-- name: audit_changes_before_replan
-- Per child: distinct household changes dated in the gap before one of its repeat plans (SPEC 7.6).
SELECT child_id, count(DISTINCT change_id) FILTER (WHERE before_repeat) AS changes_before_replan,
       count(DISTINCT change_id) FILTER (WHERE during_plan) AS changes_during_plans
FROM m_fc
WHERE child_id IN (SELECT unnest($children))
GROUP BY child_id

-- name: audit_attendance_by_child
-- Per child and agency: core group invitations and attendance over all the child's plans.
SELECT s.child_id, m.agency, count(*) AS invited, count(*) FILTER (WHERE m.attended) AS attended,
       count(*) FILTER (WHERE m.contributed) AS contributed
FROM m_att m JOIN started s ON s.plan_id = m.plan_id
WHERE s.child_id IN (SELECT unnest($children))
GROUP BY s.child_id, m.agency
ORDER BY s.child_id, m.agency

-- name: audit_attendance_by_plan
-- One child's core group attendance per plan and agency (the pack's engagement table).
SELECT s.plan_id, s.plan_number, m.agency, count(DISTINCT m.event_id) AS invited,
       count(DISTINCT m.event_id) FILTER (WHERE m.attended) AS attended,
       count(DISTINCT m.event_id) FILTER (WHERE m.contributed) AS contributed
FROM m_att m JOIN started s ON s.plan_id = m.plan_id
WHERE s.child_id = $child
GROUP BY s.plan_id, s.plan_number, m.agency
ORDER BY s.plan_number, m.agency

-- name: audit_core_groups_by_plan
-- One child's core group meetings per plan (attendance rows or not), for "meetings held".
SELECT s.plan_id, count(DISTINCT ev.event_id) AS core_groups
FROM started s JOIN events ev ON ev.plan_id = s.plan_id
WHERE s.child_id = $child AND ev.event_type = 'CORE_GROUP' AND ev.event_date <= $as_of
GROUP BY s.plan_id

-- name: audit_child_actions
-- Actions of the given children's plans (started by $as_of), for the SMART and language reviews.
SELECT a.action_id, a.plan_id, p.child_id, a.action_text, a.owner_agency, a.due_date
FROM actions a JOIN plans p ON p.plan_id = a.plan_id
WHERE p.child_id IN (SELECT unnest($children)) AND p.start_date <= $as_of
ORDER BY p.child_id, a.action_id

-- name: audit_plan_sequence
-- The plan sequence of the filter's children ($child_ids), read through the filter CTE so it narrows
-- the same way whether `seq` is computed inline or read from sqlrun.cached_sequence's temp table.
SELECT plan_id, child_id, start_date, plan_number, repeat_within_window
FROM m_in_scope ORDER BY child_id, start_date, plan_id

-- name: audit_stored_text_flags
-- Per child with actions: how many of its actions (plans started by $as_of) have no stored review,
-- fail SMART, or carry a stored deficit-language finding (the reviews written at import).
WITH acts AS (
    SELECT a.action_id, p.child_id
    FROM actions a JOIN plans p ON p.plan_id = a.plan_id
    WHERE p.child_id IN (SELECT unnest($children)) AND p.start_date <= $as_of
)
SELECT acts.child_id, count(*) AS actions,
       count(*) FILTER (WHERE r.action_id IS NULL) AS unreviewed,
       count(*) FILTER (WHERE NOT r.smart) AS non_smart,
       count(*) FILTER (WHERE acts.action_id IN (SELECT action_id FROM language_findings
                                                 WHERE kind = 'deficit')) AS deficit_actions
FROM acts LEFT JOIN action_reviews r ON r.action_id = acts.action_id
GROUP BY acts.child_id
