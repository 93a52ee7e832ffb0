-- The cohort pages (overview, repeat plans, endings, duplicated actions; paqa_dash/metrics/cohorts.py).
-- Each main block is run by paqa_dash.metrics.sqlrun behind `metrics_sequence_cte_seq` and the blocks it declares
-- it needs, so it reads the one plan-sequence definition (CTEs seq / started / ended) and the shared
-- filter and threshold parameters.

-- name: cohorts_cohort_curve
-- Share of first plans (plan_number 1, started in the filter) re-planned within N months of ending,
-- among those followed up for at least N months by $as_of; grouped by $split.  replanned_before:
-- of the same plans, those re-planned within N-1 months (for the month-N hazard of a Kaplan-Meier curve).
-- Each plan is reduced to two whole-month counts first (end + N months only grows with N, so
-- "followed up N months" is N <= followed and "re-planned within N months" is N >= replan_month); the
-- per-month counts are then sums over a few hundred (group, followed, replan_month) cells, not a
-- cross join of every plan with every month.
u_first AS (
    SELECT CASE $split WHEN 'band' THEN duration_band
                       WHEN 'category' THEN initial_category
                       -- the DfE reporting year the plan started in (ending 31 March: 2024-04-01 -> 2025), as the
                       -- period is chosen in reporting years; a calendar year cut its first and last years in part
                       ELSE CAST(year(start_date) + CASE WHEN month(start_date) >= 4 THEN 1 ELSE 0 END AS VARCHAR)
                  END AS grp,
           end_date, next_start,
           datediff('month', end_date, $as_of) AS m_as_of,
           datediff('month', end_date, next_start) AS m_next
    FROM started
    WHERE NOT is_repeat AND end_date IS NOT NULL
),
u_plan AS (
    -- followed: the largest N with end + N months <= $as_of (end_date <= $as_of, so N >= 0);
    -- replan_month: the smallest N with next_start <= end + N months (NULL: no later plan)
    SELECT grp,
           m_as_of - CASE WHEN CAST(end_date + to_months(m_as_of) AS DATE) > $as_of THEN 1 ELSE 0 END AS followed,
           CASE WHEN next_start IS NULL THEN NULL
                WHEN next_start <= end_date THEN 0
                ELSE m_next + CASE WHEN CAST(end_date + to_months(m_next) AS DATE) < next_start THEN 1 ELSE 0 END
           END AS replan_month
    FROM u_first
),
u_cells AS (
    SELECT grp, least(followed, $max_months) AS followed, least(replan_month, $max_months + 1) AS replan_month,
           count(*) AS plans
    FROM u_plan GROUP BY ALL
),
u_months AS (SELECT CAST(range AS INTEGER) AS months FROM range(0, $max_months + 1))
SELECT grp, months,
       coalesce(sum(plans) FILTER (WHERE followed >= months), 0) AS followed_up,
       coalesce(sum(plans) FILTER (WHERE followed >= months AND replan_month <= months), 0) AS replanned,
       coalesce(sum(plans) FILTER (WHERE followed >= months AND months > 0 AND replan_month <= months - 1), 0)
           AS replanned_before
FROM u_cells CROSS JOIN u_months
GROUP BY grp, months
ORDER BY grp, months

-- name: cohorts_gap_months
-- Repeat plans started in the filter by whole months since the previous plan ended (capped at 60).
SELECT least(CAST(floor(gap_days / 30.4375) AS INTEGER), 60) AS gap_month, count(*) AS plans
FROM started
WHERE is_repeat AND gap_days IS NOT NULL
GROUP BY 1
ORDER BY 1

-- name: cohorts_repeat_by_team
SELECT coalesce(team, '(no team)') AS team,
       count(*) AS plans_started,
       count(*) FILTER (WHERE is_repeat) AS repeat_plans,
       count(*) FILTER (WHERE repeat_within_window) AS repeat_within_window,
       -- repeat plans whose previous plan's end is in the store: with none, the count above is not known
       -- (metrics/sequence.known_window)
       count(*) FILTER (WHERE is_repeat AND gap_days IS NOT NULL) AS dated_repeats
FROM started
GROUP BY 1
ORDER BY plans_started DESC, team

-- name: cohorts_dup_plans
-- needs: cohorts_cte_dup_counts
-- Each repeat plan started in the filter: its actions and how many repeat an earlier plan's action
-- (dup_counts: cohorts_cte_dup_counts, or its derived table).
SELECT s.plan_id, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date, s.plan_number,
       CAST(date_trunc('quarter', s.start_date) AS DATE) AS quarter,
       c.actions, c.duplicated
FROM started s JOIN dup_counts c ON c.plan_id = s.plan_id
ORDER BY s.start_date, s.plan_id

-- name: cohorts_dup_pairs
-- The duplicated actions themselves (best match on an earlier plan), most similar first: the top $limit
-- matches, without their words or the earlier plan's start (paqa_dash.metrics.by_key reads those by key).
SELECT m.score, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date AS plan_start, s.plan_number,
       m.action_id, m.matches_action_id, m.plan_id, m.matches_plan_id
