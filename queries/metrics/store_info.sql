-- What the app shell needs to know about the store (teams for the sidebar, size, date span).

-- name: store_info_teams
SELECT DISTINCT team FROM plans WHERE team IS NOT NULL ORDER BY team;

-- name: store_info_span
-- needs: store_cte_implausible_plans
-- The span of the plans the measures count: an implausible plan (a start in 1970) is left out of them, so a span
-- from it would send a user to a year with nothing to show.
SELECT count(*) AS plans,
       min(start_date) FILTER (WHERE plan_id NOT IN (SELECT plan_id FROM s_implausible)) AS first_date,
       max(coalesce(end_date, start_date)) FILTER (WHERE plan_id NOT IN (SELECT plan_id FROM s_implausible)) AS last_date
FROM plans;

-- name: store_info_authority_spans
-- needs: store_cte_implausible_plans
-- store_info_span for each authority of a store of several: a message that sends the user to the years where the
-- plans are names those of the authorities chosen, not the store's (an authority whose returns ended in 2024 has
-- none in 2025-26, whatever the others hold).
SELECT c.authority, min(p.start_date) AS first_date, max(coalesce(p.end_date, p.start_date)) AS last_date
FROM plans p JOIN children c ON c.child_id = p.child_id
WHERE c.authority IS NOT NULL AND p.plan_id NOT IN (SELECT plan_id FROM s_implausible)
GROUP BY c.authority ORDER BY c.authority;

-- name: store_info_recorded
-- Whether the store records these at all: CIN census, Annex A and SSD carry no actions, attendance or core groups.
SELECT (SELECT count(*) FROM actions) AS actions,
       (SELECT count(*) FROM attendance) AS attendance,
       (SELECT count(*) FROM events WHERE event_type = 'CORE_GROUP') AS core_groups;

-- name: store_info_authorities
-- The authorities the store's children belong to (DfE LA numbers; children.authority, issue 15) and the teams
-- of their plans, so the sidebar offers Authority and Region only when there is more than one, and teams follow.
SELECT c.authority, coalesce(list(DISTINCT p.team ORDER BY p.team) FILTER (WHERE p.team IS NOT NULL), []) AS teams
FROM children c JOIN plans p ON p.child_id = c.child_id
WHERE c.authority IS NOT NULL
GROUP BY c.authority ORDER BY c.authority;
