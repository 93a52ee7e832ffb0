"""A hand-worked store for the audit sample and audit pack tests (as of 30 June 2023).

Child A (North, neglect): every audit concern applies.
  Plan 1 06 Jan 2020 - 20 Mar 2020 (SHORT; adult need 4B open, its only done action addresses 1),
  re-planned 04 Jan 2021 (within 24 months: plan 1 ended prematurely).  No core group in plan 1
  (first core group late).  Plan 2: two core groups where Health was invited and absent (low
  attendance).  An adult joined the family in the gap (household change before the re-plan).
  Plan 2 repeats plan 1's action (stored match 0.85), and 3 of the child's 4 actions are not
  SMART, one with deficit language ("non-compliant").  A challenge whose detail holds markup.
Child B (South, emotional abuse): one open plan, not a repeat: out of the audit's scope.
Child C (South, emotional abuse): a repeat plan four years after a short first plan (not
  premature: re-planned after the window), core groups on time, SMART actions: no concern.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from paqa_dash import store

from support.reviews import review_store

AS_OF = date(2023, 6, 30)
CA, CB, CC = "aaaaaaaaaaaaaaa1", "bbbbbbbbbbbbbbb1", "ccccccccccccccc1"
FA = "fafafafafafafa01"
PA1, PA2, PB1, PC1, PC2 = ("a1a1a1a1a1a1a1p1", "a1a1a1a1a1a1a1p2", "b1b1b1b1b1b1b1p1", "c1c1c1c1c1c1c1p1",
                           "c1c1c1c1c1c1c1p2")
MARKUP = "<script>alert('x')</script> & HV disagreed"
FAMILY_MARKUP = "New partner <b>moved</b> in"


def build_audit_store(path: Path) -> Path:
    con = store.connect(path)
    con.execute(f"""
        INSERT INTO children (child_id, family_id, birth_month, sex, ethnicity, disability, run_id) VALUES
          ('{CA}', '{FA}', DATE '2016-03-01', 'F', 'WBRI', false, 1),
          ('{CB}', NULL, DATE '2018-07-01', 'M', 'WBRI', false, 1),
          ('{CC}', NULL, DATE '2012-02-01', 'M', 'MWBC', true, 1);
        INSERT INTO plans VALUES
          ('{PA1}', '{CA}', DATE '2020-01-06', DATE '2020-03-20', 'NEG', 'NEG', 'North', 'NO_LONGER_AT_RISK', 0, 1),
          ('{PA2}', '{CA}', DATE '2021-01-04', NULL, 'NEG', NULL, 'North', NULL, NULL, 1),
          ('{PB1}', '{CB}', DATE '2022-01-10', NULL, 'EMO', NULL, 'South', NULL, 0, 1),
          ('{PC1}', '{CC}', DATE '2015-01-05', DATE '2015-03-31', 'EMO', 'EMO', 'South', 'STEP_DOWN_CIN', 0, 1),
          ('{PC2}', '{CC}', DATE '2019-05-06', DATE '2019-08-30', 'EMO', 'EMO', 'South', 'STEP_DOWN_CIN', NULL, 1);
        INSERT INTO needs VALUES
          ('a1a1a1a1a1a1a1n1', '{CA}', '{PA1}', DATE '2019-12-01', '4B', NULL, 1);
        INSERT INTO actions VALUES
          ('a1a1a1a1a1a1a1a1', '{PA1}', 'Mum to attend GP appointments', 'HEALTH', DATE '2020-01-06',
           DATE '2020-02-01', 'DONE', DATE '2020-01-30', '1', 1),
          ('a1a1a1a1a1a1a1a2', '{PA2}', 'Mother to attend all GP appointments', 'HEALTH', DATE '2021-01-04',
           NULL, 'OPEN', NULL, NULL, 1),
          ('a1a1a1a1a1a1a1a3', '{PA2}', 'Mum is non-compliant and must engage with support', NULL, NULL, NULL,
           'OPEN', NULL, NULL, 1),
          ('a1a1a1a1a1a1a1a4', '{PA2}', 'Mum to engage with services', NULL, NULL, NULL, 'OPEN', NULL, NULL, 1),
          ('c1c1c1c1c1c1c1a1', '{PC1}', 'Health visitor to visit the family every two weeks and record the baby''s weight',
           'HEALTH', DATE '2015-01-05', DATE '2015-03-01', 'DONE', DATE '2015-03-01', NULL, 1),
          ('c1c1c1c1c1c1c1a2', '{PC2}', 'Refer mother to domestic abuse service by 1 March', 'ADULT_DA',
           DATE '2019-05-06', DATE '2019-06-01', 'DONE', DATE '2019-05-20', '3', 1);
        INSERT INTO action_matches VALUES
          ('a1a1a1a1a1a1a1a2', '{PA2}', 'a1a1a1a1a1a1a1a1', '{PA1}', 0.85, 'test'),
          ('c1c1c1c1c1c1c1a2', '{PC2}', 'c1c1c1c1c1c1c1a1', '{PC1}', 0.10, 'test');
        INSERT INTO events VALUES
          ('a1a1a1a1a1a1a1e1', '{CA}', DATE '2020-01-06', 'ICPC', 'CSC', '{PA1}', 'Initial conference', 1, NULL),
          ('a1a1a1a1a1a1a1e2', '{CA}', DATE '2020-03-10', 'CHALLENGE', 'HEALTH', '{PA1}', '{MARKUP.replace("'", "''")}', 1, NULL),
          ('a1a1a1a1a1a1a1e3', '{CA}', DATE '2021-01-04', 'ICPC', 'CSC', '{PA2}', NULL, 1, NULL),
          ('a1a1a1a1a1a1a1e4', '{CA}', DATE '2021-01-11', 'CORE_GROUP', 'CSC', '{PA2}', NULL, 1, NULL),
          ('a1a1a1a1a1a1a1e5', '{CA}', DATE '2021-02-15', 'CORE_GROUP', 'CSC', '{PA2}', NULL, 1, NULL),
          ('c1c1c1c1c1c1c1e1', '{CC}', DATE '2015-01-12', 'CORE_GROUP', 'CSC', '{PC1}', NULL, 1, NULL),
          ('c1c1c1c1c1c1c1e2', '{CC}', DATE '2015-02-16', 'CORE_GROUP', 'CSC', '{PC1}', NULL, 1, NULL),
          ('c1c1c1c1c1c1c1e3', '{CC}', DATE '2015-03-23', 'CORE_GROUP', 'CSC', '{PC1}', NULL, 1, NULL),
          ('c1c1c1c1c1c1c1e4', '{CC}', DATE '2019-05-13', 'CORE_GROUP', 'CSC', '{PC2}', NULL, 1, NULL),
          ('c1c1c1c1c1c1c1e5', '{CC}', DATE '2019-06-17', 'CORE_GROUP', 'CSC', '{PC2}', NULL, 1, NULL),
          ('c1c1c1c1c1c1c1e6', '{CC}', DATE '2019-07-22', 'CORE_GROUP', 'CSC', '{PC2}', NULL, 1, NULL);
        INSERT INTO attendance VALUES
          ('a1a1a1a1a1a1a1e4', 'CSC', true, true, true, 1),
          ('a1a1a1a1a1a1a1e4', 'HEALTH', true, false, false, 1),
          ('a1a1a1a1a1a1a1e5', 'CSC', true, true, true, 1),
          ('a1a1a1a1a1a1a1e5', 'HEALTH', true, false, false, 1),
          ('c1c1c1c1c1c1c1e1', 'CSC', true, true, true, 1),
          ('c1c1c1c1c1c1c1e2', 'CSC', true, true, true, 1),
          ('c1c1c1c1c1c1c1e4', 'HEALTH', true, true, true, 1),
          ('c1c1c1c1c1c1c1e5', 'HEALTH', true, true, false, 1);
        INSERT INTO family_changes VALUES
          ('fafafafafafafac1', '{FA}', NULL, DATE '2020-06-01', 'ADULT_JOINED', '{FAMILY_MARKUP}', 1);
    """)
    store.set_meta(con, "synthetic", "true")
    review_store(con)  # the plan-quality reviews an import would have stored
    con.close()
    return path
