"""`python -m paqa_dash import | demo | metrics | brief | pack | judgements | reviews | derive | bench`.

Each command is a thin wrapper: it parses arguments, calls one package function and prints.
Exit codes: 0 done (rejects included), 2 fatal error (one line on stderr, store unchanged).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, TypeVar

from .settings import db_path

T = TypeVar("T")


def _log_command(db: Path, action: str, role: str, detail: str, filters: str = "",
                 child: str | None = None) -> None:
    """The access log's line for a command: the computer's user (the command line has no sign-in), in `role`;
    `child`: the pseudonym a file was made of (an audit pack), so the log's Child filter finds it as the app's
    pack downloads are found."""
    import getpass

    from . import access_log

    access_log.append(access_log.Record(identity=f"{getpass.getuser()} (command line)", role=role, action=action,
                                        page="command line", filters=filters, child=child, detail=detail),
                      access_log.log_path(db))


def _log_import(db: Path, paths: list[str], what: str) -> None:
    """The access log's line for a command-line import: the computer's user, as an administrator of the store
    they were given (paqa_dash.scope.EVERYTHING)."""
    from .access_log import IMPORT
    from .ingest.scrub import file_names_in
    from .scope import EVERYTHING

    names = [Path(p).name for p in paths]   # as the store keeps them: without a person's name or identifiers
    _log_command(db, IMPORT, EVERYTHING.role, file_names_in(f"{', '.join(names)}: {what}", names))


def _import(args: argparse.Namespace) -> int:
    from .ingest.frames import FatalImportError, in_file_order
    from .pipeline import run_import

    db = db_path(args.db)
    try:
        summary = run_import([Path(p) for p in args.paths], db, waiting=lambda m: print(m, file=sys.stderr),
                             authority=args.authority)
    except FatalImportError as e:
        _log_import(db, args.paths, f"failed, nothing imported: {e}")
        print(f"import failed: {e}", file=sys.stderr)
        return 2
    _log_import(db, args.paths, summary.describe())
    if args.json:
        print(json.dumps(summary.to_json(), indent=2, default=str))
        return 0
    if summary.replaced_synthetic:
        print("The store held the synthetic demo: it was replaced by your data.")
    if summary.unchanged:   # the table and the issues below would read as this run's: they are the earlier one's
        print("Nothing new: these files were imported before and the store is unchanged. Their rejects and "
              "warnings are on the Data quality page.")
        return 0
    if not any(c["read"] for c in summary.tables.values()):  # an empty table of counts would say nothing
        print("Nothing was loaded: these files hold no rows to load.")
    else:
        print(f"{'table':<16}{'read':>9}{'loaded':>9}{'rejected':>10}{'duplicates':>12}")
    for table, c in summary.tables.items():
        if c["read"]:
            print(f"{table:<16}{c['read']:>9}{c['loaded']:>9}{c['rejected']:>10}{c['duplicates']:>12}")
    for r in in_file_order(summary.rejects)[:50]:
        print(f"rejected: {r.where()}: {r.field or ''}: {r.reason}")
    if len(summary.rejects) > 50:
        print(f"... and {len(summary.rejects) - 50} more rejects (use --json, or the Data quality page)")
    for w in in_file_order(summary.warnings)[:20]:
        print(f"warning: {w.where()}: {w.reason}")
    if len(summary.warnings) > 20:  # said, or the user reads twenty warnings where there were thousands
        print(f"... and {len(summary.warnings) - 20} more warnings (use --json, or the Data quality page)")
    print(f"Store: {db}")
    return 0


def _demo(args: argparse.Namespace) -> int:
    from .synth.generate import build_demo

    db = db_path(args.db)
    try:
        summary = build_demo(db, children=args.children, seed=args.seed, authorities=args.authorities,
                             progress=lambda f, m: print(f"{f:4.0%} {m}", file=sys.stderr))
    except FileExistsError:
        print(f"demo refused: {db} holds imported data; choose another file with --db", file=sys.stderr)
        return 2
    except ValueError as e:  # --authorities beyond one region's authorities
        print(f"demo refused: {e}", file=sys.stderr)
        return 2
    loaded = {t: c["loaded"] for t, c in summary.tables.items()}
    print(f"Synthetic demo store built at {db}: " + ", ".join(f"{n} {t}" for t, n in loaded.items()))
    return 0


def _existing_store(args: argparse.Namespace) -> Path | None:
    """The store a reading command works on, or None (after one line on stderr) when there is none."""
    db = db_path(args.db)
    if db.exists():
        return db
    print(f"{args.command} failed: no store at {db} (run `python -m paqa_dash demo` or `import` first)",
          file=sys.stderr)
    return None


def _on_existing_store(command: Callable[[argparse.Namespace, Path], int]) -> Callable[[argparse.Namespace], int]:
    """A command on a store that must exist already: it fails (exit 2, one line) where there is none."""
    @functools.wraps(command)
    def run(args: argparse.Namespace) -> int:
        db = _existing_store(args)
        return 2 if db is None else command(args, db)
    return run


def _with_store(db: Path, use: Callable[[Any], T], read_only: bool = True,
                waiting: Callable[[str], None] | None = None, config: dict[str, str] | None = None) -> T:
    """`use(con)` on the store (read-only unless told), closed again whatever happens: a command holds the
    store no longer than it uses it.  `waiting`: told once when another process holds the store (store.connect);
    `config`: a writer's DuckDB settings."""
    from . import store

    con = store.connect(db, read_only=read_only, waiting=waiting, config=config)
    try:
        return use(con)
    finally:
        con.close()


