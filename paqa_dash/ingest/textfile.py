"""What a CSV file's bytes are (empty, UTF-16, binary, UTF-8 or not), found by one streamed pass.

Why: the readers of table-shaped sources (ingest/bundle.py, ingest/ssd.py) used to read a whole file
into memory to judge its encoding; a region's events.csv runs to gigabytes.  This pass reads a megabyte
at a time and keeps only what the readers ask about; each reader words its own refusal.
"""
from __future__ import annotations

import codecs
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from .frames import FatalImportError

_CHUNK = 2**20
_WHITESPACE = b" \t\n\r\x0b\x0c"  # what bytes.strip() removes


@dataclass(frozen=True)
class Scan:
    """`blank`: nothing but whitespace; `utf16`: a UTF-16 byte-order mark; `nul_line`: the line (1-based) of
    the first NUL byte, `nul_early` when it is in the first 4 KB (a binary file, not a damaged one);
    `utf8`: the bytes decode as UTF-8."""

    blank: bool
    utf16: bool
    nul_line: int | None
    nul_early: bool
    utf8: bool


def scan(path: Path) -> Scan:
    """One pass over `path`'s bytes; FatalImportError when it cannot be read."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    blank, utf8, lines, offset = True, True, 0, 0
    nul_line, nul_early, head = None, False, b""
    try:
        with path.open("rb") as f:
            while chunk := f.read(_CHUNK):
                head = head or chunk[:2]
                blank = blank and not chunk.strip(_WHITESPACE)
                if nul_line is None and (at := chunk.find(b"\x00")) >= 0:
                    nul_line, nul_early = lines + chunk.count(b"\n", 0, at) + 1, offset + at < 4096
                lines += chunk.count(b"\n")
                offset += len(chunk)
                if utf8:
                    try:
                        decoder.decode(chunk)
                    except UnicodeDecodeError:
                        utf8 = False
            if utf8:
                try:
                    decoder.decode(b"", final=True)
                except UnicodeDecodeError:
                    utf8 = False
    except OSError as e:
        raise FatalImportError(f"{path.name}: cannot be read ({e.strerror})") from None
    return Scan(blank, head in (b"\xff\xfe", b"\xfe\xff"), nul_line, nul_early, utf8)


def open_text(path: Path, encoding: str) -> TextIO:
    """The file as text for `csv.reader` (newlines as written); a byte cp1252 lacks reads as U+FFFD.

    Read as Windows-1252, a file that begins with UTF-8's byte-order mark (a tool that writes the mark, then text
    in the system's code page) has the mark left out: read as text it is `ï»¿`, the start of the first heading,
    and the file's first column was missing."""
    if encoding != "cp1252":
        return path.open("r", encoding=encoding, errors="strict", newline="")
    raw = path.open("rb")
    if raw.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        raw.seek(0)
    return io.TextIOWrapper(raw, encoding="cp1252", errors="replace", newline="")


def first_line(path: Path, encoding: str) -> str:
    """The text up to the first newline (all of it when there is none)."""
    out = ""
    with open_text(path, encoding) as f:
        while chunk := f.read(65536):
            cut = chunk.find("\n")
            if cut >= 0:
                return out + chunk[:cut]
            out += chunk
    return out
