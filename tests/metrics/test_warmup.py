"""The server's once-per-process costs paid by the warm-up (paqa_dash/metrics/warmup.py, paqa_dash/ui/warm.py)."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from paqa_dash.metrics import warmup

ROOT = Path(__file__).resolve().parents[2]


def test_load_once_leaves_each_cost_paid_in_a_fresh_process() -> None:
    """In a new interpreter (nothing imported or cached yet) the warm-up imports scikit-learn, reads every
    lexicon once and loads the meaning model; a page asking for them afterwards reads nothing again."""
    script = textwrap.dedent("""
        import sys
        from paqa_dash.text import lexicons, meaning, language
        assert "sklearn" not in sys.modules
        from paqa_dash.metrics import warmup
        assert warmup.load_once() == []
        assert "paqa_dash.text.similarity" in sys.modules and "sklearn" in sys.modules
        for load in (lexicons.plain_acronyms, lexicons.jargon, lexicons.language_rules, lexicons.strengths_rules):
            assert load.cache_info().currsize == 1, load
        assert meaning.model.cache_info().currsize == 1
        reads = []
        real = lexicons.read_csv
        lexicons.read_csv = lambda *a, **k: reads.append(a) or real(*a, **k)
        language.review_text("The GP and the HV (health visitor) will visit; ABCD is unexplained.")
        language.strengths_in("Mum has kept every appointment and is proud of it.")
        assert reads == [], reads
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout + done.stderr[-3000:]


def test_a_failing_step_is_named_and_the_rest_still_run(monkeypatch) -> None:
    ran = []

    def broken() -> None:
        raise OSError("lexicon folder missing")

    monkeypatch.setattr(warmup, "STEPS", (broken, lambda: ran.append("next")))
    assert warmup.load_once() == ["broken"]
    assert ran == ["next"]


def test_the_app_starts_one_warm_up_thread_per_process(monkeypatch) -> None:
    from paqa_dash.ui import warm

    calls = []
    monkeypatch.setattr(warm, "_started", None)
    monkeypatch.setattr(warmup, "load_once", lambda: calls.append(1) or [])
    first = warm.start_once()
    second = warm.start_once()
    first.join(10)
    assert first is second and first.daemon and calls == [1]
