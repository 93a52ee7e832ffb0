-- The plan sequence and the filter (docs/definitions.md).  Blocks named *_cte_* are lists of CTEs (no
-- leading WITH) that paqa_dash.metrics.sqlrun.run() chains in front of a main block (the name
-- "metrics_sequence_cte_seq" stands for metrics_sequence_cte_seq_base + metrics_sequence_cte_scope, giving `seq`, `started` and
-- `ended`, or for the stored or cached `seq` + metrics_sequence_cte_scope), so the plan sequence is written once
-- and every measure reads the same definition.  Blocks read `seq` / `started` / `ended` without
-- declaring them: the runner puts them first.  Parameters: $as_of, $date_from, $date_to,
-- $teams, $categories, $plan_number, $age_bands, $child_ids, $authorities, $scope_* (paqa_dash.filters.Filters.params) and the
-- thresholds ($replan_months, $short_months, $cg_weeks, $first_review_months, $later_review_months), and
-- the fixed plausibility rules ($plausible_from, $adult_years, $longest_plan_years: paqa_dash.settings.Plausibility).

-- name: metrics_sequence_cte_seq_base
-- needs: store_cte_implausible_plans
-- plans as the store stood on $as_of (later starts ignored, later ends = still open), numbered
-- per child: P (previous_plans on the child's earliest plan in the store) + ordinal.  An implausible
-- plan (s_implausible) counts toward the numbers (the child had a plan: the next one is a repeat plan,
-- as DfE counts) and is then left out: it is never a start, an ending, a previous or a next plan, so no
-- gap, re-plan or length is measured from its dates (docs/data_contract.md, "Implausible plans").
m_plans AS (
    SELECT pl.plan_id, pl.child_id, pl.team, pl.start_date,
           CASE WHEN pl.end_date <= $as_of THEN pl.end_date END AS end_date,
           pl.initial_category, pl.latest_category, pl.end_reason, pl.previous_plans,
           c.family_id, c.birth_month, c.authority,
           pl.plan_id IN (SELECT plan_id FROM s_implausible) AS implausible
    FROM plans pl LEFT JOIN children c ON c.child_id = pl.child_id
    WHERE pl.start_date <= $as_of
      -- numbering is per child, so choosing children first leaves their plan numbers unchanged; a semi-join on the
      -- list, not list_contains: 144,000 children (the audit sample as of a date not stored) took half the time
      AND (len($child_ids) = 0 OR pl.child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[]))))
),
m_counted AS (
    SELECT *, coalesce(first_value(previous_plans) OVER w, 0) + row_number() OVER w AS plan_number
    FROM m_plans
    WINDOW w AS (PARTITION BY child_id ORDER BY start_date, plan_id)
),
m_numbered AS (
    SELECT *,
           lag(plan_id) OVER w AS previous_plan_id,
           lag(end_date) OVER w AS previous_end,
           lead(plan_id) OVER w AS next_plan_id,
           lead(start_date) OVER w AS next_start
    FROM m_counted
    WHERE NOT implausible
    WINDOW w AS (PARTITION BY child_id ORDER BY start_date, plan_id)
),
seq AS (
    SELECT plan_id, child_id, team, authority, start_date, end_date, initial_category, latest_category, end_reason,
           family_id, plan_number::INTEGER AS plan_number, plan_number >= 2 AS is_repeat,
           previous_plan_id, previous_end, next_plan_id, next_start,
           datediff('day', previous_end, start_date) AS gap_days,
           (plan_number >= 2 AND previous_end IS NOT NULL
              AND CAST(previous_end + to_months($replan_months) AS DATE) >= start_date) AS repeat_within_window,
           CASE WHEN end_date IS NULL THEN NULL
                WHEN end_date <= CAST(start_date + to_months(3) AS DATE) THEN 'le_3m'
                WHEN end_date <= CAST(start_date + to_months(6) AS DATE) THEN '3_6m'
                WHEN end_date < CAST(start_date + to_months(12) AS DATE) THEN '6_12m'
                WHEN end_date < CAST(start_date + to_months(24) AS DATE) THEN '1_2y'
                ELSE 'ge_2y' END AS duration_band,
           CASE WHEN birth_month IS NULL THEN NULL
                WHEN birth_month > start_date THEN 'unborn'
                WHEN date_sub('year', birth_month, start_date) < 5 THEN '0-4'
                WHEN date_sub('year', birth_month, start_date) < 10 THEN '5-9'
                WHEN date_sub('year', birth_month, start_date) < 16 THEN '10-15'
                ELSE '16+' END AS age_band
    FROM m_numbered
)

-- name: metrics_sequence_cte_seq_cached
-- the same `seq`, read from a temp table that sqlrun.cached_sequence materialises once per batch
seq AS (SELECT * FROM metrics_seq_cache)

-- name: metrics_sequence_seq_all
-- needs: metrics_sequence_cte_seq_base
SELECT * FROM seq

