-- Timeliness of core groups and review conferences (paqa_dash/metrics/timeliness.py), run behind
-- the plan sequence.

-- name: timeliness_cte_core_group_meetings
-- needs: coverage_cte_plan_data
-- core group meetings of started plans, from the plan start up to the cutoff (the plan's end or
-- $as_of, whichever is first), and the deadline each one sets for the next: at most $cg_weeks weeks
-- later (cg_intervals, one row per interval deadline with its status).  A deadline on or before the
-- cutoff with no meeting by then is late; one after it is not yet due.
m_cg_plans AS (
    -- only plans whose data records core groups (coverage_cte_plan_data): elsewhere none is "missed"
    SELECT plan_id, start_date, least(coalesce(end_date, $as_of), $as_of) AS cutoff, authority FROM started
    WHERE plan_id IN (SELECT plan_id FROM plan_data WHERE core_groups)
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

-- name: timeliness_cte_core_group_facts
-- needs: timeliness_cte_core_group_meetings
-- the costly part: per started plan, its start and cutoff, the first core group by the cutoff
-- (NULL when none) and the interval deadlines by status; and `intervals`, each interval's days to the next
-- meeting (`gap`, NULL when none by the cutoff) and days to the cutoff (`room`), which say its status for any
-- interval W: on time when gap <= 7W, else late when room >= 7W (met + 7W on or before the cutoff), else not
-- due; `interval_weeks`, the interval the counts are for; and the plan's `authority` (from `started`; not
-- written: each stand-in takes it from the `started` it joins), so the Regional view counts by authority with no
-- second join to the plans.  Written at import as derived_core_group_plans (paqa_dash/derive/registry.py), whose
-- stored block counts the statuses from `intervals` when another interval is asked, so any interval reads it.
cg_plan_facts AS (
    SELECT p.plan_id, p.start_date, p.cutoff, m.met AS first_met,
           coalesce(i.on_time, 0) AS intervals_on_time, coalesce(i.late, 0) AS intervals_late,
           coalesce(i.not_due, 0) AS intervals_not_due, $cg_weeks AS interval_weeks, g.intervals, p.authority
    FROM m_cg_plans p
    LEFT JOIN m_cg_meetings m ON m.plan_id = p.plan_id AND m.k = 1
    LEFT JOIN (SELECT plan_id, count(*) FILTER (WHERE status = 'on_time') AS on_time,
                      count(*) FILTER (WHERE status = 'late') AS late,
                      count(*) FILTER (WHERE status = 'not_due') AS not_due
               FROM cg_intervals GROUP BY plan_id) i ON i.plan_id = p.plan_id
    LEFT JOIN (SELECT plan_id, list({'gap': datediff('day', met, next_met), 'room': datediff('day', met, cutoff)}
                                    ORDER BY met) AS intervals
               FROM m_cg_meetings WHERE next_met IS NULL OR next_met > met GROUP BY plan_id) g ON g.plan_id = p.plan_id
)

