-- What the app shell needs to know about the store (teams for the sidebar, size, date span).

-- name: ui_meta_teams
SELECT DISTINCT team FROM plans WHERE team IS NOT NULL ORDER BY team;

-- name: ui_meta_span
SELECT count(*) AS plans, min(start_date) AS first_date, max(coalesce(end_date, start_date)) AS last_date
FROM plans;
