-- Audit sample and audit pack.  Main blocks named audit_* that read the shared CTE blocks of
-- queries/metrics/ (seq / started / m_fc / m_att) are run through paqa_dash.metrics.sqlrun.run, so
-- "family change before a re-plan" and "core group attendance" keep their one definition.
-- $children is a list of pseudonyms.

-- name: audit_attendance_by_plan
-- needs: engagement_cte_core_group_attendance
-- One child's core group attendance per plan and agency (the pack's engagement table).
SELECT s.plan_id, s.plan_number, m.agency, count(DISTINCT m.event_id) AS invited,
       count(DISTINCT m.event_id) FILTER (WHERE m.attended) AS attended,
       count(DISTINCT m.event_id) FILTER (WHERE m.contributed) AS contributed
FROM m_att m JOIN started s ON s.plan_id = m.plan_id
WHERE s.child_id = $child
GROUP BY s.plan_id, s.plan_number, m.agency
ORDER BY s.plan_number, m.agency

-- name: audit_child_actions
-- Actions of the given children's plans (started by $as_of), for the SMART and language reviews.
SELECT a.action_id, a.plan_id, p.child_id, a.action_text, a.owner_agency, a.due_date
FROM actions a JOIN plans p ON p.plan_id = a.plan_id
WHERE p.child_id IN (SELECT unnest($children)) AND p.start_date <= $as_of
ORDER BY p.child_id, a.action_id

-- ---------------------------------------------------------------- concerns per child
-- Every concern is a fact about one plan (or one plan and agency), and the child has the concern when
-- one of its plans has the fact (attendance and SMART add up over the plans first).  The per-plan
-- facts are filter-free, so the importer keeps them in derived_audit_plan_facts and
-- derived_audit_attendance (paqa_dash/derive/registry.py); the audit sample reads those tables for the
-- whole history of the children in scope.

-- name: audit_cte_plan_text
-- Per started plan with actions, what its actions' stored reviews say (a_pf_text): its actions, those with no
-- stored review, those not SMART and those with deficit language.  Nothing here depends on the as-of date beyond
-- which plans are started by then, so the importer keeps it for every plan in derived_audit_plan_text, read for
-- any as-of (audit_cte_plan_text_stored).
a_pf_deficit AS (
    SELECT DISTINCT action_id FROM language_findings WHERE kind = 'deficit'
),
a_pf_text AS (
    SELECT a.plan_id, count(*) AS actions, count(*) FILTER (WHERE r.action_id IS NULL) AS unreviewed,
           count(*) FILTER (WHERE NOT r.smart) AS non_smart, count(d.action_id) AS deficit_actions
    FROM started s JOIN actions a ON a.plan_id = s.plan_id
    LEFT JOIN action_reviews r ON r.action_id = a.action_id
    LEFT JOIN a_pf_deficit d ON d.action_id = a.action_id
    GROUP BY a.plan_id
)

-- name: audit_cte_plan_text_stored
a_pf_text AS (
    SELECT f.* FROM started s JOIN derived_audit_plan_text f ON f.plan_id = s.plan_id
)

-- name: audit_plan_text_rows
-- needs: audit_cte_plan_text
SELECT * FROM a_pf_text

