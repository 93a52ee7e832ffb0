-- Derived tables of the core groups & agencies page (paqa_dash/derive/registry.py): stored stand-ins
-- for inline CTE blocks of queries/metrics/, each defining the same final CTE with the same
-- columns, for the plans of the filter; and the main blocks that write them.

-- name: derived_agencies_cte_core_group_counted
-- cg_counted: timeliness_cte_core_group_facts from cg_written, each started plan's intervals as one of the two
-- stored tables holds them (the block needing this one gives cg_written: derived_agencies_cte_core_group_written
-- or derived_agencies_cte_core_group_written_any).  The interval statuses are those written when $cg_weeks is the
-- interval they were written for (`written_weeks`), else counted from `intervals` for the interval asked (each
-- interval's `gap` and `room`: the inline block says how).  Why one block: the two tables are read for different
-- as-of dates, and a status counted one way from one and another way from the other would change a page's figures
-- with the date.  Each stand-in needs the block giving cg_written and then this one (a block's needs come before
-- it, in the order written) and names the result cg_plan_facts.
-- Counted with one pass over each list, not one per status (three lambdas over every plan's intervals were most of
-- the agencies page at another interval or an older as-of date: docs/benchmark.md, "Agencies and the audit sample as
-- of an older quarter end"): every interval has exactly one status (its `room` is never NULL), and only the last can
-- be not due: an interval with a next meeting (`gap`) has that meeting by the cutoff, so its room is at least its gap
-- and, not on time, it is late.  So not due is the last interval's, when it has no next meeting and less than 7W
-- days of room; late is the rest.
cg_counted AS (
    SELECT plan_id, start_date, cutoff, first_met, intervals_on_time,
           CASE WHEN written_weeks = $cg_weeks THEN written_late
                ELSE coalesce(len(intervals), 0) - intervals_on_time - intervals_not_due END AS intervals_late,
           intervals_not_due, $cg_weeks AS interval_weeks, intervals, authority
    FROM (SELECT *,
                 CASE WHEN written_weeks = $cg_weeks THEN written_on_time
                      ELSE coalesce(len(list_filter(intervals, lambda x: x.gap <= 7 * $cg_weeks)), 0) END
                   AS intervals_on_time,
                 CASE WHEN written_weeks = $cg_weeks THEN written_not_due
                      ELSE coalesce((intervals[-1].gap IS NULL AND intervals[-1].room < 7 * $cg_weeks)::BIGINT, 0) END
                   AS intervals_not_due
          FROM cg_written)
)

-- name: derived_agencies_cte_core_group_written
-- cg_written for derived_agencies_cte_core_group_counted: the started plans in the filter, from table
-- derived_core_group_plans (its rows written for this $as_of: the table holds one block of rows per as-of date it
-- was written for), with the statuses as written and the interval they were written for, and the plan's authority
-- from `started` (the table does not hold it)
cg_written AS (
    SELECT f.plan_id, f.start_date, f.cutoff, f.first_met, f.intervals, f.interval_weeks AS written_weeks,
           f.intervals_on_time AS written_on_time, f.intervals_late AS written_late,
           f.intervals_not_due AS written_not_due, s.authority
    FROM started s JOIN derived_core_group_plans f ON f.plan_id = s.plan_id
    WHERE f.as_of = $as_of
)

-- name: derived_agencies_cte_core_group_facts_stored
-- needs: derived_agencies_cte_core_group_written, derived_agencies_cte_core_group_counted
-- timeliness_cte_core_group_facts for the started plans in the filter, from table derived_core_group_plans (its
-- rows written for this $as_of), the statuses for $cg_weeks (derived_agencies_cte_core_group_counted)
cg_plan_facts AS (
    SELECT * FROM cg_counted
)

-- name: derived_agencies_core_group_facts_rows
-- needs: timeliness_cte_core_group_facts
-- (not the authority: the stand-in takes it from `started`, so a child's authority is never read as written)
SELECT * EXCLUDE (authority) FROM cg_plan_facts

-- name: derived_agencies_cte_review_facts_stored
-- timeliness_cte_review_facts for the started plans in the filter, from table derived_review_plans (its rows
-- written for this $as_of), with the plan's authority from `started`
rv_plan_facts AS (
    SELECT f.* EXCLUDE (as_of), s.authority FROM started s JOIN derived_review_plans f ON f.plan_id = s.plan_id
    WHERE f.as_of = $as_of
)

-- name: derived_agencies_review_facts_rows
-- needs: timeliness_cte_review_facts
-- (not the authority, as derived_agencies_core_group_facts_rows)
SELECT * EXCLUDE (authority) FROM rv_plan_facts

-- name: derived_agencies_cte_challenges_stored
-- engagement_cte_challenges for the started plans in the filter, from table derived_challenge_links
m_ch AS (
    SELECT c.* FROM started s JOIN derived_challenge_links c ON c.plan_id = s.plan_id
)

-- name: derived_agencies_challenge_links_rows
-- needs: engagement_cte_challenges
SELECT * FROM m_ch

-- name: derived_agencies_cte_challenges_stored_as_of
-- the same m_ch as of an earlier $as_of, from the rows written as of the far future (the resolver reads it when the
-- table is current but for the as-of date): a plan's linked events by then are its events dated by then; an
-- unlinked event counts from the plan's start to its end, or to $as_of while open then, so by then it is the
-- far-future row dated by $as_of.  `started` is the plans started by $as_of, as always.
m_ch AS (
    SELECT c.* FROM started s JOIN derived_challenge_links c ON c.plan_id = s.plan_id
    WHERE c.event_date <= $as_of
)

-- name: derived_agencies_core_group_meetings_rows
-- needs: timeliness_cte_core_group_facts
-- Why: derived_core_group_plans and derived_review_plans hold rows for the data date and the recent quarter ends
-- only (deadlines still to come depend on the as-of date); for any other date the page worked out every plan's
-- meetings again.  These tables hold, once, what the as-of does not change: each plan's meeting dates (distinct,
-- in order) from its start to its end in the store (the far future while open).  As of a date D a plan's cutoff is
-- its end by D, or D, and the meetings by its cutoff are exactly those stored dates on or before it; the blocks
-- below work the inline facts out from them, for the interval asked (registry: read when the recent-dates tables
-- are not current for D).  With them, each plan's facts as written at its end (the far future's cutoff of an ended
-- plan is its end): as of any D on or after that end its cutoff is its end too, so a plan ended by D reads them as
-- they are (its first meeting, intervals and interval statuses, for the interval written: `interval_weeks`) and only
-- the plans open at D are worked out from the meetings (most plans started by an older date have ended by then:
-- docs/benchmark.md, "Agencies and the audit sample as of an older quarter end").  An open plan's are not read.
SELECT f.plan_id, m.meetings, f.first_met, f.intervals, f.interval_weeks, f.intervals_on_time, f.intervals_late,
       f.intervals_not_due
FROM cg_plan_facts f
LEFT JOIN (SELECT plan_id, list(DISTINCT met ORDER BY met) AS meetings FROM m_cg_meetings GROUP BY plan_id) m
  ON m.plan_id = f.plan_id

-- name: derived_agencies_cte_core_group_written_any
-- cg_written for derived_agencies_cte_core_group_counted as of $as_of: the started plans in the filter, from table
-- derived_core_group_meetings.  A plan ended by $as_of (its end known then) has the facts written at its end, with the
-- statuses for the interval written; an open one the meetings by the cutoff, and each interval's days to the next of
-- them (`gap`, NULL for the last) and to the cutoff (`room`), no statuses written (every one is counted for the
-- interval asked)
cg_any_met AS (
    -- (an open plan's cutoff is $as_of)
    SELECT s.plan_id, s.start_date, least(coalesce(s.end_date, $as_of), $as_of) AS cutoff,
           s.end_date IS NOT NULL AS ended,
           CASE WHEN s.end_date IS NULL THEN nullif(list_filter(f.meetings, lambda m: m <= $as_of), []) END AS met,
           f.first_met, f.intervals, f.interval_weeks, f.intervals_on_time, f.intervals_late, f.intervals_not_due,
           s.authority
    FROM started s JOIN derived_core_group_meetings f ON f.plan_id = s.plan_id
),
cg_written AS (
    SELECT plan_id, start_date, cutoff, CASE WHEN ended THEN first_met ELSE met[1] END AS first_met,
           CASE WHEN ended THEN intervals
                ELSE list_transform(range(1, len(met) + 1),
                                    lambda i: {'gap': CASE WHEN i < len(met)
                                                           THEN datediff('day', met[i], met[i + 1]) END,
                                               'room': datediff('day', met[i], cutoff)}) END AS intervals,
           CASE WHEN ended THEN interval_weeks END AS written_weeks,
           CASE WHEN ended THEN intervals_on_time END AS written_on_time,
           CASE WHEN ended THEN intervals_late END AS written_late,
           CASE WHEN ended THEN intervals_not_due END AS written_not_due, authority
    FROM cg_any_met
)

-- name: derived_agencies_cte_core_group_facts_stored_any
-- needs: derived_agencies_cte_core_group_written_any, derived_agencies_cte_core_group_counted
-- timeliness_cte_core_group_facts as of $as_of for the started plans in the filter, from table
-- derived_core_group_meetings, the statuses for $cg_weeks counted (derived_agencies_cte_core_group_counted)
cg_plan_facts AS (
    SELECT * FROM cg_counted
)

-- name: derived_agencies_review_meetings_rows
-- needs: timeliness_cte_review_facts
-- Each plan's review dates (`meetings`, as derived_agencies_core_group_meetings_rows keeps its core groups), and for a
-- plan ended in the store what its later reviews' statuses are at its end for any review months M (as of any date on
-- or after its end its cutoff is its end, so they are its statuses then; an open plan's are NULL, not read):
-- `on_time_from`, per review followed by another, the fewest months with which that next one was on time (on time
-- for M at least that, late for fewer: the next review is in month d after it, and on time with M = d exactly when
-- the review plus d months, clamped to the month's end, is not before it); `last_late_to`, for the last review (none
-- after it by the end), the most months with which its deadline fell by the end (late for M up to that, not yet due
-- for more); `last_scheduled_late`, a review scheduled but not held (m_rv_scheduled) after the last one and due by
-- the end, which makes that deadline late at any M (the inline rv_intervals brings it forward to that due date).
-- Why: as of an older date every started plan's later reviews were worked out from its dates, though most had ended
-- by then (docs/benchmark.md, "The audit sample and agencies as of an older quarter end, second round").
SELECT f.plan_id, m.meetings,
       CASE WHEN s.end_date IS NOT NULL
            THEN list_transform(range(1, coalesce(len(m.meetings), 0)),
                                lambda i: datediff('month', m.meetings[i], m.meetings[i + 1])
                                          + (CAST(m.meetings[i] + to_months(datediff('month', m.meetings[i],
                                                                                     m.meetings[i + 1])) AS DATE)
                                             < m.meetings[i + 1])::INTEGER) END AS on_time_from,
       CASE WHEN s.end_date IS NOT NULL
            THEN datediff('month', m.meetings[-1], s.end_date)
                 - (CAST(m.meetings[-1] + to_months(datediff('month', m.meetings[-1], s.end_date)) AS DATE)
                    > s.end_date)::INTEGER END AS last_late_to,
       CASE WHEN s.end_date IS NOT NULL
            THEN coalesce(sc.due > m.meetings[-1] AND sc.due <= s.end_date, FALSE) END AS last_scheduled_late
FROM rv_plan_facts f
JOIN started s ON s.plan_id = f.plan_id
LEFT JOIN (SELECT plan_id, list(DISTINCT met ORDER BY met) AS meetings FROM m_rv_meetings GROUP BY plan_id) m
  ON m.plan_id = f.plan_id
LEFT JOIN m_rv_scheduled sc ON sc.plan_id = f.plan_id

-- name: derived_agencies_cte_review_facts_stored_any
-- needs: timeliness_cte_review_meetings
-- timeliness_cte_review_facts as of $as_of for the started plans in the filter, from table derived_review_meetings.
-- A plan ended by $as_of has its cutoff at its end, so its reviews are its stored `meetings` and its later reviews'
-- statuses for $later_review_months are read from what is stored for its end (derived_agencies_review_meetings_rows
-- says how).  An open plan: the reviews by the cutoff, and each one's deadline for the next within
-- $later_review_months (the last one's brought forward to a review scheduled but not held, m_rv_scheduled, as the
-- inline rv_intervals does), with its status.
rv_any_met AS (
    -- (an open plan's cutoff is $as_of; an ended plan's meetings are all by its cutoff, its end)
    SELECT s.plan_id, s.start_date, least(coalesce(s.end_date, $as_of), $as_of) AS cutoff,
           s.end_date IS NOT NULL AS ended, f.on_time_from, f.last_late_to, f.last_scheduled_late,
           CASE WHEN s.end_date IS NULL THEN nullif(list_filter(f.meetings, lambda m: m <= $as_of), [])
                ELSE f.meetings END AS met,
           sc.due AS scheduled, s.authority
    FROM started s JOIN derived_review_meetings f ON f.plan_id = s.plan_id
    LEFT JOIN m_rv_scheduled sc ON sc.plan_id = s.plan_id
),
rv_any_later AS (
    -- an open plan's reviews by the cutoff, and each one's deadline for the next within $later_review_months (the last
    -- one's brought forward to a review scheduled but not held, as the inline rv_intervals does)
    SELECT *,
           CASE WHEN NOT ended
                THEN list_transform(range(1, len(met) + 1),
                                    lambda i: {'due': CASE WHEN i = len(met) AND scheduled > met[i]
                                                           THEN least(CAST(met[i] + to_months($later_review_months)
                                                                           AS DATE), scheduled)
                                                           ELSE CAST(met[i] + to_months($later_review_months)
                                                                     AS DATE) END,
                                               'met_on': CASE WHEN i < len(met) THEN met[i + 1] END}) END AS later
    FROM rv_any_met
),
rv_plan_facts AS (
    -- each later deadline has one status; only the last can be not yet due (one met by then was met by the cutoff, so
    -- one missed before it was due by then: late), so one pass over the list counts those on time, the last says
    -- whether it is not due, and the rest are late (as derived_agencies_cte_core_group_counted counts the intervals).
    -- An ended plan's: on time those whose next came within the months (`on_time_from`), and its last review's
    -- deadline not due when the months reach past its end and no scheduled review due by the end brought it forward;
    -- an open plan's from its deadlines worked out by the cutoff (rv_any_later)
    SELECT plan_id, start_date, cutoff, met[1] AS first_met, later_on_time,
           coalesce(len(met), 0) - later_on_time - later_not_due AS later_late, later_not_due,
           authority
    FROM (SELECT plan_id, start_date, cutoff, met, authority,
                 CASE WHEN ended
                      THEN coalesce(len(list_filter(on_time_from, lambda x: x <= $later_review_months)), 0)
                      ELSE coalesce(len(list_filter(later, lambda x: x.met_on <= x.due)), 0) END AS later_on_time,
                 CASE WHEN ended
                      THEN coalesce((NOT last_scheduled_late AND last_late_to < $later_review_months)::BIGINT, 0)
                      ELSE coalesce((later[-1].met_on IS NULL AND later[-1].due > cutoff)::BIGINT, 0) END
                   AS later_not_due
          FROM rv_any_later)
)
