-- Rows read by their keys, for the few a page lists out of millions (paqa_dash/metrics/by_key.py).  A list of
-- keys in list_contains lets DuckDB read the table through its primary key's index (up to 2,048 keys: by_key.py
-- reads longer lists in parts), where a join of more than 50 listed rows to the table, or `IN (SELECT ...)` of
-- them, scans every row of it (docs/benchmark.md, *Eighth round*).

-- name: by_key_action_texts
-- The words of the actions $action_ids (child-level: the caller checks the scope).
SELECT action_id, action_text FROM actions WHERE list_contains($action_ids, action_id);

-- name: by_key_plan_starts
-- The start dates of the plans $plan_ids.
SELECT plan_id, start_date FROM plans WHERE list_contains($plan_ids, plan_id);

-- name: by_key_child_authorities
-- The authority (DfE LA number) of each of the children $child_ids: a list of children in a store of several
-- authorities names each child's.
SELECT child_id, authority FROM children WHERE list_contains($child_ids, child_id);
