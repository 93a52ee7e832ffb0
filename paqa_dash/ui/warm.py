"""Start the server's once-per-process work (`paqa_dash.metrics.warmup`) in the background, once, after the
first page a user opened has been drawn.

Why after, not at start-up: Streamlit has no start-up hook that runs before a user arrives, and the first run
already pays for importing the app; doing the rest while that first page is drawn on two cores would slow the
page the user is waiting for. Why a plain thread: the steps touch no Streamlit state (no session, no cache of
`st`), only module-level caches, so they need no script-run context and cannot reach another user's data.
"""
from __future__ import annotations

import threading

from paqa_dash.metrics import warmup

_lock = threading.Lock()
_started: threading.Thread | None = None


def start_once() -> threading.Thread:
    """The warm-up thread of this process, started by the first call (later calls return it)."""
    global _started
    with _lock:
        if _started is None:
            _started = threading.Thread(target=warmup.load_once, name="paqa-warm-up", daemon=True)
            _started.start()
        return _started