FROM action_matches m
JOIN started s ON s.plan_id = m.plan_id
WHERE m.score >= $similarity_threshold
ORDER BY m.score DESC, m.action_id
LIMIT $limit

-- name: cohorts_pathways
-- needs: endings_cte_ending_flags
-- First plans ended in the filter (the caller sets plan_number = first), counted by duration band,
-- reason list and what followed within the re-plan window; reads ending_flags (endings_cte_ending_flags).
SELECT duration_band, reasons,
       CASE WHEN next_start IS NOT NULL AND next_start <= CAST(end_date + to_months($replan_months) AS DATE)
                THEN 'replanned'
            WHEN CAST(end_date + to_months($replan_months) AS DATE) > $as_of THEN 'too_recent'
            ELSE 'not_replanned' END AS outcome,
       count(*) AS plans
FROM ending_flags
GROUP BY ALL

-- name: cohorts_ending_outcomes
-- needs: endings_cte_ending_flags
-- Ended plans in the filter by what followed (premature / at risk / neither) with the number showing
-- each warning sign; reads ending_flags (endings_cte_ending_flags).
SELECT coalesce(premature, FALSE) AS premature, coalesce(at_risk, FALSE) AS at_risk, count(*) AS plans,
       count(*) FILTER (WHERE short) AS short,
       count(*) FILTER (WHERE open_actions) AS open_actions,
       count(*) FILTER (WHERE unaddressed_adult_need) AS unaddressed_adult_need,
       count(*) FILTER (WHERE reasons <> '') AS any_reason
FROM ending_flags
GROUP BY ALL
ORDER BY premature, at_risk

-- name: cohorts_ending_list
-- needs: endings_cte_ending_flags
-- The $limit most recent premature endings ($kind = 'premature'), or the watch list ($kind = 'at_risk'),
-- riskiest first: most warning signs, then the most recent ending.
SELECT plan_id, child_id, team, start_date, end_date, initial_category, end_reason, plan_number, duration_band,
       next_plan_id, next_start, reasons, open_adult_factors, datediff('day', end_date, next_start) AS days_to_next_plan,
       signs, weeks_since_end, looked_after
FROM ending_flags
WHERE CASE $kind WHEN 'premature' THEN premature WHEN 'at_risk' THEN at_risk ELSE FALSE END
ORDER BY CASE WHEN $kind = 'at_risk' THEN signs END DESC NULLS LAST, end_date DESC, plan_id
LIMIT $limit

-- name: cohorts_cte_dup_counts
-- Each repeat plan started in the filter: its actions and how many repeat an earlier plan's action at
-- the similarity threshold (CTE dup_counts).  Independent of the as-of date, so the importer keeps it
-- in derived_dup_counts for the default threshold (paqa_dash/derive/registry.py).
u_rep_plans AS (SELECT plan_id FROM started WHERE is_repeat),
dup_counts AS (
    SELECT r.plan_id, count(a.action_id) AS actions, count(m.action_id) AS duplicated
    FROM u_rep_plans r
    LEFT JOIN actions a ON a.plan_id = r.plan_id
    LEFT JOIN action_matches m ON m.action_id = a.action_id AND m.score >= $similarity_threshold
    GROUP BY r.plan_id
)

-- name: cohorts_dup_summary
-- needs: cohorts_cte_dup_counts
-- Repeat plans started in the filter, their actions and duplicated actions (dup_counts), summed by team,
-- by quarter started, by share band of the plan's actions duplicated (plans with actions only) and
-- overall (`level` says which).
u_plan AS (
    SELECT coalesce(r.team, '(no team)') AS team, CAST(date_trunc('quarter', r.start_date) AS DATE) AS quarter,
           c.actions, c.duplicated,
           -- share duplicated / actions in bands, compared exactly in integers (0.25 = 1 in 4)
           CASE WHEN c.actions = 0 THEN NULL
                WHEN c.duplicated = 0 THEN 0
                WHEN 4 * c.duplicated <= c.actions THEN 1
                WHEN 2 * c.duplicated <= c.actions THEN 2
                WHEN 4 * c.duplicated <= 3 * c.actions THEN 3
                ELSE 4 END AS share_band
    FROM started r JOIN dup_counts c ON c.plan_id = r.plan_id
    WHERE r.is_repeat
)
SELECT CASE WHEN grouping(team) = 0 THEN 'team' WHEN grouping(quarter) = 0 THEN 'quarter'
            WHEN grouping(share_band) = 0 THEN 'band' ELSE 'all' END AS level,
       team, quarter, share_band,
       count(*) AS plans, count(*) FILTER (WHERE duplicated > 0) AS plans_with_duplicates,
       coalesce(sum(actions), 0) AS actions, coalesce(sum(duplicated), 0) AS duplicated
FROM u_plan
GROUP BY GROUPING SETS ((team), (quarter), (share_band), ())
ORDER BY level, team, quarter, share_band
