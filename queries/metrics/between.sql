-- Between plans (audit question 2; paqa_dash/metrics/between.py; docs/definitions.md, "Between plans"), run
-- behind the plan sequence.  The gap of a repeat plan started in the filter is the time after its previous
-- plan's end and up to its start.  Events of the child in the gap are grouped by the registered table
-- ref_concern_groups (paqa_dash/reference/concerns.py): a type it does not name is a concern of group 'other'.
--
-- What is in a plan's gap depends on the plan's own dates and its child's events only, never on the as-of date (a
-- plan started by $as_of has its whole gap, and its previous plan's end, before it), so the gap's events and each
-- plan's facts are written at import (derived_between_events, derived_between_plans: paqa_dash/derive/registry.py)
-- and read for any as-of date; the filter's repeat plans (m_bp_gaps) always come from `started`.

-- name: between_cte_gaps
-- the repeat plans with a gap (previous plan ended before this one started).  Only those whose data records
-- concern events (m_bp_recorded) have events and facts, so every figure is of them: the stored tables hold
-- their rows only, so a read of them never joins what each plan's data holds
m_bp_gaps AS (
    SELECT plan_id, child_id, team, start_date, previous_end, previous_plan_id, plan_number
    FROM started
    WHERE is_repeat AND previous_end IS NOT NULL AND previous_end < start_date
)

-- name: between_cte_recorded
-- needs: between_cte_gaps, coverage_cte_plan_data
-- the repeat plans with a gap whose data records concern events (coverage_cte_plan_data)
m_bp_recorded AS (
    SELECT * FROM m_bp_gaps WHERE plan_id IN (SELECT plan_id FROM plan_data WHERE concern_events)
)

-- name: between_cte_gap_events
-- needs: between_cte_recorded
-- every event of the child in the gap of each plan of m_bp_recorded: concerns strictly before the new plan's
-- start, decision steps (strategy discussion, ICPC) up to and on its start; with the plan's start.  An event its
-- import's data holds as the service's own step (ref_source_not_concerns: a census's CIN plans, closures and
-- pre-proceedings, written as OTHER) is of kind 'service', not a concern
m_bp_service_runs AS (
    SELECT i.run_id, s.event_type FROM import_runs i
    JOIN ref_source_not_concerns s ON list_contains(string_split(i.kind, '+'), s.import_kind)
),
bp_events AS (
    SELECT g.plan_id, ev.event_id, ev.event_date, ev.event_type, ev.agency,
           coalesce(r1.grp, r0.grp, 'other') AS grp,
           CASE WHEN sr.run_id IS NOT NULL THEN 'service' ELSE coalesce(r1.kind, r0.kind, 'concern') END AS kind,
           coalesce(r1.impact, r0.impact, FALSE) AS impact, g.start_date
    FROM m_bp_recorded g JOIN events ev ON ev.child_id = g.child_id
    LEFT JOIN ref_concern_groups r1 ON r1.event_type = ev.event_type AND r1.agency = ev.agency
    LEFT JOIN ref_concern_groups r0 ON r0.event_type = ev.event_type AND r0.agency = '*'
    LEFT JOIN m_bp_service_runs sr ON sr.run_id = ev.run_id AND sr.event_type = ev.event_type
    WHERE ev.event_date > g.previous_end AND ev.event_date <= g.start_date AND ev.event_date <= $as_of
)

-- name: between_gap_events_rows
-- needs: between_cte_gap_events
-- the rows of table derived_between_events: every gap event of every repeat plan of the store (written as of the
-- far future, with no filter)
SELECT plan_id, event_id, event_date, event_type, agency, grp, kind, impact FROM bp_events

