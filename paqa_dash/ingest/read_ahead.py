"""Reading a large census in a second process while the first writes: batches read ahead, in order.

Why: a regional import of a million plans spends about a third of its time parsing XML into rows and two
thirds checking, de-identifying and writing them, and the writer is one Python interpreter on one core.
Parsing the next batch in another process while this one writes the current batch uses the machine's
second core, so the import takes about as long as the writing alone.  The batches come back exactly as the
reader would have given them in this process (the same Extracts, in the same order), and a fatal error in
a file comes back as that same FatalImportError, after the batches before it, so the one-transaction rule
is untouched: the writer still stops, and rolls back, where it would have.

The worker is a fresh interpreter (`python -m paqa_dash.ingest.read_ahead`), not a multiprocessing child:
nothing is inherited from a process holding DuckDB connections and threads, and the caller's main module
(a Streamlit page, a script without a `__main__` guard) is never run again.  Batches travel pickled over its
stdout pipe; the pipe's small buffer holds the worker back once one batch is waiting, so memory stays bounded.
"""
from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from pathlib import Path
from typing import IO, Any, Callable, Iterator

_LENGTH = struct.Struct("<Q")
_ROOT = Path(__file__).resolve().parent.parent.parent  # the folder holding the paqa_dash package


def ahead(produce: Callable[..., Iterator[Any]], *args: Any) -> Iterator[Any]:
    """`produce(*args)`'s items, produced in a worker process (`produce` importable by name, its arguments
    and items picklable).  The worker starts now, so it reads while the caller opens the store; it is
    stopped when the caller stops asking (an error in the writer, a closed generator)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(_ROOT), os.environ.get("PYTHONPATH")) if p)}
    worker = subprocess.Popen([sys.executable, "-m", "paqa_dash.ingest.read_ahead"], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, env=env)
    assert worker.stdin is not None
    try:
        worker.stdin.write(pickle.dumps((produce, args), protocol=pickle.HIGHEST_PROTOCOL))
        worker.stdin.close()
    except BrokenPipeError:
        pass  # the worker stopped at once: _receive says so
    return _receive(worker)


def _receive(worker: subprocess.Popen) -> Iterator[Any]:
    assert worker.stdout is not None
    try:
        while True:
            message = _read(worker.stdout)
            if message is None:
                raise RuntimeError(f"the census reader process stopped (exit code {worker.wait()}) before the "
                                   "last batch; nothing was imported")
            kind, value = message
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        worker.stdout.close()


def _read(stream: IO[bytes]) -> tuple[str, Any] | None:
    head = stream.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (size,) = _LENGTH.unpack(head)
    body = stream.read(size)
    return pickle.loads(body) if len(body) == size else None


def _send(stream: IO[bytes], kind: str, value: Any) -> None:
    body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_LENGTH.pack(len(body)))
    stream.write(body)
    stream.flush()


def _serve() -> None:
    """In the worker: every item, then "end"; or the error that stopped the reader (as itself when it can
    travel, else as a RuntimeError saying what it was).  Anything printed goes to stderr, never into the
    pipe."""
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    produce, args = pickle.loads(sys.stdin.buffer.read())
    try:
        for item in produce(*args):
            _send(out, "item", item)
    except BaseException as exc:  # noqa: BLE001  (whatever stopped the reader stops the import)
        try:
            _send(out, "error", exc)
        except Exception:  # noqa: BLE001  (an error that cannot be pickled)
            _send(out, "error", RuntimeError(f"the census reader failed: {type(exc).__name__}: {exc}"))
        return
    _send(out, "end", None)


if __name__ == "__main__":
    try:
        _serve()
    except BrokenPipeError:  # the writer stopped reading (it failed, or was closed): nothing more to do
        pass
