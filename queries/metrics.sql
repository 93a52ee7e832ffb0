-- Metrics (SPEC 7).  Blocks named metrics_cte_* are lists of CTEs (no leading WITH) that
-- paqa_dash.metrics.sqlrun.run() chains in front of a main block (the name "metrics_cte_seq" stands
-- for metrics_cte_seq_base + metrics_cte_scope, giving `seq`, `started` and `ended`), so the plan sequence is written
-- once and every measure reads the same definition.  Parameters: $as_of, $date_from, $date_to,
-- $teams, $categories, $plan_number, $age_bands, $child_ids (paqa_dash.metrics.filters.Filters.params) and the
-- thresholds ($replan_months, $short_months, $cg_weeks, $first_review_months, $later_review_months).

-- name: metrics_cte_seq_base
-- 7.1: plans as the store stood on $as_of (later starts ignored, later ends = still open), numbered
-- per child: P (previous_plans on the child's earliest plan in the store) + ordinal.
m_plans AS (
    SELECT pl.plan_id, pl.child_id, pl.team, pl.start_date,
           CASE WHEN pl.end_date <= $as_of THEN pl.end_date END AS end_date,
           pl.initial_category, pl.latest_category, pl.end_reason, pl.previous_plans,
           c.family_id, c.birth_month
    FROM plans pl LEFT JOIN children c ON c.child_id = pl.child_id
    WHERE pl.start_date <= $as_of
      -- numbering is per child, so choosing children first leaves their plan numbers unchanged
      AND (len($child_ids) = 0 OR list_contains($child_ids, pl.child_id))
),
m_numbered AS (
    SELECT *,
           coalesce(first_value(previous_plans) OVER w, 0) + row_number() OVER w AS plan_number,
           lag(plan_id) OVER w AS previous_plan_id,
           lag(end_date) OVER w AS previous_end,
           lead(plan_id) OVER w AS next_plan_id,
           lead(start_date) OVER w AS next_start
    FROM m_plans
    WINDOW w AS (PARTITION BY child_id ORDER BY start_date, plan_id)
),
seq AS (
    SELECT plan_id, child_id, team, start_date, end_date, initial_category, latest_category, end_reason,
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

-- name: metrics_cte_seq_cached
-- the same `seq`, read from a temp table that summary.compute materialises once per call
seq AS (SELECT * FROM metrics_seq_cache)

-- name: metrics_seq_all
-- needs: metrics_cte_seq_base
SELECT * FROM seq

-- name: metrics_cte_scope
-- the filter: plans in scope (teams, categories, plan number, age band), started / ended in the period
m_in_scope AS (
    SELECT * FROM seq
    WHERE (len($teams) = 0 OR list_contains($teams, team))
      AND (len($categories) = 0 OR list_contains($categories, initial_category))
      AND ($plan_number = 'all' OR (($plan_number = 'repeat') = is_repeat))
      AND (len($age_bands) = 0 OR list_contains($age_bands, age_band))
      AND (len($child_ids) = 0 OR list_contains($child_ids, child_id))
),
started AS (
    SELECT * FROM m_in_scope
    WHERE ($date_from IS NULL OR start_date >= $date_from) AND ($date_to IS NULL OR start_date <= $date_to)
),
ended AS (
    SELECT * FROM m_in_scope
    WHERE end_date IS NOT NULL
      AND ($date_from IS NULL OR end_date >= $date_from) AND ($date_to IS NULL OR end_date <= $date_to)
)

-- name: metrics_plan_sequence
SELECT plan_id, child_id, team, start_date, end_date, initial_category, plan_number, is_repeat,
       previous_plan_id, previous_end, gap_days, repeat_within_window, duration_band, age_band,
       next_plan_id, next_start
FROM seq ORDER BY child_id, start_date

-- name: metrics_started_plans
SELECT plan_id, child_id, team, start_date, end_date, initial_category, plan_number, is_repeat,
       previous_plan_id, previous_end, gap_days, repeat_within_window, duration_band, age_band
FROM started ORDER BY start_date, plan_id

-- name: metrics_start_counts
SELECT count(*) AS plans_started,
       count(*) FILTER (WHERE is_repeat) AS repeat_plans_started,
       count(*) FILTER (WHERE repeat_within_window) AS repeat_within_window,
       median(gap_days) FILTER (WHERE is_repeat) AS median_gap_days
FROM started

-- name: metrics_end_counts
SELECT count(*) AS plans_ended,
       count(*) FILTER (WHERE duration_band = 'le_3m') AS le_3m,
       count(*) FILTER (WHERE duration_band = '3_6m') AS "3_6m",
       count(*) FILTER (WHERE duration_band = '6_12m') AS "6_12m",
       count(*) FILTER (WHERE duration_band = '1_2y') AS "1_2y",
       count(*) FILTER (WHERE duration_band = 'ge_2y') AS ge_2y
FROM ended

-- name: metrics_quarterly
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

-- name: metrics_cte_ending_facts
-- 7.3, the costly part: for each ended plan in the filter, were actions left open at the end, and was
-- an adult need open at the end with no DONE action addressing it (CTE ending_facts).  Independent of
-- every threshold, so the importer keeps it in derived_ending_facts (paqa_dash/metrics/derived.py).
m_open_actions AS (
    SELECT DISTINCT a.plan_id
    FROM actions a JOIN ended e ON e.plan_id = a.plan_id
    WHERE a.status IN ('OPEN', 'NOT_DONE') OR (a.status = 'DONE' AND a.completed_date > e.end_date)
),
m_adult_open AS (
    SELECT e.plan_id, n.factor, regexp_extract(n.factor, '^([0-9]+)', 1) AS factor_number
    FROM ended e JOIN needs n ON n.child_id = e.child_id
    WHERE upper(n.factor) IN (SELECT factor FROM ref_adult_factors)
      AND n.identified_date <= e.end_date
      AND (n.resolved_date IS NULL OR n.resolved_date > e.end_date)
),
m_addressed AS (
    SELECT DISTINCT a.plan_id, regexp_extract(a.addresses_factor, '^\s*([0-9]+)', 1) AS factor_number
    FROM actions a JOIN ended e ON e.plan_id = a.plan_id
    WHERE a.status = 'DONE' AND (a.completed_date IS NULL OR a.completed_date <= e.end_date)
      AND a.addresses_factor IS NOT NULL
),
m_unaddressed AS (
    SELECT o.plan_id, string_agg(DISTINCT upper(o.factor), ',' ORDER BY upper(o.factor)) AS factors
    FROM m_adult_open o
    LEFT JOIN m_addressed d ON d.plan_id = o.plan_id AND d.factor_number = o.factor_number
    WHERE d.plan_id IS NULL
    GROUP BY o.plan_id
),
ending_facts AS (
    SELECT e.plan_id, oa.plan_id IS NOT NULL AS open_actions, u.plan_id IS NOT NULL AS unaddressed_adult_need,
           u.factors AS open_adult_factors
    FROM ended e
    LEFT JOIN m_open_actions oa ON oa.plan_id = e.plan_id
    LEFT JOIN m_unaddressed u ON u.plan_id = e.plan_id
)

-- name: metrics_cte_endings
-- needs: metrics_cte_ending_facts
-- 7.3: reasons for each ended plan in the filter, and what followed it (CTE ending_flags); reads
-- ending_facts (metrics_cte_ending_facts, inline or stored).
m_flags AS (
    SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.initial_category, e.end_reason,
           e.plan_number, e.duration_band, e.next_plan_id, e.next_start,
           e.end_date <= CAST(e.start_date + to_months($short_months) AS DATE) AS short,
           coalesce(f.open_actions, FALSE) AS open_actions,
           coalesce(f.unaddressed_adult_need, FALSE) AS unaddressed_adult_need,
           f.open_adult_factors
    FROM ended e LEFT JOIN ending_facts f ON f.plan_id = e.plan_id
),
ending_flags AS (
    SELECT *,
           concat_ws(',', CASE WHEN short THEN 'SHORT' END, CASE WHEN open_actions THEN 'OPEN_ACTIONS' END,
                     CASE WHEN unaddressed_adult_need THEN 'UNADDRESSED_ADULT_NEED' END) AS reasons,
           (short OR open_actions OR unaddressed_adult_need)
             AND next_start IS NOT NULL
             AND next_start <= CAST(end_date + to_months($replan_months) AS DATE) AS premature,
           (short OR open_actions OR unaddressed_adult_need) AND next_plan_id IS NULL AS at_risk
    FROM m_flags
)

-- name: metrics_endings
-- needs: metrics_cte_endings
SELECT * FROM ending_flags ORDER BY end_date, plan_id

-- name: metrics_ending_lists
-- needs: metrics_cte_endings
-- only the premature endings and the endings at risk (the JSON lists), so pandas never sees the rest
SELECT plan_id, child_id, reasons, premature, at_risk FROM ending_flags
WHERE premature OR at_risk ORDER BY end_date, plan_id

-- name: metrics_ending_reason_counts
-- needs: metrics_cte_endings
SELECT count(*) AS plans_ended,
       count(*) FILTER (WHERE short) AS short,
       count(*) FILTER (WHERE open_actions) AS open_actions,
       count(*) FILTER (WHERE unaddressed_adult_need) AS unaddressed_adult_need,
       count(*) FILTER (WHERE reasons <> '') AS any_reason,
       count(*) FILTER (WHERE premature) AS premature,
       count(*) FILTER (WHERE at_risk) AS at_risk
FROM ending_flags

-- name: metrics_cte_core_group_meetings
-- 7.5: core group meetings of started plans, from the plan start up to the cutoff (the plan's end or
-- $as_of, whichever is first), and the deadline each one sets for the next: at most $cg_weeks weeks
-- later (cg_intervals, one row per interval deadline with its status).  A deadline on or before the
-- cutoff with no meeting by then is late; one after it is not yet due.
m_cg_plans AS (
    SELECT plan_id, start_date, least(coalesce(end_date, $as_of), $as_of) AS cutoff FROM started
),
m_cg_meetings AS (
    -- two records of one meeting (same day) must not make an interval: rows whose next meeting is
    -- the same day are dropped below instead of a costly DISTINCT
    SELECT p.plan_id, ev.event_date AS met, p.cutoff,
           lead(ev.event_date) OVER w AS next_met, row_number() OVER w AS k
    FROM m_cg_plans p JOIN events ev ON ev.plan_id = p.plan_id
    WHERE ev.event_type = 'CORE_GROUP' AND ev.event_date >= p.start_date AND ev.event_date <= p.cutoff
    WINDOW w AS (PARTITION BY p.plan_id ORDER BY ev.event_date)
),
cg_intervals AS (
    SELECT plan_id, 'interval' AS kind, due, met_on,
           CASE WHEN met_on <= due THEN 'on_time' WHEN due <= cutoff THEN 'late' ELSE 'not_due' END AS status
    FROM (SELECT plan_id, CAST(met + to_days(7 * $cg_weeks) AS DATE) AS due, next_met AS met_on, cutoff
          FROM m_cg_meetings WHERE next_met IS NULL OR next_met > met)
)

-- name: metrics_cte_core_group_facts
-- needs: metrics_cte_core_group_meetings
-- 7.5, the costly part: per started plan, its start and cutoff, the first core group by the cutoff
-- (NULL when none) and the interval deadlines by status.  Written at import as derived_core_group_plans
-- for the store's default as-of date (paqa_dash/metrics/derived.py).
cg_plan_facts AS (
    SELECT p.plan_id, p.start_date, p.cutoff, m.met AS first_met,
           coalesce(i.on_time, 0) AS intervals_on_time, coalesce(i.late, 0) AS intervals_late,
           coalesce(i.not_due, 0) AS intervals_not_due
    FROM m_cg_plans p
    LEFT JOIN m_cg_meetings m ON m.plan_id = p.plan_id AND m.k = 1
    LEFT JOIN (SELECT plan_id, count(*) FILTER (WHERE status = 'on_time') AS on_time,
                      count(*) FILTER (WHERE status = 'late') AS late,
                      count(*) FILTER (WHERE status = 'not_due') AS not_due
               FROM cg_intervals GROUP BY plan_id) i ON i.plan_id = p.plan_id
)

-- name: metrics_cte_core_groups
-- needs: metrics_cte_core_group_meetings, metrics_cte_core_group_facts
-- 7.5: every core group deadline of started plans (cg_deadlines).  The first is due N working days
-- after the start, from the small registered table metrics_workday_due (start date -> start + N
-- working days, numpy busday); later ones come from cg_intervals.
cg_first AS (
    SELECT f.plan_id, 'first' AS kind, w.due, f.first_met AS met_on,
           CASE WHEN f.first_met <= w.due THEN 'on_time' WHEN w.due <= f.cutoff THEN 'late' ELSE 'not_due' END AS status
    FROM cg_plan_facts f
    JOIN (SELECT CAST(start_date AS DATE) AS start_date, CAST(due AS DATE) AS due FROM metrics_workday_due) w
      ON w.start_date = f.start_date
),
cg_deadlines AS (
    SELECT plan_id, kind, due, met_on, status FROM cg_first
    UNION ALL
    SELECT plan_id, kind, due, met_on, status FROM cg_intervals
)

-- name: metrics_core_group_rows
-- needs: metrics_cte_core_groups
SELECT * FROM cg_deadlines ORDER BY plan_id, due

-- name: metrics_core_group_counts
-- needs: metrics_cte_core_groups
-- first deadlines counted over the plans, interval deadlines summed from the per-plan facts
SELECT kind, status, count(*) AS n FROM cg_first GROUP BY kind, status
UNION ALL
SELECT kind, status, n FROM (
    UNPIVOT (SELECT 'interval' AS kind, coalesce(sum(intervals_on_time), 0) AS on_time, coalesce(sum(intervals_late), 0) AS late,
                    coalesce(sum(intervals_not_due), 0) AS not_due FROM cg_plan_facts)
    ON on_time, late, not_due INTO NAME status VALUE n)

-- name: metrics_cte_review_meetings
-- 7.5: review conferences of started plans up to the cutoff, and the deadline each sets for the next:
-- within $later_review_months calendar months (clamped to month end; rv_intervals, with status).
m_rv_plans AS (
    SELECT plan_id, start_date, least(coalesce(end_date, $as_of), $as_of) AS cutoff FROM started
),
m_rv_meetings AS (
    SELECT p.plan_id, ev.event_date AS met, p.cutoff,
           lead(ev.event_date) OVER w AS next_met, row_number() OVER w AS k
    FROM m_rv_plans p JOIN events ev ON ev.plan_id = p.plan_id
    WHERE ev.event_type = 'REVIEW_CONFERENCE' AND ev.event_date >= p.start_date AND ev.event_date <= p.cutoff
    WINDOW w AS (PARTITION BY p.plan_id ORDER BY ev.event_date)
),
rv_intervals AS (
    SELECT plan_id, 'later' AS kind, due, met_on,
           CASE WHEN met_on <= due THEN 'on_time' WHEN due <= cutoff THEN 'late' ELSE 'not_due' END AS status
    FROM (SELECT plan_id, CAST(met + to_months($later_review_months) AS DATE) AS due, next_met AS met_on, cutoff
          FROM m_rv_meetings WHERE next_met IS NULL OR next_met > met)
)

-- name: metrics_cte_review_facts
-- needs: metrics_cte_review_meetings
-- 7.5, the costly part: per started plan, its start and cutoff, the first review by the cutoff (NULL
-- when none) and the later review deadlines by status.  Written at import as derived_review_plans for
-- the store's default as-of date (paqa_dash/metrics/derived.py).
rv_plan_facts AS (
    SELECT p.plan_id, p.start_date, p.cutoff, m.met AS first_met,
           coalesce(i.on_time, 0) AS later_on_time, coalesce(i.late, 0) AS later_late,
           coalesce(i.not_due, 0) AS later_not_due
    FROM m_rv_plans p
    LEFT JOIN m_rv_meetings m ON m.plan_id = p.plan_id AND m.k = 1
    LEFT JOIN (SELECT plan_id, count(*) FILTER (WHERE status = 'on_time') AS on_time,
                      count(*) FILTER (WHERE status = 'late') AS late,
                      count(*) FILTER (WHERE status = 'not_due') AS not_due
               FROM rv_intervals GROUP BY plan_id) i ON i.plan_id = p.plan_id
)

-- name: metrics_cte_reviews
-- needs: metrics_cte_review_meetings, metrics_cte_review_facts
-- 7.5: every review conference deadline of started plans (rv_deadlines): the first within
-- $first_review_months calendar months of the start, later ones from rv_intervals.
rv_first AS (
    SELECT plan_id, 'first' AS kind, due, first_met AS met_on,
           CASE WHEN first_met <= due THEN 'on_time' WHEN due <= cutoff THEN 'late' ELSE 'not_due' END AS status
    FROM (SELECT *, CAST(start_date + to_months($first_review_months) AS DATE) AS due FROM rv_plan_facts)
),
rv_deadlines AS (
    SELECT plan_id, kind, due, met_on, status FROM rv_first
    UNION ALL
    SELECT plan_id, kind, due, met_on, status FROM rv_intervals
)

-- name: metrics_review_rows
-- needs: metrics_cte_reviews
SELECT * FROM rv_deadlines ORDER BY plan_id, due

-- name: metrics_review_counts
-- needs: metrics_cte_reviews
-- first deadlines counted over the plans, later deadlines summed from the per-plan facts
SELECT kind, status, count(*) AS n FROM rv_first GROUP BY kind, status
UNION ALL
SELECT kind, status, n FROM (
    UNPIVOT (SELECT 'later' AS kind, coalesce(sum(later_on_time), 0) AS on_time, coalesce(sum(later_late), 0) AS late,
                    coalesce(sum(later_not_due), 0) AS not_due FROM rv_plan_facts)
    ON on_time, late, not_due INTO NAME status VALUE n)

-- name: metrics_cte_core_group_attendance
-- 7.6: attendance rows of core group meetings of started plans, up to $as_of.  Only invited rows
-- count, so attended / invited stays within 0..1.
m_att AS (
    SELECT ev.event_id, ev.event_date, ev.plan_id, a.agency, a.attended, coalesce(a.contributed, FALSE) AS contributed
    FROM started s
    JOIN events ev ON ev.plan_id = s.plan_id
    JOIN attendance a ON a.event_id = ev.event_id
    WHERE ev.event_type = 'CORE_GROUP' AND ev.event_date <= $as_of AND a.invited
)

-- name: metrics_agency_attendance
-- needs: metrics_cte_core_group_attendance
SELECT agency, count(*) AS invited, count(*) FILTER (WHERE attended) AS attended,
       count(*) FILTER (WHERE contributed) AS contributed
FROM m_att GROUP BY agency ORDER BY agency

-- name: metrics_attendance_by_quarter
-- needs: metrics_cte_core_group_attendance
SELECT date_trunc('quarter', event_date)::DATE AS quarter, agency, count(*) AS invited,
       count(*) FILTER (WHERE attended) AS attended, count(*) FILTER (WHERE contributed) AS contributed
FROM m_att GROUP BY 1, 2 ORDER BY 1, 2

-- name: metrics_cte_challenges
-- 7.6: CHALLENGE and ESCALATION events of started plans: linked by plan_id, or (no plan_id) dated
-- within the plan for the same child.
m_ch AS (
    SELECT ev.event_id, ev.event_type, ev.agency, s.plan_id
    FROM started s JOIN events ev ON ev.plan_id = s.plan_id
    WHERE ev.event_type IN ('CHALLENGE', 'ESCALATION') AND ev.event_date <= $as_of
    UNION ALL
    SELECT ev.event_id, ev.event_type, ev.agency, s.plan_id
    FROM started s JOIN events ev ON ev.child_id = s.child_id
    WHERE ev.plan_id IS NULL AND ev.event_type IN ('CHALLENGE', 'ESCALATION')
      AND ev.event_date >= s.start_date AND ev.event_date <= least(coalesce(s.end_date, $as_of), $as_of)
)

-- name: metrics_challenges
-- needs: metrics_cte_challenges
SELECT agency, event_type, count(DISTINCT event_id) AS events, count(DISTINCT plan_id) AS plans
FROM m_ch GROUP BY agency, event_type ORDER BY agency, event_type

-- name: metrics_challenges_per_plan
-- needs: metrics_cte_challenges
SELECT s.plan_id, s.child_id, s.team,
       count(DISTINCT m.event_id) FILTER (WHERE m.event_type = 'CHALLENGE') AS challenges,
       count(DISTINCT m.event_id) FILTER (WHERE m.event_type = 'ESCALATION') AS escalations
FROM started s LEFT JOIN m_ch m ON m.plan_id = s.plan_id
GROUP BY s.plan_id, s.child_id, s.team ORDER BY s.plan_id

-- name: metrics_challenges_by_team
-- needs: metrics_cte_challenges
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

-- name: metrics_cte_family_changes
-- 7.6: household changes of the child or its family, placed against started plans: during the plan
-- (start..end, or ..$as_of while open) or in the gap before a repeat plan (strictly after the
-- previous plan's end, strictly before this start).  m_fc keeps one row per plan and change that is
-- either (a change linked by child and by family once); counts are of DISTINCT change_id, as a
-- sibling's change is one change.  Filter-free, so the importer keeps it in derived_family_change_links.
m_fc_links AS (
    SELECT s.plan_id, s.child_id, s.start_date, s.end_date, s.previous_end, fc.change_id, fc.change_date
    FROM started s JOIN family_changes fc ON fc.child_id = s.child_id
    WHERE fc.change_date <= $as_of
    UNION ALL
    SELECT s.plan_id, s.child_id, s.start_date, s.end_date, s.previous_end, fc.change_id, fc.change_date
    FROM started s JOIN family_changes fc ON fc.family_id = s.family_id
    WHERE s.family_id IS NOT NULL AND fc.change_date <= $as_of
),
m_fc AS (
    SELECT DISTINCT plan_id, child_id, change_id, during_plan, before_repeat
    FROM (SELECT plan_id, child_id, change_id,
                 change_date >= start_date AND change_date <= coalesce(end_date, $as_of) AS during_plan,
                 previous_end IS NOT NULL AND change_date > previous_end AND change_date < start_date AS before_repeat
          FROM m_fc_links)
    WHERE during_plan OR before_repeat
)

-- name: metrics_family_change_counts
-- needs: metrics_cte_family_changes
SELECT count(DISTINCT change_id) FILTER (WHERE during_plan) AS during_plans,
       count(DISTINCT change_id) FILTER (WHERE before_repeat) AS before_repeat_plans
FROM m_fc

-- name: metrics_family_changes_per_child
-- needs: metrics_cte_family_changes
SELECT s.child_id,
       count(DISTINCT m.change_id) FILTER (WHERE m.during_plan OR m.before_repeat) AS changes,
       bool_or(s.is_repeat) AS has_repeat_plan
FROM started s LEFT JOIN m_fc m ON m.plan_id = s.plan_id
GROUP BY s.child_id

-- name: metrics_cte_family_change_children
-- needs: metrics_cte_family_changes
-- per child with a started plan: household changes during those plans or before them (distinct
-- changes), and whether one of the plans is a repeat plan.  Changes are counted over m_fc alone (a
-- few rows per plan), plans over `started`, so nothing larger than a child count meets in the join.
m_fc_child_changes AS (
    SELECT child_id, count(DISTINCT change_id) AS changes FROM m_fc GROUP BY child_id
),
m_fc_children AS (
    SELECT s.child_id, coalesce(c.changes, 0) AS changes, s.has_repeat_plan
    FROM (SELECT child_id, bool_or(is_repeat) AS has_repeat_plan FROM started GROUP BY child_id) s
    LEFT JOIN m_fc_child_changes c ON c.child_id = s.child_id
)

-- name: metrics_family_change_buckets
-- needs: metrics_cte_family_change_children
-- children by bucket of changes (0, 1, 2, 3+) and whether they had a repeat plan
SELECT CASE WHEN changes >= 3 THEN '3+' ELSE CAST(changes AS VARCHAR) END AS bucket, has_repeat_plan,
       count(*) AS children
FROM m_fc_children GROUP BY ALL ORDER BY ALL

-- name: metrics_family_change_top_children
-- needs: metrics_cte_family_change_children
-- the $limit children with most changes (ties by pseudonym), with the number of children with any
m_fc_top AS (
    SELECT child_id, changes, count(*) OVER () AS children_with_changes
    FROM m_fc_child_changes ORDER BY changes DESC, child_id LIMIT $limit
)
SELECT t.child_id, t.changes, bool_or(s.is_repeat) AS has_repeat_plan, t.children_with_changes
FROM m_fc_top t JOIN started s ON s.child_id = t.child_id
GROUP BY ALL ORDER BY t.changes DESC, t.child_id

-- name: metrics_duplicate_actions
SELECT am.action_id, am.matches_action_id, am.score, am.plan_id, s.child_id, am.matches_plan_id
FROM action_matches am JOIN started s ON s.plan_id = am.plan_id
WHERE am.score >= $similarity_threshold
ORDER BY am.score DESC, am.action_id

-- name: metrics_data_date
-- The latest date the store records anything on: the default "as of" date, so an extract taken in March
-- is not read in November as eight months of missed meetings.
SELECT max(d) AS data_date FROM (
    SELECT max(event_date) AS d FROM events
    UNION ALL SELECT max(start_date) FROM plans
    UNION ALL SELECT max(end_date) FROM plans
    UNION ALL SELECT max(change_date) FROM family_changes
);
