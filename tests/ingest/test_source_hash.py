"""The import run's fingerprint of its files (import_runs.file_hash), hashed in a thread as the batches come.

It must stay the digest earlier versions recorded: an import of the same files is recognised as one made before
(nothing new) by it, in a store written by any version."""
from __future__ import annotations

import hashlib
from pathlib import Path

from paqa_dash.ingest.frames import Extract
from paqa_dash.ingest.source_hash import SourceHashes


def _as_recorded(extracts: list[Extract]) -> str:
    """The fingerprint as import runs have recorded it: kind, then each file's name and SHA-256, files sorted."""
    h = hashlib.sha256()
    for extract in extracts:
        h.update(extract.kind.encode())
        for path in sorted(extract.files):
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for f in files:
                h.update(f.name.encode())
                h.update(hashlib.sha256(f.read_bytes()).digest())
    return h.hexdigest()


def test_the_fingerprint_is_the_one_recorded_whether_hashed_ahead_or_at_the_end(tmp_path: Path) -> None:
    census = [tmp_path / "b_2024.xml", tmp_path / "a_2023.xml"]
    for i, f in enumerate(census):
        f.write_bytes(b"<Message>" + bytes([i]) * 300_000 + b"</Message>")   # more than one chunk of hashing
    bundle = tmp_path / "bundle"
    (bundle / "sub").mkdir(parents=True)
    (bundle / "plans.csv").write_text("plan_id\np1\n")
    (bundle / "sub" / "children.csv").write_text("child_id\nc1\n")
    extracts = [Extract(kind="cin_xml", files=census), Extract(kind="bundle", files=[bundle])]
    expected = _as_recorded(extracts)

    ahead = SourceHashes()
    for extract in extracts:
        ahead.start(extract)
    assert ahead.fingerprint(extracts) == expected
    ahead.close()
    at_the_end = SourceHashes()   # nothing started: each file hashed when asked
    assert at_the_end.fingerprint(extracts) == expected
    other_kind = [Extract(kind="annex_a", files=census), extracts[1]]
    assert at_the_end.fingerprint(other_kind) != expected
