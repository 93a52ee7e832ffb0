"""Small HTML builders for the audit pack: every value goes through `esc`, so no text from the
store (action text, event detail, even a team name) can become markup in the printed pack.

Why not a template engine: the pack is a handful of tables and boxes; plain functions with one
escape point are easier to audit than a second language, and need no new dependency.
"""
from __future__ import annotations

import html
from datetime import date, datetime
from typing import Iterable, Sequence

import pandas as pd

BLANK = "–"


def is_blank(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


def fmt_date(value: object) -> str:
    """'03 Feb 2021' (the audit reads dates, not timestamps); blank -> '–'."""
    if is_blank(value):
        return BLANK
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return pd.Timestamp(value).strftime("%d %b %Y")
    try:
        return pd.Timestamp(value).strftime("%d %b %Y")
    except (ValueError, TypeError):
        return str(value)


def esc(value: object) -> str:
    """Escaped text of any value (dates formatted, blanks as '–')."""
    if is_blank(value):
        return BLANK
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return fmt_date(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return html.escape(f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value)}")
    return html.escape(str(value), quote=True)


class Raw(str):
    """Markup this module built itself (already escaped): `table` passes it through unchanged."""


def cell(value: object) -> str:
    return value if isinstance(value, Raw) else esc(value)


def tag(name: str, content: str | Raw, cls: str | None = None, **attrs: str) -> Raw:
    """<name class=...>content</name>; content must already be escaped (use esc / Raw)."""
    extra = "".join(f' {k.rstrip("_").replace("_", "-")}="{html.escape(str(v), quote=True)}"' for k, v in attrs.items())
    klass = f' class="{html.escape(cls, quote=True)}"' if cls else ""
    return Raw(f"<{name}{klass}{extra}>{content}</{name}>")


def para(text: object, cls: str | None = None) -> Raw:
    return tag("p", esc(text), cls)


def badge(text: str, kind: str) -> Raw:
    """A small label that prints in black and white too (the word carries the meaning, not the colour)."""
    return tag("span", esc(text), f"badge badge-{kind}")


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], cls: str = "",
          widths: Sequence[str] | None = None, row_classes: Sequence[str] | None = None,
          empty: str = "None recorded.") -> Raw:
    """A table with a repeating header (thead) whose rows never split across pages (CSS)."""
    rows = list(rows)
    if not rows:
        return para(empty, "empty")
    cols = ""
    if widths:
        cols = "<colgroup>" + "".join(f'<col style="width:{html.escape(w, quote=True)}">' for w in widths) + "</colgroup>"
    head = "<thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in headers) + "</tr></thead>"
    body = []
    for i, row in enumerate(rows):
        rc = row_classes[i] if row_classes and row_classes[i] else ""
        klass = f' class="{html.escape(rc, quote=True)}"' if rc else ""
        body.append(f"<tr{klass}>" + "".join(f"<td>{cell(v)}</td>" for v in row) + "</tr>")
    klass = f' class="{html.escape(cls, quote=True)}"' if cls else ""
    return Raw(f"<table{klass}>{cols}{head}<tbody>{''.join(body)}</tbody></table>")


def dl(pairs: Iterable[tuple[str, object]]) -> Raw:
    """A definition list of facts (label: value)."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{cell(v)}</dd>" for k, v in pairs)
    return Raw(f'<dl class="facts">{items}</dl>')


def ul(items: Iterable[object], cls: str | None = None) -> Raw:
    lis = "".join(f"<li>{cell(i)}</li>" for i in items)
    return tag("ul", Raw(lis), cls)


def highlight(text: object, spans: Sequence[tuple[int, int, str]]) -> Raw:
    """Text with the given (start, end, title) character spans wrapped in <mark> (escaped throughout)."""
    if is_blank(text):
        return Raw(BLANK)
    text = str(text)
    out, pos = [], 0
    for start, end, title in sorted(spans):
        if start < pos or end > len(text) or start >= end:
            continue
        out.append(html.escape(text[pos:start]))
        out.append(f'<mark title="{html.escape(title, quote=True)}">{html.escape(text[start:end])}</mark>')
        pos = end
    out.append(html.escape(text[pos:]))
    return Raw("".join(out))
