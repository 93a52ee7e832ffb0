-- Spreading a synthetic benchmark store's children over several authorities (paqa_dash/benchmark/authorities.py).

-- name: authorities_spread
-- Each child takes one of the LA numbers $codes by a hash of its id: the same child the same authority on every run
-- of one DuckDB version, about as many children in each.  (The children's plans take it through the plan sequence,
-- written again after.)
UPDATE children
SET authority = CAST($codes AS VARCHAR[])[1 + (hash(child_id) % len(CAST($codes AS VARCHAR[])))::INTEGER];

-- name: authorities_largest
-- The authority with most plans (through the plan sequence, as `started` reads it; the first by code on a tie): the
-- one whose view the settings grid times, as a regional user opens it (paqa_dash/benchmark/settings_grid.py).
SELECT authority FROM plan_sequence WHERE authority IS NOT NULL GROUP BY authority ORDER BY count(*) DESC, authority
LIMIT 1;

-- name: authorities_counted
-- How many authorities the pages see (through the plan sequence, as `started` reads it) and the plans of each.
SELECT count(*) AS authorities, min(plans) AS fewest_plans, max(plans) AS most_plans
FROM (SELECT authority, count(*) AS plans FROM plan_sequence WHERE authority IS NOT NULL GROUP BY authority);
