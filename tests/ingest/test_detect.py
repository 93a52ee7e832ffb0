"""A file no importer reads is refused by name, saying what to do with it: an old .xls, an .ods, a .txt, a CSV
not named after a bundle table."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash.ingest.detect import kind_of
from paqa_dash.ingest.frames import FatalImportError


@pytest.mark.parametrize(("name", "says"), [
    ("Annex A 2024.xls", "Annex A 2024.xls: an Excel 97-2003 workbook (.xls), which is not read: open it in Excel "
                         "and save it as an Excel Workbook (.xlsx), then import that"),
    ("return.ods", "return.ods: an OpenDocument spreadsheet (.ods), which is not read: open it in LibreOffice or "
                   "Excel and save it as an Excel Workbook (.xlsx)"),
    ("plans.txt", "plans.txt: a text file, which is not read: save it as a CSV file named after the bundle table"),
    ("cp plans 2024.csv", "cp plans 2024.csv: a CSV file whose name is not a bundle table's: name it after the table "
                          "it holds (children.csv, plans.csv, events.csv"),
    ("returns.zip", "returns.zip: a zip archive: unzip it and import the files, or the folder, inside"),
    ("notes.docx", "notes.docx: not a recognised source (a bundle's CSV files or .xlsx workbook, CIN census XML"),
])
def test_a_file_no_importer_reads_says_what_to_do(tmp_path: Path, name: str, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"child_id,plan_id\n")
    with pytest.raises(FatalImportError) as refused:
        kind_of(path)
    assert str(refused.value).startswith(says)


def test_an_xlsx_renamed_xls_is_told_to_be_renamed_back(tmp_path: Path) -> None:
    """An .xls that is a zip is an Excel Workbook renamed: "save it as .xlsx" would not help someone who has one."""
    from openpyxl import Workbook

    path = tmp_path / "Annex A 2024.xls"
    Workbook().save(tmp_path / "book.xlsx")
    (tmp_path / "book.xlsx").rename(path)
    with pytest.raises(FatalImportError) as refused:
        kind_of(path)
    assert str(refused.value) == ("Annex A 2024.xls: an Excel Workbook (.xlsx) whose name ends .xls: rename it to end "
                                  ".xlsx, then import that")


@pytest.mark.parametrize("name", ["Annex A 2024.xlsx", "bundle.xlsm"])
def test_a_password_protected_workbook_is_told_to_have_its_password_removed(tmp_path: Path, name: str) -> None:
    """Excel saves a workbook with a password to open as an encrypted compound file, not a zip.  It was refused as
    `not a readable Excel workbook`, which says neither why nor what to do."""
    path = tmp_path / name
    path.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4088))  # the compound file's signature
    with pytest.raises(FatalImportError) as refused:
        kind_of(path)
    assert str(refused.value) == (
        f"{name}: a password-protected (encrypted) workbook, or an Excel 97-2003 file named {path.suffix}: it "
        "cannot be read. Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
        "Password, clear it) and save it as an Excel Workbook (.xlsx), then import that")


def test_a_damaged_workbook_says_so(tmp_path: Path) -> None:
    from openpyxl import Workbook

    whole = tmp_path / "whole.xlsx"
    Workbook().save(whole)
    path = tmp_path / "Annex A.xlsx"
    path.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])  # a copy that stopped half way
    with pytest.raises(FatalImportError) as refused:
        kind_of(path)
    assert str(refused.value) == ("Annex A.xlsx: not a readable Excel workbook (damaged, or not copied in full): "
                                  "open it in Excel to check it, save it again, then import that")


@pytest.mark.parametrize("name", ["Annex A List 7.csv", "List 7 - Child protection.csv", "list_8.csv"])
def test_an_annex_a_list_saved_as_csv_is_told_to_import_the_workbook(tmp_path: Path, name: str) -> None:
    """One list of an Annex A workbook saved as CSV was told to be named after a bundle table, which then fails for
    the bundle's columns: the workbook is what to import."""
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + "Child Unique ID,Gender,Child Protection Plan Start Date\r\n".encode("cp1252"))
    with pytest.raises(FatalImportError) as refused:
        kind_of(path)
    assert str(refused.value) == (
        f"{name}: an Annex A list saved as a CSV file, which is not read: import the Annex A workbook (.xlsx) "
        "itself, its lists as its sheets")
