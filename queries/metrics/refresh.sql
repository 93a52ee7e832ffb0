-- Plan refresh (audit question 7; paqa_dash/metrics/refresh.py; docs/definitions.md, "Plan refresh"), run
-- behind the plan sequence.  For each plan started in the filter whose data records plan updates
-- (coverage_cte_plan_data), every trigger of an update during the plan -- a review conference, a core group
-- meeting, a new concern (an incident or police call-out of the child: ref_concern_groups.new_concern; a
-- household change of the child or its family; a need identified after the plan started) -- and whether a
-- PLAN_UPDATE of the child followed within $update_days days (on the same day counts).  A trigger with no
-- update whose deadline is on or before the cutoff (the plan's end or $as_of) is late; one whose deadline
-- is after it is not yet due.  A review on the plan's last day (the closing review) sets no deadline.

-- name: refresh_cte_cutoffs
-- the started plans, each with its cutoff: its end, or $as_of while open then
m_rf_cutoffs AS (
    SELECT plan_id, child_id, family_id, team, start_date, least(coalesce(end_date, $as_of), $as_of) AS cutoff
    FROM started
)

-- name: refresh_cte_plans
-- needs: coverage_cte_plan_data, refresh_cte_cutoffs
-- the started plans whose data records plan updates
m_rf_plans AS (
    SELECT * FROM m_rf_cutoffs WHERE plan_id IN (SELECT plan_id FROM plan_data WHERE plan_updates)
)

-- name: refresh_cte_trigger_facts
-- needs: refresh_cte_plans
-- rf_facts: each trigger of m_rf_plans (plan_id, trigger, trigger_date; with the plan's child_id, team and cutoff)
-- with the first update on or after it (updated_on), whether it is a meeting (a review or core group; else a new
-- concern) and its quarter: kept with the trigger because working both out again for ten million triggers was half
-- of each read at a million plans (docs/benchmark.md).  No threshold: the deadline is worked out when read
-- (refresh_cte_triggers).  Kept in table derived_refresh_triggers as of the far future and read for any as-of
-- (refresh_cte_trigger_facts_stored says why the rows are the same).
m_rf_updates AS (
    SELECT p.plan_id, ev.event_date AS updated_on
    FROM m_rf_plans p JOIN events ev ON ev.child_id = p.child_id
    WHERE ev.event_type = 'PLAN_UPDATE' AND ev.event_date >= p.start_date AND ev.event_date <= p.cutoff
),
m_rf_raw AS (
    SELECT p.plan_id, CASE ev.event_type WHEN 'REVIEW_CONFERENCE' THEN 'review' ELSE 'core_group' END AS trigger,
           ev.event_date AS trigger_date
    FROM m_rf_plans p JOIN events ev ON ev.child_id = p.child_id
    WHERE ev.event_type IN ('REVIEW_CONFERENCE', 'CORE_GROUP')
      AND ev.event_date >= p.start_date AND ev.event_date < p.cutoff
    UNION
    SELECT p.plan_id, 'incident', ev.event_date
    FROM m_rf_plans p JOIN events ev ON ev.child_id = p.child_id
    JOIN ref_concern_groups r ON r.event_type = ev.event_type AND r.agency IN (ev.agency, '*') AND r.new_concern
    WHERE ev.event_date > p.start_date AND ev.event_date <= p.cutoff
    UNION
    -- a change of the child or of its family: two equi-joins (an OR in one join condition is a nested loop over
    -- every plan and change: minutes at a million plans; docs/benchmark.md), the UNION keeping each date once
    SELECT p.plan_id, 'household_change', fc.change_date
    FROM m_rf_plans p JOIN family_changes fc ON fc.child_id = p.child_id
    WHERE fc.change_date > p.start_date AND fc.change_date <= p.cutoff
    UNION
    SELECT p.plan_id, 'household_change', fc.change_date
    FROM m_rf_plans p JOIN family_changes fc ON fc.family_id = p.family_id
    WHERE p.family_id IS NOT NULL AND fc.change_date > p.start_date AND fc.change_date <= p.cutoff
    UNION
    SELECT p.plan_id, 'new_need', n.identified_date
    FROM m_rf_plans p JOIN needs n ON n.child_id = p.child_id
    WHERE n.identified_date > p.start_date AND n.identified_date <= p.cutoff
),
-- the first update on or after each trigger: the plan's triggers and updates in date order (an update on a
-- trigger's own day after it), each trigger with the earliest update from it on (a subquery per trigger was a join of
-- every trigger to every update of its plan: over 30 million rows at a million plans; docs/benchmark.md)
m_rf_next AS (
    SELECT plan_id, trigger, trigger_date,
           min(updated_on) OVER (PARTITION BY plan_id ORDER BY trigger_date DESC, is_update DESC
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS updated_on
    FROM (SELECT plan_id, trigger, trigger_date, CAST(NULL AS DATE) AS updated_on, FALSE AS is_update FROM m_rf_raw
          UNION ALL
          SELECT plan_id, NULL, updated_on, updated_on, TRUE FROM m_rf_updates)
    QUALIFY NOT is_update
),
rf_facts AS (
    SELECT n.plan_id, p.child_id, p.team, p.cutoff, n.trigger, n.trigger_date, n.updated_on,
           n.trigger IN ('review', 'core_group') AS meeting, CAST(date_trunc('quarter', n.trigger_date) AS DATE) AS quarter
    FROM m_rf_next n JOIN m_rf_plans p ON p.plan_id = n.plan_id
)

-- name: refresh_cte_trigger_facts_stored
-- needs: refresh_cte_cutoffs
-- rf_facts from table derived_refresh_triggers (written as of the far future: every trigger to each plan's end, with
-- the first update on or after it by then), seen as of $as_of.  The same rows as refresh_cte_trigger_facts: a trigger
-- counts by the plan's cutoff as of $as_of (a meeting before it, a concern on or before it), and the first update
-- on or after a trigger by the cutoff is the one stored when that is on or before the cutoff, else there is none (the
-- stored one is the earliest of a larger set of updates, so any earlier one would have been it).  The table holds
-- the triggers of plans whose data records plan updates only (it was written from m_rf_plans, and what a plan's data
-- records does not depend on the as-of date), so the started plans are joined to it without asking plan_data again
-- (that semi-join of every plan was a fifth of each read at a million plans; docs/benchmark.md).
rf_facts AS (
    SELECT t.plan_id, p.child_id, p.team, p.cutoff, t.trigger, t.trigger_date,
           CASE WHEN t.updated_on <= p.cutoff THEN t.updated_on END AS updated_on, t.meeting, t.quarter
    FROM m_rf_cutoffs p JOIN derived_refresh_triggers t ON t.plan_id = p.plan_id
    WHERE CASE WHEN t.meeting THEN t.trigger_date < p.cutoff ELSE t.trigger_date <= p.cutoff END
)

-- name: refresh_trigger_facts_rows
-- needs: refresh_cte_trigger_facts
SELECT plan_id, trigger, trigger_date, updated_on, meeting, quarter FROM rf_facts

-- name: refresh_cte_triggers
-- needs: refresh_cte_trigger_facts
-- the deadline: the trigger's date plus $update_days whole days (the date that adding an interval and casting the
-- timestamp back gave, without a timestamp made and cast for each of ten million triggers at a million plans: a
-- seventh of the team and quarter counts)
rf_triggers AS (
    SELECT plan_id, child_id, team, trigger, meeting, trigger_date, quarter, cutoff,
           trigger_date + CAST($update_days AS INTEGER) AS due, updated_on
    FROM rf_facts
),
-- is_on_time and is_late say the status as flags, which the counts below read (comparing ten million status words
-- was a fifth of a count at a million plans)
m_rf_flags AS (
    SELECT *, coalesce(updated_on <= due, FALSE) AS is_on_time FROM rf_triggers
),
rf_status AS (
    SELECT *, NOT is_on_time AND due <= cutoff AS is_late,
           CASE WHEN is_on_time THEN 'on_time' WHEN due <= cutoff THEN 'late' ELSE 'not_due' END AS status
    FROM m_rf_flags
)

-- name: refresh_trigger_rows
-- needs: refresh_cte_triggers
SELECT plan_id, child_id, team, trigger, trigger_date, due, updated_on, status FROM rf_status
ORDER BY plan_id, trigger_date, trigger

-- name: refresh_counts
-- needs: refresh_cte_triggers
SELECT trigger, status, count(*) AS n FROM rf_status GROUP BY ALL ORDER BY ALL

-- name: refresh_by_team_quarter
-- needs: refresh_cte_triggers
-- per team, quarter of the meeting or concern, and kind (meeting: a review or core group; concern: a new concern),
-- triggers whose deadline has passed, by whether an update followed in time: the page's team and quarter charts
-- are sums of these rows (metrics/refresh.py), so the triggers are read once for both
-- (grouped by the stored flag, the kind named on the few hundred rows after; count_if, not count(*) FILTER: a tenth
-- less of this count at a million plans)
SELECT coalesce(team, '') AS team, quarter, CASE WHEN meeting THEN 'meeting' ELSE 'concern' END AS kind, on_time, late
FROM (SELECT team, quarter, meeting, CAST(count_if(is_on_time) AS BIGINT) AS on_time,
             CAST(count_if(is_late) AS BIGINT) AS late
      FROM rf_status GROUP BY ALL)
ORDER BY ALL

-- name: refresh_late_plans
-- needs: refresh_cte_triggers
-- plans where a new concern had no plan update in time: the most such concerns first, then the most recent; the
-- kinds of concern named for the listed plans only, after the ranking (naming them for every such plan first was a
-- third of the query at a million plans, where 300,000 plans qualify and 500 are listed)
m_rf_late_kinds AS (
    SELECT plan_id, child_id, team, trigger, count(*) AS n, min(trigger_date) AS first_late, max(trigger_date) AS last_late
    FROM rf_status WHERE NOT meeting AND is_late GROUP BY ALL
),
m_rf_late AS (
    SELECT plan_id, child_id, team, CAST(sum(n) AS BIGINT) AS late_concerns, min(first_late) AS first_late,
           max(last_late) AS last_late
    FROM m_rf_late_kinds GROUP BY ALL
),
m_rf_listed AS (
    SELECT *, count(*) OVER () AS plans_listed FROM m_rf_late
    ORDER BY late_concerns DESC, last_late DESC, plan_id LIMIT $limit
)
SELECT l.plan_id, l.child_id, l.team, l.late_concerns, l.first_late, l.last_late,
       string_agg(k.trigger, ',' ORDER BY k.trigger) AS triggers, l.plans_listed
FROM m_rf_listed l JOIN m_rf_late_kinds k ON k.plan_id = l.plan_id
GROUP BY l.plan_id, l.child_id, l.team, l.late_concerns, l.first_late, l.last_late, l.plans_listed
ORDER BY l.late_concerns DESC, l.last_late DESC, l.plan_id