-- name: metrics_sequence_cte_chosen
-- the plans of the children the filter and the user's scope choose: those of $child_ids (none named: every child's),
-- and for an auditor (paqa_dash/scope.py) the children with a repeat plan in their teams and authorities (the
-- subquery tests $scope_repeat_only too, so for anyone else it is empty: not a join of every plan per query).
-- When neither applies, the resolver reads metrics_sequence_cte_every_child in its place (registry.EVERY_CHILD).
m_chosen AS (
    SELECT * FROM seq
    WHERE (len($child_ids) = 0 OR child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[]))))
      AND (NOT $scope_repeat_only OR child_id IN (
            SELECT r.child_id FROM seq r
            WHERE $scope_repeat_only AND r.is_repeat AND ($scope_all_teams OR list_contains($scope_teams, r.team))
              AND ($scope_all_authorities OR list_contains($scope_authorities, r.authority))))
)

-- name: metrics_sequence_cte_every_child
-- metrics_sequence_cte_chosen when no child is named and the scope is not an auditor's: every plan, the same rows.
-- Why a block of its own: DuckDB cannot tell from a parameter that the child tests keep every plan, so it read each
-- plan's child and tested it against the empty list in every query (a semi-join of every plan, and a string column
-- read that most queries never need): 0.02 to 0.1 CPU s a query at a million plans, four to six queries a page
m_chosen AS (SELECT * FROM seq)

-- name: metrics_sequence_cte_scope
-- needs: metrics_sequence_cte_chosen
-- the filter: plans in scope (teams, authorities, categories, plan number, age band) of the children chosen
-- (metrics_sequence_cte_chosen), started / ended in the period
m_in_scope AS (
    SELECT * FROM m_chosen
    WHERE (len($teams) = 0 OR list_contains($teams, team))
      AND (len($categories) = 0 OR list_contains($categories, initial_category))
      AND ($plan_number = 'all' OR (($plan_number = 'repeat') = is_repeat))
      AND (len($age_bands) = 0 OR list_contains($age_bands, age_band))
      AND (len($authorities) = 0 OR list_contains($authorities, authority))
      -- the user's scope (paqa_dash/scope.py): their teams and authorities (an auditor's children: m_chosen)
      AND ($scope_all_teams OR list_contains($scope_teams, team))
      AND ($scope_all_authorities OR list_contains($scope_authorities, authority))
),
-- the period, written once: a plan started in it, ended in it, or either (each plan once: one pass over m_in_scope,
-- where a UNION of `started` and `ended` de-duplicated a million rows; coverage_by_year_team)
m_period AS (
    SELECT *,
           ($date_from IS NULL OR start_date >= $date_from) AND ($date_to IS NULL OR start_date <= $date_to) AS m_started_in,
           end_date IS NOT NULL
             AND ($date_from IS NULL OR end_date >= $date_from) AND ($date_to IS NULL OR end_date <= $date_to) AS m_ended_in
    FROM m_in_scope
),
started AS (
    SELECT * EXCLUDE (m_started_in, m_ended_in) FROM m_period WHERE m_started_in
),
ended AS (
    SELECT * EXCLUDE (m_started_in, m_ended_in) FROM m_period WHERE m_ended_in
),
started_or_ended AS (
    SELECT * EXCLUDE (m_started_in, m_ended_in) FROM m_period WHERE m_started_in OR m_ended_in
)

-- name: metrics_sequence_plan_sequence
SELECT plan_id, child_id, team, start_date, end_date, initial_category, plan_number, is_repeat,
       previous_plan_id, previous_end, gap_days, repeat_within_window, duration_band, age_band,
       next_plan_id, next_start
FROM seq ORDER BY child_id, start_date

-- name: metrics_sequence_started_plans
SELECT plan_id, child_id, team, start_date, end_date, initial_category, plan_number, is_repeat,
       previous_plan_id, previous_end, gap_days, repeat_within_window, duration_band, age_band
FROM started ORDER BY start_date, plan_id

-- name: metrics_sequence_start_counts
SELECT count(*) AS plans_started,
       count(*) FILTER (WHERE is_repeat) AS repeat_plans_started,
       count(*) FILTER (WHERE repeat_within_window) AS repeat_within_window,
       count(*) FILTER (WHERE is_repeat AND gap_days IS NOT NULL) AS repeat_plans_dated,
       median(gap_days) FILTER (WHERE is_repeat) AS median_gap_days
FROM started

-- name: metrics_sequence_end_counts
SELECT count(*) AS plans_ended,
       count(*) FILTER (WHERE duration_band = 'le_3m') AS le_3m,
       count(*) FILTER (WHERE duration_band = '3_6m') AS "3_6m",
       count(*) FILTER (WHERE duration_band = '6_12m') AS "6_12m",
       count(*) FILTER (WHERE duration_band = '1_2y') AS "1_2y",
       count(*) FILTER (WHERE duration_band = 'ge_2y') AS ge_2y
FROM ended
