-- The "What works" page (paqa_dash/metrics/works.py; docs/definitions.md, "Restorative practice", "First-order
-- and underlying change", "What works: sustained endings"), run behind the plan sequence: plans that ended in
-- the filter, what their records show, and how long each went without another plan.  The word lists are
-- parameters from paqa_dash/reference/works.py; the kinds of action (text, owner, stored theme) are read in
-- Python (once each, with the theme classifier) and registered back, so only the per-plan facts, the kinds and the
-- counts by team leave here.

-- name: works_cte_plan_events
-- what each ended plan's events evidence: its events are those linked to it, or the child's unlinked events
-- between its start and end, up to $as_of.  Why in three steps: the word patterns are matched once per distinct
-- detail text (matching each of tens of millions of events took a minute at a million plans), only the events
-- that evidence something are joined to the plans, and the adult attendance is read by event before that join
w_details AS MATERIALIZED (
    SELECT detail,
           regexp_matches(detail, $fgc_pattern, 'i') AS fgc,
           regexp_matches(detail, $views_pattern, 'i') AS views,
           regexp_matches(detail, $mi_pattern, 'i') AS mi
    FROM (SELECT DISTINCT detail FROM events WHERE detail <> '')
),
w_adult_events AS (
    SELECT DISTINCT event_id FROM attendance WHERE attended AND list_contains($adult_agencies, agency)
),
w_marked AS (
    -- the events that evidence something, with what: three narrow reads of the events (a detail that matches, an
    -- intervention started, an adult-facing practitioner there), not every event joined to all three; an event in
    -- two of them is in the union twice, which the plan's bool_or reads once
    SELECT ev.plan_id, ev.child_id, ev.event_date, d.fgc, d.views, d.mi,
           FALSE AS intervention, FALSE AS adult_intervention, FALSE AS adult_attended
    FROM events ev JOIN w_details d ON d.detail = ev.detail
    WHERE (d.fgc OR d.views OR d.mi) AND ev.event_date <= $as_of
    UNION ALL
    SELECT plan_id, child_id, event_date, FALSE, FALSE, FALSE,
           TRUE, list_contains($adult_agencies, agency), FALSE
    FROM events WHERE event_type = 'INTERVENTION_START' AND event_date <= $as_of
    UNION ALL
    SELECT ev.plan_id, ev.child_id, ev.event_date, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE
    FROM events ev SEMI JOIN w_adult_events ad ON ad.event_id = ev.event_id
    WHERE ev.event_date <= $as_of
),
w_events AS (
    SELECT e.plan_id, m.fgc, m.views, m.mi, m.intervention, m.adult_intervention, m.adult_attended
    FROM ended e JOIN w_marked m ON m.plan_id = e.plan_id
    UNION ALL
    -- two joins, not one with OR: each is a hash join (an OR condition would compare every pair)
    SELECT e.plan_id, m.fgc, m.views, m.mi, m.intervention, m.adult_intervention, m.adult_attended
    FROM ended e JOIN w_marked m ON m.child_id = e.child_id
    WHERE m.plan_id IS NULL AND m.event_date BETWEEN e.start_date AND e.end_date
)

-- name: works_cte_action_plans
-- needs: works_cte_kinded
-- per ended plan with actions: how many, how many completed (and the class of each of those), and whether any
-- evidences each kind of work
w_action_plans AS (
    SELECT plan_id, count(*) AS actions, count(*) FILTER (WHERE completed) AS completed,
           list(action_class) FILTER (WHERE completed) AS completed_classes,
           bool_or(fgc) AS fgc_action, bool_or(co_produced) AS co_produced_action,
           bool_or(relational) AS relational_action, bool_or(mi) AS mi_action, bool_or(named) AS named_action,
           bool_or(adult_owned) AS adult_owned_action
    FROM w_kinded GROUP BY plan_id
)

-- name: works_plans
-- needs: works_cte_plan_events, works_cte_action_plans
-- one row per ended plan: its outcome (days to the next plan, or followed until $as_of), the event evidence and
-- its actions counted (completed_by_class: the completed actions of each of $action_classes, in that order)
w_flags AS (
    SELECT plan_id, bool_or(fgc) AS fgc_event, bool_or(views) AS views_event,
           bool_or(intervention) AS intervention_event, bool_or(mi) AS mi_event,
           bool_or(adult_intervention) AS adult_intervention, bool_or(adult_attended) AS adult_attended
    FROM w_events GROUP BY plan_id
)
SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.end_reason, e.plan_number,
       e.next_start,
       coalesce(k.kind = 'final', FALSE) AS final_ending,
       datediff('day', e.end_date, coalesce(e.next_start, $as_of)) AS days_followed,
       e.next_start IS NOT NULL AND e.next_start <= CAST(e.end_date + to_months($replan_months) AS DATE)
         AS replanned_in_window,
       CAST(e.end_date + to_months($replan_months) AS DATE) <= $as_of AS window_elapsed,
       coalesce(f.fgc_event, FALSE) AS fgc_event, coalesce(f.views_event, FALSE) AS views_event,
       coalesce(f.intervention_event, FALSE) AS intervention_event, coalesce(f.mi_event, FALSE) AS mi_event,
       coalesce(f.adult_intervention, FALSE) AS adult_intervention,
       coalesce(f.adult_attended, FALSE) AS adult_attended,
       coalesce(a.actions, 0) AS actions, coalesce(a.completed, 0) AS completed,
       list_transform($action_classes, lambda c: len(list_filter(coalesce(a.completed_classes, []), lambda x: x = c)))
         AS completed_by_class,
       coalesce(a.fgc_action, FALSE) AS fgc_action, coalesce(a.co_produced_action, FALSE) AS co_produced_action,
       coalesce(a.relational_action, FALSE) AS relational_action, coalesce(a.mi_action, FALSE) AS mi_action,
       coalesce(a.named_action, FALSE) AS named_action, coalesce(a.adult_owned_action, FALSE) AS adult_owned_action
FROM ended e
LEFT JOIN ref_end_reason_kinds k ON k.end_reason = e.end_reason
LEFT JOIN w_flags f ON f.plan_id = e.plan_id
LEFT JOIN w_action_plans a ON a.plan_id = e.plan_id
ORDER BY e.end_date, e.plan_id

-- name: works_actions_all
-- the actions of each ended plan (kept in a temp table, works_actions_cache, that the blocks below and works_plans
-- read), with
-- the theme stored at import (NULL where the action was not reviewed: the caller classifies those with
-- paqa_dash/text/themes.py) and whether each was completed by the end.  In no order: nothing reads them one by one
SELECT a.plan_id, e.team, a.action_text, a.owner_agency,
       a.status = 'DONE' AND (a.completed_date IS NULL OR a.completed_date <= e.end_date) AS completed,
       r.theme
FROM ended e
JOIN actions a ON a.plan_id = e.plan_id
LEFT JOIN action_reviews r ON r.action_id = a.action_id

-- name: works_action_kinds
-- the kinds of action (text, owner, stored theme) among them: the caller reads each kind's class and evidence
-- once (works_kinds, registered), not each of millions of actions
SELECT DISTINCT action_text, owner_agency, theme FROM works_actions_cache

-- name: works_cte_kinded
-- each action with its kind's class and evidence
w_kinded AS (
    SELECT c.plan_id, c.team, coalesce(c.completed, FALSE) AS completed, k.action_class, k.fgc, k.co_produced,
           k.relational, k.mi, k.named, k.adult_owned
    FROM works_actions_cache c
    JOIN works_kinds k ON k.action_text IS NOT DISTINCT FROM c.action_text
                      AND k.owner_agency IS NOT DISTINCT FROM c.owner_agency AND k.theme IS NOT DISTINCT FROM c.theme
)

-- name: works_action_teams
-- needs: works_cte_kinded
-- per team of the plan (NULL: none recorded) and action class, the actions and those completed
SELECT team, action_class, count(*) AS actions, count(*) FILTER (WHERE completed) AS completed
FROM w_kinded GROUP BY team, action_class
