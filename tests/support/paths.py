"""Where things are, for tests at any depth of tests/."""
from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SAMPLES = FIXTURES / "samples"
ANNEX_A_SAMPLE = SAMPLES / "annex_a" / "Annex_A.xlsx"


def cin_samples() -> list[Path]:
    """The public CIN census sample returns."""
    return sorted((SAMPLES / "cin").glob("*.xml"))


# The public sample files as an authority would import them first: each kind alone, and both together.
SAMPLE_SOURCES = {
    "annex_a": lambda: [ANNEX_A_SAMPLE],
    "cin": cin_samples,
    "annex_a_and_cin": lambda: [ANNEX_A_SAMPLE, *cin_samples()],
}