-- name: timeliness_cte_core_groups
-- needs: timeliness_cte_core_group_meetings, timeliness_cte_core_group_facts
-- every core group deadline of started plans (cg_deadlines).  The first is due N working days
-- after the start, from the small registered table metrics_workday_due (start date -> start + N
-- working days, numpy busday); later ones come from cg_intervals.
-- cg_plan_first: every plan of cg_plan_facts with its first deadline and that deadline's status (NULL for a plan
-- whose start the working-day table does not hold: no first deadline) and its interval counts, so the counts below
-- read the facts once (read twice, as the first deadlines and as the interval sums, the facts were a materialised
-- copy of every plan's intervals: a third of each count at a million plans, docs/benchmark.md)
cg_plan_first AS (
    SELECT f.plan_id, w.due, f.first_met AS met_on,
           CASE WHEN w.start_date IS NULL THEN NULL WHEN f.first_met <= w.due THEN 'on_time'
                WHEN w.due <= f.cutoff THEN 'late' ELSE 'not_due' END AS status,
           f.intervals_on_time, f.intervals_late, f.intervals_not_due, f.authority
    FROM cg_plan_facts f
    LEFT JOIN (SELECT CAST(start_date AS DATE) AS start_date, CAST(due AS DATE) AS due FROM metrics_workday_due) w
      ON w.start_date = f.start_date
),
cg_first AS (
    SELECT plan_id, 'first' AS kind, due, met_on, status, authority FROM cg_plan_first WHERE status IS NOT NULL
),
cg_deadlines AS (
    SELECT plan_id, kind, due, met_on, status FROM cg_first
    UNION ALL
    SELECT plan_id, kind, due, met_on, status FROM cg_intervals
)

-- name: timeliness_core_group_rows
-- needs: timeliness_cte_core_groups
SELECT * FROM cg_deadlines ORDER BY plan_id, due

-- name: timeliness_core_group_counts
-- needs: timeliness_cte_core_groups
-- first deadlines counted over the plans (a status counted by none is no row), interval deadlines summed from the
-- per-plan facts: one pass over cg_plan_first (its few sums, then a row per kind and status)
m_cg_sums AS (
    SELECT count(*) FILTER (WHERE status = 'on_time') AS first_on_time,
           count(*) FILTER (WHERE status = 'late') AS first_late,
           count(*) FILTER (WHERE status = 'not_due') AS first_not_due,
           coalesce(sum(intervals_on_time), 0) AS on_time, coalesce(sum(intervals_late), 0) AS late,
           coalesce(sum(intervals_not_due), 0) AS not_due
    FROM cg_plan_first
)
SELECT kind, status, n FROM (
    UNPIVOT (SELECT 'first' AS kind, first_on_time AS on_time, first_late AS late, first_not_due AS not_due FROM m_cg_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)
WHERE n > 0
UNION ALL
SELECT kind, status, n FROM (
    UNPIVOT (SELECT 'interval' AS kind, on_time, late, not_due FROM m_cg_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)

-- name: timeliness_core_group_counts_by_authority
-- needs: timeliness_cte_core_groups
-- timeliness_core_group_counts for each authority of the filter's plans (the Regional view: one query for every
-- authority, where one per authority read every plan of the store each time), by the `authority` the facts carry:
-- joined to `started` again for it, each of the two parts cost a quarter of a CPU second at a million plans
m_cg_sums AS (
    SELECT authority,
           count(*) FILTER (WHERE status = 'on_time') AS first_on_time,
           count(*) FILTER (WHERE status = 'late') AS first_late,
           count(*) FILTER (WHERE status = 'not_due') AS first_not_due,
           coalesce(sum(intervals_on_time), 0) AS on_time, coalesce(sum(intervals_late), 0) AS late,
           coalesce(sum(intervals_not_due), 0) AS not_due
    FROM cg_plan_first GROUP BY authority
)
SELECT authority, kind, status, n FROM (
    UNPIVOT (SELECT authority, 'first' AS kind, first_on_time AS on_time, first_late AS late, first_not_due AS not_due
             FROM m_cg_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)
WHERE n > 0
UNION ALL
SELECT authority, kind, status, n FROM (
    UNPIVOT (SELECT authority, 'interval' AS kind, on_time, late, not_due FROM m_cg_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)

-- name: timeliness_cte_review_meetings
-- needs: coverage_cte_plan_data
-- review conferences of started plans up to the cutoff, and the deadline each sets for the next:
-- within $later_review_months calendar months (clamped to month end; rv_intervals, with status).
-- A review scheduled but not yet held (a due_date, no event_date) brings the plan's open deadline forward to
-- its due date when that is sooner (m_rv_scheduled): past the cutoff it is late, before it not yet due.  A
-- scheduled row counts until a review of the plan is held with the same due date or on or after it (then it
-- was that review, held: a later extract lists it as held, and the store still holds the scheduled row).
m_rv_scheduled AS (
    SELECT s.plan_id, min(s.due_date) AS due
    FROM events s
    WHERE s.event_type = 'REVIEW_CONFERENCE' AND s.event_date IS NULL AND s.due_date IS NOT NULL
      AND s.plan_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM events h
                      WHERE h.plan_id = s.plan_id AND h.event_type = 'REVIEW_CONFERENCE'
                        AND h.event_date IS NOT NULL
                        AND (h.due_date = s.due_date OR h.event_date >= s.due_date))
    GROUP BY s.plan_id
),
m_rv_plans AS (
    -- only plans whose data records review conferences (coverage_cte_plan_data)
    SELECT plan_id, start_date, least(coalesce(end_date, $as_of), $as_of) AS cutoff, authority FROM started
    WHERE plan_id IN (SELECT plan_id FROM plan_data WHERE reviews)
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
    FROM (SELECT m.plan_id, CASE WHEN m.next_met IS NULL AND sc.due > m.met
                                 THEN least(CAST(m.met + to_months($later_review_months) AS DATE), sc.due)
                                 ELSE CAST(m.met + to_months($later_review_months) AS DATE) END AS due,
                 m.next_met AS met_on, m.cutoff
          FROM m_rv_meetings m LEFT JOIN m_rv_scheduled sc ON sc.plan_id = m.plan_id
          WHERE m.next_met IS NULL OR m.next_met > m.met)
)

-- name: timeliness_cte_review_facts
-- needs: timeliness_cte_review_meetings
-- the costly part: per started plan, its start and cutoff, the first review by the cutoff (NULL
-- when none) and the later review deadlines by status; and the plan's `authority`, as cg_plan_facts carries it
-- (not written).  Written at import as derived_review_plans for the store's default as-of date
-- (paqa_dash/derive/registry.py).
rv_plan_facts AS (
    SELECT p.plan_id, p.start_date, p.cutoff, m.met AS first_met,
           coalesce(i.on_time, 0) AS later_on_time, coalesce(i.late, 0) AS later_late,
           coalesce(i.not_due, 0) AS later_not_due, p.authority
    FROM m_rv_plans p
    LEFT JOIN m_rv_meetings m ON m.plan_id = p.plan_id AND m.k = 1
    LEFT JOIN (SELECT plan_id, count(*) FILTER (WHERE status = 'on_time') AS on_time,
                      count(*) FILTER (WHERE status = 'late') AS late,
                      count(*) FILTER (WHERE status = 'not_due') AS not_due
               FROM rv_intervals GROUP BY plan_id) i ON i.plan_id = p.plan_id
)

-- name: timeliness_cte_reviews
-- needs: timeliness_cte_review_meetings, timeliness_cte_review_facts
-- every review conference deadline of started plans (rv_deadlines): the first within
-- $first_review_months calendar months of the start (sooner when a first review not yet held is scheduled
-- sooner), later ones from rv_intervals.
-- (one row per plan of rv_plan_facts, with its later deadlines' counts, so the counts below read the facts once)
rv_first AS (
    SELECT plan_id, 'first' AS kind, due, first_met AS met_on,
           CASE WHEN first_met <= due THEN 'on_time' WHEN due <= cutoff THEN 'late' ELSE 'not_due' END AS status,
           authority, later_on_time, later_late, later_not_due
    FROM (SELECT f.*, CASE WHEN f.first_met IS NULL AND sc.due >= f.start_date
                           THEN least(CAST(f.start_date + to_months($first_review_months) AS DATE), sc.due)
                           ELSE CAST(f.start_date + to_months($first_review_months) AS DATE) END AS due
          FROM rv_plan_facts f LEFT JOIN m_rv_scheduled sc ON sc.plan_id = f.plan_id)
),
rv_deadlines AS (
    SELECT plan_id, kind, due, met_on, status FROM rv_first
    UNION ALL
    SELECT plan_id, kind, due, met_on, status FROM rv_intervals
)

-- name: timeliness_review_rows
-- needs: timeliness_cte_reviews
SELECT * FROM rv_deadlines ORDER BY plan_id, due

-- name: timeliness_review_counts
-- needs: timeliness_cte_reviews
-- first deadlines counted over the plans (a status counted by none is no row), later deadlines summed from the
-- per-plan facts: one pass over rv_first (as timeliness_core_group_counts)
m_rv_sums AS (
    SELECT count(*) FILTER (WHERE status = 'on_time') AS first_on_time,
           count(*) FILTER (WHERE status = 'late') AS first_late,
           count(*) FILTER (WHERE status = 'not_due') AS first_not_due,
           coalesce(sum(later_on_time), 0) AS on_time, coalesce(sum(later_late), 0) AS late,
           coalesce(sum(later_not_due), 0) AS not_due
    FROM rv_first
)
SELECT kind, status, n FROM (
    UNPIVOT (SELECT 'first' AS kind, first_on_time AS on_time, first_late AS late, first_not_due AS not_due FROM m_rv_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)
WHERE n > 0
UNION ALL
SELECT kind, status, n FROM (
    UNPIVOT (SELECT 'later' AS kind, on_time, late, not_due FROM m_rv_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)

-- name: timeliness_review_counts_by_authority
-- needs: timeliness_cte_reviews
-- timeliness_review_counts for each authority of the filter's plans (as timeliness_core_group_counts_by_authority)
m_rv_sums AS (
    SELECT authority,
           count(*) FILTER (WHERE status = 'on_time') AS first_on_time,
           count(*) FILTER (WHERE status = 'late') AS first_late,
           count(*) FILTER (WHERE status = 'not_due') AS first_not_due,
           coalesce(sum(later_on_time), 0) AS on_time, coalesce(sum(later_late), 0) AS late,
           coalesce(sum(later_not_due), 0) AS not_due
    FROM rv_first GROUP BY authority
)
SELECT authority, kind, status, n FROM (
    UNPIVOT (SELECT authority, 'first' AS kind, first_on_time AS on_time, first_late AS late, first_not_due AS not_due
             FROM m_rv_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)
WHERE n > 0
UNION ALL
SELECT authority, kind, status, n FROM (
    UNPIVOT (SELECT authority, 'later' AS kind, on_time, late, not_due FROM m_rv_sums)
    ON on_time, late, not_due INTO NAME status VALUE n)
