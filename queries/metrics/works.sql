-- The "What works" page (paqa_dash/metrics/works.py; docs/definitions.md, "Restorative practice", "First-order
-- and underlying change", "What works: sustained endings"), run behind the plan sequence: plans that ended in
-- the filter, what their records show, and how long each went without another plan.  The word lists are
-- parameters from paqa_dash/reference/works.py; the action texts are read in Python (one pass over the
-- distinct texts, with the theme classifier), so only the per-plan facts and the actions of ended plans leave here.

-- name: works_cte_plan_events
-- the events of each ended plan: linked to it, or the child's unlinked events between its start and end
w_events AS (
    SELECT e.plan_id, ev.event_id, ev.event_type, ev.agency, coalesce(ev.detail, '') AS detail
    FROM ended e JOIN events ev ON ev.plan_id = e.plan_id
    WHERE ev.event_date <= $as_of
    UNION ALL
    -- two joins, not one with OR: each is a hash join (an OR condition would compare every pair)
    SELECT e.plan_id, ev.event_id, ev.event_type, ev.agency, coalesce(ev.detail, '') AS detail
    FROM ended e JOIN events ev ON ev.child_id = e.child_id
    WHERE ev.plan_id IS NULL AND ev.event_date BETWEEN e.start_date AND e.end_date AND ev.event_date <= $as_of
)

-- name: works_plans
-- needs: works_cte_plan_events
-- one row per ended plan: its outcome (days to the next plan, or followed until $as_of) and the event evidence
w_flags AS (
    SELECT plan_id,
           bool_or(detail <> '' AND regexp_matches(detail, $fgc_pattern, 'i')) AS fgc_event,
           bool_or(detail <> '' AND regexp_matches(detail, $views_pattern, 'i')) AS views_event,
           bool_or(event_type = 'INTERVENTION_START') AS intervention_event,
           bool_or(detail <> '' AND regexp_matches(detail, $mi_pattern, 'i')) AS mi_event,
           bool_or(event_type = 'INTERVENTION_START' AND list_contains($adult_agencies, agency)) AS adult_intervention
    FROM w_events GROUP BY plan_id
),
w_adult AS (
    SELECT DISTINCT w.plan_id
    FROM w_events w JOIN attendance a ON a.event_id = w.event_id
    WHERE a.attended AND list_contains($adult_agencies, a.agency)
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
       ad.plan_id IS NOT NULL AS adult_attended
FROM ended e
LEFT JOIN ref_end_reason_kinds k ON k.end_reason = e.end_reason
LEFT JOIN w_flags f ON f.plan_id = e.plan_id
LEFT JOIN w_adult ad ON ad.plan_id = e.plan_id
ORDER BY e.end_date, e.plan_id

-- name: works_actions
-- the actions of each ended plan, with the theme stored at import (NULL where the action was not reviewed:
-- the caller classifies those with paqa_dash/text/themes.py), and whether each was completed by the end
SELECT a.plan_id, a.action_id, a.action_text, a.owner_agency,
       a.status = 'DONE' AND (a.completed_date IS NULL OR a.completed_date <= e.end_date) AS completed,
       r.theme
FROM ended e
JOIN actions a ON a.plan_id = e.plan_id
LEFT JOIN action_reviews r ON r.action_id = a.action_id
ORDER BY a.plan_id, a.action_id
