"""The command line speaks plainly: every command and flag has help in words, and `metrics` without
--json prints a table a person reads; --json keeps its keys."""
from __future__ import annotations

import argparse
import json

import pytest

from paqa_dash import cli
from paqa_dash.metrics import summary_text


def _subparsers(p: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in p._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_every_command_and_flag_has_help():
    p = cli.parser()
    commands = _subparsers(p)
    assert set(commands) == {"import", "demo", "metrics", "brief", "pack", "judgements", "reviews", "derive", "bench"}
    for name, sub in commands.items():
        assert sub.description and len(sub.description) > 40, name
        for action in sub._actions:
            if isinstance(action, argparse._HelpAction):
                continue
            assert action.help and len(action.help) > 10, f"{name} {action.option_strings or action.dest}"
            if action.option_strings and action.default not in (None, False, []):
                assert "default" in action.help, f"{name} {action.option_strings}: say the default"


@pytest.mark.parametrize("command", ["import", "demo", "metrics", "brief", "pack", "judgements", "reviews", "derive", "bench"])
def test_help_prints(command, capsys):
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"])
    assert done.value.code == 0
    assert "usage: python -m paqa_dash " + command in capsys.readouterr().out


RESULT = {"as_of": "2025-03-31", "filters": {}, "thresholds": {"replan_window_months": 24},
          "plans_started": 1000, "repeat_plans_started": 245, "repeat_rate": 0.245, "repeat_within_window": 100,
          "plans_ended": 10, "ended_duration_bands": {"le_3m": 4}, "median_gap_days": 300.0,
          "premature_endings": [{"plan_id": "p"}] * 3, "endings_at_risk": [], "duplicate_actions": [1, 2],
          "core_groups": {"first_on_time": 3, "first_late": 1, "first_not_due": 0},
          "reviews": {}, "agency_attendance": {"POLICE": {"invited": 4, "attended": 1}},
          "family_changes": {"during_plans": 5, "before_repeat_plans": 2}}


def test_metrics_table_is_in_words():
    text = summary_text.as_text(RESULT, "as of 2025-03-31")
    assert "Repeat plans (DfE)" in text and "24.5% (245 of 1,000 plans started)" in text
    assert "Premature endings" in text and "3 plans (the list: use --json)" in text
    assert "lasted 3 months or less" in text and "Police" in text
    assert "{" not in text and "[" not in text  # no Python dicts or lists


def test_metrics_text_and_json_on_a_store(demo_store, capsys):
    assert cli.main(["metrics", "--db", str(demo_store)]) == 0
    text = capsys.readouterr().out
    assert "Repeat plans (DfE)" in text and "{" not in text
    assert cli.main(["metrics", "--db", str(demo_store), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"plans_started", "repeat_rate", "premature_endings", "agency_attendance"} <= set(data)


def test_building_the_parser_imports_no_figures():
    """Every command builds the whole parser, the `brief` command's choices included: they are names
    (report/briefing/names.py), so an import or a metrics run does not pay for loading plotly and the figures."""
    import subprocess
    import sys

    code = ("import sys; from paqa_dash import cli; cli.parser(); "
            "print(sorted(m for m in sys.modules if m == 'plotly' or m.startswith('paqa_dash.figures')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_brief_help_says_what_no_period_and_the_partnership_preset_do(capsys):
    """`brief --help` said --from/--to default to "no limit" (the command uses the dashboard's year) and promised
    "what works" in the partnership preset, which every run reported as not yet available."""
    with pytest.raises(SystemExit):
        cli.main(["brief", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    start = text.index("--from YYYY-MM-DD count plans")
    assert "latest complete reporting year" in text[start:start + 300]
    assert "(default: no limit)" not in text[start:start + 300]
    preset = text[text.index("a standing briefing"):]
    assert "what works when the export has it (not yet)" in preset[:250]
    with pytest.raises(SystemExit):
        cli.main(["metrics", "--help"])
    assert "(default: no limit)" in " ".join(capsys.readouterr().out.split())


def test_brief_says_which_sections_the_role_may_not_read_and_that_lists_are_excel_only(demo_store, tmp_path, capsys):
    """A strategic lead's run said "not yet available: audit" for a section refused by role; --child-lists with a
    PDF was dropped without a word."""
    capsys.readouterr()
    assert cli.main(["brief", "--db", str(demo_store), "--format", "xlsx", "--out", str(tmp_path / "l.xlsx"),
                     "--section", "overview", "--section", "audit", "--from", "2024-04-01", "--to", "2025-03-31"]) == 0
    said = capsys.readouterr().out
    assert "not open to the strategic lead role: audit" in said and "not yet available" not in said
    import openpyxl
    front = {r[0]: r[1] for r in openpyxl.load_workbook(tmp_path / "l.xlsx")["About"].iter_rows(values_only=True)
             if r[0]}
    assert front["Not included (not open to this role)"] == "audit"
    assert cli.main(["brief", "--db", str(demo_store), "--format", "pdf", "--out", str(tmp_path / "s.pdf"),
                     "--section", "overview", "--role", "service_manager", "--child-lists",
                     "--from", "2024-04-01", "--to", "2025-03-31"]) == 0
    assert "--child-lists was not applied" in capsys.readouterr().err


def test_bench_help_names_the_store_it_builds(capsys):
    """`bench --help` said --db defaulted to "a temporary file"; the store goes to .bench/bench_N.duckdb and is kept
    for reuse (benchmark/build.default_db)."""
    from paqa_dash.benchmark import build

    with pytest.raises(SystemExit):
        cli.main(["bench", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "temporary" not in text
    assert str(build.default_db(1000)).replace("1000", "N") in text
