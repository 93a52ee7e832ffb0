"""The layer rules of docs/architecture.md, checked with import-linter's contracts in `.importlinter`.

Why a test: CI runs the test suite, so an upward import or an import cycle fails CI like a wrong figure does.
"""
from __future__ import annotations

import configparser
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import paqa_dash

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / ".importlinter"


def test_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache", str(CONFIG)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]


def _layer_modules() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(CONFIG, encoding="utf-8")
    text = parser["importlinter:contract:layers"]["layers"]
    return {m.strip("() ") for m in re.split(r"[|:\n]", text) if m.strip("() ")}


def test_every_top_level_module_is_in_a_layer() -> None:
    """A new module or package at the top of paqa_dash must be given a place in the layers, else no rule
    would look at it."""
    top = {f"paqa_dash.{m.name}" for m in pkgutil.iter_modules(paqa_dash.__path__)}
    assert top - _layer_modules() == set(), "add these to the layers in .importlinter and docs/architecture.md"
    assert _layer_modules() - top == set(), "these layers name modules that do not exist"


def test_the_checker_catches_an_upward_import(tmp_path: Path) -> None:
    """The contracts are not vacuous: an upward import in a copy of the package breaks them."""
    import shutil

    copy = tmp_path / "paqa_dash"
    shutil.copytree(ROOT / "paqa_dash", copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "store.py").write_text((copy / "store.py").read_text(encoding="utf-8")
                                   + "\n\ndef _upward():\n    from .metrics import summary  # noqa: F401\n",
                                   encoding="utf-8")
    shutil.copy(CONFIG, tmp_path / ".importlinter")
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert done.returncode != 0
    assert "paqa_dash.store" in done.stdout and "paqa_dash.metrics" in done.stdout