@_on_existing_store
def _metrics(args: argparse.Namespace, db: Path) -> int:
    from .metrics import cli_args, data_dates, regional, summary
    from .store import authority_data_dates, data_date, with_data_date

    filters, thresholds = cli_args.from_args(args)

    def dated_summary(con: Any) -> tuple[Any, dict | str, str]:
        unknown = regional.unknown_authorities(con, filters.authorities) if filters.authorities else None
        if unknown:
            return filters, unknown, ""
        dated = with_data_date(con, filters)   # the period ends at the data date (the authorities' own)
        in_view = filters.authorities or tuple(regional.store_codes(con))
        own_dates = authority_data_dates(con)
        behind = data_dates.behind_note(in_view, own_dates, dated.effective_as_of,
                                        "Name one with --authority to read it as of its own last date.") \
            if len(in_view) > 1 else ""
        past = data_dates.past_data_note(filters.as_of, dated.as_of, data_dates.whose_data(filters.authorities))
        # (the store's data date read only for a period chosen: the note is about where one starts)
        ended = data_dates.ended_note(filters.authorities, own_dates,
                                      data_date(con) if filters.date_from else None, filters.date_from)
        return dated, summary.compute(con, dated, thresholds), " ".join(filter(None, (past, ended, behind)))

    filters, result, notes = _with_store(db, dated_summary)
    if isinstance(result, str):
        print(f"metrics failed: {result}", file=sys.stderr)
        return 2
    if notes:   # on stderr, so the JSON on stdout stays one object
        print(f"note: {notes}", file=sys.stderr)
    if args.json:
        print(json.dumps(result, indent=2, default=str))
    else:
        from .metrics.summary_text import as_text
        print(as_text(result, filters.describe()))
    return 0


@_on_existing_store
def _pack(args: argparse.Namespace, db: Path) -> int:
    """One child's audit pack as HTML, written to the access log like the app's pack download (a pack is a
    child's whole file: the log must say who took it, whichever way)."""
    from . import store
    from .access_log import EXPORT
    from .report.pack import build_pack
    from .scope import EVERYTHING

    try:
        html = _with_store(db, lambda con: build_pack(con, args.child))
    except KeyError as e:
        print(f"pack failed: {e.args[0]}", file=sys.stderr)
        return 2
    out = Path(args.out or f"audit_pack_{args.child}.html")
    with store.private_files():  # a pack names a child's plans and actions: the owner's eyes only
        out.write_text(html, encoding="utf-8")
    _log_command(db, EXPORT, EVERYTHING.role, f"audit pack {out.name}", child=args.child)
    print(f"Audit pack written to {out}")
    return 0


