-- Plan quality page: the SMART, language, theme and relevance reviews of the
-- actions of plans started in the filter, aggregated here so only small frames reach pandas.  Run by
-- paqa_dash.metrics.plan_quality behind metrics_sequence_cte_seq (which gives `started`) and the per-plan blocks
-- plan_quality_cte_plan_facts / plan_quality_cte_plan_language, which need the reviews block.
-- The reviews block is plan_quality_cte_reviews_stored (the reviews written at import: action_reviews,
-- language_findings, plan_reviews) when those are current and complete; else the derive registry's
-- resolver has plan_quality_cte_reviews_fresh (stored plus made on the fly) or plan_quality_cte_reviews_made (made on the
-- fly only, the stored ones being stale) stand in for it, reading the reviews the caller made for the
-- actions the resolver says the store lacks, registered as pq_fresh_reviews / pq_fresh_findings /
-- pq_fresh_plans.
-- The per-plan blocks are the one definition of each plan's counts, language and relevance; at import
-- they fill derived tables (queries/derive/derived_plan_quality.sql), read instead whenever current.

-- name: plan_quality_cte_reviews_stored
-- the reviews written at import, as the per-plan blocks read them
pq_reviews AS (
    SELECT action_id, plan_id, specific, measurable, achievable, time_bound, owner_named, smart, failed,
           reasons, theme
    FROM action_reviews
),
pq_findings AS (
    SELECT action_id, phrase, kind, term, suggestion, why, source FROM language_findings
),
pq_plan_lang AS (
    SELECT plan_id, reading_ease, deficit_phrases, jargon_terms FROM plan_reviews
)

-- name: plan_quality_cte_reviews_now
-- the reviews made on the fly for actions the stored reviews lack (every action when those are stale),
-- registered by the caller as pq_fresh_reviews / pq_fresh_findings / pq_fresh_plans, typed as stored
pq_now_reviews AS (
    SELECT CAST(action_id AS VARCHAR) AS action_id, CAST(plan_id AS VARCHAR) AS plan_id,
           CAST(specific AS BOOLEAN) AS specific, CAST(measurable AS BOOLEAN) AS measurable,
           CAST(achievable AS BOOLEAN) AS achievable, CAST(time_bound AS BOOLEAN) AS time_bound,
           CAST(owner_named AS BOOLEAN) AS owner_named, CAST(smart AS BOOLEAN) AS smart,
           CAST(failed AS VARCHAR) AS failed, CAST(reasons AS VARCHAR) AS reasons, CAST(theme AS VARCHAR) AS theme
    FROM pq_fresh_reviews
),
pq_now_findings AS (
    SELECT CAST(id AS VARCHAR) AS action_id, CAST(phrase AS VARCHAR) AS phrase, CAST(kind AS VARCHAR) AS kind,
           CAST(term AS VARCHAR) AS term, CAST(suggestion AS VARCHAR) AS suggestion, CAST(why AS VARCHAR) AS why,
           CAST(source AS VARCHAR) AS source
    FROM pq_fresh_findings
),
pq_now_plans AS (
    SELECT CAST(plan_id AS VARCHAR) AS plan_id, CAST(reading_ease AS DOUBLE) AS reading_ease,
           CAST(deficit_phrases AS INTEGER) AS deficit_phrases, CAST(jargon_terms AS INTEGER) AS jargon_terms
    FROM pq_fresh_plans
)

