"""The import page's typed confirmations, fast tier: replacing the demo, importing into a store of real data
and making a new pseudonym key each need the word typed and an administrator; nothing is imported without."""
from __future__ import annotations

from pathlib import Path

import pytest

from paqa_dash import access_log
from paqa_dash.ingest.load import ImportSummary
from paqa_dash.scope import Scope
from support.pages import ROOT, open_page

FILE = ("plans.csv", b"plan_id,child_id\n1,2\n", "text/csv")
DONE = ImportSummary(tables={"plans": {"read": 1, "loaded": 1, "rejected": 0, "duplicates": 0}})


class _Ran(list):
    """The imports the page ran (their paths), and the authority it passed to each."""

    def __init__(self) -> None:
        super().__init__()
        self.authorities: list[str | None] = []


@pytest.fixture
def imports(monkeypatch, tmp_path) -> list[list[Path]]:
    """Replace the pipeline's import: the list of the imports the page ran."""
    from paqa_dash import pipeline

    ran = _Ran()

    def fake(paths, db, progress=None, authority=None):
        ran.append(list(paths))
        ran.authorities.append(authority)
        return DONE

    monkeypatch.setattr(pipeline, "run_import", fake)
    monkeypatch.delenv("PAQA_PSEUDO_KEY", raising=False)
    return ran


def _log(tmp_path: Path) -> list[access_log.Record]:
    return list(access_log.read(path=tmp_path / "never_opened.duckdb.access.jsonl").records)


def _try(at, word: str | None) -> bool:
    """Upload a file, type `word` (when given) and click Import; False when the button is disabled (a browser
    user cannot click it; AppTest refuses to)."""
    at.file_uploader(key="import_files").set_value(FILE).run()
    if word is not None:
        at.text_input(key="import_confirm").set_value(word).run()
    if at.button(key="import_go").disabled:
        return False
    at.button(key="import_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return True


def test_replacing_the_demo_needs_the_word_typed(fake_metrics, imports, tmp_path) -> None:
    fake_metrics({}, info={"synthetic": True})
    at = open_page("import")
    assert "removes all the demo data" in " ".join(w.value for w in at.warning)
    assert not _try(at, None) and imports == []
    assert not _try(at, "replace") and imports == []    # capitals matter
    assert _try(at, "REPLACE") and len(imports) == 1
    actions = [(r.action, r.detail) for r in _log(tmp_path) if r.action in ("confirm", "import")]
    assert [a for a, _ in actions] == ["confirm", "import"]
    assert "plans.csv" in actions[1][1] and "1 row loaded" in actions[1][1]


def test_adding_to_real_data_needs_the_stores_name(fake_metrics, imports, tmp_path) -> None:
    fake_metrics({})                                   # a store of real plans (synthetic False, 120 plans)
    (tmp_path / "never_opened.duckdb.key").write_text("k" * 64)
    at = open_page("import")
    assert "Type never_opened to confirm" in [t.label for t in at.text_input]
    assert not _try(at, "REPLACE") and imports == []
    assert _try(at, "never_opened") and len(imports) == 1


def test_replacing_real_data_needs_replace(fake_metrics, imports, tmp_path) -> None:
    fake_metrics({})
    (tmp_path / "never_opened.duckdb.key").write_text("k" * 64)
    at = open_page("import")
    at.radio(key="import_mode").set_value("Start a new store (remove everything in the current one)").run()
    assert not _try(at, "never_opened") and imports == []
    assert _try(at, "REPLACE") and len(imports) == 1


def test_a_new_pseudonym_key_over_real_data_needs_new_key(fake_metrics, imports, tmp_path) -> None:
    fake_metrics({})                                   # no key file beside the store, none in the environment
    at = open_page("import")
    assert "new key" in " ".join(w.value for w in at.warning)
    assert not _try(at, "never_opened") and imports == []
    assert _try(at, "NEW KEY") and len(imports) == 1


def test_an_empty_store_imports_without_a_word(fake_metrics, imports, tmp_path) -> None:
    fake_metrics({}, info={"plans": 0})
    at = open_page("import")
    assert [t.key for t in at.text_input] == ["import_authority"]  # no word to type
    assert _try(at, None) and len(imports) == 1
    assert [r.action for r in _log(tmp_path) if r.action in ("confirm", "import")] == ["import"]


def test_only_an_administrator_may_import(fake_metrics, imports, tmp_path, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from paqa_dash.ui import access, navigation

    fake_metrics({}, info={"synthetic": True})
    monkeypatch.setattr(access, "current_scope", lambda: Scope(role="service_manager", teams=("North",)))
    # the navigation holds a refusal at the page's path; the page refuses by itself too (run directly)
    assert {e.module.URL_PATH: e.kind for e in navigation.plan(navigation.discover_pages(), access.current_scope())
            }["import"] == "refused"
    at = AppTest.from_file(str(ROOT / "paqa_dash/ui/pages/import_data.py"), default_timeout=30).run()
    assert not at.exception
    assert not at.file_uploader and "administrators only" in at.error[0].value
    assert any(r.action == "refused" for r in _log(tmp_path))


def _act(confirmed: bool, admin: bool = True):
    """Run `refuse_unless_confirmed` in a script, as the page does at the click (the button's disabled state
    is the first guard; this is the second, for a click that arrives with the word cleared)."""
    def script() -> None:
        import streamlit as st

        from paqa_dash.ui import confirm
        from paqa_dash.ui.confirm import Danger

        st.session_state["went"] = confirm.refuse_unless_confirmed(
            Danger(("The demo goes.",), "REPLACE"), st.session_state["typed"], "import of plans.csv")

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(script, default_timeout=30)
    at.session_state["typed"] = confirmed
    return at.run()


def test_the_action_itself_refuses_without_the_word(fake_metrics, tmp_path) -> None:
    fake_metrics({})
    at = _act(confirmed=False)
    assert at.session_state["went"] is False and "Type REPLACE" in at.error[0].value
    assert _act(confirmed=True).session_state["went"] is True
    assert [r.action for r in _log(tmp_path)] == ["refused", "confirm"]
    assert _log(tmp_path)[1].detail == "import of plans.csv: The demo goes."


def test_the_action_itself_refuses_a_non_administrator(fake_metrics, tmp_path, monkeypatch) -> None:
    from paqa_dash.ui import access

    fake_metrics({})
    monkeypatch.setattr(access, "current_scope", lambda: Scope(role="auditor", teams=("North",)))
    at = _act(confirmed=True)
    assert at.session_state["went"] is False and "needs an administrator" in at.error[0].value
    assert [r.action for r in _log(tmp_path)] == ["refused"]


def test_the_authority_typed_reaches_the_import(fake_metrics, imports, tmp_path) -> None:
    """Issue 15: the optional authority field is passed through run_import; blank passes none."""
    fake_metrics({}, info={"plans": 0})
    at = open_page("import")
    assert _try(at, None) and imports.authorities == [None]
    at.text_input(key="import_authority").set_value("202").run()
    assert _try(at, None) and imports.authorities == [None, "202"]


def test_an_authority_that_is_not_three_digits_imports_nothing_and_says_why(fake_metrics, imports, tmp_path) -> None:
    fake_metrics({}, info={"plans": 0})
    at = open_page("import")
    at.text_input(key="import_authority").set_value("2O2").run()
    assert _try(at, None) and imports == []
    said = at.error[0].value.replace("\\", "")  # the page escapes Markdown
    assert "Authority: '2O2' is not a DfE LA number (three digits" in said