@_on_existing_store
def _judgements(args: argparse.Namespace, db: Path) -> int:
    """The audit group's recorded judgements as CSV (the Audit sample page's download, every child)."""
    from . import store
    from .access_log import EXPORT
    from .metrics.judgements import judgement_rows
    from .scope import EVERYTHING
    from .report.safe_csv import csv_bytes

    rows = _with_store(db, lambda con: judgement_rows(con, args.run, history=args.history))
    out = Path(args.csv)
    with store.private_files():  # the judgements name children by pseudonym: the owner's eyes only
        out.write_bytes(csv_bytes(rows))
    _log_command(db, EXPORT, EVERYTHING.role, f"judgements CSV {out.name}")
    children = rows["child_id"].nunique()
    from .reference.words import counted

    print(f"{counted(len(rows), 'judgement')} of {counted(children, 'child')} written to {out}"
          + ("" if len(rows) else " (none recorded yet)"))
    return 0


@_on_existing_store
def _brief(args: argparse.Namespace, db: Path) -> int:
    """A briefing (pptx, pdf, xlsx) for a board: the reader's role decides suppression and child-level lists;
    the export is written to the access log like a download."""
    from . import store
    from .access_log import EXPORT
    from .metrics import cli_args
    from .report.briefing import build, compare, presets
    from .scope import ADMINISTRATOR, DEFAULT_SUPPRESS_BELOW, OutOfScope, Scope

    filters, thresholds = cli_args.from_args(args)
    reader = Scope(role=args.role, suppress_below=0 if args.role == ADMINISTRATOR else DEFAULT_SUPPRESS_BELOW)
    filters = filters.with_(scope=reader)
    sections = presets.PRESETS[args.preset] if args.preset else tuple(args.section or presets.PRESETS["all"])
    out = Path(args.out)
    try:
        previous = compare.read_previous(Path(args.compare_with)) if args.compare_with else None
        lists = args.child_lists and args.format == "xlsx"   # only the workbook holds lists: none read for others
        def gather(con: Any) -> Any:
            shown, cohort = _briefing_period(con, filters, thresholds)
            return build.gather(con, shown, thresholds, sections, cohort=cohort, previous=previous,
                                child_lists=lists, asked_as_of=filters.as_of)
        briefing = _with_store(db, gather)
        content = build.write(briefing, args.format)
        written = briefing.as_written(args.format)   # what the file holds: the lists in xlsx only
    except (compare.CompareError, OutOfScope) as e:
        print(f"brief failed: {e}", file=sys.stderr)
        return 2
    with store.private_files():
        out.write_bytes(content)
        if args.save_figures:
            Path(args.save_figures).write_bytes(compare.snapshot(briefing.figures, briefing.filters.effective_as_of.isoformat()))
    if briefing.past:   # the file's own note, as its front says it
        print(f"note: {briefing.past}", file=sys.stderr)
    lists = f"; child-level lists included: {written.lists_words()}" if written.lists else ""
    _log_command(db, EXPORT, reader.role, f"briefing {out.name} ({', '.join(briefing.sections)}){lists}",
                 briefing.filters.describe())
    left_out = "".join(f"; {why}: {', '.join(m.replace('_', ' ') for m in which)}" for why, which in
                       (("not yet available", briefing.not_yet_available),
                        (f"not open to the {args.role.replace('_', ' ')} role", briefing.not_open_to_role)) if which)
    from .reference.words import counted

    print(f"Briefing written to {out}: {counted(len(briefing.charts), 'chart')}, "
          f"{counted(len(briefing.figures), 'headline figure')}{left_out}")
    if args.child_lists and not lists:
        print(f"note: --child-lists was not applied: the endings-at-risk list is written to an Excel briefing only "
              f"(--format xlsx); this {args.format} file has none", file=sys.stderr)
    if args.date_from is None and args.date_to is None:
        shown = briefing.filters
        print(f"No period given: the latest complete reporting year, {shown.date_from} to {shown.date_to}, as the "
              "dashboard shows with no period chosen (give --from and --to for another)")
    return 0