-- name: plan_quality_cte_reviews_fresh
-- needs: plan_quality_cte_reviews_now
-- the reviews block when the stored reviews are current but miss some actions: the stored ones and
-- those made on the fly (a plan's language made now replaces its stored row)
pq_reviews AS (
    SELECT action_id, plan_id, specific, measurable, achievable, time_bound, owner_named, smart, failed,
           reasons, theme
    FROM action_reviews
    UNION ALL
    SELECT * FROM pq_now_reviews
),
pq_findings AS (
    SELECT action_id, phrase, kind, term, suggestion, why, source FROM language_findings
    UNION ALL
    SELECT * FROM pq_now_findings
),
pq_plan_lang AS (
    SELECT plan_id, reading_ease, deficit_phrases, jargon_terms
    FROM plan_reviews WHERE plan_id NOT IN (SELECT plan_id FROM pq_now_plans)
    UNION ALL
    SELECT * FROM pq_now_plans
)

-- name: plan_quality_cte_reviews_made
-- needs: plan_quality_cte_reviews_now
-- the reviews block when the stored reviews are stale (other lexicons or code): only those made now
pq_reviews AS (SELECT * FROM pq_now_reviews),
pq_findings AS (SELECT * FROM pq_now_findings),
pq_plan_lang AS (SELECT * FROM pq_now_plans)

-- name: plan_quality_missing_actions
-- Actions of the cohort to review on the fly: those with no stored review, or all when $review_all (the
-- resolver says the stored reviews are stale).
SELECT a.action_id, a.plan_id, a.action_text, a.owner_agency, a.due_date
FROM started s
JOIN actions a ON a.plan_id = s.plan_id
WHERE $review_all OR a.action_id NOT IN (SELECT action_id FROM action_reviews)
ORDER BY a.action_id;

-- name: plan_quality_cte_plan_base
-- needs: plan_quality_cte_reviews_stored
-- Per plan started in the filter with at least one reviewed action, what the as-of date does not change: its
-- actions, SMART ones and those failing each criterion; its reading ease and language counts (plan_reviews); and
-- per adult factor of its child's needs open during the plan (not resolved before it started), `rel_factors`:
-- from when it is known (`known_from`, its first such need identified, by the plan's end when ended in the store),
-- the plan's end in the store (`plan_end`), how many of the plan's actions say they address it
-- (`addresses_factor` naming the code, e.g. 4B, or its number, 4) and whether all of those are themed
-- practical/compliance -- the same rules as metrics.relevance.relevance_frame (docs/definitions.md, Adult
-- factors).  plan_quality_cte_plan_facts applies the as-of date.  Ends in pq_plan_base, with the plan's child,
-- team, start date, quarter and number from `started`.  Written at import for every plan as derived_pq_plans
-- (queries/derive/derived_plan_quality.sql) and read for any as-of date.
pq_plan_acts AS (
    SELECT r.plan_id, count(*) AS actions,
           count(*) FILTER (WHERE r.smart) AS smart_actions,
           count(*) FILTER (WHERE NOT r.specific) AS not_specific,
           count(*) FILTER (WHERE NOT r.measurable) AS not_measurable,
           count(*) FILTER (WHERE NOT r.achievable) AS not_achievable,
           count(*) FILTER (WHERE NOT r.time_bound) AS not_time_bound,
           count(*) FILTER (WHERE NOT r.owner_named) AS not_owner_named
    FROM started s
    JOIN pq_reviews r ON r.plan_id = s.plan_id
    GROUP BY r.plan_id
),
pq_plan_theme_counts AS (
    SELECT r.plan_id, r.theme, count(*) AS actions
    FROM started s
    JOIN pq_reviews r ON r.plan_id = s.plan_id
    GROUP BY r.plan_id, r.theme
),
-- the plan's actions per theme as one short text, 'adult need=2|safety=1' (no theme: empty name): few
-- distinct values, so the theme mix of a million plans is a group-by of the plans, not a join
pq_plan_theme_mix AS (
    SELECT plan_id, string_agg(coalesce(theme, '') || '=' || CAST(actions AS VARCHAR), '|' ORDER BY theme) AS theme_mix
    FROM pq_plan_theme_counts
    GROUP BY plan_id
),
-- a factor counts for a plan when a need of it open during the plan is identified by the plan's end (or the
-- as-of date while open): so from the first such need's date, which is by the end when the plan ended
pq_rel_needs AS (
    SELECT pa.plan_id, upper(trim(n.factor)) AS factor, p.end_date AS plan_end,
           min(n.identified_date) AS known_from
    FROM pq_plan_acts pa
    JOIN plans p ON p.plan_id = pa.plan_id
    JOIN needs n ON n.child_id = p.child_id
    WHERE upper(trim(n.factor)) IN (SELECT factor FROM ref_adult_factors)
      AND (n.resolved_date IS NULL OR n.resolved_date >= p.start_date)
      AND (p.end_date IS NULL OR n.identified_date <= p.end_date)
    GROUP BY ALL
),
pq_rel_codes AS (
    SELECT x.plan_id, x.action_id, x.theme, upper(c.code) AS code
    FROM (SELECT r.plan_id, r.action_id, r.theme, upper(trim(a.addresses_factor)) AS tag
          FROM actions a
          JOIN pq_reviews r ON r.action_id = a.action_id
          WHERE a.addresses_factor IS NOT NULL AND trim(a.addresses_factor) <> ''
            AND r.plan_id IN (SELECT plan_id FROM pq_plan_acts)) x,
         unnest(string_split_regex(trim(x.tag), '[\s,;/]+')) AS c(code)
    WHERE c.code <> ''
),
pq_rel_factor AS (
    SELECT n.plan_id, n.factor, n.plan_end, n.known_from,
           count(DISTINCT c.action_id) AS actions_addressing,
           coalesce(bool_and(c.theme = 'practical/compliance'), false) AS all_practical
    FROM pq_rel_needs n
    LEFT JOIN pq_rel_codes c
      ON c.plan_id = n.plan_id
     AND (c.code = n.factor OR c.code = nullif(regexp_extract(n.factor, '^\s*(\d+)', 1), ''))
    GROUP BY ALL
),
pq_rel_factors AS (
    SELECT plan_id,
           list({'factor': factor, 'known_from': known_from, 'plan_end': plan_end,
                 'actions_addressing': actions_addressing, 'all_practical': all_practical} ORDER BY factor)
             AS rel_factors
    FROM pq_rel_factor
    GROUP BY plan_id
),
pq_plan_base AS (
    SELECT s.plan_id, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date, s.plan_number,
           CAST(date_trunc('quarter', s.start_date) AS DATE) AS quarter,   -- the quarter's first day
           pa.actions, pa.smart_actions, pa.not_specific, pa.not_measurable, pa.not_achievable,
           pa.not_time_bound, pa.not_owner_named, tm.theme_mix,
           l.reading_ease, l.deficit_phrases, l.jargon_terms, r.rel_factors
    FROM started s
    JOIN pq_plan_acts pa ON pa.plan_id = s.plan_id
    JOIN pq_plan_theme_mix tm ON tm.plan_id = s.plan_id
    LEFT JOIN pq_plan_lang l ON l.plan_id = s.plan_id
    LEFT JOIN pq_rel_factors r ON r.plan_id = s.plan_id
)

-- name: plan_quality_cte_plan_facts
-- needs: plan_quality_cte_plan_base
-- Per plan of pq_plan_base (inline or stored), the relevance of its actions to its child's adult needs as of
-- $as_of: the factors known by the plan's end, or by $as_of while open (pq_plan_base says from when each is);
-- verdict_rank (0 no action for a need, 1 only practical actions, 2 every need addressed) is NULL with no adult
-- need open.  Worked out within each plan's row (its factors are a short list), not by a join.  Ends in pq_plans.
pq_rel AS (
    SELECT * EXCLUDE (rel_factors),
           nullif(list_filter(rel_factors, lambda f: f.known_from <= coalesce(f.plan_end, $as_of, current_date)), [])
             AS rel_known
    FROM pq_plan_base
),
pq_plans AS (
    SELECT * EXCLUDE (rel_known),
           len(rel_known) AS adult_needs_open,
           len(list_filter(rel_known, lambda f: f.actions_addressing = 0)) AS unaddressed_needs,
           len(list_filter(rel_known, lambda f: f.actions_addressing > 0 AND f.all_practical)) AS practical_only_needs,
           array_to_string(list_transform(rel_known, lambda f: f.factor), ',') AS factors,   -- in factor order
           CASE WHEN rel_known IS NULL THEN NULL
                WHEN list_bool_or(list_transform(rel_known, lambda f: f.actions_addressing = 0)) THEN 0
                WHEN list_bool_or(list_transform(rel_known, lambda f: f.actions_addressing > 0 AND f.all_practical))
                  THEN 1 ELSE 2 END AS verdict_rank
    FROM pq_rel
)

-- name: plan_quality_cte_plan_language
-- needs: plan_quality_cte_reviews_stored
-- Per plan started in the filter and lexicon term (deficit phrase or jargon): how often its reviewed
-- actions use it (findings) and in how many actions, with the lexicon's suggestion, why and source.
pq_lang_counts AS (
    SELECT r.plan_id, lower(coalesce(f.term, f.phrase)) AS phrase, f.kind,
           min(f.suggestion) AS suggestion, min(f.why) AS why, min(f.source) AS source,
           count(*) AS findings, count(DISTINCT f.action_id) AS actions
    FROM started s
    JOIN pq_reviews r ON r.plan_id = s.plan_id
    JOIN pq_findings f ON f.action_id = r.action_id
    GROUP BY ALL
),
pq_lang AS (
    SELECT l.plan_id, coalesce(s.team, '(no team)') AS team, l.phrase, l.kind, l.suggestion, l.why, l.source,
           l.findings, l.actions
    FROM started s
    JOIN pq_lang_counts l ON l.plan_id = s.plan_id
)

-- name: plan_quality_plans_all
-- needs: plan_quality_cte_plan_facts
SELECT * FROM pq_plans

-- name: plan_quality_cte_plans_cached
-- pq_plans read from the temp table plan_quality.review fills once per call (read-only connections may
-- hold temp tables): the aggregates below then scan it instead of each joining the filter's plans again
pq_plans AS (SELECT * FROM pq_plans_cache)

-- name: plan_quality_counts
-- needs: plan_quality_cte_plan_facts
-- Per team and start quarter (SMART share) and for the whole cohort (`grp` = 'all': tiles, failed
-- criteria, plans with an action).
SELECT CASE GROUPING(team, quarter) WHEN 0 THEN 'team_quarter' ELSE 'all' END AS grp, team, quarter,
       count(*) AS plans,
       sum(actions) AS actions, sum(smart_actions) AS smart_actions,
       sum(not_specific) AS not_specific, sum(not_measurable) AS not_measurable,
       sum(not_achievable) AS not_achievable, sum(not_time_bound) AS not_time_bound,
       sum(not_owner_named) AS not_owner_named
FROM pq_plans
GROUP BY GROUPING SETS ((team, quarter), ())
ORDER BY grp, team, quarter;

-- name: plan_quality_theme_mix
-- needs: plan_quality_cte_plan_facts
-- Actions per team and theme: the plans grouped by team and theme mix, then each mix read apart.
SELECT m.team, nullif(regexp_extract(t.part, '^(.*)=\d+$', 1), '') AS theme,
       sum(m.plans * CAST(regexp_extract(t.part, '=(\d+)$', 1) AS BIGINT)) AS actions
FROM (SELECT team, theme_mix, count(*) AS plans FROM pq_plans GROUP BY team, theme_mix) m,
     unnest(string_split(m.theme_mix, '|')) AS t(part)
GROUP BY 1, 2
ORDER BY team, theme;

-- name: plan_quality_language
-- needs: plan_quality_cte_plan_language
-- Deficit phrases and unexplained jargon found in the cohort's actions, per lexicon term and kind.
SELECT phrase, kind, min(suggestion) AS suggestion, min(why) AS why, min(source) AS source,
       sum(findings) AS findings, sum(actions) AS actions
FROM pq_lang
GROUP BY phrase, kind
ORDER BY findings DESC, phrase, kind;

-- name: plan_quality_reading
-- needs: plan_quality_cte_plan_facts
-- Plans per 5-point band of Flesch reading ease (clipped to 0-100; the band 100 holds scores of 100),
-- and (band NULL) every plan with a score: count, median, share below $plain_english.
SELECT 5 * floor(least(greatest(reading_ease, 0), 100) / 5) AS band, count(*) AS plans,
       median(reading_ease) AS median_ease,
       avg(CASE WHEN reading_ease < $plain_english THEN 1.0 ELSE 0.0 END) AS share_below
FROM pq_plans
WHERE reading_ease IS NOT NULL
GROUP BY GROUPING SETS ((1), ())
ORDER BY band NULLS FIRST;

-- name: plan_quality_reading_hardest
-- needs: plan_quality_cte_plan_facts
-- The plans hardest to read (lowest reading ease first).
SELECT plan_id, child_id, team, reading_ease, deficit_phrases, jargon_terms
FROM pq_plans
WHERE reading_ease IS NOT NULL
ORDER BY reading_ease, start_date DESC, plan_id
LIMIT $limit;

-- name: plan_quality_relevance_counts
-- needs: plan_quality_cte_plan_facts
SELECT team, verdict_rank, count(*) AS plans
FROM pq_plans
WHERE verdict_rank IS NOT NULL
GROUP BY ALL
ORDER BY team, verdict_rank;

-- name: plan_quality_relevance_plans
-- needs: plan_quality_cte_plan_facts
-- The plans to list: no action for an adult need first, then only practical actions; latest first.
SELECT plan_id, child_id, team, adult_needs_open, unaddressed_needs, practical_only_needs, verdict_rank, factors
FROM pq_plans
WHERE verdict_rank IS NOT NULL
ORDER BY verdict_rank, start_date DESC, plan_id
LIMIT $limit;

-- name: plan_quality_failing_actions
-- needs: plan_quality_cte_plan_facts, plan_quality_cte_reviews_stored
-- Actions that are not SMART, with reasons: the most recent plans first.  The first $limit plans with a
-- failing action hold at least the first $limit failing actions, so only their reviews are read.  Without the
-- actions' words: paqa_dash.metrics.by_key reads those by key.
SELECT p.child_id, p.team, p.plan_number, r.action_id, r.failed, r.reasons, r.theme
FROM (SELECT plan_id, child_id, team, plan_number, start_date FROM pq_plans
      WHERE smart_actions < actions ORDER BY start_date DESC, plan_id LIMIT $limit) p
JOIN pq_reviews r ON r.plan_id = p.plan_id
WHERE NOT r.smart
ORDER BY p.start_date DESC, p.plan_id, r.action_id
LIMIT $limit;
