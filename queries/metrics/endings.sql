-- Ending reasons, premature endings and endings at risk (paqa_dash/metrics/endings.py; the cohort
-- pages and the audit read `ending_flags` too), run behind the plan sequence.

-- name: endings_cte_ending_facts
-- needs: coverage_cte_plan_data
-- the costly part: for each ended plan in the filter, were actions left open at the end, and was
-- an adult need open at the end with no DONE action addressing it (CTE ending_facts).  Independent of
-- every threshold; the importer keeps it, with each plan, in derived_ending_flags (endings_cte_ending_marks).
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
      -- a need can be unaddressed only where actions say which need they address (coverage_cte_plan_data)
      AND e.plan_id IN (SELECT plan_id FROM plan_data WHERE action_links)
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

-- name: endings_cte_ending_marks
-- needs: endings_cte_ending_facts
-- each ended plan in the filter with the facts behind its warning signs (CTE m_marks): the plan's own columns
-- and ending_facts (endings_cte_ending_facts, inline or stored).  Nothing here depends on a threshold or on the
-- as-of date beyond the plan sequence, so the importer keeps the facts in derived_ending_flags and its stored
-- block joins them to `ended` (the thresholds are applied below, when read).
m_marks AS (
    SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.initial_category, e.end_reason,
           e.plan_number, e.duration_band, e.next_plan_id, e.next_start,
           coalesce(f.open_actions, FALSE) AS open_actions,
           coalesce(f.unaddressed_adult_need, FALSE) AS unaddressed_adult_need,
           f.open_adult_factors
    FROM ended e LEFT JOIN ending_facts f ON f.plan_id = e.plan_id
)

-- name: endings_cte_endings
-- needs: endings_cte_ending_marks
-- warning signs of each ended plan in the filter, and what followed it (CTE ending_signs): a short plan for
-- $short_months, and premature (a sign, then a next plan within $replan_months).  Cheap: the costly facts come
-- from m_marks (stored or inline), so another short-plan length or re-plan window reads the stored facts too.
m_flags AS (
    SELECT plan_id, child_id, team, start_date, end_date, initial_category, end_reason,
           plan_number, duration_band, next_plan_id, next_start,
           end_date <= CAST(start_date + to_months($short_months) AS DATE) AS short,
           open_actions, unaddressed_adult_need, open_adult_factors
    FROM m_marks
),
ending_signs AS (
    SELECT *,
           concat_ws(',', CASE WHEN short THEN 'SHORT' END, CASE WHEN open_actions THEN 'OPEN_ACTIONS' END,
                     CASE WHEN unaddressed_adult_need THEN 'UNADDRESSED_ADULT_NEED' END) AS reasons,
           (short OR open_actions OR unaddressed_adult_need)
             AND next_start IS NOT NULL
             AND next_start <= CAST(end_date + to_months($replan_months) AS DATE) AS premature
    FROM m_flags
)

-- name: endings_cte_ending_flags
-- needs: endings_cte_endings
-- the watch list on top of the warning signs (CTE ending_flags; docs/definitions.md, "Ending reasons,
-- premature endings and endings at risk"): an ending at risk has a warning sign, no later plan yet, ended
-- within the re-plan window before $as_of (a re-plan within the window is still possible), and not for a
-- reason after which no re-plan can follow (ref_end_reason_kinds 'final': died, reached 18, transferred
-- out).  One that became looked after is flagged (`looked_after`), not left out.
ending_flags AS (
    SELECT s.*,
           s.reasons <> '' AND s.next_plan_id IS NULL
             AND CAST(s.end_date + to_months($replan_months) AS DATE) > $as_of
             AND coalesce(k.kind, '') <> 'final' AS at_risk,
           coalesce(k.kind = 'looked_after', FALSE) AS looked_after,
           (s.short::INTEGER + s.open_actions::INTEGER + s.unaddressed_adult_need::INTEGER) AS signs,
           datediff('week', s.end_date, $as_of) AS weeks_since_end
    FROM ending_signs s LEFT JOIN ref_end_reason_kinds k ON k.end_reason = s.end_reason
)

-- name: endings_endings
-- needs: endings_cte_ending_flags
SELECT * FROM ending_flags ORDER BY end_date, plan_id

-- name: endings_ending_lists
-- needs: endings_cte_ending_flags
-- only the premature endings and the endings at risk (the JSON lists), so pandas never sees the rest
SELECT plan_id, child_id, reasons, premature, at_risk FROM ending_flags
WHERE premature OR at_risk ORDER BY end_date, plan_id

-- name: endings_ending_reason_counts
-- needs: endings_cte_ending_flags
SELECT count(*) AS plans_ended,
       count(*) FILTER (WHERE short) AS short,
       count(*) FILTER (WHERE open_actions) AS open_actions,
       count(*) FILTER (WHERE unaddressed_adult_need) AS unaddressed_adult_need,
       count(*) FILTER (WHERE reasons <> '') AS any_reason,
       count(*) FILTER (WHERE premature) AS premature,
       count(*) FILTER (WHERE at_risk) AS at_risk
FROM ending_flags
