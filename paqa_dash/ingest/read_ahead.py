"""Reading a large census in a second process while the first writes: batches read ahead, in order.

Why: a regional import of a million plans spends about a third of its time parsing XML into rows and two
thirds checking, de-identifying and writing them, and the writer is one Python interpreter on one core.
Parsing the next batches in another process while this one writes the current batch uses the machine's
second core, so the import takes about as long as the writing alone.  The batches come back exactly as the
reader would have given them in this process (the same Extracts, in the same order), and a fatal error in
a file comes back as that same FatalImportError, after the batches before it, so the one-transaction rule
is untouched: the writer still stops, and rolls back, where it would have.

The worker is started with `spawn` (a fresh interpreter, nothing inherited from a process that holds
DuckDB connections and threads) and holds at most `DEPTH` batches waiting, so memory stays bounded.
"""
from __future__ import annotations

import multiprocessing
import pickle
import queue
from typing import Any, Callable, Iterator

DEPTH = 2  # batches read ahead and waiting for the writer (each a few MB)
_POLL_SECONDS = 1.0


def ahead(produce: Callable[..., Iterator[Any]], *args: Any) -> Iterator[Any]:
    """`produce(*args)`'s items, produced in a worker process (`produce` a module-level function, its
    arguments and items picklable).  The worker starts now, so it starts reading while the caller opens
    the store; it is stopped when the caller stops asking (an error in the writer, a closed generator)."""
    context = multiprocessing.get_context("spawn")
    channel = context.Queue(maxsize=DEPTH)
    worker = context.Process(target=_work, args=(channel, produce, args), daemon=True,
                             name="paqa-census-reader")
    worker.start()
    return _receive(channel, worker)


def _receive(channel: Any, worker: Any) -> Iterator[Any]:
    try:
        while True:
            try:
                kind, value = channel.get(timeout=_POLL_SECONDS)
            except queue.Empty:
                if not worker.is_alive():
                    raise RuntimeError(f"the census reader process stopped (exit code {worker.exitcode}) "
                                       "before the last batch; nothing was imported") from None
                continue
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        if worker.is_alive():
            worker.terminate()
        worker.join()
        channel.close()


def _work(channel: Any, produce: Callable[..., Iterator[Any]], args: tuple) -> None:
    """In the worker: every item, then "end"; or the error that stopped the reader (as itself when it can
    travel, else as a RuntimeError saying what it was)."""
    try:
        for item in produce(*args):
            channel.put(("item", item))
    except BaseException as exc:  # noqa: BLE001  (whatever stopped the reader stops the import)
        try:
            pickle.dumps(exc)
            channel.put(("error", exc))
        except Exception:  # noqa: BLE001
            channel.put(("error", RuntimeError(f"the census reader failed: {type(exc).__name__}: {exc}")))
        return
    channel.put(("end", None))
