-- Plan quality page (issue 6; issue 7 scale): the SMART, language, theme and relevance reviews of the
-- actions of plans started in the filter, aggregated here so only small frames reach pandas.  Run by
-- paqa_dash.metrics.plan_quality behind metrics_cte_seq (which gives `started`) and pq_cte_reviewed.
-- The reviews are those stored at import (action_reviews, language_findings, plan_reviews) when
-- $reviews_current, plus rows reviewed on the fly for actions the store lacks, registered by the
-- caller as pq_fresh_reviews / pq_fresh_findings / pq_fresh_plans (empty when nothing is missing).

-- name: pq_missing_actions
-- Actions of the cohort with no stored review (all of them when the stored reviews are stale).
SELECT a.action_id, a.plan_id, a.action_text, a.owner_agency, a.due_date
FROM started s
JOIN actions a ON a.plan_id = s.plan_id
WHERE NOT $reviews_current OR a.action_id NOT IN (SELECT action_id FROM action_reviews)
ORDER BY a.action_id;

-- name: pq_cte_reviewed
pq_reviews AS (
    SELECT action_id, plan_id, specific, measurable, achievable, time_bound, owner_named, smart, failed,
           reasons, theme
    FROM action_reviews WHERE $reviews_current
    UNION ALL
    SELECT CAST(action_id AS VARCHAR), CAST(plan_id AS VARCHAR), CAST(specific AS BOOLEAN),
           CAST(measurable AS BOOLEAN), CAST(achievable AS BOOLEAN), CAST(time_bound AS BOOLEAN),
           CAST(owner_named AS BOOLEAN), CAST(smart AS BOOLEAN), CAST(failed AS VARCHAR),
           CAST(reasons AS VARCHAR), CAST(theme AS VARCHAR)
    FROM pq_fresh_reviews
),
-- each reviewed action of a plan started in the filter, with the plan's team, start quarter and number
pq_acts AS (
    SELECT r.*, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date, s.plan_number,
           strftime(s.start_date, '%Y') || '-Q' || CAST(quarter(s.start_date) AS VARCHAR) AS quarter
    FROM started s
    JOIN pq_reviews r ON r.plan_id = s.plan_id
)

-- name: pq_acts_all
SELECT * FROM pq_acts

-- name: pq_cte_reviewed_cached
-- the same pq_acts, read from the temp table plan_quality.review fills once per call (read-only
-- connections may hold temp tables): every block below then reads it instead of joining again
pq_acts AS (SELECT * FROM pq_acts_cache)

-- name: pq_counts
-- Three groupings in one pass: per team and start quarter (SMART share), per team and theme (theme
-- mix), and the whole cohort (`grp` = 'all': tiles and failed criteria).
SELECT CASE GROUPING(team, quarter, theme) WHEN 1 THEN 'team_quarter' WHEN 2 THEN 'team_theme' ELSE 'all' END AS grp,
       team, quarter, theme,
       count(*) AS actions,
       count(*) FILTER (WHERE smart) AS smart_actions,
       count(*) FILTER (WHERE NOT specific) AS not_specific,
       count(*) FILTER (WHERE NOT measurable) AS not_measurable,
       count(*) FILTER (WHERE NOT achievable) AS not_achievable,
       count(*) FILTER (WHERE NOT time_bound) AS not_time_bound,
       count(*) FILTER (WHERE NOT owner_named) AS not_owner_named
FROM pq_acts
GROUP BY GROUPING SETS ((team, quarter), (team, theme), ())
ORDER BY grp, team, quarter, theme;

-- name: pq_plan_count
SELECT count(DISTINCT plan_id) AS plans FROM pq_acts;

-- name: pq_language
-- Deficit phrases and unexplained jargon found in the cohort's actions, per lexicon term and kind.
pq_findings AS (
    SELECT action_id, phrase, kind, term, suggestion, why, source
    FROM language_findings WHERE $reviews_current
    UNION ALL
    SELECT CAST(id AS VARCHAR), CAST(phrase AS VARCHAR), CAST(kind AS VARCHAR), CAST(term AS VARCHAR),
           CAST(suggestion AS VARCHAR), CAST(why AS VARCHAR), CAST(source AS VARCHAR)
    FROM pq_fresh_findings
)
SELECT lower(coalesce(f.term, f.phrase)) AS phrase, f.kind,
       min(f.suggestion) AS suggestion, min(f.why) AS why, min(f.source) AS source,
       count(*) AS findings, count(DISTINCT f.action_id) AS actions
FROM pq_findings f
JOIN pq_acts a ON a.action_id = f.action_id
GROUP BY 1, 2
ORDER BY findings DESC, phrase, kind;

-- name: pq_cte_plan_language
pq_plan_lang AS (
    SELECT plan_id, reading_ease, deficit_phrases, jargon_terms
    FROM plan_reviews
    WHERE $reviews_current AND plan_id NOT IN (SELECT CAST(plan_id AS VARCHAR) FROM pq_fresh_plans)
    UNION ALL
    SELECT CAST(plan_id AS VARCHAR), CAST(reading_ease AS DOUBLE), CAST(deficit_phrases AS INTEGER),
           CAST(jargon_terms AS INTEGER)
    FROM pq_fresh_plans
),
pq_plans AS (
    SELECT s.plan_id, s.child_id, coalesce(s.team, '(no team)') AS team, s.start_date, l.reading_ease,
           l.deficit_phrases, l.jargon_terms
    FROM started s
    JOIN pq_plan_lang l ON l.plan_id = s.plan_id
    WHERE s.plan_id IN (SELECT plan_id FROM pq_acts)
)