-- name: between_cte_gap_events_stored
-- needs: between_cte_gaps
-- between_cte_gap_events from table derived_between_events: the filter's repeat plans' rows (a gap ends on or
-- before the plan's start, so on or before any $as_of the plan is started by), not a join of the filter's plans
-- to every event of their children per call (3 s at a million plans; docs/benchmark.md)
bp_events AS (
    SELECT d.plan_id, d.event_id, d.event_date, d.event_type, d.agency, d.grp, d.kind, d.impact, g.start_date
    FROM m_bp_gaps g JOIN derived_between_events d ON d.plan_id = g.plan_id
)

-- name: between_cte_concerns
-- needs: between_cte_gap_events
-- the concerns of each gap (not the decision steps), strictly before the new plan's start (bp_events carries
-- it: a second join of the gaps' events to the plans took a third of the groups' and months' questions)
bp_concerns AS (
    SELECT * FROM bp_events WHERE kind = 'concern' AND event_date < start_date
)

-- name: between_cte_plan_facts
-- needs: between_cte_concerns, between_cte_recorded
-- per repeat plan with a gap, what its gap's events say: its concerns, the first and last, the decision steps
-- after the first concern (the first strategy discussion and the last ICPC in the gap on or after it; with no
-- concern, the first strategy discussion and the last ICPC of the gap) and the evidence of impact recorded before
-- the decision (impact concerns before the ICPC, or before the plan start when no ICPC is recorded).
m_bp_counts AS (
    SELECT plan_id, count(*) AS concerns, min(event_date) AS first_concern, max(event_date) AS last_concern,
           count(DISTINCT agency) AS agencies
    FROM bp_concerns GROUP BY plan_id
),
m_bp_steps AS (
    SELECT g.plan_id,
           min(e.event_date) FILTER (WHERE e.grp = 'strategy') AS strategy_date,
           max(e.event_date) FILTER (WHERE e.grp = 'icpc') AS icpc_date
    FROM m_bp_recorded g
    LEFT JOIN m_bp_counts c ON c.plan_id = g.plan_id
    JOIN bp_events e ON e.plan_id = g.plan_id
    WHERE e.kind = 'decision' AND (c.first_concern IS NULL OR e.event_date >= c.first_concern)
    GROUP BY g.plan_id
),
bp_plan_facts AS (
    SELECT g.plan_id, coalesce(c.concerns, 0) AS concerns, coalesce(c.agencies, 0) AS agencies,
           c.first_concern, c.last_concern, s.strategy_date, s.icpc_date,
           (SELECT count(*) FROM bp_concerns i
            WHERE i.plan_id = g.plan_id AND i.impact
              AND i.event_date < coalesce(s.icpc_date, g.start_date)) AS impact_events
    FROM m_bp_recorded g
    LEFT JOIN m_bp_counts c ON c.plan_id = g.plan_id
    LEFT JOIN m_bp_steps s ON s.plan_id = g.plan_id
)

-- name: between_plan_facts_rows
-- needs: between_cte_plan_facts
-- the rows of table derived_between_plans: every repeat plan of the store with a gap (written as of the far
-- future, with no filter)
SELECT plan_id, concerns, agencies, first_concern, last_concern, strategy_date, icpc_date, impact_events
FROM bp_plan_facts

-- name: between_cte_plan_facts_stored
-- needs: between_cte_gaps
-- between_cte_plan_facts from table derived_between_plans: the filter's repeat plans' rows, no grouping of the
-- gaps' events per call
bp_plan_facts AS (
    SELECT d.plan_id, d.concerns, d.agencies, d.first_concern, d.last_concern, d.strategy_date, d.icpc_date,
           d.impact_events
    FROM m_bp_gaps g JOIN derived_between_plans d ON d.plan_id = g.plan_id
)

-- name: between_cte_plans
-- needs: between_cte_gaps, between_cte_plan_facts
-- per repeat plan with a gap: its facts (between_cte_plan_facts), the days from the first concern to each decision
-- step and to the plan, and its band
bp_plans AS (
    SELECT g.plan_id, g.child_id, g.team, g.plan_number, g.previous_plan_id, g.previous_end, g.start_date,
           datediff('day', g.previous_end, g.start_date) AS gap_days,
           f.concerns, f.agencies, f.first_concern, f.last_concern, f.strategy_date, f.icpc_date,
           datediff('day', f.first_concern, f.strategy_date) AS days_to_strategy,
           datediff('day', f.first_concern, f.icpc_date) AS days_to_icpc,
           datediff('day', f.first_concern, g.start_date) AS days_to_plan,
           f.impact_events,
           CASE WHEN f.concerns = 0 THEN 'none' WHEN f.concerns = 1 THEN 'one'
                WHEN f.concerns <= 4 THEN 'few' ELSE 'many' END AS band
    FROM m_bp_gaps g JOIN bp_plan_facts f ON f.plan_id = g.plan_id
)

-- name: between_plan_rows
-- needs: between_cte_plans
SELECT * FROM bp_plans ORDER BY start_date, plan_id

-- name: between_concern_rows
-- needs: between_cte_concerns
-- every concern in a gap (one child's strip, the pack): plan_id, event_id, date, type, agency, group, impact
SELECT plan_id, event_id, event_date, event_type, agency, grp, impact FROM bp_concerns
ORDER BY plan_id, event_date, event_id

-- name: between_bands
-- needs: between_cte_plans
-- repeat plans by how much concern preceded them, with the median days from the first concern to the plan
-- and the plans with evidence of impact before the decision
SELECT band, count(*) AS plans, median(days_to_plan) AS median_days_to_plan,
       count(*) FILTER (WHERE impact_events > 0) AS with_impact
FROM bp_plans GROUP BY band ORDER BY band

-- name: between_months_before
-- needs: between_cte_concerns
-- concerns by month before the new plan (30.4-day months, 12 = a year or more) and agency: escalation shows
-- as concerns crowding the months just before the plan
SELECT least(CAST(floor(datediff('day', event_date, start_date) / 30.4375) AS INTEGER), 12) AS months_before,
       agency, count(*) AS concerns
FROM bp_concerns GROUP BY ALL ORDER BY ALL

-- name: between_by_group
-- needs: between_cte_concerns
-- concerns by group and agency, and the repeat plans with at least one
SELECT grp, agency, count(*) AS concerns, count(DISTINCT plan_id) AS plans
FROM bp_concerns GROUP BY ALL ORDER BY ALL

-- name: between_counts
-- needs: between_cte_plans
SELECT count(*) AS repeat_plans_with_gap,
       count(*) FILTER (WHERE concerns > 0) AS with_concerns,
       coalesce(sum(concerns), 0) AS concerns,
       count(*) FILTER (WHERE impact_events > 0) AS with_impact_before_decision,
       median(days_to_strategy) AS median_days_to_strategy,
       median(days_to_icpc) AS median_days_to_icpc,
       median(days_to_plan) AS median_days_to_plan,
       median(gap_days) AS median_gap_days
FROM bp_plans