def _briefing_period(con: Any, filters: Any, thresholds: Any) -> tuple[Any, Any]:
    """The briefing's filter and the filter of its views that follow plans up: with no period given, the
    dashboard's (the latest complete reporting year, and the years before it whose plans could have been
    followed up), so a board reads what the dashboard shows; else the period given, for both."""
    from . import store
    from .filters import default_period, followed_up_period

    if filters.date_from is not None or filters.date_to is not None:
        return filters, None
    shown = default_period(store.with_data_date(con, filters))
    return shown, followed_up_period(shown, thresholds.replan_window_months)


@_on_existing_store
def _reviews(args: argparse.Namespace, db: Path) -> int:
    from . import store
    from .derive import registry


    def review_again(con: Any) -> int:
        with store.transaction(con):
            return registry.refresh_reviews(con)[registry.currency.REVIEWS]

    n = _with_store(db, review_again, read_only=False)
    from .reference.words import counted

    print(f"Reviewed {counted(n, 'action')} again with the current lexicons ({db})")
    return 0


@_on_existing_store
def _derive(args: argparse.Namespace, db: Path) -> int:
    """Rewrite the derived tables that are not current (every one with --all), in one transaction, without an
    import: a store an earlier version wrote reads its newer tables inline (slowly) until then."""
    from . import store
    from .derive import registry

    def rewrite(con: Any) -> registry.Rewrite:
        with store.transaction(con):
            return registry.rewrite(con, everything=args.all)

    import duckdb

    try:   # (connecting brings the schema up to date: store.apply_schema)
        with store.private_files():   # what DuckDB spills beside the store is the store's data: the owner's only
            done = _with_store(db, rewrite, read_only=False, waiting=lambda m: print(m, file=sys.stderr),
                               config=store.derive_config())
    except store.StoreBusy:
        print(f"derive failed: the store {db.name} is in use by another process: an import, or the dashboard "
              "reading it. Nothing was changed; run it again when the import has finished or the dashboard is "
              "closed.", file=sys.stderr)
        return 2
    except duckdb.Error as e:   # (e.g. out of memory on a large store): rolled back
        print(f"derive failed: {e}. Nothing was changed.", file=sys.stderr)
        return 2
    if done.written:
        width = max(len(name) for name, _, _ in done.written)
        print(f"Rewrote {len(done.written)} derived table(s) of {db}:")
        for name, rows, seconds in done.written:
            print(f"  {name:<{width}}  {rows:>12,} rows  {seconds:8.1f} s")
        print(f"  {'total':<{width}}  {'':>12}       {sum(s for _, _, s in done.written):8.1f} s")
    elif not done.imported:
        print(f"Nothing is imported into {db} yet: no derived table to rewrite.")
    else:
        print(f"Every derived table of {db} is current: nothing rewritten (--all rewrites them anyway).")
    if done.waiting:
        print(f"Not rewritten: {', '.join(done.waiting)}. They are made from the action reviews, which the current "
              "word lists (data/lexicons) did not make, or which miss some actions: run `python -m paqa_dash "
              "reviews`, which reviews every action again and rewrites them.")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from .bench import main as bench_main

    return bench_main(args)


