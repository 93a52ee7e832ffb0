"""The metrics engine: row work in DuckDB (`queries/metrics/`), results as tidy
DataFrames or plain dicts.  Every function takes a connection (read-only is fine), a
`filters.Filters` and a `settings.Thresholds` (the defaults when omitted).

(The filter is `paqa_dash.filters.Filters`; calendar arithmetic is `paqa_dash.reference.calendar`.)
sequence.plan_sequence(con, thresholds, as_of=None) -> one row per plan: plan_id, child_id, team,
    start_date, end_date, initial_category, plan_number, is_repeat, previous_plan_id, previous_end,
    gap_days, repeat_within_window, duration_band, age_band, next_plan_id, next_start
sequence.started_plans(con, filters, thresholds); start_counts(...) -> dict; end_counts(...) -> dict
endings.ending_reasons(con, filters, thresholds) -> per ended plan: ..., short, open_actions,
    unaddressed_adult_need, open_adult_factors, reasons ('SHORT,OPEN_ACTIONS'), premature, at_risk,
    next_plan_id, next_start;  endings.ending_lists(...) -> only premature / at-risk rows
    (plan_id, child_id, reasons, premature, at_risk);  endings.reason_counts(...) -> dict;
    endings.reasons_list(text) -> list
timeliness.core_group_timeliness / review_timeliness(con, filters, thresholds) -> per deadline:
    plan_id, kind ('first'|'interval' / 'first'|'later'), due, met_on, status ('on_time'|'late'|'not_due');
    core_group_counts / review_counts -> dicts as in `metrics --json` (aggregated in SQL)
engagement.agency_attendance(con, filters) -> agency, invited, attended, contributed, rate,
    contribution_rate; attendance_by_quarter(...) (+ quarter); challenges(...) -> agency, event_type,
    events, plans; challenges_per_plan(...) -> plan_id, child_id, team, challenges, escalations;
    challenges_by_team(...) -> team, plans, plans_with_challenge, plans_with_escalation, challenges,
    escalations; agency_totals(by_quarter) -> agency_attendance's frame from the quarterly one
household.family_change_counts(con, filters, thresholds) -> {during_plans, before_repeat_plans};
    changes_per_child(...) -> child_id, changes, has_repeat_plan, bucket;
    change_buckets(...) -> bucket, has_repeat_plan, children (counted in SQL);
    after_first_plan(...) -> bucket, replanned, children (first plans ended and followed up the re-plan
    window: changes in it, re-planned in it); replanned_share(after) -> bucket, children,
    replanned_children, replanned_share;
    most_changes(..., limit) -> child_id, changes, has_repeat_plan, children_with_changes
summary.compute(con, filters, thresholds) -> the `metrics --json` dict;
    summary.quarterly(...) -> quarter, label, plans_started, repeat_plans_started, repeat_rate,
    plans_ended, ended_le_3m;  summary.duplicate_actions(...) -> stored matches >= threshold
cli_args.add_arguments(parser), cli_args.from_args(args) -> (Filters, Thresholds)
sqlrun.run(con, main_block, filters, thresholds, **extra) runs a main block behind the shared
    CTEs ("metrics_sequence_cte_seq" = seq + started + ended) and the blocks it declares it needs (`-- needs:`);
    sqlrun.cached_sequence(con, filters, thresholds) is a context manager that materialises `seq`
    once for a batch of queries.
sqlrun.reads_stored(con, filters, thresholds, *entries): whether named derive-registry entries are read.
What the importer works out once (plan_sequence, core_group_attendance, derived_* tables, reviews,
    matches) lives in paqa_dash/derive: the registry's resolver picks stored or inline blocks for `run`,
    so a query never needs to know which path it took.

The pages' reads live here too: cohorts (overview, repeat plans, endings, duplicated actions frames),
audit (the audit sample), chronology (one child's record, for the timeline and the pack),
data_quality (imports, rejects, warnings) and store_info (teams, span, what the store records).

As-of: plans starting after it are ignored, plans ending after it are open, events after it have
not happened.  Periods select plans started in them, except endings/bands/reasons (ended in them).
"""