-- name: audit_cte_plan_facts
-- needs: endings_cte_ending_flags, timeliness_cte_core_groups, household_cte_family_changes, audit_cte_plan_text
-- Per plan of the filter (started or ended in it), the facts behind the audit's concerns.  Reads
-- ending_flags (endings_cte_ending_facts + endings_cte_endings), cg_first and cg_plan_facts
-- (timeliness_cte_core_groups), m_fc (household_cte_family_changes), the stored matches and a_pf_text
-- (audit_cte_plan_text).  Ending
-- columns are NULL for a plan not ended in the filter; the others are NULL for a plan not started in it.
a_pf_cg AS (
    -- whether a core group was late (the first, or an interval: cg_plan_facts counts those late), and (for the stored
    -- path, which applies another interval when read) whether the first was, and the longest interval in days for
    -- which a later one was: an interval is late for W weeks when no meeting came within 7W days (gap) and the
    -- cutoff is at least 7W days after it (room; the rule of timeliness_cte_core_group_facts), so for any 7W up to
    -- the largest least(gap - 1, room) of the plan
    SELECT f.plan_id, d.first_late OR f.intervals_late > 0 AS late, d.first_late,
           list_max(list_transform(f.intervals, lambda x: CASE WHEN x.gap IS NULL THEN x.room
                                                               ELSE least(x.gap - 1, x.room) END)) AS late_days
    FROM cg_plan_facts f
    LEFT JOIN (SELECT plan_id, bool_or(status = 'late') AS first_late FROM cg_first GROUP BY plan_id) d
      ON d.plan_id = f.plan_id
),
a_pf_fc AS (
    SELECT plan_id, bool_or(before_repeat) AS before_repeat FROM m_fc GROUP BY plan_id
),
a_pf_dup AS (
    -- the duplicated-actions measure (summary_duplicate_actions): a stored match at or above the threshold
    SELECT DISTINCT am.plan_id FROM action_matches am JOIN started s ON s.plan_id = am.plan_id
    WHERE am.score >= $similarity_threshold
),
audit_plan_facts AS (
    SELECT p.plan_id, p.child_id, p.plan_number, p.previous_plan_id IS NULL AS first_plan,
           coalesce(p.repeat_within_window, FALSE) AS repeat_within_window,
           ef.premature, ef.unaddressed_adult_need,
           CASE WHEN s.plan_id IS NOT NULL THEN dup.plan_id IS NOT NULL END AS duplicated_actions,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(cg.late, FALSE) END AS core_groups_late,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(fc.before_repeat, FALSE) END AS change_before_replan,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(t.actions, 0) END AS actions,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(t.non_smart, 0) END AS non_smart,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(t.deficit_actions, 0) END AS deficit_actions,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(t.unreviewed, 0) END AS unreviewed,
           -- what `premature` and `core_groups_late` are worked out from (the stored path applies the short-plan
           -- months and the core-group interval asked to these: audit_cte_plan_facts_read)
           p.start_date, p.end_date, ef.open_actions,
           CASE WHEN ef.plan_id IS NOT NULL
                THEN ef.next_start IS NOT NULL
                     AND ef.next_start <= CAST(ef.end_date + to_months($replan_months) AS DATE) END
             AS replanned_within_window,
           CASE WHEN s.plan_id IS NOT NULL THEN coalesce(cg.first_late, FALSE) END AS first_core_group_late,
           CASE WHEN s.plan_id IS NOT NULL THEN cg.late_days END AS core_group_late_days
    FROM m_in_scope p
    LEFT JOIN (SELECT plan_id FROM started) s ON s.plan_id = p.plan_id
    LEFT JOIN ending_flags ef ON ef.plan_id = p.plan_id
    LEFT JOIN a_pf_dup dup ON dup.plan_id = p.plan_id
    LEFT JOIN a_pf_cg cg ON cg.plan_id = p.plan_id
    LEFT JOIN a_pf_fc fc ON fc.plan_id = p.plan_id
    LEFT JOIN a_pf_text t ON t.plan_id = p.plan_id
    WHERE s.plan_id IS NOT NULL OR ef.plan_id IS NOT NULL
)

-- name: audit_cte_plan_facts_read
-- The rows of table derived_audit_plan_facts written for this $as_of (one block of rows per as-of date), with the
-- thresholds asked applied: `premature` is a warning sign (a short plan for $short_months, actions left open, an
-- adult need unaddressed) and a next plan within the re-plan window (endings_cte_endings); `core_groups_late` a
-- late first core group or an interval late for $cg_weeks (audit_cte_plan_facts, a_pf_cg).  So the table is read
-- for any short-plan length and any core-group interval.
a_pf_read AS (
    SELECT * EXCLUDE (as_of) REPLACE (
             (end_date <= CAST(start_date + to_months($short_months) AS DATE) OR open_actions OR unaddressed_adult_need)
               AND replanned_within_window AS premature,
             coalesce(first_core_group_late, FALSE) OR coalesce(7 * $cg_weeks <= core_group_late_days, FALSE)
               AS core_groups_late)
    FROM derived_audit_plan_facts WHERE as_of = $as_of
)