DB_HELP = "the store file (default: PAQA_DB, else data/paqa.duckdb)"
JSON_HELP = "print every figure as JSON (for scripts) instead of the table"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m paqa_dash",
        description="paqa_dash: repeat child protection plans for neglect. Import your authority's data, "
                    "build a synthetic demo, print the headline figures, or write a child's audit pack.",
        epilog="Run `python -m paqa_dash COMMAND --help` for a command's options. Exit status: 0 done, 2 failed "
               "(one line on stderr, store unchanged).")
    sub = p.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")

    def command(name: str, summary: str, description: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=summary, description=description)

    imp = command("import", "import bundle folders/workbooks, CIN census XML, Annex A or SSD extracts",
                  "Read your authority's files, check every row, replace names and IDs with pseudonyms and add "
                  "them to the store. Rejected rows are listed with file, row and reason; files imported "
                  "before are skipped. The format is described in docs/data_contract.md.")
    imp.add_argument("paths", nargs="+", metavar="PATH",
                     help="a bundle folder or workbook, a CIN census XML file, an Annex A workbook or an SSD extract folder")
    imp.add_argument("--db", help=DB_HELP)
    imp.add_argument("--json", action="store_true", help="print the import summary as JSON instead of the table")
    imp.add_argument("--authority", metavar="CODE",
                     help="the DfE LA number (three digits, e.g. 202) of the authority the files belong to, for "
                          "sources that do not state it (Annex A, SSD, bundles); a CIN census file states its own, "
                          "and naming another is an error")
    imp.set_defaults(func=_import)

    demo = command("demo", "build the synthetic demo store",
                   "Generate made-up children, plans and records (none is real) and load them like an import, "
                   "to try the dashboard. Refuses to overwrite a store that holds imported data.")
    demo.add_argument("--children", type=int, default=2000, help="how many synthetic children to generate (default: 2000)")
    demo.add_argument("--seed", type=int, default=42, help="the random seed: the same seed gives the same store (default: 42)")
    demo.add_argument("--authorities", type=int, default=1, metavar="N",
                      help="spread the children over N real authorities of one region, by family (default: 1, "
                           "which names no authority)")
    demo.add_argument("--db", help=DB_HELP)
    demo.set_defaults(func=_demo)

    met = command("metrics", "the headline figures (repeat plans, endings, timeliness, engagement, household change)",
                  "Print the headline figures of the store for a period, teams, categories, plan number or ages, "
                  "as the dashboard's sidebar chooses them. Definitions: docs/definitions.md.")
    met.add_argument("--db", help=DB_HELP)
    met.add_argument("--json", action="store_true", help=JSON_HELP + " (lists of plans included)")
    from .metrics import cli_args
    cli_args.add_arguments(met)
    met.set_defaults(func=_metrics)

    pack = command("pack", "write one child's audit pack (HTML)",
                   "Write one child's audit pack: plans, timeline, actions and the audit questions, as one HTML "
                   "file to open in a browser or print.")
    pack.add_argument("child", metavar="PSEUDONYM", help="the child's pseudonym, as shown in the dashboard")
    pack.add_argument("--db", help=DB_HELP)
    pack.add_argument("--out", metavar="FILE", help="where to write it (default: audit_pack_PSEUDONYM.html)")
    pack.set_defaults(func=_pack)

    from .report.briefing.names import FORMATS, HEADINGS as SECTIONS, PRESETS, preset_words   # names only
    from .scope import ROLE_CAPABILITIES, STRATEGIC_LEAD

    brief = command("brief", "write a briefing for a board (PowerPoint, PDF or Excel)",
                    "Write the dashboard's charts and headline figures as a PowerPoint deck, an A4 PDF or an Excel "
                    "workbook, for the filters the `metrics` command takes; with no --from or --to, for the "
                    "latest complete reporting year, as the dashboard opens. Small numbers are shown as \"c\" "
                    "unless --role administrator. Charts are drawn with the computer's Chromium (docs/exports.md).")
    brief.add_argument("--format", choices=tuple(FORMATS), required=True, help="pptx, pdf or xlsx")
    brief.add_argument("--out", metavar="FILE", required=True, help="where to write it")
    brief.add_argument("--db", help=DB_HELP)
    brief.add_argument("--preset", choices=tuple(PRESETS), help="a standing briefing: partnership ("
                       + preset_words("partnership") + ") or all (every section)")
    brief.add_argument("--section", action="append", choices=tuple(SECTIONS), metavar="NAME",
                       help="a section to include: " + ", ".join(SECTIONS) + "; repeat for several (default: all)")
    brief.add_argument("--compare-with", metavar="FILE", help="last quarter's briefing workbook (.xlsx) or figures "
                                                              "snapshot (.json): changes are marked")
    brief.add_argument("--save-figures", metavar="FILE.json", help="also save this run's headline figures, to "
                                                                   "compare the next run with")
    brief.add_argument("--role", choices=tuple(ROLE_CAPABILITIES), default=STRATEGIC_LEAD,
                       help="whose view the briefing shows (default: strategic_lead, small numbers suppressed; "
                            "administrator: none suppressed)")
    brief.add_argument("--child-lists", action="store_true",
                       help="add the endings-at-risk watch list (names pseudonyms; xlsx only; roles with child-level access)")
    cli_args.add_arguments(brief, no_period="with neither --from nor --to, the latest complete reporting year of "
                                            "the data, as the dashboard opens; with --to alone, no limit")
    brief.set_defaults(func=_brief)

    jud = command("judgements", "export the audit group's recorded judgements (CSV)",
                  "Write the judgements the audit group recorded on the Audit sample page to a CSV file: one row "
                  "per child and audit question, with the grade in words and as a code, the notes, who was "
                  "present, and who saved it when. The latest version of each child's form unless --history.")
    jud.add_argument("--csv", metavar="FILE", required=True, help="the CSV file to write (replaced if it exists)")
    jud.add_argument("--run", metavar="NAME", help="only this audit run, as named on the page (default: every run)")
    jud.add_argument("--history", action="store_true",
                     help="every saved version of each form, not only the latest (column `latest` says which)")
    jud.add_argument("--db", help=DB_HELP)
    jud.set_defaults(func=_judgements)

    rev = command("reviews", "redo the SMART, language and theme reviews (after editing data/lexicons)",
                  "Review every plan action again with the current word lists in data/lexicons (SMART, "
                  "language, themes). Run it after editing those lists.")
    rev.add_argument("--db", help=DB_HELP)
    rev.set_defaults(func=_reviews)

    der = command("derive", "rewrite the derived tables that are out of date, without importing",
                  "Work out again the tables the dashboard reads its pages from (worked out at each import), where "
                  "they are missing or out of date: after upgrading the dashboard, a store imported by an earlier "
                  "version shows its pages slowly until this runs or the next import. The imported rows, the "
                  "action reviews and the audit group's judgements are not changed. Stop any import first; the "
                  "dashboard waits while it runs.")
    der.add_argument("--db", help=DB_HELP)
    der.add_argument("--all", action="store_true", help="rewrite every derived table, current or not")
    der.set_defaults(func=_derive)

    bench = command("bench", "time every page's queries on a large synthetic store",
                    "Build (or reuse) a large synthetic store and time every page's queries on it, to check the "
                    "dashboard stays quick at a national scale. Prints a table for docs/benchmark.md.")
    bench.add_argument("--plans", type=int, default=1_000_000, help="how many plans the synthetic store holds (default: 1000000)")
    bench.add_argument("--db", help="the synthetic store to build or reuse (default: .bench/bench_N.duckdb, N the "
                       "--plans; reused when built for the same plans, seed and definitions, else built again)")
    bench.add_argument("--json", action="store_true", help="print the timings as JSON instead of the table")
    bench.add_argument("--runs", type=int, default=5, help="how many times each query is timed; the median is shown (default: 5)")
    bench.add_argument("--import-files", action="store_true", help="instead, time the import of CIN census files of many "
                       "authorities for about --plans plans, and of one more authority-year (docs/benchmark.md)")
    bench.set_defaults(func=_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    from .store import StoreBusy

    args = parser().parse_args(argv)
    try:
        code = int(args.func(args))
        sys.stdout.flush()   # here, not at exit, so a closed pipe is met below
        return code
    except StoreBusy as busy:  # another process writes the store: one line, never a traceback
        print(f"{args.command} failed: {busy}", file=sys.stderr)
        return 2
    except BrokenPipeError:   # `... | head` stopped reading: what was done is done; no traceback (Python's advice)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
