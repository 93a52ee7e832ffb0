-- Which kinds of record the store holds for each plan (paqa_dash/metrics/coverage.py; the kinds are
-- declared in paqa_dash/reference/recorded.py).  A plan holds a kind when the import run that wrote it
-- supplied any record of that kind (then a plan without one really had none: a missed core group), or
-- when such records are linked to the plan itself (a later import added them).  Rows written outside an
-- import (no run_id: hand-built test stores) count as one run of their own.

-- name: coverage_cte_partial_runs
-- import runs whose source holds a kind of record in part only (ref_partial_sources, reference/recorded.py
-- PARTIAL_SOURCES: Annex A's latest review conference of each plan): their rows of that kind do not make a plan
-- hold it (a plan with only its latest review would read as every earlier review missed).  A run of several
-- sources at once ('cin_xml+annex_a') counts as partial when any of them is: its rows do not say which file they
-- came from, and "not recorded" is true where "missed" may not be (import the sources in runs of their own to
-- measure the plans of the complete one).
m_cov_partial AS (
    SELECT i.run_id, k.kind FROM import_runs i
    JOIN ref_partial_sources k ON list_contains(string_split(i.kind, '+'), k.import_kind)
)

-- name: coverage_cte_event_types
-- What kind each event type is, one row per type (the concern groups have one per agency), said once for the runs'
-- flags and the plans' (coverage_cte_run_flags, coverage_cte_plan_data): a type is a concern when no row of it is
-- another kind.  A block of its own: an import's refresh reads the run flags from a table worked out before
-- (registry_cte_run_flags_scoped), and the plans' kinds still need the types.
m_cov_types AS (
    SELECT event_type, bool_or(kind <> 'concern') AS not_concern, coalesce(bool_or(impact), FALSE) AS impact,
           -- a concern short of a referral (reference/concerns.py SHORT_OF_REFERRAL_GROUPS): a contact, an incident, a
           -- missed appointment; not a referral, nor an event of no named group (a census's CIN plans and closures)
           coalesce(bool_or(short_of_referral), FALSE) AS other_concern
    FROM ref_concern_groups GROUP BY event_type
)

-- name: coverage_cte_run_flags
-- needs: coverage_cte_partial_runs, coverage_cte_event_types
-- per import run whose plans are in the store, one boolean column per kind: whether the run's data records it.
-- The events are read once, as their runs' kinds (m_cov_events: a few rows per run), and each flag is asked of
-- those: asked of the events table itself, each of five flags scanned 32 million events at a million plans, and
-- an import works them out twice (docs/benchmark.md, "One authority-year into a million plans").
m_cov_events AS (
    SELECT coalesce(run_id, -1) AS run_id, event_type FROM events GROUP BY ALL
),
m_cov_actions AS (
    SELECT coalesce(run_id, -1) AS run_id, bool_or(addresses_factor IS NOT NULL) AS links FROM actions GROUP BY ALL
),
m_cov_runs AS (
    SELECT r.run_id,
           r.run_id IN (SELECT run_id FROM m_cov_events WHERE event_type = 'CORE_GROUP') AS core_groups,
           r.run_id IN (SELECT DISTINCT coalesce(run_id, -1) FROM attendance) AS attendance,
           r.run_id IN (SELECT run_id FROM m_cov_events WHERE event_type = 'REVIEW_CONFERENCE')
             AND r.run_id NOT IN (SELECT run_id FROM m_cov_partial WHERE kind = 'reviews') AS reviews,
           r.run_id IN (SELECT DISTINCT coalesce(run_id, -1) FROM family_changes) AS family_changes,
           r.run_id IN (SELECT DISTINCT coalesce(run_id, -1) FROM needs) AS needs,
           r.run_id IN (SELECT run_id FROM m_cov_actions) AS actions,
           r.run_id IN (SELECT run_id FROM m_cov_actions WHERE links) AS action_links,
           r.run_id IN (SELECT e.run_id FROM m_cov_events e LEFT JOIN m_cov_types t USING (event_type)
                        WHERE NOT coalesce(t.not_concern, FALSE)) AS concern_events,
           r.run_id IN (SELECT run_id FROM m_cov_events WHERE event_type = 'PLAN_UPDATE') AS plan_updates,
           r.run_id IN (SELECT run_id FROM m_cov_events WHERE event_type = 'STRATEGY_DISCUSSION') AS strategy_discussions,
           r.run_id IN (SELECT e.run_id FROM m_cov_events e JOIN m_cov_types t USING (event_type)
                        WHERE t.impact) AS impact_events,
           r.run_id IN (SELECT e.run_id FROM m_cov_events e JOIN m_cov_types t USING (event_type)
                        WHERE t.other_concern) AS other_concerns,
           r.run_id IN (SELECT run_id FROM m_cov_events WHERE event_type IN ('CHALLENGE', 'ESCALATION')) AS challenges,
           r.run_id IN (SELECT run_id FROM m_cov_events WHERE event_type = 'WRITTEN_AGREEMENT') AS written_agreements
    FROM (SELECT DISTINCT coalesce(run_id, -1) AS run_id FROM plans) r
)

-- name: coverage_cte_plan_data
-- needs: coverage_cte_run_flags, coverage_cte_partial_runs, coverage_cte_event_types
-- per plan of the store (no filter: the derived tables read it too), one boolean column per kind.  The events are
-- read once, into the kinds of each child's events and of each plan's (m_cov_event_kinds): asked of the events
-- table one kind at a time, seven semi-joins scanned its 27 million rows at a million plans, 29 CPU s of every
-- import (docs/benchmark.md, *Seventh round*).  The concern groups (several rows per event type, one
-- per agency) are read per event type first, so a type counts as a concern exactly when no row of it is another
-- kind (m_cov_types, coverage_cte_event_types).
m_cov_event_kinds AS (
    SELECT e.child_id, e.plan_id,
           bool_or(e.event_type = 'CORE_GROUP') AS core_groups,
           bool_or(e.event_type = 'REVIEW_CONFERENCE' AND pr.run_id IS NULL) AS reviews,
           bool_or(NOT coalesce(t.not_concern, FALSE)) AS concern_events,
           bool_or(e.event_type = 'PLAN_UPDATE') AS plan_updates,
           bool_or(e.event_type = 'STRATEGY_DISCUSSION') AS strategy_discussions,
           bool_or(coalesce(t.impact, FALSE)) AS impact_events,
           bool_or(coalesce(t.other_concern, FALSE)) AS other_concerns,
           bool_or(e.event_type IN ('CHALLENGE', 'ESCALATION')) AS challenges,
           bool_or(e.event_type = 'WRITTEN_AGREEMENT') AS written_agreements
    FROM events e
    LEFT JOIN m_cov_types t ON t.event_type = e.event_type
    LEFT JOIN (SELECT DISTINCT run_id FROM m_cov_partial WHERE kind = 'reviews') pr ON pr.run_id = coalesce(e.run_id, -1)
    GROUP BY e.child_id, e.plan_id
),
-- kinds linked to the plan itself (its meetings, its reviews outside a partial source)
m_cov_plan_events AS (
    SELECT plan_id, bool_or(core_groups) AS core_groups, bool_or(reviews) AS reviews
    FROM m_cov_event_kinds WHERE plan_id IS NOT NULL GROUP BY plan_id
),
-- kinds of the child's events, whichever plan they name (a concern, an update, a challenge, an agreement)
m_cov_child_events AS (
    SELECT child_id, bool_or(concern_events) AS concern_events, bool_or(plan_updates) AS plan_updates,
           bool_or(impact_events) AS impact_events, bool_or(other_concerns) AS other_concerns,
           bool_or(strategy_discussions) AS strategy_discussions,
           bool_or(challenges) AS challenges,
           bool_or(written_agreements) AS written_agreements
    FROM m_cov_event_kinds GROUP BY child_id
),
-- plans with attendance of their own, asked only of the plans whose import run brought none (the rest hold it
-- anyway): the attendance of every plan's meetings is 40 million rows joined to the events at a million plans
m_cov_attended AS (
    SELECT DISTINCT e.plan_id
    FROM (SELECT e.event_id, e.plan_id FROM events e
          JOIN plans p ON p.plan_id = e.plan_id
          JOIN m_cov_runs r ON r.run_id = coalesce(p.run_id, -1)
          WHERE NOT r.attendance) e
    JOIN attendance a ON a.event_id = e.event_id
),
plan_data AS (
    SELECT p.plan_id,
           coalesce(r.core_groups, FALSE) OR coalesce(pe.core_groups, FALSE) AS core_groups,
           coalesce(r.attendance, FALSE) OR pa.plan_id IS NOT NULL AS attendance,
           coalesce(r.reviews, FALSE) OR coalesce(pe.reviews, FALSE) AS reviews,
           coalesce(r.family_changes, FALSE)
             OR p.child_id IN (SELECT child_id FROM family_changes WHERE child_id IS NOT NULL)
             OR coalesce(c.family_id IN (SELECT family_id FROM family_changes WHERE family_id IS NOT NULL), FALSE) AS family_changes,
           coalesce(r.needs, FALSE) OR p.child_id IN (SELECT child_id FROM needs) AS needs,
           coalesce(r.actions, FALSE) OR p.plan_id IN (SELECT plan_id FROM actions) AS actions,
           coalesce(r.action_links, FALSE)
             OR p.plan_id IN (SELECT plan_id FROM actions WHERE addresses_factor IS NOT NULL) AS action_links,
           -- events of a concern group (reference/concerns.py), by run or of the child
           coalesce(r.concern_events, FALSE) OR coalesce(ce.concern_events, FALSE) AS concern_events,
           coalesce(r.plan_updates, FALSE) OR coalesce(ce.plan_updates, FALSE) AS plan_updates,
           -- strategy discussions, by run or of the child (as the between-plans measures read them: any of the child's)
           coalesce(r.strategy_discussions, FALSE) OR coalesce(ce.strategy_discussions, FALSE) AS strategy_discussions,
           -- events that are evidence of impact on the child (ref_concern_groups.impact), by run or of the child
           coalesce(r.impact_events, FALSE) OR coalesce(ce.impact_events, FALSE) AS impact_events,
           -- concerns short of a referral (contacts, incidents, missed appointments), by run or of the child
           coalesce(r.other_concerns, FALSE) OR coalesce(ce.other_concerns, FALSE) AS other_concerns,
           -- challenges and escalations, and written agreements, by run or of the child (as the measures read
           -- them: a challenge counts for the plan it names or, naming none, the plan of the child it falls in; an
           -- agreement is placed against the child's plans), never from the core groups beside them
           coalesce(r.challenges, FALSE) OR coalesce(ce.challenges, FALSE) AS challenges,
           coalesce(r.written_agreements, FALSE) OR coalesce(ce.written_agreements, FALSE) AS written_agreements
    FROM plans p
    LEFT JOIN m_cov_runs r ON r.run_id = coalesce(p.run_id, -1)
    LEFT JOIN children c ON c.child_id = p.child_id
    LEFT JOIN m_cov_plan_events pe ON pe.plan_id = p.plan_id
    LEFT JOIN m_cov_child_events ce ON ce.child_id = p.child_id
    LEFT JOIN m_cov_attended pa ON pa.plan_id = p.plan_id
)

-- name: coverage_by_year_team
-- needs: coverage_cte_plan_data
-- plans started or ended in the filter, by authority, start year and team, and how many of them hold each kind (the
-- authority for the Regional view, which reads every authority's from one query: metrics/coverage.py by_authority)
SELECT s.authority, year(s.start_date) AS year, s.team, count(*) AS plans,
       count(*) FILTER (WHERE d.core_groups) AS core_groups,
       count(*) FILTER (WHERE d.attendance) AS attendance,
       count(*) FILTER (WHERE d.reviews) AS reviews,
       count(*) FILTER (WHERE d.family_changes) AS family_changes,
       count(*) FILTER (WHERE d.needs) AS needs,
       count(*) FILTER (WHERE d.actions) AS actions,
       count(*) FILTER (WHERE d.action_links) AS action_links,
       count(*) FILTER (WHERE d.concern_events) AS concern_events,
       count(*) FILTER (WHERE d.plan_updates) AS plan_updates,
       count(*) FILTER (WHERE d.strategy_discussions) AS strategy_discussions,
       count(*) FILTER (WHERE d.impact_events) AS impact_events,
       count(*) FILTER (WHERE d.other_concerns) AS other_concerns,
       count(*) FILTER (WHERE d.challenges) AS challenges,
       count(*) FILTER (WHERE d.written_agreements) AS written_agreements
FROM started_or_ended s
JOIN plan_data d ON d.plan_id = s.plan_id
GROUP BY ALL
ORDER BY year, team, authority

-- name: coverage_store
-- needs: coverage_cte_plan_data
-- the whole store: plans, and how many hold each kind (what a filter with no plans falls back on)
SELECT count(*) AS plans,
       count(*) FILTER (WHERE core_groups) AS core_groups,
       count(*) FILTER (WHERE attendance) AS attendance,
       count(*) FILTER (WHERE reviews) AS reviews,
       count(*) FILTER (WHERE family_changes) AS family_changes,
       count(*) FILTER (WHERE needs) AS needs,
       count(*) FILTER (WHERE actions) AS actions,
       count(*) FILTER (WHERE action_links) AS action_links,
       count(*) FILTER (WHERE concern_events) AS concern_events,
       count(*) FILTER (WHERE plan_updates) AS plan_updates,
       count(*) FILTER (WHERE strategy_discussions) AS strategy_discussions,
       count(*) FILTER (WHERE impact_events) AS impact_events,
       count(*) FILTER (WHERE other_concerns) AS other_concerns,
       count(*) FILTER (WHERE challenges) AS challenges,
       count(*) FILTER (WHERE written_agreements) AS written_agreements
FROM plan_data

-- name: coverage_cte_plan_data_stored
-- coverage_cte_plan_data from table derived_plan_data (paqa_dash/derive/registry.py), written at import for every
-- plan of the store: the same rows, without joining every attendance row to its event per query
plan_data AS (
    SELECT * FROM derived_plan_data
)

-- name: coverage_plan_data_rows
-- needs: coverage_cte_plan_data
SELECT * FROM plan_data
