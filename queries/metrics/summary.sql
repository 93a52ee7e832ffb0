-- The `metrics --json` summary's own blocks (paqa_dash/metrics/summary.py), run behind the plan
-- sequence of queries/metrics/sequence.sql.

-- name: summary_quarterly
m_sq AS (
    SELECT date_trunc('quarter', start_date)::DATE AS quarter, count(*) AS plans_started,
           count(*) FILTER (WHERE is_repeat) AS repeat_plans_started
    FROM started GROUP BY 1
),
m_eq AS (
    SELECT date_trunc('quarter', end_date)::DATE AS quarter, count(*) AS plans_ended,
           count(*) FILTER (WHERE duration_band = 'le_3m') AS ended_le_3m
    FROM ended GROUP BY 1
)
SELECT coalesce(s.quarter, e.quarter) AS quarter,
       coalesce(s.plans_started, 0) AS plans_started,
       coalesce(s.repeat_plans_started, 0) AS repeat_plans_started,
       coalesce(e.plans_ended, 0) AS plans_ended,
       coalesce(e.ended_le_3m, 0) AS ended_le_3m
FROM m_sq s FULL OUTER JOIN m_eq e ON s.quarter = e.quarter
ORDER BY 1

-- name: summary_duplicate_actions
SELECT am.action_id, am.matches_action_id, am.score, am.plan_id, s.child_id, am.matches_plan_id
FROM action_matches am JOIN started s ON s.plan_id = am.plan_id
WHERE am.score >= $similarity_threshold
ORDER BY am.score DESC, am.action_id
