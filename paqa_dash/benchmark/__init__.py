"""The national-scale benchmark (issue 7): `python -m paqa_dash bench`.

build.py  builds (or reuses) a synthetic store of N plans through the product's own demo path;
pages.py  what each page asks the store for: the same plain functions, with the same arguments,
          one read-only connection per call as the app's cache does;
scan.py   which tables and columns those calls read (from DuckDB's own plans) and a plain scan of them;
run.py    times everything (cold, then a warm-up, then the median of several runs) and reports.
"""
