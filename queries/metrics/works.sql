-- The "What works" page (paqa_dash/metrics/works.py; docs/definitions.md, "Restorative practice", "First-order
-- and underlying change", "What works: sustained endings"), run behind the plan sequence: plans that ended in
-- the filter, what their records show, and how long each went without another plan.  The word lists, the
-- adult-facing agencies and the classes of each theme are registered tables (paqa_dash/reference/tables.py:
-- ref_adult_agencies, ref_action_classes, from reference/works.py and reference/action_classes.py); the word patterns
-- are bound as parameters ($works_fgc, $works_views, $works_co_produced, $works_mi, $works_named: reference/tables.py
-- PATTERNS), so that DuckDB compiles each once (a pattern read from a table's column is compiled again for every row).
--
-- Each ended plan's facts (works_cte_plan_facts: the date from which each kind of event evidence is there, and its
-- actions counted) never depend on the as-of date beyond which events are dated by then, so they are written at
-- import for every ended plan (derived_works_plans: paqa_dash/derive/registry.py) and read for any as-of date, the
-- as-of applied when read.  The actions' themes are the stored reviews' (works_cte_kinded); where those are not
-- complete the resolver has works_cte_kinded_made stand in, reading the kinds the caller classified in Python.

-- name: works_cte_plan_events
-- what each ended plan's events evidence: its events are those linked to it, or the child's unlinked events
-- between its start and end, up to $as_of, each with its date.  Why in three steps: the word patterns are matched
-- once per distinct detail text (matching each of tens of millions of events took a minute at a million plans),
-- only the events that evidence something are joined to the plans, and the adult attendance is read by event
-- before that join
w_details AS MATERIALIZED (
    SELECT d.detail,
           regexp_matches(d.detail, $works_fgc, 'i') AS fgc,
           regexp_matches(d.detail, $works_views, 'i') AS views,
           regexp_matches(d.detail, $works_mi, 'i') AS mi
    FROM (SELECT DISTINCT detail FROM events WHERE detail <> '') d
),
w_adult_events AS (
    SELECT DISTINCT a.event_id
    FROM attendance a JOIN ref_adult_agencies r ON r.agency = a.agency
    WHERE a.attended
),
w_marked AS (
    -- the events that evidence something, with what: three narrow reads of the events (a detail that matches, an
    -- intervention started, an adult-facing practitioner there), not every event joined to all three; an event in
    -- two of them is in the union twice, which the plan's first dates read once
    SELECT ev.plan_id, ev.child_id, ev.event_date, d.fgc, d.views, d.mi,
           FALSE AS intervention, FALSE AS adult_intervention, FALSE AS adult_attended
    FROM events ev JOIN w_details d ON d.detail = ev.detail
    WHERE (d.fgc OR d.views OR d.mi) AND ev.event_date <= $as_of
    UNION ALL
    SELECT plan_id, child_id, event_date, FALSE, FALSE, FALSE,
           TRUE, agency IN (SELECT agency FROM ref_adult_agencies), FALSE
    FROM events WHERE event_type = 'INTERVENTION_START' AND event_date <= $as_of
    UNION ALL
    SELECT ev.plan_id, ev.child_id, ev.event_date, FALSE, FALSE, FALSE, FALSE, FALSE, TRUE
    FROM events ev SEMI JOIN w_adult_events ad ON ad.event_id = ev.event_id
    WHERE ev.event_date <= $as_of
),
w_events AS (
    SELECT e.plan_id, m.event_date, m.fgc, m.views, m.mi, m.intervention, m.adult_intervention, m.adult_attended
    FROM ended e JOIN w_marked m ON m.plan_id = e.plan_id
    UNION ALL
    -- two joins, not one with OR: each is a hash join (an OR condition would compare every pair)
    SELECT e.plan_id, m.event_date, m.fgc, m.views, m.mi, m.intervention, m.adult_intervention, m.adult_attended
    FROM ended e JOIN w_marked m ON m.child_id = e.child_id
    WHERE m.plan_id IS NULL AND m.event_date BETWEEN e.start_date AND e.end_date
)

-- name: works_cte_kinded
-- each action of an ended plan with its class and what its text evidences, from the theme stored at import (the
-- stored reviews, complete: see works_cte_kinded_made for the other case).  The word patterns are matched once per
-- distinct action text; an owner among the adult-facing agencies makes the action's class that of
-- ref_action_classes' row for an adult owner
w_action_words AS MATERIALIZED (
    SELECT t.action_text,
           regexp_matches(t.action_text, $works_fgc, 'i') AS fgc,
           regexp_matches(t.action_text, $works_co_produced, 'i') AS co_produced,
           regexp_matches(t.action_text, $works_mi, 'i') AS mi,
           regexp_matches(t.action_text, $works_named, 'i') AS named
    FROM (SELECT DISTINCT action_text FROM actions WHERE action_text IS NOT NULL) t
),
w_actions AS (
    -- (each action's text and owner read first, so that the join to the reviews carries flags, not texts)
    SELECT a.action_id, a.plan_id, e.team,
           coalesce(a.status = 'DONE' AND (a.completed_date IS NULL OR a.completed_date <= e.end_date), FALSE)
             AS completed,
           coalesce(k.fgc, FALSE) AS fgc, coalesce(k.co_produced, FALSE) AS co_produced, coalesce(k.mi, FALSE) AS mi,
           coalesce(k.named, FALSE) AS named, ad.agency IS NOT NULL AS adult_owned
    FROM ended e
    JOIN actions a ON a.plan_id = e.plan_id
    LEFT JOIN ref_adult_agencies ad ON ad.agency = a.owner_agency
    LEFT JOIN w_action_words k ON k.action_text = a.action_text
),
w_kinded AS (
    SELECT w.plan_id, w.team, w.completed, coalesce(c.action_class, o.action_class) AS action_class, w.fgc,
           w.co_produced, coalesce(c.relational, o.relational) AS relational, w.mi, w.named, w.adult_owned
    FROM w_actions w
    LEFT JOIN action_reviews r ON r.action_id = w.action_id
    LEFT JOIN ref_action_classes c ON c.theme = r.theme AND c.adult_owned = w.adult_owned
    LEFT JOIN ref_action_classes o ON o.any_other AND o.adult_owned = w.adult_owned
)

-- name: works_cte_kinded_made
-- works_cte_kinded where the stored reviews are not complete (or were made by other word lists): each action kept
-- by the caller (works_actions_cache, from works_actions_all) with its kind's class and evidence, which the caller
-- classified in Python once per kind (works_kinds, registered: the stored theme, else the classifier's)
w_kinded AS (
    SELECT c.plan_id, c.team, coalesce(c.completed, FALSE) AS completed, k.action_class, k.fgc, k.co_produced,
           k.relational, k.mi, k.named, k.adult_owned
    FROM works_actions_cache c
    JOIN works_kinds k ON k.action_text IS NOT DISTINCT FROM c.action_text
                      AND k.owner_agency IS NOT DISTINCT FROM c.owner_agency AND k.theme IS NOT DISTINCT FROM c.theme
)

-- name: works_cte_plan_facts
-- needs: works_cte_plan_events, works_cte_kinded
-- per ended plan (every one, with its own columns from `ended`, so that a reader joins nothing more): the first
-- date by $as_of of each kind of event evidence (NULL: none by then), its actions and completed actions, those of
-- each class (class_actions, class_completed: one count per class of ref_class_order, in its order; zeros for none)
-- and whether any action evidences each kind of work.  Written at import as derived_works_plans (the facts only)
w_evidence AS (
    SELECT plan_id, min(event_date) FILTER (WHERE fgc) AS fgc_from, min(event_date) FILTER (WHERE views) AS views_from,
           min(event_date) FILTER (WHERE intervention) AS intervention_from,
           min(event_date) FILTER (WHERE mi) AS mi_from,
           min(event_date) FILTER (WHERE adult_intervention) AS adult_intervention_from,
           min(event_date) FILTER (WHERE adult_attended) AS adult_attended_from
    FROM w_events GROUP BY plan_id
),
w_action_plans AS (
    -- (the class of each action as its position in ref_class_order, listed, and counted by class in w_plan_facts:
    -- one grouping of the actions, whatever the classes are; positions, not names, as lists of names cost seconds)
    SELECT k.plan_id, count(*) AS actions, count(*) FILTER (WHERE k.completed) AS completed,
           list(p.position) AS positions, list(p.position) FILTER (WHERE k.completed) AS completed_positions,
           bool_or(k.fgc) AS fgc_action, bool_or(k.co_produced) AS co_produced_action,
           bool_or(k.relational) AS relational_action, bool_or(k.mi) AS mi_action, bool_or(k.named) AS named_action,
           bool_or(k.adult_owned) AS adult_owned_action
    FROM w_kinded k JOIN ref_class_order p ON p.action_class = k.action_class
    GROUP BY k.plan_id
),
w_plan_facts AS (
    SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.end_reason, e.plan_number, e.next_start,
           v.fgc_from, v.views_from, v.intervention_from, v.mi_from, v.adult_intervention_from,
           v.adult_attended_from, coalesce(a.actions, 0) AS actions, coalesce(a.completed, 0) AS completed,
           list_transform(o.positions, lambda c: len(list_filter(coalesce(a.positions, []), lambda x: x = c)))
             AS class_actions,
           list_transform(o.positions, lambda c: len(list_filter(coalesce(a.completed_positions, []), lambda x: x = c)))
             AS class_completed,
           coalesce(a.fgc_action, FALSE) AS fgc_action, coalesce(a.co_produced_action, FALSE) AS co_produced_action,
           coalesce(a.relational_action, FALSE) AS relational_action, coalesce(a.mi_action, FALSE) AS mi_action,
           coalesce(a.named_action, FALSE) AS named_action,
           coalesce(a.adult_owned_action, FALSE) AS adult_owned_action
    FROM ended e
    LEFT JOIN w_evidence v ON v.plan_id = e.plan_id
    LEFT JOIN w_action_plans a ON a.plan_id = e.plan_id
    CROSS JOIN (SELECT list(position ORDER BY position) AS positions FROM ref_class_order) o
)

-- name: works_plan_facts_rows
-- needs: works_cte_plan_facts
-- the rows of table derived_works_plans: every ended plan of the store (written as of the far future, with no
-- filter, from the stored reviews)
SELECT plan_id, fgc_from, views_from, intervention_from, mi_from, adult_intervention_from, adult_attended_from,
       actions, completed, class_actions, class_completed, fgc_action, co_produced_action, relational_action,
       mi_action, named_action, adult_owned_action
FROM w_plan_facts

-- name: works_cte_plan_facts_stored
-- works_cte_plan_facts from table derived_works_plans: the filter's ended plans' rows, each first date kept only
-- when on or before $as_of (the table's dates are every event's, to the far future); no event, attendance or
-- action read per call (seconds at a million plans: docs/benchmark.md)
w_plan_facts AS (
    SELECT e.plan_id, e.child_id, e.team, e.start_date, e.end_date, e.end_reason, e.plan_number, e.next_start,
           CASE WHEN d.fgc_from <= $as_of THEN d.fgc_from END AS fgc_from,
           CASE WHEN d.views_from <= $as_of THEN d.views_from END AS views_from,
           CASE WHEN d.intervention_from <= $as_of THEN d.intervention_from END AS intervention_from,
           CASE WHEN d.mi_from <= $as_of THEN d.mi_from END AS mi_from,
           CASE WHEN d.adult_intervention_from <= $as_of THEN d.adult_intervention_from END AS adult_intervention_from,
           CASE WHEN d.adult_attended_from <= $as_of THEN d.adult_attended_from END AS adult_attended_from,
           d.actions, d.completed, d.class_actions, d.class_completed, d.fgc_action, d.co_produced_action,
           d.relational_action, d.mi_action, d.named_action, d.adult_owned_action
    FROM ended e JOIN derived_works_plans d ON d.plan_id = e.plan_id
)

-- name: works_plan_facts_kept
-- needs: works_cte_plan_facts
-- what the caller keeps for one question when the facts are worked out inline (works_facts_cache)
SELECT * FROM w_plan_facts

-- name: works_cte_plan_facts_kept
-- works_cte_plan_facts as the caller kept it for one question (works_facts_cache, from works_plan_facts_kept), for
-- the page's queries to read once
w_plan_facts AS (SELECT * FROM works_facts_cache)

-- name: works_cte_endings
-- needs: works_cte_plan_facts
-- one row per ended plan: its outcome (days to the next plan, or followed until $as_of; next_plan: another plan
-- followed, however long after), its reporting year (ref_reporting_months), the event evidence, its actions counted
-- (completed_by_class: the completed actions of each class of ref_class_order, in that order), and the two
-- comparisons of What works: an adult-facing practitioner involved (attending, owning an action or starting an
-- intervention), and motivational interviewing or a named intervention (in an event or an action, or an
-- intervention started)
w_endings AS (
    SELECT f.plan_id, f.child_id, f.team, f.start_date, f.end_date, f.end_reason, f.plan_number, f.next_start,
           f.next_start IS NOT NULL AS next_plan, y.year,
           coalesce(k.kind = 'final', FALSE) AS final_ending,
           datediff('day', f.end_date, coalesce(f.next_start, $as_of)) AS days_followed,
           f.next_start IS NOT NULL AND f.next_start <= CAST(f.end_date + to_months($replan_months) AS DATE)
             AS replanned_in_window,
           CAST(f.end_date + to_months($replan_months) AS DATE) <= $as_of AS window_elapsed,
           f.fgc_from IS NOT NULL AS fgc_event, f.views_from IS NOT NULL AS views_event,
           f.intervention_from IS NOT NULL AS intervention_event, f.mi_from IS NOT NULL AS mi_event,
           f.adult_intervention_from IS NOT NULL AS adult_intervention,
           f.adult_attended_from IS NOT NULL AS adult_attended,
           coalesce(f.actions, 0) AS actions, coalesce(f.completed, 0) AS completed,
           f.class_completed AS completed_by_class,
           coalesce(f.fgc_action, FALSE) AS fgc_action, coalesce(f.co_produced_action, FALSE) AS co_produced_action,
           coalesce(f.relational_action, FALSE) AS relational_action, coalesce(f.mi_action, FALSE) AS mi_action,
           coalesce(f.named_action, FALSE) AS named_action,
           coalesce(f.adult_owned_action, FALSE) AS adult_owned_action,
           f.class_actions
    FROM w_plan_facts f
    LEFT JOIN ref_end_reason_kinds k ON k.end_reason = f.end_reason
    LEFT JOIN ref_reporting_months y ON y.month = date_trunc('month', f.end_date)
),
w_split_endings AS (
    SELECT *,
           adult_attended OR adult_owned_action OR adult_intervention AS adult_practitioner,
           mi_event OR mi_action OR named_action OR intervention_event AS intervention
    FROM w_endings
)

-- name: works_plans
-- needs: works_cte_endings
-- one row per ended plan (works_cte_endings): the per-plan frame (the audit pack, `metrics --json`, the tests)
SELECT * EXCLUDE (class_actions) FROM w_split_endings ORDER BY end_date, plan_id

-- name: works_counts
-- needs: works_cte_endings
-- the ended plans counted (n) three ways in one read of them (`part` says which):
-- 'endings': by everything the page's sections read but the follow-up time (team, reporting year, outcome, the
--   evidence of each restorative kind, the comparisons, and whether any action was completed, and any of each
--   class: 0 or 1, as the ending's group asks);
-- 'follow_up': by days followed, whether another plan followed, the comparisons and final_ending (the survival
--   curves are worked out from these);
-- 'actions': by team and the plans' counts by class of their actions and completed actions (class_actions,
--   completed_by_class, as in ref_class_order).
-- Why: the sections are counts of these, and a million endings read into pandas one by one took seconds
SELECT CASE WHEN grouping(days_followed) = 0 THEN 'follow_up' WHEN grouping(class_actions) = 0 THEN 'actions'
            ELSE 'endings' END AS part,
       team, year, final_ending, window_elapsed, replanned_in_window, fgc_event, views_event, fgc_action,
       co_produced_action, relational_action, adult_practitioner, intervention, completed, completed_by_class,
       days_followed, next_plan, class_actions, class_completed, count(*) AS n
FROM (SELECT * REPLACE (least(completed, 1) AS completed,
                        list_transform(completed_by_class, lambda c: least(c, 1)) AS completed_by_class),
             completed_by_class AS class_completed
      FROM w_split_endings)
GROUP BY GROUPING SETS (
    (team, year, final_ending, window_elapsed, replanned_in_window, fgc_event, views_event, fgc_action,
     co_produced_action, relational_action, adult_practitioner, intervention, completed, completed_by_class),
    (final_ending, adult_practitioner, intervention, days_followed, next_plan),
    (team, class_actions, class_completed))

-- name: works_actions_all
-- the actions of each ended plan (kept in a temp table, works_actions_cache, that works_action_kinds and
-- works_cte_kinded_made read, where the stored reviews are not complete), with the theme stored at import (NULL
-- where the action was not reviewed: the caller classifies those with paqa_dash/text/themes.py) and whether each
-- was completed by the end.  In no order: nothing reads them one by one
SELECT a.plan_id, e.team, a.action_text, a.owner_agency,
       a.status = 'DONE' AND (a.completed_date IS NULL OR a.completed_date <= e.end_date) AS completed,
       r.theme
FROM ended e
JOIN actions a ON a.plan_id = e.plan_id
LEFT JOIN action_reviews r ON r.action_id = a.action_id

-- name: works_action_kinds
-- the kinds of action (text, owner, stored theme) among them: the caller reads each kind's class and evidence
-- once (works_kinds, registered), not each of millions of actions
SELECT DISTINCT action_text, owner_agency, theme FROM works_actions_cache
