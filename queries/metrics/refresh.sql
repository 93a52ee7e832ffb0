-- Plan refresh (audit question 7; paqa_dash/metrics/refresh.py; docs/definitions.md, "Plan refresh"), run
-- behind the plan sequence.  For each plan started in the filter whose data records plan updates
-- (coverage_cte_plan_data), every trigger of an update during the plan -- a review conference, a core group
-- meeting, a new concern (an incident or police call-out of the child: ref_concern_groups.new_concern; a
-- household change of the child or its family; a need identified after the plan started) -- and whether a
-- PLAN_UPDATE of the child followed within $update_days days (on the same day counts).  A trigger with no
-- update whose deadline is on or before the cutoff (the plan's end or $as_of) is late; one whose deadline
-- is after it is not yet due.  A review on the plan's last day (the closing review) sets no deadline.

-- name: refresh_cte_triggers
-- needs: coverage_cte_plan_data
m_rf_plans AS (
    SELECT plan_id, child_id, family_id, team, start_date, least(coalesce(end_date, $as_of), $as_of) AS cutoff
    FROM started WHERE plan_id IN (SELECT plan_id FROM plan_data WHERE plan_updates)
),
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
    SELECT p.plan_id, 'household_change', fc.change_date
    FROM m_rf_plans p JOIN family_changes fc
      ON fc.child_id = p.child_id OR (p.family_id IS NOT NULL AND fc.family_id = p.family_id)
    WHERE fc.change_date > p.start_date AND fc.change_date <= p.cutoff
    UNION
    SELECT p.plan_id, 'new_need', n.identified_date
    FROM m_rf_plans p JOIN needs n ON n.child_id = p.child_id
    WHERE n.identified_date > p.start_date AND n.identified_date <= p.cutoff
),
rf_triggers AS (
    SELECT t.plan_id, p.child_id, p.team, t.trigger, t.trigger_date, p.cutoff,
           CAST(t.trigger_date + to_days($update_days) AS DATE) AS due,
           (SELECT min(u.updated_on) FROM m_rf_updates u
            WHERE u.plan_id = t.plan_id AND u.updated_on >= t.trigger_date) AS updated_on
    FROM m_rf_raw t JOIN m_rf_plans p ON p.plan_id = t.plan_id
),
rf_status AS (
    SELECT *, CASE WHEN updated_on <= due THEN 'on_time' WHEN due <= cutoff THEN 'late' ELSE 'not_due' END AS status,
           trigger IN ('review', 'core_group') AS meeting
    FROM rf_triggers
)

-- name: refresh_trigger_rows
-- needs: refresh_cte_triggers
SELECT plan_id, child_id, team, trigger, trigger_date, due, updated_on, status FROM rf_status
ORDER BY plan_id, trigger_date, trigger

-- name: refresh_counts
-- needs: refresh_cte_triggers
SELECT trigger, status, count(*) AS n FROM rf_status GROUP BY ALL ORDER BY ALL

-- name: refresh_by_team
-- needs: refresh_cte_triggers
-- per team and kind (meeting: a review or core group; concern: a new concern), triggers whose deadline has
-- passed, by whether an update followed in time
SELECT coalesce(team, '') AS team, CASE WHEN meeting THEN 'meeting' ELSE 'concern' END AS kind,
       count(*) FILTER (WHERE status = 'on_time') AS on_time, count(*) FILTER (WHERE status = 'late') AS late
FROM rf_status GROUP BY ALL ORDER BY ALL

-- name: refresh_by_quarter
-- needs: refresh_cte_triggers
SELECT CAST(date_trunc('quarter', trigger_date) AS DATE) AS quarter,
       CASE WHEN meeting THEN 'meeting' ELSE 'concern' END AS kind,
       count(*) FILTER (WHERE status = 'on_time') AS on_time, count(*) FILTER (WHERE status = 'late') AS late
FROM rf_status GROUP BY ALL ORDER BY ALL

-- name: refresh_late_plans
-- needs: refresh_cte_triggers
-- plans where a new concern had no plan update in time: the most such concerns first, then the most recent
m_rf_late AS (
    SELECT plan_id, child_id, team, count(*) AS late_concerns, min(trigger_date) AS first_late,
           max(trigger_date) AS last_late, string_agg(DISTINCT trigger, ',' ORDER BY trigger) AS triggers
    FROM rf_status WHERE NOT meeting AND status = 'late' GROUP BY ALL
)
SELECT *, count(*) OVER () AS plans_listed FROM m_rf_late
ORDER BY late_concerns DESC, last_late DESC, plan_id LIMIT $limit
