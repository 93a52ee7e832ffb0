-- Written agreements (paqa_dash/metrics/agreements.py), run behind the plan sequence.

-- name: agreements_cte_agreements
-- needs: coverage_cte_plan_data
-- each WRITTEN_AGREEMENT event up to $as_of, placed against the child's plans: during a plan (its start to
-- its end, or the as-of date while open) first; else after the latest plan that ended up to
-- $agreement_after_months before it (a step-down ending: STEP_DOWN_CIN or STEP_DOWN_EARLY_HELP); else before
-- the child's next plan.  An agreement with none of these (long after the last plan) is around no plan and
-- is not counted.  It counts for the plan it is placed against, when that plan started in the filter.
-- `unfinished`: placed after an ending whose plan left actions open or not done (where actions are recorded).
m_wa AS (
    SELECT event_id, child_id, event_date, agency, detail FROM events
    WHERE event_type = 'WRITTEN_AGREEMENT' AND event_date <= $as_of
),
m_wa_place AS (
    SELECT w.*, q.plan_id AS placed_plan_id, q.end_reason,
           CASE WHEN w.event_date >= q.start_date AND w.event_date <= coalesce(q.end_date, $as_of) THEN 0
                WHEN q.end_date < w.event_date
                     AND w.event_date <= CAST(q.end_date + to_months($agreement_after_months) AS DATE) THEN 1
                WHEN w.event_date < q.start_date THEN 2 END AS place,
           q.start_date AS placed_start, q.end_date AS placed_end
    FROM m_wa w JOIN seq q ON q.child_id = w.child_id
),
agreements AS (
    SELECT p.event_id, p.child_id, p.event_date, p.agency, p.detail, p.placed_plan_id AS plan_id,
           p.placed_start AS plan_start,
           CASE p.place WHEN 0 THEN 'DURING_PLAN' WHEN 2 THEN 'BEFORE_PLAN'
                ELSE CASE WHEN p.end_reason IN ('STEP_DOWN_CIN', 'STEP_DOWN_EARLY_HELP') THEN 'AFTER_STEP_DOWN'
                          ELSE 'AFTER_OTHER_ENDING' END END AS timing,
           CASE WHEN p.place <> 1 OR NOT coalesce(d.actions, FALSE) THEN NULL
                ELSE EXISTS (SELECT 1 FROM actions a WHERE a.plan_id = p.placed_plan_id
                             AND (a.status IN ('OPEN', 'NOT_DONE')
                                  OR (a.status = 'DONE' AND a.completed_date > p.placed_end))) END AS unfinished
    FROM m_wa_place p LEFT JOIN plan_data d ON d.plan_id = p.placed_plan_id
    WHERE p.place IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY p.event_id
                               ORDER BY p.place, CASE WHEN p.place = 1 THEN p.placed_end END DESC,
                                        CASE WHEN p.place = 2 THEN p.placed_start END, p.placed_plan_id) = 1
)

-- name: agreements_counts
-- needs: agreements_cte_agreements
-- written agreements placed against plans started in the filter, by agency and when
SELECT a.agency, a.timing, count(*) AS agreements, count(DISTINCT a.child_id) AS children,
       count(*) FILTER (WHERE a.unfinished) AS unfinished
FROM agreements a JOIN started s ON s.plan_id = a.plan_id
GROUP BY a.agency, a.timing ORDER BY a.agency, a.timing

-- name: agreements_step_downs
-- needs: agreements_cte_agreements
-- step-down endings in the filter, split by whether a written agreement followed them (placed after the
-- ending, or made in its last $ending_after_months months), and re-planned within the window.
m_sd AS (
    SELECT e.plan_id,
           EXISTS (SELECT 1 FROM agreements a WHERE a.child_id = e.child_id
                   AND ((a.plan_id = e.plan_id AND a.timing = 'AFTER_STEP_DOWN')
                        OR (a.plan_id = e.plan_id AND a.timing = 'DURING_PLAN'
                            AND a.event_date >= CAST(e.end_date - to_months($ending_after_months) AS DATE)))) AS with_agreement,
           (e.next_start IS NOT NULL AND e.next_start <= CAST(e.end_date + to_months($replan_months) AS DATE)) AS replanned,
           CAST(e.end_date + to_months($replan_months) AS DATE) <= $as_of AS window_passed
    FROM ended e WHERE e.end_reason IN ('STEP_DOWN_CIN', 'STEP_DOWN_EARLY_HELP')
)
SELECT with_agreement, count(*) AS step_downs,
       count(*) FILTER (WHERE window_passed) AS followed_up,   -- as challenge_endings: the window over by $as_of
       count(*) FILTER (WHERE replanned AND window_passed) AS replanned
FROM m_sd GROUP BY with_agreement ORDER BY with_agreement DESC

-- name: agreements_for_child
-- needs: agreements_cte_agreements
-- one child's written agreements, placed (for the timeline and the audit pack)
SELECT event_id, event_date, agency, plan_id, timing, unfinished, detail FROM agreements
ORDER BY event_date, event_id

-- name: agreements_rows
-- needs: agreements_cte_agreements
-- the rows of table derived_agreements (paqa_dash/derive/registry.py): every written agreement placed, written as
-- of the far future
SELECT * FROM agreements

-- name: agreements_cte_agreements_stored
-- agreements_cte_agreements from table derived_agreements (read when it is current: an as-of on or after the latest
-- date, so nothing is hidden), for the children of the filter's $child_ids as the inline block's `seq` chooses them.
-- Why: at a million plans the inline placement (every agreement against every plan of its child, ranked, and the
-- actions of the plans it follows) took most of a second per call, twice on the Challenge page (docs/benchmark.md).
agreements AS (
    SELECT * FROM derived_agreements
    WHERE len($child_ids) = 0 OR child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[])))
)

-- name: agreements_cte_agreements_stored_as_of
-- the same `agreements` as of an earlier $as_of, from the rows written as of the far future (the resolver reads it
-- when the table is current but for the as-of date).  Why the rows are the same: an agreement dated by $as_of is
-- during a plan, or after a plan's ending, exactly when it is so with every later date known (a plan it falls in
-- started by then, an ending before it is known by then), so those placements are unchanged; placed before a plan,
-- it is placed before the child's earliest later plan, which is the same plan when that one started by $as_of, and
-- no plan at all (so no row) when it did not: then its row is of a plan not in `seq` and is left out here.  A plan is
-- in `seq` as of $as_of exactly when it is as of the far future (which plans are left out is judged on their recorded
-- dates, never on an as-of: store_cte_implausible_plans) and started by $as_of, and its child is chosen by $child_ids
-- as the row's is; so the row's `plan_start` says it, where a semi-join of the rows to every plan of `seq` was most
-- of each of the Challenge page's two agreement reads as of an earlier date at a million plans (docs/benchmark.md).
agreements AS (
    SELECT a.* FROM derived_agreements a
    WHERE a.event_date <= $as_of AND (len($child_ids) = 0 OR a.child_id IN (SELECT unnest(CAST($child_ids AS VARCHAR[]))))
      AND a.plan_start <= $as_of
)
