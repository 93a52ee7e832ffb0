-- The paqa_dash store.  Every *_id column holds a pseudonym (docs/data_contract.md, De-identification):
-- hmac_sha256(key, source id)[:16].  Codes are upper-case vocabulary values (docs/data_contract.md),
-- checked here so no path can store an unknown code.  What is worked out from these tables at import
-- (the action matches and reviews, plan_sequence, core_group_attendance, the derived_* tables) is
-- written by paqa_dash/derive, which records each in meta under 'derived:<name>' (JSON: the import run,
-- row counts, dates and thresholds it reflects) and reads it back only while that record is current.

CREATE TABLE IF NOT EXISTS meta (
    key VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE IF NOT EXISTS import_runs (
    run_id INTEGER PRIMARY KEY,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    kind VARCHAR NOT NULL,            -- bundle | bundle_xlsx | cin_xml | annex_a | ssd | synthetic
    source VARCHAR NOT NULL,          -- file or folder name (no path above it)
    file_hash VARCHAR NOT NULL,       -- sha256 of the source bytes (all files of a folder)
    rows_read INTEGER NOT NULL,
    rows_loaded INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    rows_duplicate INTEGER NOT NULL,
    counts_json VARCHAR NOT NULL      -- per-table {read, loaded, rejected, duplicates}
);

CREATE TABLE IF NOT EXISTS rejects (
    run_id INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_number INTEGER,
    field VARCHAR,
    reason VARCHAR NOT NULL,
    fingerprint VARCHAR               -- keyed HMAC of the source row's content (see below); NULL when not one row's
);

CREATE TABLE IF NOT EXISTS warnings (
    run_id INTEGER NOT NULL,
    table_name VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    row_number INTEGER,
    field VARCHAR,
    message VARCHAR NOT NULL,
    fingerprint VARCHAR
);

-- A reject or warning about one source row carries the row's fingerprint: hmac_sha256(key, table name + the
-- row's values)[:32], without its row number or file name (paqa_dash/ingest/deidentify.row_fingerprint).  The
-- same rows imported again in another order replace their issues instead of adding them twice.  Stores made
-- before the column existed get it here (NULL for their old rows, which are then never replaced).
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;
ALTER TABLE warnings ADD COLUMN IF NOT EXISTS fingerprint VARCHAR;
-- The record a reject is about, by its stored id (the pseudonym of its table's key: a plan's plan_id), where the
-- value or reference checks knew it; NULL otherwise.  An import that loads that record clears the reject: the row
-- was corrected.  Older stores' rejects have none and stay as they are.
ALTER TABLE rejects ADD COLUMN IF NOT EXISTS record_id VARCHAR;

CREATE TABLE IF NOT EXISTS children (
    child_id VARCHAR PRIMARY KEY,
    family_id VARCHAR,
    birth_month DATE,                 -- first day of the month of birth (de-identified)
    sex VARCHAR CHECK (sex IN ('M', 'F', 'U')),
    ethnicity VARCHAR,
    disability BOOLEAN,
    run_id INTEGER
);

CREATE TABLE IF NOT EXISTS plans (
    plan_id VARCHAR PRIMARY KEY,
    child_id VARCHAR NOT NULL,
    start_date DATE NOT NULL,
    end_date DATE,                    -- NULL = open
    initial_category VARCHAR NOT NULL CHECK (initial_category IN ('NEG', 'EMO', 'PHY', 'SAB', 'MUL')),
    latest_category VARCHAR CHECK (latest_category IN ('NEG', 'EMO', 'PHY', 'SAB', 'MUL')),
    team VARCHAR,
    end_reason VARCHAR CHECK (end_reason IN ('NO_LONGER_AT_RISK', 'STEP_DOWN_CIN', 'STEP_DOWN_EARLY_HELP',
        'LOOKED_AFTER', 'TRANSFERRED_OUT', 'AGE_18', 'DIED', 'OTHER')),
    previous_plans INTEGER CHECK (previous_plans >= 0),
    run_id INTEGER
);

CREATE TABLE IF NOT EXISTS events (
    event_id VARCHAR PRIMARY KEY,
    child_id VARCHAR NOT NULL,
    event_date DATE NOT NULL,
    event_type VARCHAR NOT NULL CHECK (event_type IN ('REFERRAL', 'STRATEGY_DISCUSSION', 'S47_START', 'ICPC',
        'REVIEW_CONFERENCE', 'CORE_GROUP', 'VISIT', 'ASSESSMENT', 'PLAN_UPDATE', 'WRITTEN_AGREEMENT', 'CHALLENGE',
        'ESCALATION', 'INTERVENTION_START', 'INTERVENTION_END', 'INCIDENT', 'MISSED_APPOINTMENT', 'OTHER',
        'CONTACT', 'EARLY_HELP_START', 'EARLY_HELP_END', 'CIN_START', 'CIN_END', 'LOOKED_AFTER_START',
        'LOOKED_AFTER_END', 'CARE_LEAVER', 'ADOPTION')),
    agency VARCHAR NOT NULL CHECK (agency IN ('CSC', 'HEALTH', 'EDUCATION', 'POLICE', 'ADULT_MH', 'ADULT_DA',
        'ADULT_SUBSTANCE', 'PROBATION', 'HOUSING', 'FAMILY', 'OTHER')),
    plan_id VARCHAR,
    detail VARCHAR,                   -- scrubbed free text (de-identified)
    run_id INTEGER
);

CREATE TABLE IF NOT EXISTS attendance (
    event_id VARCHAR NOT NULL,
    agency VARCHAR NOT NULL CHECK (agency IN ('CSC', 'HEALTH', 'EDUCATION', 'POLICE', 'ADULT_MH', 'ADULT_DA',
        'ADULT_SUBSTANCE', 'PROBATION', 'HOUSING', 'FAMILY', 'OTHER')),
    invited BOOLEAN NOT NULL,
    attended BOOLEAN NOT NULL,
    contributed BOOLEAN,
    run_id INTEGER,
    PRIMARY KEY (event_id, agency)
);

CREATE TABLE IF NOT EXISTS family_changes (
    change_id VARCHAR PRIMARY KEY,
    family_id VARCHAR,
    child_id VARCHAR,
    change_date DATE NOT NULL,
    change_type VARCHAR NOT NULL CHECK (change_type IN ('ADULT_JOINED', 'ADULT_LEFT', 'NEW_BABY', 'CHILD_LEFT',
        'CHILD_RETURNED', 'HOUSE_MOVE', 'CARER_CHANGE', 'OTHER')),
    detail VARCHAR,
    run_id INTEGER
);

CREATE TABLE IF NOT EXISTS needs (
    need_id VARCHAR PRIMARY KEY,
    child_id VARCHAR NOT NULL,
    plan_id VARCHAR,
    identified_date DATE NOT NULL,
    factor VARCHAR NOT NULL,          -- CIN assessment factor code, e.g. 4B
    resolved_date DATE,
    run_id INTEGER
);

CREATE TABLE IF NOT EXISTS actions (
    action_id VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL,
    action_text VARCHAR NOT NULL,     -- scrubbed free text (de-identified)
    owner_agency VARCHAR CHECK (owner_agency IN ('CSC', 'HEALTH', 'EDUCATION', 'POLICE', 'ADULT_MH', 'ADULT_DA',
        'ADULT_SUBSTANCE', 'PROBATION', 'HOUSING', 'FAMILY', 'OTHER')),
    set_date DATE,
    due_date DATE,
    status VARCHAR CHECK (status IN ('OPEN', 'DONE', 'NOT_DONE', 'DROPPED')),
    completed_date DATE,
    addresses_factor VARCHAR,         -- a factor code (4B) or a factor number (4 = any of 4A/4B/4C)
    run_id INTEGER
);

-- Duplicated actions (docs/definitions.md), scored once at import (paqa_dash/derive/matches.py): each action of a child's later plan with its
-- best-matching action on an earlier plan of the same child.
CREATE TABLE IF NOT EXISTS action_matches (
    action_id VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL,
    matches_action_id VARCHAR NOT NULL,
    matches_plan_id VARCHAR NOT NULL,
    score DOUBLE NOT NULL,            -- 0..1 similarity
    method VARCHAR NOT NULL
);

-- Plan-quality reviews, computed once at import for the actions an import inserted or changed
-- (paqa_dash/derive/reviews.py): none depends on a filter or threshold, and reviewing the texts on
-- every page view costs minutes at an authority's scale.  Their record (meta 'derived:action_reviews')
-- names the lexicons and theme model they were computed with; a change re-reviews every action.
CREATE TABLE IF NOT EXISTS action_reviews (
    action_id VARCHAR PRIMARY KEY,
    plan_id VARCHAR NOT NULL,
    specific BOOLEAN NOT NULL,        -- the five SMART criteria (paqa_dash/text/smart.py)
    measurable BOOLEAN NOT NULL,
    achievable BOOLEAN NOT NULL,
    time_bound BOOLEAN NOT NULL,
    owner_named BOOLEAN NOT NULL,
    smart BOOLEAN NOT NULL,           -- all five pass
    failed VARCHAR NOT NULL,          -- failed criteria, ', '-joined ('' when SMART)
    reasons VARCHAR NOT NULL,         -- plain-English reasons, '; '-joined
    theme VARCHAR NOT NULL,           -- paqa_dash/text/themes.py (or 'unclassified')
    theme_confidence DOUBLE NOT NULL,
    theme_evidence VARCHAR NOT NULL,
    deficit_phrases INTEGER NOT NULL, -- language findings of the action by kind
    jargon_terms INTEGER NOT NULL
);

-- Language findings (paqa_dash/text/language.py), one row per flagged phrase of an action.
CREATE TABLE IF NOT EXISTS language_findings (
    action_id VARCHAR NOT NULL,
    start_pos INTEGER NOT NULL,       -- character offsets into actions.action_text
    end_pos INTEGER NOT NULL,
    phrase VARCHAR NOT NULL,          -- as written
    kind VARCHAR NOT NULL CHECK (kind IN ('deficit', 'jargon')),
    term VARCHAR NOT NULL,            -- the lexicon entry
    suggestion VARCHAR NOT NULL,
    why VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (action_id, start_pos)
);

-- Language per plan: Flesch reading ease of all the plan's actions read together (not a sum of
-- per-action scores) and its findings by kind; rewritten whenever an action of the plan changes.
CREATE TABLE IF NOT EXISTS plan_reviews (
    plan_id VARCHAR PRIMARY KEY,
    reading_ease DOUBLE,              -- NULL when no action has words
    deficit_phrases INTEGER NOT NULL,
    jargon_terms INTEGER NOT NULL
);

