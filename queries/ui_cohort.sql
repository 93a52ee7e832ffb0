-- UI (cohort pages: overview, repeat plans, endings, duplicated actions).  Each block is a main
-- block run by paqa_dash.metrics.sqlrun behind `metrics_cte_seq`, so it reads the one plan-sequence
-- definition (CTEs seq / started / ended) and the shared filter and threshold parameters.

-- name: ui_cohort_curve
-- Share of first plans (plan_number 1, started in the filter) re-planned within N months of ending,
-- among those followed up for at least N months by $as_of; grouped by $split.  replanned_before:
-- of the same plans, those re-planned within N-1 months (for the month-N hazard of a Kaplan-Meier curve).
u_first AS (
    SELECT end_date, next_start,
           CASE $split WHEN 'band' THEN duration_band
                       WHEN 'category' THEN initial_category
                       ELSE CAST(year(start_date) AS VARCHAR) END AS grp
    FROM started
    WHERE NOT is_repeat AND end_date IS NOT NULL
),
u_months AS (SELECT CAST(range AS INTEGER) AS months FROM range(0, $max_months + 1))
SELECT grp, months,
       count(*) FILTER (WHERE CAST(end_date + to_months(months) AS DATE) <= $as_of) AS followed_up,
       count(*) FILTER (WHERE CAST(end_date + to_months(months) AS DATE) <= $as_of
                          AND next_start IS NOT NULL
                          AND next_start <= CAST(end_date + to_months(months) AS DATE)) AS replanned,
       count(*) FILTER (WHERE CAST(end_date + to_months(months) AS DATE) <= $as_of
                          AND months > 0 AND next_start IS NOT NULL
                          AND next_start <= CAST(end_date + to_months(months - 1) AS DATE)) AS replanned_before
FROM u_first CROSS JOIN u_months
GROUP BY grp, months
ORDER BY grp, months

-- name: ui_gap_months
-- Repeat plans started in the filter by whole months since the previous plan ended (capped at 60).
SELECT least(CAST(floor(gap_days / 30.4375) AS INTEGER), 60) AS gap_month, count(*) AS plans
FROM started
WHERE is_repeat AND gap_days IS NOT NULL
GROUP BY 1
ORDER BY 1

-- name: ui_repeat_by_team
SELECT coalesce(team, '(no team)') AS team,
       count(*) AS plans_started,
       count(*) FILTER (WHERE is_repeat) AS repeat_plans,
       count(*) FILTER (WHERE repeat_within_window) AS repeat_within_window
FROM started
GROUP BY 1
ORDER BY plans_started DESC, team

-- name: ui_dup_plans
-- Each repeat plan started in the filter: its actions and how many repeat an earlier plan's action.
u_rep AS (SELECT plan_id, child_id, team, start_date, plan_number FROM started WHERE is_repeat),
u_counts AS (
    SELECT r.plan_id, count(a.action_id) AS actions, count(m.action_id) AS duplicated
    FROM u_rep r
    LEFT JOIN actions a ON a.plan_id = r.plan_id
    LEFT JOIN action_matches m ON m.action_id = a.action_id AND m.score >= $similarity_threshold
    GROUP BY r.plan_id
)
SELECT r.plan_id, r.child_id, coalesce(r.team, '(no team)') AS team, r.start_date, r.plan_number,
       CAST(date_trunc('quarter', r.start_date) AS DATE) AS quarter,
       c.actions, c.duplicated
FROM u_rep r JOIN u_counts c ON c.plan_id = r.plan_id
ORDER BY r.start_date, r.plan_id

-- name: ui_dup_pairs
-- The duplicated actions themselves (best match on an earlier plan), most similar first.
SELECT m.score, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date AS plan_start,
       s.plan_number, a.action_text, e.action_text AS earlier_action_text, ep.start_date AS earlier_plan_start,
       m.action_id, m.matches_action_id, m.plan_id, m.matches_plan_id
FROM action_matches m
JOIN started s ON s.plan_id = m.plan_id
JOIN actions a ON a.action_id = m.action_id
JOIN actions e ON e.action_id = m.matches_action_id
LEFT JOIN plans ep ON ep.plan_id = m.matches_plan_id
WHERE m.score >= $similarity_threshold
ORDER BY m.score DESC, m.action_id
LIMIT $limit
