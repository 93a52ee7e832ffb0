"""Every link between the Markdown documents resolves: the file exists and its `#anchor` is one of its headings.

The docs cite each other by section (the benchmark's summary links into its history, the data dictionary into the
data contract), and a heading renamed or moved to another file breaks such a link silently.  Anchors are made as
GitHub makes them: the heading's text lower-cased, characters other than letters, digits, spaces, hyphens and
underscores dropped, spaces made hyphens, and a repeated heading given -1, -2, ...  Headings inside fenced code
blocks are not headings.  Run directly (`python tests/test_doc_links.py`) it prints every broken link.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_LINK = re.compile(r"\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def anchor(heading: str) -> str:
    """The anchor GitHub gives a heading's text (its Markdown link and emphasis marks taken out first)."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link: its text
    text = text.replace("`", "").replace("*", "")
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def lines_outside_code(path: Path) -> list[str]:
    """The file's lines, without those of fenced code blocks (a `#` there is a shell comment, not a heading)."""
    kept, fenced = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            kept.append(line)
    return kept


@lru_cache(maxsize=None)
def anchors(path: Path) -> frozenset[str]:
    """Every anchor of the file's headings, repeated headings numbered as GitHub numbers them."""
    seen: dict[str, int] = {}
    found = set()
    for line in lines_outside_code(path):
        m = _HEADING.match(line)
        if not m:
            continue
        base = anchor(m.group(2))
        n = seen.get(base, 0)
        found.add(base if n == 0 else f"{base}-{n}")
        seen[base] = n + 1
    return frozenset(found)


def broken_links() -> list[str]:
    """Each link to a Markdown file (or to an anchor of the same file) that does not resolve, as `file: link`."""
    broken = []
    for doc in DOCUMENTS:
        for line in lines_outside_code(doc):
            for target in _LINK.findall(line):
                if re.match(r"^[a-z]+:", target):  # http:, https:, mailto:
                    continue
                name, _, fragment = target.partition("#")
                if name and not name.endswith(".md"):
                    continue
                path = (doc.parent / name).resolve() if name else doc
                if not path.is_file():
                    broken.append(f"{doc.relative_to(ROOT)}: {target} (no such file)")
                elif fragment and fragment not in anchors(path):
                    broken.append(f"{doc.relative_to(ROOT)}: {target} (no such heading)")
    return broken


def test_anchor_is_made_as_github_makes_it():
    assert anchor("The serial start and end of a large import (6 December 2026, 03:35 to 05:23 UTC)") == (
        "the-serial-start-and-end-of-a-large-import-6-december-2026-0335-to-0523-utc")
    assert anchor("Census years, in any order") == "census-years-in-any-order"
    assert anchor("`derived_works_plans` and *What works*") == "derived_works_plans-and-what-works"


def test_every_link_between_the_documents_resolves():
    assert broken_links() == []


if __name__ == "__main__":
    for problem in broken_links():
        print(problem)
