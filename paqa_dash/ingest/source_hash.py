"""The import run's fingerprint of its source files (import_runs.file_hash), worked out while the run reads them.

Why a thread: the fingerprint is a SHA-256 of every byte of every file, and an import asked for it only when its
last batch was written, so at a million plans (2.2 GB of census files) it added 3 to 6 s to the serial end of the
import, when the reader had stopped and one core was idle.  Hashed from the batch that first names a file, the
bytes are read while the batches are (hashlib lets go of the GIL over each chunk, and the files are in the page
cache), and the end only waits for what is left.  The fingerprint is the one the run's files always had:
`fingerprint` takes the same files, in the same order, into the same digest.
"""
from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from .frames import Extract


def files_of(path: Path) -> list[Path]:
    """The files a source path stands for: itself, or a folder's files (a bundle, an SSD extract), sorted."""
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]


def file_digest(path: Path) -> bytes:
    """A file's SHA-256, read in chunks (a large census file is never in memory at once)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").digest()


class SourceHashes:
    """Each source file's digest, started in one background thread when `start` first sees the file."""

    def __init__(self) -> None:
        self._pool: ThreadPoolExecutor | None = None
        self._digests: dict[Path, Future[bytes]] = {}

    def start(self, extract: Extract) -> None:
        for path in extract.files:
            for f in files_of(path):
                if f not in self._digests:
                    if self._pool is None:
                        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="paqa-source-hash")
                    self._digests[f] = self._pool.submit(file_digest, f)

    def fingerprint(self, extracts: list[Extract]) -> str:
        """The run's fingerprint: each extract's kind, then each of its files' name and digest, files sorted."""
        h = hashlib.sha256()
        for extract in extracts:
            h.update(extract.kind.encode())
            for path in sorted(extract.files):
                for f in files_of(path):
                    h.update(f.name.encode())
                    started = self._digests.get(f)
                    h.update(started.result() if started is not None else file_digest(f))
        return h.hexdigest()

    def close(self) -> None:
        """Stop hashing what is not started yet (a failed run's files need no fingerprint)."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
