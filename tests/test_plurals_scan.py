"""No figure writes a plural noun after a value of its hover: "%{y:,} plans" reads "1 plans" on a bar of one.  The
count and its noun go into the trace's customdata per point (figures/style.py `counted_each`); a share
("%{x:.0%} repeat plans"), a value with decimals ("%{x:.1f} months") or a date may stand before a plural.

A scan of the source, so that a new chart cannot bring the old form back unnoticed (tests/figures/
test_hover_plurals.py reads the hovers of the charts there are)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

FIGURES = Path(__file__).resolve().parents[1] / "paqa_dash" / "figures"
NOUNS = ("plans", "children", "events", "meetings", "actions", "days", "months", "weeks", "concerns", "endings",
         "times", "rows", "invitations", "challenges", "escalations", "changes", "people")
# A hover's value (%{...}), then a plural noun, next or after one word ("%{y:,} repeat plans").
COUNT_THEN_PLURAL = re.compile(r"%\{(?P<value>[^}:|]+)(?P<format>[:|][^}]*)?\}[ \t]+(?:[\w-]+[ \t]+)?"
                               rf"(?P<noun>{'|'.join(NOUNS)})\b")
OTHER = "\x00"   # where a string is joined to something not a string (a name, a call): no match runs across it


def _not_a_count(format_: str | None) -> bool:
    """A share (".0%"), a number with decimals (".1f") or a date ("|%d %b"): no singular to say."""
    return bool(format_) and (format_.startswith("|") or format_.endswith("%") or re.search(r"\.[1-9]", format_) is not None)


def _text(node: ast.AST) -> str | None:
    """The text of a string, an f-string or a sum of them (OTHER for each part that is not written out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(_text(v) or OTHER for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is None and right is None:
            return None
        return (left or OTHER) + (right or OTHER)
    return None


def offences(source: str) -> list[str]:
    """Each value-then-plural of the strings of `source` (every template written with "%{"; docstrings, which
    may quote the old form, aside)."""
    tree = ast.parse(source)
    docstrings = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue
        text = _text(node)
        if text is None or "%{" not in text:
            continue
        for m in COUNT_THEN_PLURAL.finditer(text):
            # %{hovertext} holds a share in words ("over 99%", figures/style.pct_labels), never a count
            if m.group("value") != "hovertext" and not _not_a_count(m.group("format")):
                found.append(f"line {node.lineno}: {m.group(0)!r}")
    return sorted(set(found))


@pytest.mark.parametrize("path", sorted(FIGURES.glob("*.py")), ids=lambda p: p.name)
def test_no_hover_puts_a_plural_noun_after_a_count(path: Path) -> None:
    assert offences(path.read_text(encoding="utf-8")) == [], (
        f"{path.name}: a count in a hover with a fixed plural noun; put figures.style.counted_each(counts, noun) "
        "in the trace's customdata and show %{customdata}")


def test_the_scan_finds_the_old_forms_and_passes_shares_dates_and_words() -> None:
    bad = '''
go.Bar(hovertemplate="%{x}<br>%{y:,} plans started<extra></extra>")
go.Bar(hovertemplate="%{y}<br>" + label.lower() + "s: %{x:,} on %{customdata:,} plans")
go.Bar(hovertemplate=f"%{{y}}: %{{x}} children {label}")
go.Bar(hovertemplate="%{customdata} full months after<br>%{y:,} repeat plans")
'''
    assert len(offences(bad)) == 5, offences(bad)
    good = '''
go.Bar(hovertemplate="%{x}<br>%{y:.0%} repeat plans<br>%{customdata[0]:,} of %{customdata[1]}")
go.Bar(hovertemplate="%{x:.1f} months: %{y:.0%} no other plan<br>%{customdata[0]} still followed")
go.Bar(hovertemplate="%{x|%d %b %Y}: %{text}<extra></extra>")
go.Bar(hovertemplate="%{x} of the plan's actions repeated<br>%{customdata}")
"""A docstring may quote the old "%{y:,} plans"."""
'''
    assert offences(good) == []