-- The plan sequence (the `seq` CTE of queries/metrics/sequence.sql) stored once at import, for as_of =
-- far future and the default re-plan window, so pages on a million plans do not renumber them per query.
-- Its record (meta 'derived:plan_sequence') names the import run, row count and window it reflects; the
-- resolver (paqa_dash/derive/registry.py) reads it only when it is current, else `seq` is computed inline.
-- No primary key, here and on core_group_attendance: both are rewritten whole at every import from a
-- query whose rows are unique by construction, and DuckDB maintains a key's index row by row on insert
-- (minutes for tens of millions of rows at national scale).
CREATE TABLE IF NOT EXISTS plan_sequence (
    plan_id VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    team VARCHAR,
    start_date DATE NOT NULL,
    end_date DATE,
    initial_category VARCHAR,
    latest_category VARCHAR,
    end_reason VARCHAR,
    family_id VARCHAR,
    plan_number INTEGER NOT NULL,
    is_repeat BOOLEAN NOT NULL,
    previous_plan_id VARCHAR,
    previous_end DATE,
    next_plan_id VARCHAR,
    next_start DATE,
    gap_days BIGINT,
    repeat_within_window BOOLEAN,
    duration_band VARCHAR,
    age_band VARCHAR
);
-- The child's authority (children.authority), so the filter reads it without a join per query (issue 15).
ALTER TABLE plan_sequence ADD COLUMN IF NOT EXISTS authority VARCHAR;

