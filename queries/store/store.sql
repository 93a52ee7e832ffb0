-- What the store itself answers (paqa_dash/store.py).

-- name: store_data_date
-- The latest date the store records anything on: the default "as of" date, so an extract taken in March
-- is not read in November as eight months of missed meetings.
SELECT max(d) AS data_date FROM (
    SELECT max(event_date) AS d FROM events
    UNION ALL SELECT max(start_date) FROM plans
    UNION ALL SELECT max(end_date) FROM plans
    UNION ALL SELECT max(change_date) FROM family_changes
);