-- name: audit_cte_plan_facts_stored
-- needs: audit_cte_plan_facts_read
-- audit_cte_plan_facts for the filter's plans, from table derived_audit_plan_facts (audit_cte_plan_facts_read):
-- the same masking of ending columns (ended in the filter) and the rest (started in it)
audit_plan_facts AS (
    SELECT f.plan_id, f.child_id, f.plan_number, f.first_plan, f.repeat_within_window,
           CASE WHEN e.plan_id IS NOT NULL THEN f.premature END AS premature,
           CASE WHEN e.plan_id IS NOT NULL THEN f.unaddressed_adult_need END AS unaddressed_adult_need,
           CASE WHEN s.plan_id IS NOT NULL THEN f.duplicated_actions END AS duplicated_actions,
           CASE WHEN s.plan_id IS NOT NULL THEN f.core_groups_late END AS core_groups_late,
           CASE WHEN s.plan_id IS NOT NULL THEN f.change_before_replan END AS change_before_replan,
           CASE WHEN s.plan_id IS NOT NULL THEN f.actions END AS actions,
           CASE WHEN s.plan_id IS NOT NULL THEN f.non_smart END AS non_smart,
           CASE WHEN s.plan_id IS NOT NULL THEN f.deficit_actions END AS deficit_actions,
           CASE WHEN s.plan_id IS NOT NULL THEN f.unreviewed END AS unreviewed,
           f.start_date, f.end_date,
           CASE WHEN e.plan_id IS NOT NULL THEN f.open_actions END AS open_actions,
           CASE WHEN e.plan_id IS NOT NULL THEN f.replanned_within_window END AS replanned_within_window,
           CASE WHEN s.plan_id IS NOT NULL THEN f.first_core_group_late END AS first_core_group_late,
           CASE WHEN s.plan_id IS NOT NULL THEN f.core_group_late_days END AS core_group_late_days
    FROM a_pf_read f
    LEFT JOIN (SELECT plan_id FROM started) s ON s.plan_id = f.plan_id
    LEFT JOIN (SELECT plan_id FROM ended) e ON e.plan_id = f.plan_id
    WHERE s.plan_id IS NOT NULL OR e.plan_id IS NOT NULL
)

-- name: audit_plan_facts_rows
-- needs: audit_cte_plan_facts
SELECT * FROM audit_plan_facts

-- name: audit_cte_plan_attendance
-- needs: engagement_cte_core_group_attendance
-- Per started plan and agency: core group invitations and attendance (m_att).
audit_plan_att AS (
    SELECT s.child_id, m.plan_id, m.agency, count(*) AS invited, count(*) FILTER (WHERE m.attended) AS attended
    FROM m_att m JOIN started s ON s.plan_id = m.plan_id
    GROUP BY s.child_id, m.plan_id, m.agency
)

-- name: audit_cte_plan_attendance_stored
audit_plan_att AS (
    SELECT f.* EXCLUDE (as_of) FROM started s JOIN derived_audit_attendance f ON f.plan_id = s.plan_id
    WHERE f.as_of = $as_of   -- the rows written for this as-of date
)

