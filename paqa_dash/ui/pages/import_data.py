"""Import data: upload a native CSV bundle (several files together), an .xlsx workbook (bundle or Annex A)
or CIN census XML, load it with the same pipeline as the command line, and see what was loaded and rejected.

The app's own connections are read-only and short-lived, so this page opens its own write connection
(through `run_import`) and clears the caches when it is done.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from paqa_dash import scope
from paqa_dash.ingest import la_number
from paqa_dash.ingest.deidentify import KEY_ENV, key_file
from paqa_dash.ingest.frames import FatalImportError, in_file_order
from paqa_dash.ingest.scrub import file_names_in
from paqa_dash.metrics.record_judgement import carry_over
from paqa_dash.pipeline import ImportSummary, run_import
from paqa_dash.reference.codes import REPEATS_LABEL, REPEATS_MEANING, STORE_TABLE_LABELS
from paqa_dash.ui import access_trail, components, confirm, data, readers
from paqa_dash.ui.confirm import Danger
from paqa_dash.reference.words import counted

TITLE = "Import data"
ICON = ":material/upload_file:"
ORDER = 90
URL_PATH = "import"
NEEDS = scope.ADMIN

NEW_STORE = "Start a new store (remove everything in the current one)"
ADD = "Add to the current store"
REPLACE_WORD = "REPLACE"
NEW_KEY_WORD = "NEW KEY"
CONFIRM_KEY = "import_confirm"


def save_uploads(files: list, folder: Path) -> list[Path]:
    """Write uploads to `folder`: native .csv files into one sub-folder (one bundle), `ssd_*.csv` into
    another (one SSD extract), other files as they are.

    Why a folder: the native bundle is a folder of CSVs, and the readers detect a source by its shape.
    """
    paths: list[Path] = []
    for f in files:
        name = Path(f.name).name or "upload"
        if name.lower().endswith(".csv"):
            bundle = folder / ("ssd" if name.lower().startswith("ssd_") else "bundle")
            bundle.mkdir(exist_ok=True)
            (bundle / name).write_bytes(f.getvalue())
            if bundle not in paths:
                paths.append(bundle)
        else:
            target = folder / name
            target.write_bytes(f.getvalue())
            paths.append(target)
    return paths


def import_danger(synthetic: bool, real: bool, mode: str, new_key: bool, store_name: str) -> Danger | None:
    """What this import would do that cannot be undone, and the word that confirms it (None: nothing).

    The word names the worst of it: a new pseudonym key (NEW KEY), replacing the demo or every real record
    (REPLACE), else adding to a store of real data (the store's name, so the user sees which store)."""
    reasons: list[str] = []
    word = ""
    if real:
        if mode == NEW_STORE:
            reasons.append(f"Every record in the store **{store_name}** is replaced by this import (the audit "
                           "group's recorded judgements are kept).")
            word = REPLACE_WORD
        else:
            reasons.append(f"The store **{store_name}** holds real data; this import adds to it.")
            word = store_name
        if new_key:
            reasons.append("No pseudonym key was found for it (no key file beside the store and no "
                           f"`{KEY_ENV}`): a **new key** will be made, so the children imported now get pseudonyms "
                           "that do not match the ones already in the store, in audit notes or in shared links.")
            word = NEW_KEY_WORD
    elif synthetic:
        reasons.append("The store holds the synthetic demo: this import **removes all the demo data**.")
        word = REPLACE_WORD
    return Danger(tuple(reasons), word) if reasons else None


def key_would_change(db: Path) -> bool:
    """True when an import would create a new pseudonym key: no key in the environment or beside the store."""
    return not os.environ.get(KEY_ENV) and not key_file(db).exists()


def import_into_new_store(paths: list[Path], db: Path, progress, authority: str | None = None) -> ImportSummary:
    """Load into a fresh store beside `db` (same pseudonym key), carry the recorded audit judgements over, then
    swap it in: the old store is only replaced when the import succeeded."""
    tmp = db.with_name(db.name + ".new")
    for leftover in (tmp, Path(str(tmp) + ".wal"), key_file(tmp)):
        leftover.unlink(missing_ok=True)
    if key_file(db).exists():
        shutil.copy2(key_file(db), key_file(tmp))
    try:
        summary = run_import(paths, tmp, progress=progress, authority=authority)
        carry_over(db, tmp)   # the audit group's judgements are the group's work, not imported data: they stay
        os.replace(tmp, db)
        Path(str(db) + ".wal").unlink(missing_ok=True)
        if not key_file(db).exists() and key_file(tmp).exists():
            os.replace(key_file(tmp), key_file(db))
        return summary
    finally:
        for leftover in (tmp, Path(str(tmp) + ".wal"), key_file(tmp)):
            leftover.unlink(missing_ok=True)


def summary_frame(summary: ImportSummary) -> pd.DataFrame:
    """table, read, loaded, rejected, duplicates (one row per table that read anything)."""
    rows = [{"table": t, **c} for t, c in summary.tables.items()]
    frame = pd.DataFrame(rows, columns=["table", "read", "loaded", "rejected", "duplicates"])
    return frame[frame[["read", "loaded", "rejected", "duplicates"]].sum(axis=1) > 0]


def issues_frame(issues: list) -> pd.DataFrame:
    return pd.DataFrame([{"table": i.table, "source": i.source, "row": i.row, "field": i.field, "reason": i.reason}
                         for i in in_file_order(issues)], columns=["table", "source", "row", "field", "reason"])


SUMMARY_HEADINGS = {"table": "Table", "read": "Rows read", "loaded": "Loaded", "rejected": "Rejected",
                    "duplicates": REPEATS_LABEL}
ISSUE_HEADINGS = {"table": "Table", "source": "Source file", "row": "Row", "field": "Field", "reason": "Reason",
                  "message": "Warning"}


def _show_result(summary: ImportSummary) -> None:
    table = summary_frame(summary)
    if summary.unchanged:
        st.info("These files were imported before: nothing changed.", icon=":material/info:")
    else:
        st.success(f"Imported: {counted(int(table['loaded'].sum()), 'row')} loaded, {int(table['rejected'].sum()):,} "
                   f"rejected, {int(table['duplicates'].sum()):,} {REPEATS_LABEL.lower()} ({REPEATS_MEANING}).",
                   icon=":material/check_circle:")
    if summary.replaced_synthetic:
        st.info("The synthetic demo data was removed: the store now holds only your data.", icon=":material/info:")
    components.data_table(table.assign(table=table["table"].map(lambda t: STORE_TABLE_LABELS.get(t, t))),
                          "import_summary", column_config=SUMMARY_HEADINGS)
    rejects = issues_frame(summary.rejects)
    st.markdown(f"**Rejected rows: {len(rejects):,}**")
    if not rejects.empty:
        components.data_table(rejects.head(5000), "import_rejects", column_config=ISSUE_HEADINGS)
        components.csv_download("Download rejects CSV", lambda: components.table_csv(rejects, ISSUE_HEADINGS),
                                "import_rejects.csv", "import_rejects_csv")
    warnings = issues_frame(summary.warnings)
    if not warnings.empty:
        components.table_expander(warnings.rename(columns={"reason": "message"}), key="import_warnings",
                                  label=f"Show {counted(len(warnings), 'warning')}", column_config=ISSUE_HEADINGS)
    st.page_link("paqa_dash/ui/pages/data_quality.py", label="See every import and reject on Data quality",
                 icon=":material/fact_check:")


def render() -> None:
    st.title("Import data")
    if not confirm.is_administrator():
        access_trail.log_refused("the import page: not an administrator")
        st.error("Importing data is open to administrators only.", icon=":material/lock:")
        return
    db = data.store_path()
    info = data.store_info()
    synthetic = bool(info["synthetic"])
    real = not synthetic and int(info["plans"]) > 0
    st.markdown("Upload a **native bundle** (the CSV files `children.csv`, `plans.csv`, `events.csv`, ... together, "
                "or one `.xlsx` workbook with a sheet per table), an **Ofsted Annex A** workbook, **CIN census "
                "XML** files, or **Standard Safeguarding Dataset** extracts (the `ssd_*.csv` files together). "
                "Identifiers are pseudonymised and names scrubbed before anything is stored; rows that break a rule "
                "are rejected with a reason and the rest still loads. A file that cannot be read stops the import "
                "and leaves the store unchanged.")
    files = st.file_uploader("Source files", type=["csv", "xlsx", "xml"], accept_multiple_files=True,
                             key="import_files")
    authority = st.text_input(
        "Authority (DfE LA number, optional)", key="import_authority", max_chars=3, placeholder="e.g. 202",
        help="The three-digit DfE number of the authority these files belong to, for files that do not say "
             "(Annex A, SSD, bundles without an authority column). A CIN census file states its own; naming "
             "another stops the import. Left blank in a store of one authority, the files take that one.").strip()
    if synthetic:   # synthetic and real records never mix: the typed confirmation below says so
        mode = NEW_STORE
    else:
        mode = st.radio("Into", [ADD, NEW_STORE], index=0, key="import_mode", horizontal=True,
                        help="Adding the same files again changes nothing.")
        if mode == NEW_STORE and not real:   # with real data, the typed confirmation below says so
            st.warning("Everything already in the store is replaced by this import (only once it succeeds).",
                       icon=":material/warning:")
    done = st.session_state.pop("import_result", None)
    if done is not None:
        st.session_state.pop(CONFIRM_KEY, None)   # a new import asks for its word again
        _show_result(done)
    danger = import_danger(synthetic, real, mode, real and key_would_change(db), db.stem)
    confirmed = confirm.typed_word(danger, CONFIRM_KEY)
    start = st.button("Import", type="primary", icon=":material/upload:", disabled=not (files and confirmed),
                      key="import_go")
    if not (start and files):
        return
    uploaded = sorted(Path(f.name).name for f in files)   # kept in the access log as file_name keeps them
    names = ", ".join(uploaded)
    if not confirm.refuse_unless_confirmed(danger, confirmed, file_names_in(f"import of {names}", uploaded)):
        return
    bar = st.progress(0.0, text="Saving the uploaded files…")

    def progress(fraction: float, message: str | None = None) -> None:
        bar.progress(min(max(0.1 + 0.9 * float(fraction), 0.0), 1.0), text=message or "Importing…")

    with tempfile.TemporaryDirectory(prefix="paqa_upload_") as tmp:
        paths = save_uploads(list(files), Path(tmp))
        try:
            named = la_number.check(authority, "Authority") if authority else None
            with data.writing():   # no page of this server reads the store while it is written
                if mode == NEW_STORE and not synthetic and db.exists():
                    summary = import_into_new_store(paths, db, progress, authority=named)
                else:
                    summary = run_import(paths, db, progress=progress, authority=named)
        except (FatalImportError, readers.Busy) as exc:
            bar.empty()
            access_trail.log_import(file_names_in(f"{names}: failed, nothing imported: {exc}", uploaded))
            st.error(f"Nothing was imported: {components.plain(exc)}", icon=":material/error:")
            return
    access_trail.log_import(file_names_in(f"{names} ({'new store' if mode == NEW_STORE else 'added'}): "
                                          f"{summary.describe()}", uploaded))
    bar.progress(1.0, text="Done")
    st.cache_data.clear()
    # Rerun so the sidebar (teams), the banner and every page see the new store; show the result after.
    st.session_state["import_result"] = summary
    st.rerun()


if __name__ == "__main__":
    render()
