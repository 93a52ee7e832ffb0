-- Queries of the authority of an import's rows (paqa_dash/ingest/authority.py).

-- name: authority_stored
SELECT DISTINCT authority FROM children WHERE authority IS NOT NULL ORDER BY authority;

-- name: authority_unnamed_children
SELECT count(*) FROM children WHERE authority IS NULL;
