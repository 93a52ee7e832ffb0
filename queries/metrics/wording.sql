-- Wording with the family in mind (paqa_dash/metrics/wording.py; docs/definitions.md, "Strengths-based and
-- trauma-informed wording"), run behind the plan sequence: the distinct action wordings of the plans started
-- in the filter, per team, with how many actions use each; the wording itself is weighed in Python
-- (paqa_dash/text/language.py wording_kinds), once per distinct text.

-- name: wording_texts
SELECT coalesce(s.team, '(no team)') AS team, a.action_text, count(*) AS actions
FROM started s
JOIN actions a ON a.plan_id = s.plan_id
WHERE a.action_text IS NOT NULL AND trim(a.action_text) <> ''
GROUP BY ALL
ORDER BY team, a.action_text;
