-- Challenge and escalation: what followed (paqa_dash/metrics/challenge.py), run behind the plan sequence.
-- Which events count is engagement_cte_challenges (the agencies page's count): CHALLENGE and ESCALATION
-- events of plans started in the filter, linked by plan_id or dated within the plan.

-- name: challenge_cte_events
-- needs: engagement_cte_challenges
-- one row per challenge or escalation and its plan (CTE ch_events; its date and note carried in m_ch), with what
-- the plan did after it: whether the plan ended within $ran_on_months of the event (and whether that is known
-- yet), and whether an ended plan was followed by the child's next plan within the re-plan window (and whether
-- the window has passed).  One row per event and plan without a DISTINCT: m_ch has one row per linked event (an
-- event's own plan) or per plan whose dates hold an unlinked one, and `started` one per plan (a DISTINCT over the
-- notes cost half a second at a million plans).
ch_events AS (
    SELECT m.event_id, m.event_type, m.agency, m.plan_id, s.child_id, s.team, m.event_date, m.detail,
           s.end_date, s.end_reason,
           (s.end_date IS NOT NULL AND s.end_date <= CAST(m.event_date + to_months($ran_on_months) AS DATE)) AS ended_soon,
           (s.end_date IS NOT NULL OR CAST(m.event_date + to_months($ran_on_months) AS DATE) <= $as_of) AS ran_on_known,
           (s.end_date IS NOT NULL AND s.next_start IS NOT NULL
              AND s.next_start <= CAST(s.end_date + to_months($replan_months) AS DATE)) AS replanned,
           (s.end_date IS NOT NULL AND CAST(s.end_date + to_months($replan_months) AS DATE) <= $as_of) AS window_passed
    FROM m_ch m
    JOIN started s ON s.plan_id = m.plan_id
)

-- name: challenge_events
-- needs: challenge_cte_events
-- every event, in date order (the pack and the JSON, which name children)
SELECT * FROM ch_events ORDER BY event_date, event_id

-- name: challenge_event_groups
-- needs: challenge_cte_events
-- the events counted by all that their classification reads (paqa_dash/metrics/challenge.py: the note, through the
-- phrase rules, and what the plan did after), with the agency and kind they are counted by: the page's summary
-- classifies one row per group, not one per event
SELECT agency, event_type, detail, ended_soon, ran_on_known, replanned, window_passed, count(*) AS events
FROM ch_events GROUP BY ALL

-- name: challenge_cte_ending_challenges
-- per plan ended in the filter, the date of the first challenge or escalation around its end (CTE m_ch_end_first;
-- NULL when none): one of the child's, on this plan or on none, dated from $ending_before_months before the end to
-- $ending_after_months after it.  The ending "drew a challenge" as of $as_of exactly when that date is by then, so
-- the rows depend on no as-of date (a plan's end is its own) and the importer keeps the dated ones in
-- derived_ending_challenges (paqa_dash/derive/registry.py), read for any as-of date.
m_ch_end_first AS (
    SELECT e.plan_id,
           (SELECT min(ev.event_date) FROM events ev
            WHERE ev.child_id = e.child_id AND ev.event_type IN ('CHALLENGE', 'ESCALATION')
              AND (ev.plan_id IS NULL OR ev.plan_id = e.plan_id)
              AND ev.event_date >= CAST(e.end_date - to_months($ending_before_months) AS DATE)
              AND ev.event_date <= CAST(e.end_date + to_months($ending_after_months) AS DATE)) AS first_challenge
    FROM ended e
)

-- name: challenge_ending_challenges_rows
-- needs: challenge_cte_ending_challenges
-- the rows of table derived_ending_challenges: only the endings with a challenge around them (a few in ten)
SELECT plan_id, first_challenge FROM m_ch_end_first WHERE first_challenge IS NOT NULL

-- name: challenge_cte_ending_challenges_stored
-- challenge_cte_ending_challenges from table derived_ending_challenges: every plan ended in the filter, with its
-- first challenge's date when it has one (a join of the endings with the dated few, not of every challenge with
-- every ending per call: 0.6 to 1.1 s at a million plans; docs/benchmark.md)
m_ch_end_first AS (
    SELECT e.plan_id, d.first_challenge FROM ended e LEFT JOIN derived_ending_challenges d ON d.plan_id = e.plan_id
)

-- name: challenge_endings
-- needs: challenge_cte_ending_challenges
-- endings in the filter after which a re-plan could follow (not final, not looked after), split by whether
-- the ending drew a challenge or escalation by $as_of (its first one around the end, m_ch_end_first, is dated by
-- then).  Followed up: the window has passed by $as_of, so whether a re-plan followed within it is known either
-- way (counting the re-planned of endings still inside it too would lift the rate: all of a recent period's
-- followed-up endings would be re-planned ones); re-planned: of those, re-planned within the window.
m_ch_end AS (
    SELECT e.plan_id, e.end_reason,
           coalesce(c.first_challenge <= $as_of, FALSE) AS challenged,   -- (challenge_cte_ending_challenges)
           (e.next_start IS NOT NULL AND e.next_start <= CAST(e.end_date + to_months($replan_months) AS DATE)) AS replanned,
           CAST(e.end_date + to_months($replan_months) AS DATE) <= $as_of AS window_passed
    FROM ended e LEFT JOIN ref_end_reason_kinds k ON k.end_reason = e.end_reason
    LEFT JOIN m_ch_end_first c ON c.plan_id = e.plan_id
    WHERE coalesce(k.kind, '') NOT IN ('final', 'looked_after')
)
SELECT challenged, count(*) AS endings,
       count(*) FILTER (WHERE window_passed) AS followed_up,
       count(*) FILTER (WHERE replanned AND window_passed) AS replanned
FROM m_ch_end GROUP BY challenged ORDER BY challenged DESC