-- Core group attendance summed once at import per plan, quarter and agency, so the agencies
-- page does not join every attendance row to the events on each view.  Only invited rows of CORE_GROUP
-- events with a plan_id.  Its record (meta 'derived:core_group_attendance') says which run, which events
-- and attendance row counts and which latest meeting date it reflects (paqa_dash/derive/sequence.py).
CREATE TABLE IF NOT EXISTS core_group_attendance (
    plan_id VARCHAR NOT NULL,
    quarter DATE NOT NULL,            -- first day of the quarter of the meeting date
    agency VARCHAR NOT NULL,
    invited BIGINT NOT NULL,
    attended BIGINT NOT NULL,
    contributed BIGINT NOT NULL
);
-- The same sums added up over the agencies, per plan and quarter, written with them under their record: the Regional
-- view's attendance by authority reads a fifth of the rows (paqa_dash/derive/sequence.py).
CREATE TABLE IF NOT EXISTS core_group_attendance_by_plan (
    plan_id VARCHAR NOT NULL,
    quarter DATE NOT NULL,            -- first day of the quarter of the meeting date
    invited BIGINT NOT NULL,
    attended BIGINT NOT NULL
);

-- A meeting not yet held (a review conference due but not held): an event with a due_date and no event_date
-- (docs/data_contract.md, events.csv).  Held meetings may carry their due date too.  Added to existing stores here.
ALTER TABLE events ADD COLUMN IF NOT EXISTS due_date DATE;
ALTER TABLE events ALTER COLUMN event_date DROP NOT NULL;

