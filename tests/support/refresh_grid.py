"""A plan refresh team-by-quarter frame (`metrics.refresh.team_quarters`) whose sums by team and by quarter are the
frames a page test means to show: the page reads one frame for both charts, so its fakes give that frame."""
from __future__ import annotations

import pandas as pd

COUNTS = ("on_time", "late")


def _spread(teams: dict[str, int], quarters: dict) -> list[tuple[str, object, int]]:
    """(team, quarter, n) with each team's and each quarter's n as given (their totals equal): the teams' counts
    poured into the quarters in order."""
    cells, left = [], dict(quarters)
    for team, n in teams.items():
        for quarter in left:
            take = min(n, left[quarter])
            if take:
                cells.append((team, quarter, take))
                left[quarter] -= take
                n -= take
        assert n == 0, "the teams' counts and the quarters' counts of a kind must have the same total"
    return cells


def refresh_grid(teams: pd.DataFrame, quarters: pd.DataFrame) -> pd.DataFrame:
    """team, quarter, kind, on_time, late: every team and quarter of the two frames kept, with a zero row where
    nothing of it is counted."""
    rows: dict[tuple, dict[str, int]] = {}
    for kind in sorted(set(teams["kind"]) | set(quarters["kind"])):
        t, q = teams[teams["kind"] == kind], quarters[quarters["kind"] == kind]
        for count in COUNTS:
            for team, quarter, n in _spread(dict(zip(t["team"], t[count])), dict(zip(q["quarter"], q[count]))):
                rows.setdefault((team, quarter, kind), dict.fromkeys(COUNTS, 0))[count] += int(n)
        for team in t["team"]:
            if not any(k[0] == team and k[2] == kind for k in rows):
                rows[(team, q["quarter"].iloc[0], kind)] = dict.fromkeys(COUNTS, 0)
        for quarter in q["quarter"]:
            if not any(k[1] == quarter and k[2] == kind for k in rows):
                rows[(t["team"].iloc[0], quarter, kind)] = dict.fromkeys(COUNTS, 0)
    frame = pd.DataFrame([(*k, v["on_time"], v["late"]) for k, v in rows.items()],
                         columns=["team", "quarter", "kind", *COUNTS])
    return frame.sort_values(["team", "quarter", "kind"], ignore_index=True)
