-- The Regional view (paqa_dash/metrics/regional.py): the headline counts of each authority side by side, from
-- the filtered plan sequence (`started`, `ended`), grouped by the child's authority (NULL: not recorded).

-- name: regional_start_counts
SELECT authority, count(*) AS plans_started,
       count(*) FILTER (WHERE is_repeat) AS repeat_plans_started,
       count(*) FILTER (WHERE repeat_within_window) AS repeat_within_window,
       count(*) FILTER (WHERE is_repeat AND gap_days IS NOT NULL) AS gaps,
       median(gap_days) FILTER (WHERE is_repeat) AS median_gap_days
FROM started GROUP BY authority ORDER BY authority

-- name: regional_end_counts
SELECT authority, count(*) AS plans_ended,
       count(*) FILTER (WHERE duration_band = 'le_3m') AS le_3m,
       count(*) FILTER (WHERE duration_band = '3_6m') AS "3_6m",
       count(*) FILTER (WHERE duration_band = '6_12m') AS "6_12m",
       count(*) FILTER (WHERE duration_band = '1_2y') AS "1_2y",
       count(*) FILTER (WHERE duration_band = 'ge_2y') AS ge_2y
FROM ended GROUP BY authority ORDER BY authority