-- name: pq_reading_bins
-- Plans per 5-point band of Flesch reading ease (clipped to 0-100; the band 100 holds scores of 100).
SELECT 5 * floor(least(greatest(reading_ease, 0), 100) / 5) AS band, count(*) AS plans
FROM pq_plans
WHERE reading_ease IS NOT NULL
GROUP BY 1
ORDER BY 1;

-- name: pq_reading_summary
SELECT count(*) AS plans, median(reading_ease) AS median_ease,
       avg(CASE WHEN reading_ease < $plain_english THEN 1.0 ELSE 0.0 END) AS share_below
FROM pq_plans
WHERE reading_ease IS NOT NULL;

-- name: pq_reading_hardest
-- The plans hardest to read (lowest reading ease first).
SELECT plan_id, child_id, team, reading_ease, deficit_phrases, jargon_terms
FROM pq_plans
WHERE reading_ease IS NOT NULL
ORDER BY reading_ease, start_date DESC, plan_id
LIMIT $limit;

-- name: pq_cte_relevance
-- Per plan of the cohort and adult factor (SPEC 4) of its child known by the plan's end (or $as_of
-- while open) and not resolved before it started: how many of the plan's actions say they address it
-- (`addresses_factor` naming the code, e.g. 4B, or its number, 4) and whether all of those are themed
-- practical/compliance.  The same rules as metrics.relevance.relevance_frame (tested to agree).
pq_rel_plans AS (
    SELECT DISTINCT plan_id, child_id, team FROM pq_acts
),
pq_rel_needs AS (
    SELECT rp.plan_id, rp.child_id, rp.team, upper(trim(n.factor)) AS factor,
           bool_or(n.resolved_date IS NULL OR n.resolved_date >= p.start_date) AS open_during_plan
    FROM pq_rel_plans rp
    JOIN plans p ON p.plan_id = rp.plan_id
    JOIN needs n ON n.child_id = rp.child_id
    WHERE upper(trim(n.factor)) IN ('1B', '1C', '2B', '2C', '3A', '3B', '3C', '4B', '4C', '5B', '5C', '6B', '6C')
      AND n.identified_date <= coalesce(p.end_date, $as_of, current_date)
    GROUP BY ALL
),
pq_rel_codes AS (
    SELECT x.plan_id, x.action_id, x.theme, upper(c.code) AS code
    FROM (SELECT q.plan_id, q.action_id, q.theme, upper(trim(a.addresses_factor)) AS tag
          FROM actions a
          JOIN pq_acts q ON q.action_id = a.action_id
          WHERE a.addresses_factor IS NOT NULL AND trim(a.addresses_factor) <> '') x,
         unnest(string_split_regex(trim(x.tag), '[\s,;/]+')) AS c(code)
    WHERE c.code <> ''
),
pq_rel_factor AS (
    SELECT n.plan_id, n.child_id, n.team, n.factor,
           count(DISTINCT c.action_id) AS actions_addressing,
           coalesce(bool_and(c.theme = 'practical/compliance'), false) AS all_practical
    FROM pq_rel_needs n
    LEFT JOIN pq_rel_codes c
      ON c.plan_id = n.plan_id
     AND (c.code = n.factor OR c.code = nullif(regexp_extract(n.factor, '^\s*(\d+)', 1), ''))
    WHERE n.open_during_plan
    GROUP BY ALL
),
pq_rel AS (
    SELECT plan_id, any_value(child_id) AS child_id, any_value(team) AS team,
           count(*) AS adult_needs_open,
           count(*) FILTER (WHERE actions_addressing = 0) AS unaddressed_needs,
           count(*) FILTER (WHERE actions_addressing > 0 AND all_practical) AS practical_only_needs,
           list(factor ORDER BY factor) AS factors
    FROM pq_rel_factor
    GROUP BY plan_id
),
pq_rel_verdict AS (
    SELECT *, CASE WHEN unaddressed_needs > 0 THEN 0 WHEN practical_only_needs > 0 THEN 1 ELSE 2 END AS verdict_rank
    FROM pq_rel
)

-- name: pq_relevance_all
SELECT * FROM pq_rel_verdict

-- name: pq_cte_relevance_cached
-- pq_rel_verdict read from the temp table plan_quality.review fills once per call
pq_rel_verdict AS (SELECT * FROM pq_rel_cache)

-- name: pq_relevance_counts
SELECT team, verdict_rank, count(*) AS plans
FROM pq_rel_verdict
GROUP BY ALL
ORDER BY team, verdict_rank;

-- name: pq_relevance_plans
-- The plans to list: no action for an adult need first, then only practical actions; latest first.
SELECT r.plan_id, r.child_id, r.team, r.adult_needs_open, r.unaddressed_needs, r.practical_only_needs,
       r.verdict_rank, r.factors
FROM pq_rel_verdict r
JOIN started s ON s.plan_id = r.plan_id
ORDER BY r.verdict_rank, s.start_date DESC, r.plan_id
LIMIT $limit;

-- name: pq_failing_actions
-- Actions that are not SMART, with reasons: the most recent plans first.
SELECT q.child_id, q.team, q.plan_number, a.action_text, q.failed, q.reasons, q.theme
FROM (SELECT * FROM pq_acts WHERE NOT smart ORDER BY start_date DESC, plan_id, action_id LIMIT $limit) q
JOIN actions a ON a.action_id = q.action_id
ORDER BY q.start_date DESC, q.plan_id, q.action_id;

-- name: pq_review_counts
SELECT (SELECT count(*) FROM actions) AS actions, (SELECT count(*) FROM action_reviews) AS reviews;
