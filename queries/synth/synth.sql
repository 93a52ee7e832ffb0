-- Queries of the synthetic generator (paqa_dash/synth).

-- name: synth_store_plans
-- How many plans a store holds (the demo refuses to replace a store of imported data).
SELECT count(*) AS plans FROM plans;