-- Where a row came from a dated return (a CIN census file), the reference date of the newest return that
-- supplied it (paqa_dash/ingest/load.py): a later import of an older census year then never overwrites what
-- a newer return said (it only fills the newer return's blanks), so census years imported in any order give
-- the same store.  row_id is the row's (pseudonymised) key; rows of undated sources have no entry.
-- One row per (table_name, row_id), kept so by its one writer (load_upsert_row_returns, a MERGE) rather than by a
-- primary key: the key's index cost a first import of a million plans some 28 CPU s (10.5 million keys indexed as
-- they were written, then again at the commit) and nothing reads through it (docs/benchmark_history.md, *The serial start
-- and end of a large import*).  A store made with the key is given this table (store.apply_schema).
CREATE TABLE IF NOT EXISTS row_returns (
    table_name VARCHAR NOT NULL,
    row_id VARCHAR NOT NULL,
    as_of DATE NOT NULL
);

-- The census returns each import run wrote (paqa_dash/ingest/load.py): a return of an authority and reference date
-- that an earlier run already imported is warned about, naming that run's file and which return's values are kept.
-- source is the file's name as the store keeps it (ingest/scrub.py file_name); authority its Header/Source/LEA, else
-- the authority named for the import, NULL when neither.  Runs recorded before the table have no entry.
CREATE TABLE IF NOT EXISTS census_returns (
    run_id INTEGER NOT NULL,
    source VARCHAR NOT NULL,
    authority VARCHAR,
    reference_date DATE NOT NULL
);

-- The audit group's judgements (issue 14, item 9): the nine questions of the audit recorded per child and
-- audit run.  Append-only: each save of a child's form adds a version (paqa_dash/metrics/record_judgement.py
-- only inserts); the latest version is the judgement, earlier ones its history.  Typed by people, not
-- imported: no import clears these tables (a new store carries them over; only replacing the synthetic demo
-- removes the demo's).  Free text (notes, who was present) is scrubbed before it is written; `saved_by` is the
-- signed-in identity of who saved it (docs/governance.md, "What the dashboard holds").
CREATE TABLE IF NOT EXISTS judgement_versions (
    audit_run VARCHAR NOT NULL,       -- the audit round, as the group names it (scrubbed)
    child_id VARCHAR NOT NULL,        -- the child's pseudonym
    version INTEGER NOT NULL,         -- 1, 2, ... per audit run and child
    saved_at TIMESTAMP NOT NULL,      -- UTC
    saved_by VARCHAR NOT NULL,
    saved_role VARCHAR NOT NULL,
    PRIMARY KEY (audit_run, child_id, version)
);

-- One row per question of a version: the grade (paqa_dash/reference/judgements.py GRADES; NULL: not yet judged)
-- and the notes.
CREATE TABLE IF NOT EXISTS judgement_answers (
    audit_run VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    question INTEGER NOT NULL,        -- 1-9
    grade VARCHAR,
    notes VARCHAR NOT NULL,
    PRIMARY KEY (audit_run, child_id, version, question)
);

-- Who was present at the audit discussion from each agency (roles as typed, scrubbed), one row per agency named.
CREATE TABLE IF NOT EXISTS judgement_presence (
    audit_run VARCHAR NOT NULL,
    child_id VARCHAR NOT NULL,
    version INTEGER NOT NULL,
    agency VARCHAR NOT NULL,          -- reference/codes.py AGENCY_LABELS
    present VARCHAR NOT NULL,
    PRIMARY KEY (audit_run, child_id, version, agency)
);

-- The authorities whose children an import run wrote (comma-separated LA numbers; NULL: none named, or a run recorded
-- before the column): the same files imported again under another authority are refused (ingest/load.py).
ALTER TABLE import_runs ADD COLUMN IF NOT EXISTS authorities VARCHAR;

-- Issue 15: a store may hold many local authorities; a child belongs to one (docs/data_contract.md, "Authorities").
-- Stores made before the column get it here, NULL for their children.
ALTER TABLE children ADD COLUMN IF NOT EXISTS authority VARCHAR;  -- DfE LA number; NULL when the source named none
