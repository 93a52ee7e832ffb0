-- Agency engagement and challenge (paqa_dash/metrics/engagement.py), run behind the plan sequence.

-- name: engagement_cte_core_group_attendance
-- attendance rows of core group meetings of started plans, up to $as_of.  Only invited rows
-- count, so attended / invited stays within 0..1.
m_att AS (
    SELECT ev.event_id, ev.event_date, ev.plan_id, a.agency, a.attended, coalesce(a.contributed, FALSE) AS contributed
    FROM started s
    JOIN events ev ON ev.plan_id = s.plan_id
    JOIN attendance a ON a.event_id = ev.event_id
    WHERE ev.event_type = 'CORE_GROUP' AND ev.event_date <= $as_of AND a.invited
)

-- name: engagement_agency_attendance
-- needs: engagement_cte_core_group_attendance
SELECT agency, count(*) AS invited, count(*) FILTER (WHERE attended) AS attended,
       count(*) FILTER (WHERE contributed) AS contributed
FROM m_att GROUP BY agency ORDER BY agency

-- name: engagement_attendance_by_authority
-- needs: engagement_cte_core_group_attendance
-- invited and attended summed for each authority of the filter's plans (the Regional view, one query for every
-- authority; the same sums as engagement_agency_attendance narrowed to one)
SELECT s.authority, count(*) AS invited, count(*) FILTER (WHERE m.attended) AS attended
FROM m_att m JOIN started s ON s.plan_id = m.plan_id GROUP BY s.authority

-- name: engagement_attendance_by_quarter
-- needs: engagement_cte_core_group_attendance
SELECT date_trunc('quarter', event_date)::DATE AS quarter, agency, count(*) AS invited,
       count(*) FILTER (WHERE attended) AS attended, count(*) FILTER (WHERE contributed) AS contributed
FROM m_att GROUP BY 1, 2 ORDER BY 1, 2

-- name: engagement_cte_challenges
-- CHALLENGE and ESCALATION events of started plans: linked by plan_id, or (no plan_id) dated
-- within the plan for the same child.  `event_date` lets the stored rows be read as of an earlier date
-- (derived_agencies_cte_challenges_stored_as_of); `detail`, the note the Challenge page reads each event's topic and
-- resolution from (challenge_cte_events), is carried so that page never looks the events up again (at a million
-- plans that lookup scanned every event: 1.5 to 2 s; docs/benchmark.md).
m_ch AS (
    SELECT ev.event_id, ev.event_type, ev.agency, s.plan_id, ev.event_date, ev.detail
    FROM started s JOIN events ev ON ev.plan_id = s.plan_id
    WHERE ev.event_type IN ('CHALLENGE', 'ESCALATION') AND ev.event_date <= $as_of
    UNION ALL
    SELECT ev.event_id, ev.event_type, ev.agency, s.plan_id, ev.event_date, ev.detail
    FROM started s JOIN events ev ON ev.child_id = s.child_id
    WHERE ev.plan_id IS NULL AND ev.event_type IN ('CHALLENGE', 'ESCALATION')
      AND ev.event_date >= s.start_date AND ev.event_date <= least(coalesce(s.end_date, $as_of), $as_of)
)

-- name: engagement_challenges
-- needs: engagement_cte_challenges
SELECT agency, event_type, count(DISTINCT event_id) AS events, count(DISTINCT plan_id) AS plans
FROM m_ch GROUP BY agency, event_type ORDER BY agency, event_type

-- name: engagement_challenges_per_plan
-- needs: engagement_cte_challenges
SELECT s.plan_id, s.child_id, s.team,
       count(DISTINCT m.event_id) FILTER (WHERE m.event_type = 'CHALLENGE') AS challenges,
       count(DISTINCT m.event_id) FILTER (WHERE m.event_type = 'ESCALATION') AS escalations
FROM started s LEFT JOIN m_ch m ON m.plan_id = s.plan_id
GROUP BY s.plan_id, s.child_id, s.team ORDER BY s.plan_id

-- name: engagement_challenges_by_team
-- needs: engagement_cte_challenges
-- per team: plans started in the filter, those with a challenge / an escalation, and the events
-- (distinct per plan, summed over plans).  m_ch is grouped by plan first, so only plans with an event
-- meet `started` in the join.
m_ch_plan AS (
    SELECT plan_id, count(DISTINCT event_id) FILTER (WHERE event_type = 'CHALLENGE') AS challenges,
           count(DISTINCT event_id) FILTER (WHERE event_type = 'ESCALATION') AS escalations
    FROM m_ch GROUP BY plan_id
)
SELECT s.team, count(*) AS plans,
       count(*) FILTER (WHERE c.challenges > 0) AS plans_with_challenge,
       count(*) FILTER (WHERE c.escalations > 0) AS plans_with_escalation,
       coalesce(sum(c.challenges), 0) AS challenges, coalesce(sum(c.escalations), 0) AS escalations
FROM started s LEFT JOIN m_ch_plan c ON c.plan_id = s.plan_id
GROUP BY s.team ORDER BY s.team NULLS LAST