-- name: audit_cte_plan_attendance_summed
-- needs: derive_sequence_cte_core_group_attendance_stored
-- audit_cte_plan_attendance from the core group attendance sums written at import (per plan, quarter of the meeting
-- and agency: m_attq, which the resolver reads as of a quarter end when the as-of is an earlier one): the same counts
-- of invited rows, one row per quarter of each plan and agency.  Read when the per-plan audit table is not current for
-- the date.  Not added up per plan here: the concerns add them up per child and agency (a_low_att, the one reader),
-- and adding them per plan first was the dearest step of the audit sample as of an older quarter end (1.2 million
-- groups out of 4.4 million rows at a million plans: docs/benchmark_history.md, "Agencies and the audit sample as of an
-- older quarter end").
audit_plan_att AS (
    SELECT child_id, plan_id, agency, invited, attended FROM m_attq
)

-- name: audit_plan_attendance_rows
-- needs: audit_cte_plan_attendance
SELECT * FROM audit_plan_att

-- name: audit_cte_low_attendance
-- The children with low agency attendance (a_low_att): an agency invited to at least $min_invites of the child's core
-- groups of audit_plan_att and present at fewer than $low_attendance_rate of them (settings.LOW_ATTENDANCE).  No needs
-- line, as audit_cte_child_concerns, its one reader.  audit_plan_att may hold several rows of a plan and agency
-- (audit_cte_plan_attendance_summed: one a quarter); they are added up here per child and agency.
a_low_att AS (
    SELECT DISTINCT child_id FROM (
        SELECT child_id, agency, sum(invited) AS invited, sum(attended) AS attended
        FROM audit_plan_att GROUP BY child_id, agency)
    WHERE invited >= $min_invites AND attended < $low_attendance_rate * invited
)

-- name: audit_cte_low_attendance_stored
-- audit_cte_low_attendance as of $as_of, a quarter end, from table derived_audit_low_attendance (the resolver reads it
-- only then, and only for a question over the whole history of the children it chooses: registry `whole_history`):
-- a child whose attendance was low during the quarter ends from `low_from` up to before `low_until`.  Of the children
-- of `started` only, as the inline block (the rows of other children would be left out by its one reader anyway).
a_low_att AS (
    SELECT DISTINCT l.child_id FROM derived_audit_low_attendance l
    WHERE l.low_from <= $as_of AND (l.low_until IS NULL OR $as_of < l.low_until)
      AND l.child_id IN (SELECT child_id FROM started)
)

-- name: audit_low_attendance_rows
-- needs: audit_cte_low_attendance
-- The rows of table derived_audit_low_attendance: for each child and agency, the quarter ends at which its core group
-- attendance up to then was low (audit_cte_low_attendance), as spans.  Written from the quarterly sums
-- (core_group_attendance, written before it at import: the same counts of invited rows as audit_plan_att), as of the
-- far future over every plan of the store.  Why the same children as the inline block as of a quarter end D: a row of
-- the sums counts as of D when its quarter starts by D (the meeting is on or before D) and its plan has started by D,
-- that is when the later of the meeting's quarter and the quarter the plan started in (`quarter` below) starts by D.
-- So, per child and agency in the order of that quarter, the running sums at a row are the sums as of any D from its
-- quarter up to the next row's (exclusive): a row whose running sums are low gives that span (`low_from`, `low_until`;
-- NULL: to the far future); of rows of one quarter (two plans'), only the last, whose running sums take in all of
-- them and whose next quarter differs, is kept.  Each row names one plan of its child (its least `plan_id`: the
-- registry rewrites a changed child's rows by its plans).  Why stored: as of a quarter end no table of the recent
-- dates is written for, grouping every in-scope child's quarterly sums by child and agency was a third of the audit
-- sample (docs/benchmark_history.md, "The audit sample as of an older quarter end, third round").  The window is partitioned by numbers standing for the child and the agency, not their text, and carries no
-- text (the plan and child are joined on after it): a third less CPU to write at a million plans.
a_low_plans AS (
    SELECT plan_id, child_id, date_trunc('quarter', start_date)::DATE AS start_quarter,
           dense_rank() OVER (ORDER BY child_id) AS child_no
    FROM started
),
a_low_agencies AS (
    SELECT agency, row_number() OVER (ORDER BY agency) AS agency_no
    FROM (SELECT DISTINCT agency FROM core_group_attendance)
),
a_low_steps AS (
    SELECT p.child_no, greatest(c.quarter, p.start_quarter) AS quarter,
           sum(c.invited) OVER w AS invited, sum(c.attended) OVER w AS attended,
           lead(greatest(c.quarter, p.start_quarter)) OVER w AS next_quarter
    FROM a_low_plans p JOIN core_group_attendance c ON c.plan_id = p.plan_id
    JOIN a_low_agencies g ON g.agency = c.agency
    WINDOW w AS (PARTITION BY p.child_no, g.agency_no ORDER BY greatest(c.quarter, p.start_quarter)
                 ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
),
a_low_children AS (
    SELECT child_no, child_id, min(plan_id) AS plan_id FROM a_low_plans GROUP BY child_no, child_id
)
SELECT c.plan_id, c.child_id, s.quarter AS low_from, s.next_quarter AS low_until
FROM a_low_steps s JOIN a_low_children c ON c.child_no = s.child_no
WHERE s.invited >= $min_invites AND s.attended < $low_attendance_rate * s.invited
  AND s.next_quarter IS DISTINCT FROM s.quarter

-- name: audit_cte_child_concerns
-- The audit's concerns per child of audit_plan_facts and a_low_att (the one definition; $non_smart_share comes from
-- paqa_dash.metrics.audit).  No needs line: audit_plan_facts comes from audit_cte_plan_facts or from
-- audit_cte_sample_stored, and a_low_att from audit_cte_low_attendance (or its stored stand-in) over audit_plan_att
-- of audit_cte_plan_attendance or audit_cte_sample_stored: the main block names which.  `unreviewed` counts actions
-- with no stored review (the caller then reviews them on the fly).
a_child_facts AS (
    SELECT child_id, max(plan_number) AS plans,
           coalesce(bool_or(first_plan AND premature), FALSE) AS first_plan_premature,
           coalesce(bool_or(repeat_within_window), FALSE) AS repeat_within_window,
           coalesce(bool_or(unaddressed_adult_need), FALSE) AS adult_need_unaddressed,
           coalesce(bool_or(duplicated_actions), FALSE) AS duplicated_actions,
           coalesce(bool_or(core_groups_late), FALSE) AS core_groups_late,
           coalesce(bool_or(change_before_replan), FALSE) AS household_change_before_replan,
           coalesce(sum(non_smart), 0) > $non_smart_share * coalesce(sum(actions), 0) AS non_smart_actions,
           coalesce(sum(deficit_actions), 0) > 0 AS deficit_language,
           coalesce(sum(unreviewed), 0)::BIGINT AS unreviewed
    FROM audit_plan_facts GROUP BY child_id
),
-- a concern in $unassessed (metrics.audit.not_assessed: the data cannot show it) is never counted for a child: the
-- page says it was not assessed, so it must not rank a child or add to the child's count either (a short first plan
-- re-planned was counted "premature" where no plan actions were recorded to judge the other warning signs)
child_concerns AS (
    SELECT c.child_id, c.plans,
           c.first_plan_premature AND NOT list_contains($unassessed, 'first_plan_premature') AS first_plan_premature,
           c.repeat_within_window AND NOT list_contains($unassessed, 'repeat_within_window') AS repeat_within_window,
           c.adult_need_unaddressed AND NOT list_contains($unassessed, 'adult_need_unaddressed')
             AS adult_need_unaddressed,
           c.duplicated_actions AND NOT list_contains($unassessed, 'duplicated_actions') AS duplicated_actions,
           c.core_groups_late AND NOT list_contains($unassessed, 'core_groups_late') AS core_groups_late,
           l.child_id IS NOT NULL AND NOT list_contains($unassessed, 'low_agency_attendance') AS low_agency_attendance,
           c.household_change_before_replan AND NOT list_contains($unassessed, 'household_change_before_replan')
             AS household_change_before_replan,
           c.non_smart_actions AND NOT list_contains($unassessed, 'non_smart_actions') AS non_smart_actions,
           c.deficit_language AND NOT list_contains($unassessed, 'deficit_language') AS deficit_language,
           c.unreviewed
    FROM a_child_facts c LEFT JOIN a_low_att l ON l.child_id = c.child_id
)

-- name: audit_concern_rows
-- needs: audit_cte_plan_facts, audit_cte_plan_attendance, audit_cte_low_attendance, audit_cte_child_concerns
SELECT * FROM child_concerns

-- name: audit_cte_scope
-- The children with a plan in the filter (`started`, already narrowed by the scope boxes): the team and start of
-- the latest such plan, and whether one has initial category neglect (what the Neglect box keeps).
a_scope AS (
    SELECT child_id, arg_max(team, (start_date, plan_id)) AS team, max(start_date) AS latest_plan_start,
           bool_or(coalesce(initial_category = 'NEG', FALSE)) AS neglect
    FROM started GROUP BY child_id
)

-- name: audit_scope_rows
-- needs: audit_cte_scope
SELECT * FROM a_scope

-- name: audit_cte_sample_kept
-- needs: audit_cte_plan_facts, audit_cte_plan_attendance
-- What audit_cte_sample_stored gives, where the derived tables are not written for $as_of: a_scope (audit_cte_scope)
-- as paqa_dash.metrics.audit kept it in temp table audit_scope_kept, worked out under the page's filter, and the
-- concern blocks (whatever stands for them as of this date) over the whole history of those children, this query's
-- filter (Filters.child_ids).
a_scope AS (
    SELECT * FROM audit_scope_kept
)

-- name: audit_scope_children
SELECT child_id FROM audit_scope_kept

-- name: audit_scope_count
SELECT count(*) AS children FROM audit_scope_kept

-- name: audit_cte_chosen_kept
-- metrics_sequence_cte_chosen while paqa_dash.metrics.audit keeps the children in scope in temp table audit_scope_kept:
-- the plans of those children (the whole history of each, as $child_ids naming them gives), read from the table.  Why
-- not name them in $child_ids: 144,000 children at a million plans, sorted into the filter, bound as a list and
-- unnested and tested twice (the plan sequence's rows and this block), were a tenth of the audit sample as of an
-- older quarter end (docs/benchmark_history.md, "The audit sample as of an older quarter end, third round").
m_chosen AS (
    SELECT * FROM seq WHERE child_id IN (SELECT child_id FROM audit_scope_kept)
)

-- name: audit_cte_sample_stored
-- needs: audit_cte_plan_facts_read, audit_cte_scope
-- The audit sample from the derived tables: the children with a plan in the filter (a_scope), and the whole history
-- of each read from the stored per-plan facts (the rows written for this $as_of).
audit_plan_facts AS (
    SELECT f.* FROM a_pf_read f SEMI JOIN a_scope c ON c.child_id = f.child_id
),
audit_plan_att AS (
    SELECT f.* EXCLUDE (as_of) FROM derived_audit_attendance f SEMI JOIN a_scope c ON c.child_id = f.child_id
    WHERE f.as_of = $as_of
)

-- name: audit_sample_rows
-- needs: audit_cte_sample_stored, audit_cte_low_attendance, audit_cte_child_concerns
-- Children in scope ranked by concerns, the first $limit of them, with the totals over all of them
-- (one aggregate row joined on: window aggregates such as median() OVER () are recomputed per row).  From the
-- derived tables written for this $as_of, or (metrics.audit, audit_cte_sample_kept standing for
-- audit_cte_sample_stored) from the concern blocks over the whole history of the children in scope.
a_rows AS MATERIALIZED (
    SELECT s.child_id, s.team, c.plans, s.latest_plan_start, c.first_plan_premature AS first_plan_ended_prematurely,
           s.neglect,
           (c.first_plan_premature::INT + c.repeat_within_window::INT + c.adult_need_unaddressed::INT
            + c.duplicated_actions::INT + c.core_groups_late::INT + c.low_agency_attendance::INT
            + c.household_change_before_replan::INT + c.non_smart_actions::INT + c.deficit_language::INT)::BIGINT
             AS concerns,
           c.* EXCLUDE (child_id, plans)
    FROM a_scope s JOIN child_concerns c ON c.child_id = s.child_id
    WHERE NOT $premature_first OR c.first_plan_premature
),
a_totals AS (
    SELECT count(*) AS total_children, sum(unreviewed) AS total_unreviewed,
           count(*) FILTER (WHERE first_plan_premature) AS n_first_plan_premature,
           count(*) FILTER (WHERE repeat_within_window) AS n_repeat_within_window,
           count(*) FILTER (WHERE adult_need_unaddressed) AS n_adult_need_unaddressed,
           count(*) FILTER (WHERE duplicated_actions) AS n_duplicated_actions,
           count(*) FILTER (WHERE core_groups_late) AS n_core_groups_late,
           count(*) FILTER (WHERE low_agency_attendance) AS n_low_agency_attendance,
           count(*) FILTER (WHERE household_change_before_replan) AS n_household_change_before_replan,
           count(*) FILTER (WHERE non_smart_actions) AS n_non_smart_actions,
           count(*) FILTER (WHERE deficit_language) AS n_deficit_language,
           count(*) FILTER (WHERE neglect) AS n_neglect,
           median(concerns) AS median_concerns
    FROM a_rows
),
a_top AS (
    SELECT * FROM a_rows ORDER BY concerns DESC, plans DESC, latest_plan_start DESC, child_id LIMIT $limit
)
SELECT a_top.*, a_totals.* FROM a_totals LEFT JOIN a_top ON TRUE
ORDER BY concerns DESC, plans DESC, latest_plan_start DESC, child_id

-- name: audit_dated_repeat_plans
-- The repeat plans (as of $as_of, whole history) of the children with a plan started in the filter, and how many of
-- them have their previous plan dated in the store (previous_end): none dated, whether any came within the re-plan
-- window is not known (a source giving earlier plans only as a count; reference/recorded.py UNDATED_EARLIER_PLANS).
SELECT count(*) FILTER (WHERE is_repeat) AS repeat_plans,
       count(*) FILTER (WHERE is_repeat AND previous_end IS NOT NULL) AS dated
FROM seq WHERE child_id IN (SELECT child_id FROM started)
