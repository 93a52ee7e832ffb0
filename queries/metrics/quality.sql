-- Plan quality: adult needs against plan actions, and plan actions for the SMART,
-- language and theme reviews.  Parameters: $plan_ids (a list; empty = all plans), $as_of (the date
-- an open plan is looked at), and for quality_actions the shared filters $teams (empty = all),
-- $date_from / $date_to (plan start, NULL = open-ended).

-- name: quality_plan_needs
-- Adult factors (1B 1C 2B 2C 3B 3C 4B 4C 5B 5C 6B 6C and 3A) of each plan's child that were
-- known by the plan's end (or $as_of while it is open); open_during_plan = not resolved before it started.
SELECT p.plan_id,
       p.child_id,
       upper(trim(n.factor)) AS factor,
       min(n.identified_date) AS identified_date,
       bool_or(n.resolved_date IS NULL OR n.resolved_date >= p.start_date) AS open_during_plan
FROM plans p
JOIN needs n ON n.child_id = p.child_id
WHERE (len($plan_ids) = 0 OR list_contains($plan_ids, p.plan_id))
  AND upper(trim(n.factor)) IN (SELECT factor FROM ref_adult_factors)
  AND n.identified_date <= coalesce(p.end_date, $as_of, current_date)
GROUP BY p.plan_id, p.child_id, upper(trim(n.factor))
ORDER BY p.plan_id, factor;

-- name: quality_plan_actions
-- Every action of the selected plans with the factor it says it addresses (code '4B' or number '4').
SELECT a.plan_id,
       a.action_id,
       a.action_text,
       upper(trim(a.addresses_factor)) AS addresses_factor,
       a.owner_agency,
       a.set_date,
       a.due_date,
       a.status
FROM actions a
WHERE (len($plan_ids) = 0 OR list_contains($plan_ids, a.plan_id))
ORDER BY a.plan_id, a.action_id;

-- name: quality_actions
-- Actions of plans that started in the period, for the selected teams, with the plan's team and
-- start quarter (the "period" of the SMART share per team and period).
SELECT a.action_id,
       a.plan_id,
       p.child_id,
       p.team,
       p.start_date,
       strftime(p.start_date, '%Y') || '-Q' || CAST(quarter(p.start_date) AS VARCHAR) AS period,
       a.action_text,
       a.owner_agency,
       a.set_date,
       a.due_date,
       upper(trim(a.addresses_factor)) AS addresses_factor
FROM actions a
JOIN plans p ON p.plan_id = a.plan_id
WHERE (len($teams) = 0 OR list_contains($teams, p.team))
  AND ($date_from IS NULL OR p.start_date >= $date_from)
  AND ($date_to IS NULL OR p.start_date <= $date_to)
  AND ($as_of IS NULL OR p.start_date <= $as_of)
ORDER BY p.team, a.plan_id, a.action_id;
