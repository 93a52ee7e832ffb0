"""Which kind of source a path is, and the reader for it (the `import` command)."""
from __future__ import annotations

import re
import zipfile
from itertools import chain
from pathlib import Path
from typing import Iterator

from . import bundle, limits, partition
from .frames import TABLES, Extract, FatalImportError


def kind_of(path: Path) -> str:
    """bundle | bundle_xlsx | annex_a | cin_xml | ssd, from names and contents (not trusting the extension alone)."""
    if not path.exists():
        raise FatalImportError(f"{path}: no such file or folder")
    if path.is_dir():
        names = [p.name.lower() for p in path.iterdir() if p.is_file()]
        if any(n.startswith("ssd_") and n.endswith(".csv") for n in names):
            return "ssd"
        if any(bundle.table_of(Path(n)) for n in names if n.endswith(".csv")):
            return "bundle"
        raise FatalImportError(f"{path.name}: no recognised files (a bundle needs children.csv, plans.csv, ...; "
                               "an SSD extract needs ssd_*.csv)")
    suffix = path.suffix.lower()
    if suffix == ".xml":
        return "cin_xml"
    if suffix in (".xlsx", ".xlsm"):
        limits.check_workbook(path)  # before even the sheet names are read
        return "bundle_xlsx" if _bundle_sheets(path) else "annex_a"
    if suffix == ".xls" and zipfile.is_zipfile(path):   # an .xlsx renamed: Excel's 97-2003 files are not zips
        raise FatalImportError(f"{path.name}: an Excel Workbook (.xlsx) whose name ends .xls: rename it to end "
                               ".xlsx, then import that")
    if suffix == ".csv":
        if path.name.lower().startswith("ssd_"):
            return "ssd"
        if bundle.table_of(path):
            return "bundle"
        if _ANNEX_A_LIST.search(path.stem):
            raise FatalImportError(f"{path.name}: an Annex A list saved as a CSV file, which is not read: import the "
                                   "Annex A workbook (.xlsx) itself, its lists as its sheets")
    raise FatalImportError(f"{path.name}: {_NOT_READ.get(suffix, _NOT_READ[''])}")


# A CSV file named as one list of an Annex A workbook (`Annex A List 7.csv`, `list_8.csv`): told to import the
# workbook, not to rename it after a bundle table, whose columns it does not have.
_ANNEX_A_LIST = re.compile(r"annex|(?<![a-z])list[ _-]?\d", re.IGNORECASE)

# What to do with a file of another kind than the importers read, by its extension ('': any other).
_NOT_READ = {
    ".xls": "an Excel 97-2003 workbook (.xls), which is not read: open it in Excel and save it as an Excel Workbook "
            "(.xlsx), then import that",
    ".ods": "an OpenDocument spreadsheet (.ods), which is not read: open it in LibreOffice or Excel and save it as an "
            "Excel Workbook (.xlsx), then import that",
    ".csv": "a CSV file whose name is not a bundle table's: name it after the table it holds "
            f"({', '.join(t + '.csv' for t in TABLES)}), or keep an SSD extract's ssd_ name",
    ".txt": "a text file, which is not read: save it as a CSV file named after the bundle table it holds "
            "(plans.csv, ...)",
    ".tsv": "a tab-separated file, which is not read by that name: name it after the bundle table it holds, with "
            ".csv (plans.csv: tabs are read)",
    ".zip": "a zip archive: unzip it and import the files, or the folder, inside",
    "": "not a recognised source (a bundle's CSV files or .xlsx workbook, CIN census XML, an Annex A .xlsx "
        "workbook, an SSD extract's ssd_*.csv files)",
}


def _bundle_sheets(path: Path) -> bool:
    """True when the workbook's sheets are named after bundle tables (a native `.xlsx` bundle)."""
    try:
        with zipfile.ZipFile(path) as z:
            workbook = z.read("xl/workbook.xml").decode("utf-8", errors="replace").lower()
    except (zipfile.BadZipFile, KeyError, OSError):
        raise FatalImportError(f"{path.name}: {_unreadable_workbook(path)}") from None
    return any(f'name="{t}"' in workbook for t in bundle.NEEDED_TABLES)


# The first bytes of a compound file: what Excel writes for a workbook with a password to open (the workbook,
# encrypted, inside one) and for an Excel 97-2003 file; an Excel Workbook (.xlsx) is a zip.
_COMPOUND_FILE = bytes.fromhex("D0CF11E0A1B11AE1")


def _unreadable_workbook(path: Path) -> str:
    """Why a workbook named .xlsx or .xlsm cannot be opened, and what to do: a password-protected one and a damaged
    one were both refused as "not a readable Excel workbook", which says neither."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(len(_COMPOUND_FILE))
    except OSError:
        head = b""
    if head == _COMPOUND_FILE:
        return (f"a password-protected (encrypted) workbook, or an Excel 97-2003 file named {path.suffix}: it cannot "
                "be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
                "Password, clear it) and save it as an Excel Workbook (.xlsx), then import that")
    return ("not a readable Excel workbook (damaged, or not copied in full): open it in Excel to check it, save it "
            "again, then import that")


def read_all(paths: list[Path]) -> list[Extract]:
    """One extract per kind, each reader given all of its paths at once (CIN years merge in one go)."""
    return [_reader(kind)(group) for kind, group in _groups(paths).items()]


def iter_batches(paths: list[Path], batch_children: int | None = None, key: bytes | None = None) -> Iterator[Extract]:
    """The import's extracts in batches of `batch_children` children, kind by kind (`_batches`).  `key`: the
    import's pseudonym key, for a census read in a second process to de-identify ahead (ingest/prepare.py).

    Every path is recognised (`kind_of`) and every census header checked before the first batch is read, so
    a file that cannot be a source at all stops the import before anything is written."""
    groups = _groups(paths)
    # Census returns first: they state their authority, so a source naming none that comes with them finds
    # it in the store (ingest/authority.settle), whatever order the files were given in.
    kinds = sorted(groups, key=lambda kind: kind != "cin_xml")
    return chain.from_iterable([_batches(kind, groups[kind], batch_children, key) for kind in kinds])


def _groups(paths: list[Path]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    for path in paths:
        kind = kind_of(path)
        groups.setdefault("bundle" if kind == "bundle_xlsx" else kind, []).append(path)
    return groups


def _batches(kind: str, group: list[Path], batch_children: int | None, key: bytes | None) -> Iterator[Extract]:
    """A kind's extracts in batches of children: census XML streamed, bundles and SSD extracts through their
    first pass (ingest/partition.py).  An Annex A workbook is one authority's year, a few thousand rows: one
    batch."""
    from . import cin_xml
    if kind == "cin_xml":
        return cin_xml.batches(group, batch_children or cin_xml.BATCH_CHILDREN, key=key)
    if kind == "bundle":
        return bundle.batches(group, batch_children or partition.BATCH_CHILDREN)
    if kind == "ssd":
        from . import ssd
        return ssd.batches(group, batch_children or partition.BATCH_CHILDREN)
    return iter([_reader(kind)(group)])


def _reader(kind: str):  # type: ignore[no-untyped-def]
    if kind == "bundle":
        return bundle.read
    if kind == "cin_xml":
        from . import cin_xml
        return cin_xml.read
    if kind == "annex_a":
        from . import annex_a
        return annex_a.read
    if kind == "ssd":
        from . import ssd
        return ssd.read
    raise FatalImportError(f"no reader for {kind}")


__all__ = ["kind_of", "read_all", "iter_batches", "TABLES"]
