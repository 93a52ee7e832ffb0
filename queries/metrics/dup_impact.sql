-- Impact of duplication (paqa_dash/metrics/dup_impact.py), run behind the plan sequence.

-- name: dup_impact_plans
-- needs: cohorts_cte_dup_counts, coverage_cte_plan_data
-- repeat plans started in the filter with at least one action, split by whether they largely repeat the
-- child's earlier plans (duplicated actions at least $largely_repeated_share of their actions, at the
-- similarity threshold), and what became of them: ended by the as-of date, their length, re-planned again
-- within the window (of those followed up: the window has passed by $as_of), and whether every adult
-- need open during the plan had a done action addressing it (plans with an adult need, where actions say
-- which need they address).
u_imp AS (
    SELECT s.plan_id, s.child_id, s.start_date, s.end_date, s.next_start,
           c.duplicated >= $largely_repeated_share * c.actions AS largely_repeated,
           datediff('day', s.start_date, s.end_date) AS length_days,
           (s.end_date IS NOT NULL AND s.next_start IS NOT NULL
              AND s.next_start <= CAST(s.end_date + to_months($replan_months) AS DATE)) AS replanned,
           (s.end_date IS NOT NULL AND CAST(s.end_date + to_months($replan_months) AS DATE) <= $as_of) AS window_passed
    FROM started s JOIN dup_counts c ON c.plan_id = s.plan_id
    WHERE s.is_repeat AND c.actions > 0
),
u_done AS (
    -- the factor numbers each plan's done actions address, once per plan and number (a join, not a correlated
    -- test per need: that ran the regular expression over the plan's actions once per need)
    SELECT DISTINCT a.plan_id, regexp_extract(a.addresses_factor, '^\s*([0-9]+)', 1) AS factor_number
    FROM actions a SEMI JOIN u_imp i ON i.plan_id = a.plan_id
    WHERE a.status = 'DONE' AND a.addresses_factor IS NOT NULL
),
u_adult AS (
    SELECT i.plan_id, regexp_extract(n.factor, '^([0-9]+)', 1) AS factor_number,
           d.plan_id IS NOT NULL AS addressed
    FROM u_imp i JOIN needs n ON n.child_id = i.child_id
    LEFT JOIN u_done d ON d.plan_id = i.plan_id AND d.factor_number = regexp_extract(n.factor, '^([0-9]+)', 1)
    WHERE upper(n.factor) IN (SELECT factor FROM ref_adult_factors)
      AND n.identified_date <= coalesce(i.end_date, $as_of)
      AND (n.resolved_date IS NULL OR n.resolved_date >= i.start_date)
),
-- only plans whose actions say which need they address (coverage_cte_plan_data), tested once per plan after the
-- grouping, not once per need of every plan before it (docs/benchmark.md)
u_adult_plan AS (
    SELECT u.plan_id, u.all_addressed
    FROM (SELECT plan_id, bool_and(addressed) AS all_addressed FROM u_adult GROUP BY plan_id) u
    JOIN plan_data p ON p.plan_id = u.plan_id
    WHERE p.action_links
)
SELECT i.largely_repeated, count(*) AS plans,
       count(*) FILTER (WHERE i.end_date IS NOT NULL) AS ended,
       median(i.length_days) FILTER (WHERE i.end_date IS NOT NULL) AS median_length_days,
       count(*) FILTER (WHERE i.window_passed) AS followed_up,   -- as challenge_endings: the window over by $as_of
       count(*) FILTER (WHERE i.replanned AND i.window_passed) AS replanned,
       count(u.plan_id) AS with_adult_need,
       count(*) FILTER (WHERE u.all_addressed) AS adult_needs_addressed
FROM u_imp i LEFT JOIN u_adult_plan u ON u.plan_id = i.plan_id
GROUP BY i.largely_repeated ORDER BY i.largely_repeated DESC
