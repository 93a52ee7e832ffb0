"""The shared sidebar: filters, definitions & thresholds, comparators — in session state and the URL.

Why widgets bound to query params: every widget here has its key as the URL parameter's name
(`bind="query-params"`, or `coded()` for a choice of codes, which puts codes and not words in the URL), so
the URL always reproduces the view (`?team=North&from=2022-04-01`), a pasted
link opens the same view, and because app.py draws the sidebar on every page the values persist
across page switches.  Pages never read widgets: they call `current_filters()`,
`current_thresholds()` and `current_comparison()`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Mapping, Sequence

import pandas as pd
import streamlit as st

from ..filters import FOLLOW_UP_YEARS, Filters, default_period, followed_up_period, followed_up_span, span_words
from ..scope import EVERYTHING, Scope
from ..reference.codes import AGE_LABELS, CATEGORY_LABELS, PLAN_NUMBER_LABELS
from .. import store
from ..metrics import by_key, data_dates
from ..reference import authorities as la, benchmarks
from ..settings import DEFAULTS, Thresholds
from . import access, access_trail, anchors, components
from .components import definition_link, plain
from ..reference.words import counted


# URL parameter (= widget key) -> Thresholds field
THRESHOLD_KEYS: dict[str, str] = {
    "short_months": "short_plan_months",
    "window_months": "replan_window_months",
    "sim": "similarity_threshold",
    "cg_first_days": "first_core_group_working_days",
    "cg_weeks": "core_group_interval_weeks",
    "review_first_months": "first_review_months",
    "review_months": "later_review_months",
    "update_days": "plan_update_days",
}
FILTER_KEYS = ("from", "to", "team", "authority", "category", "plan", "age", "as_of")
COMPARE_KEYS = ("region", "la")


@dataclass(frozen=True)
class Comparison:
    """Which published comparators to show beside England (None = not shown)."""

    region: str | None = None
    authority: str | None = None


def draw_sidebar(teams: Sequence[str], scope: Scope = EVERYTHING, dates_note: bool = True,
                 followed_up_views: str = "") -> None:
    """Draw the shared filters and settings in the sidebar (call once per run, before the page); the
    teams offered are the store's within the user's scope (a team asked for by URL outside it is named on
    the page: the data layer would show nothing of it anyway); the comparator lists are the published
    benchmarks' regions and authorities.  `dates_note`: False on a page that says itself how it reads
    authorities whose data ends early (a page's SAYS_DATA_DATES), so the warning is not shown twice.
    `followed_up_views`: the page's views that follow plans up (a page's FOLLOWED_UP_VIEWS; EVERY_VIEW for a
    page of nothing else), whose years the period note names (`sidebar_period_note`)."""
    refused = scope.refused_teams(st.query_params.get_all("team"))
    if refused:
        st.warning(f"Team {plain(', '.join(refused))} is outside your scope ({scope.label}), so nothing of it is shown.",
                   icon=":material/lock:")
    foreign = scope.refused_authorities(st.query_params.get_all("authority"))
    if foreign:
        st.warning(f"Authority {plain(', '.join(foreign))} is outside your scope ({scope.label}), so nothing of it "
                   "is shown.", icon=":material/lock:")
    if refused or foreign:   # a refusal is logged, with what was asked (the widgets below drop it from the address)
        access_trail.refuse_filters("; ".join(
            [f"team {', '.join(refused)} outside the scope ({scope.label})"] * bool(refused)
            + [f"authority {', '.join(foreign)} outside the scope ({scope.label})"] * bool(foreign)))
    # a team the data does not hold (a link from another store, a typing slip): said, not silently read as all teams
    unheld = [t for t in st.query_params.get_all("team") if t not in teams and t not in refused]
    if unheld:
        st.warning(f"Team {plain(', '.join(unheld))} is not in this data, so nothing of it is shown; it holds "
                   f"{plain(', '.join(teams)) or 'no team'}.", icon=":material/groups:")
    teams = [t for t in teams if scope.teams is None or t in scope.teams]
    regions, authorities = benchmarks.regions(), benchmarks.authorities()
    held = scoped_authorities(scope)
    absent = [c for c in st.query_params.get_all("authority") if c not in store_authorities() and c not in foreign]
    if absent and len(store_authorities()) > 1:
        st.warning(f"Authority {plain(', '.join(absent))} is not in this data, so nothing of it is shown; it holds "
                   f"{', '.join(la.label(c) for c in held)}.", icon=":material/map:")
    sb = st.sidebar
    # The filters a service manager uses most, team and period, come first, right under the line below the page list:
    # with every page listed, a "Filters" heading and the two dates above it put the Team box under the fold of a
    # 1000 px high window (a newcomer's review); now Team and both dates are in sight there.  In a store of several
    # authorities too: Region and Authority above them put both dates under the fold at 800 x 1000 (a review), so
    # they come after the dates, and Team is drawn last of these into a box kept at the top (the teams it offers
    # follow the authorities chosen, which are known only once their boxes are drawn).
    team_box = sb.container()
    # One under the other: side by side at 800 px each box had about 45 px for its date, and showed "2019·"
    # of 2019-04-01 (the date's fields scroll inside the box beside its clear and calendar buttons).
    sb.date_input("Period from", value=None, key="from", bind="query-params", format="YYYY-MM-DD",
                  min_value=date(2000, 1, 1), max_value=date(2100, 12, 31),
                  help="Plans that started (or, for endings, ended) on or after this date. Both dates blank = the "
                       "latest complete reporting year (1 April to 31 March) of the data; this one alone blank = no limit.")
    sb.date_input("Period to", value=None, key="to", bind="query-params", format="YYYY-MM-DD",
                  min_value=date(2000, 1, 1), max_value=date(2100, 12, 31),
                  help="Inclusive. Both dates blank = the latest complete reporting year of the data; "
                       "this one alone blank = no limit.")
    if len(held) > 1:   # the teams offered follow the authorities chosen, so these are drawn before Team
        teams = authority_choices(sb, held, teams)
    shared = shared_team_names(held) if len(held) > 1 else {}
    # Through `coded`, not bound to the URL: a bound widget matches the URL against the words it shows, so with a name
    # shown with its authorities ("North (Camden, Greenwich)") a link's ?team=North was dropped and all teams read
    coded(team_box.multiselect, "Team", "team", {t: f"{t} ({shared[t]})" if t in shared else t for t in teams},
          many=True, placeholder="All teams",
          help="A team name used by more than one authority is one choice (the authorities are named, or counted, "
               "beside it): "
               "choose an Authority below to see one authority's team." if shared else None)
    coded(sb.multiselect, "Initial category", "category", CATEGORY_LABELS, many=True, placeholder="All categories")
    coded(sb.selectbox, "Plan number", "plan", PLAN_NUMBER_LABELS, default="all",
          help="First: the child's first plan. Repeat: a second or subsequent plan (DfE definition).")
    coded(sb.multiselect, "Age at plan start", "age", AGE_LABELS, many=True, placeholder="All ages")
    if st.session_state.get("from") and st.session_state.get("to") and st.session_state["from"] > st.session_state["to"]:
        sb.warning("The period starts after it ends: the dates are used the other way round.")
    # Said here, written once every widget is drawn: the As of box below, bound to the address, has no value in
    # the session until it is drawn, and a note written before it spoke of the data's date, not the one asked for.
    notes = sb.container()

    with sb.expander("Definitions & thresholds", icon=":material/tune:"):
        st.number_input("Short plan: ended within (months)", 1, 24, DEFAULTS.short_plan_months, 1,
                        key="short_months", bind="query-params",
                        help="A warning sign at an ending: an ended plan that lasted at most this many months "
                             f"({definition_link(anchors.ENDINGS)}).")
        st.number_input("Re-planned within (months)", 1, 120, DEFAULTS.replan_window_months, 1,
                        key="window_months", bind="query-params",
                        help="Repeat within N months; a premature ending is followed by a plan within N months.")
        st.number_input("Duplicated action: similarity at least", 0.05, 1.0, DEFAULTS.similarity_threshold, 0.05,
                        key="sim", bind="query-params", format="%.2f",
                        help="An action of a repeat plan scoring at least this against an earlier plan's action is a duplicate.")
        st.number_input("First core group within (working days)", 1, 60, DEFAULTS.first_core_group_working_days, 1,
                        key="cg_first_days", bind="query-params")
        st.number_input("Core groups at most (weeks) apart", 1, 26, DEFAULTS.core_group_interval_weeks, 1,
                        key="cg_weeks", bind="query-params")
        st.number_input("First review within (months)", 1, 12, DEFAULTS.first_review_months, 1,
                        key="review_first_months", bind="query-params")
        st.number_input("Later reviews at most (months) apart", 1, 24, DEFAULTS.later_review_months, 1,
                        key="review_months", bind="query-params")
        st.number_input("Plan updated within (days) of a meeting or new concern", 1, 180,
                        DEFAULTS.plan_update_days, 1, key="update_days", bind="query-params",
                        help=f"Plan refresh ({definition_link(anchors.PLAN_REFRESH)}).")
        st.date_input("As of", value=None, key="as_of", bind="query-params", format="YYYY-MM-DD",
                      min_value=date(2000, 1, 1), max_value=date(2100, 12, 31),
                      help="The date the data is looked at: later plans are ignored, later endings count as open. "
                           "Blank = the latest date recorded in the data (of the authorities chosen, when the data "
                           "holds several); a later date is read as that date, as nothing after it is recorded.")
        st.caption("Compare with published figures (England is always shown)")
        own = la.get(held[0]) if len(held) == 1 else None   # a store of one named authority compares with it
        if len(held) <= 1:   # with several authorities, Region is a filter above (and still the comparator)
            st.selectbox("Region", options=list(regions), index=_index(regions, own and own.region), key="region",
                         bind="query-params", placeholder="No region")
        st.selectbox("Authority and its statistical neighbours", options=list(authorities),
                     index=_index(authorities, own and own.name), key="la", bind="query-params",
                     placeholder="No authority")
    if period_is_default():
        notes.caption(sidebar_period_note(followed_up_views))
    past = past_data_note()
    if past:   # on the page, above its title, as the link's other corrections: a shared link's reader sees why
        st.warning(past, icon=":material/event_busy:")
    if len(held) > 1 and dates_note:
        behind = uneven_data_note(held)
        if behind:
            notes.warning(behind, icon=":material/event_busy:")


def _index(options: Sequence[str], value: str | None) -> int | None:
    return list(options).index(value) if value in options else None


def store_authorities() -> list[str]:
    """The authorities (DfE LA numbers) the store's children belong to; Authority and Region are filters only
    when there is more than one."""
    return list(_store_info().get("authorities") or [])


def with_authority(frame: pd.DataFrame, child_col: str = "child_id") -> pd.DataFrame:
    """A list of children with each child's authority by name (`authority_name`, "Authority") after `child_col`,
    in a store of several authorities; unchanged in a store of one (its lists name no authority)."""
    from . import data

    if len(store_authorities()) <= 1 or child_col not in frame:
        return frame
    codes = data.cached(by_key.child_authorities, tuple(dict.fromkeys(frame[child_col].astype(str))))
    return la.with_names(frame, codes, child_col)


def _store_info() -> dict[str, Any]:
    from . import data   # data reads the filters of this module: imported when first needed

    return data.store_info()


def authority_choices(sb: Any, held: Sequence[str], teams: Sequence[str]) -> list[str]:
    """Draw Region and Authority (issue 15: `?region=London&authority=202&authority=203`, codes in the URL);
    the authorities offered follow the region, and the teams returned (to offer) follow the authorities."""
    sb.selectbox("Region", options=la.regions_of(held), index=None, key="region", bind="query-params",
                 placeholder="All regions", help="The store's authorities in this region; also the region whose "
                 "published figures are shown beside the data.")
    region = st.session_state.get("region")
    offered = la.in_region(region, held) if region else tuple(held)
    if st.session_state.get("authority"):   # a choice outside the region just chosen is dropped, not an error
        st.session_state["authority"] = [c for c in st.session_state["authority"] if c in offered]
    coded(sb.multiselect, "Authority", "authority", {c: la.label(c) for c in offered}, many=True,
          placeholder="All authorities" if not region else f"All in {region}")
    chosen = chosen_authorities()
    by_authority = _store_info().get("team_authorities") or {}
    if not chosen:
        return list(teams)
    followed = {t for a in chosen for t in by_authority.get(a, [])}
    if st.session_state.get("team"):   # a team of another authority is dropped with it
        st.session_state["team"] = [t for t in st.session_state["team"] if t in followed]
    return [t for t in teams if t in followed]


def shared_team_names(held: Sequence[str]) -> dict[str, str]:
    """{team: the authorities in view that use its name, in words} for the names more than one uses: teams are
    named by each authority, and "North" of two authorities is one choice in the sidebar.  More than la.HERE_NAMED are
    counted ("North (152 LAs)", short enough for the chip of a chosen team): in a regional store every authority has a
    "North", and the chip listing them all read "North (City of London, …"."""
    by_authority = _store_info().get("team_authorities") or {}
    users: dict[str, list[str]] = {}
    for code in in_view(held):
        for team in by_authority.get(code, []):
            users.setdefault(team, []).append(la.name(code))
    return {t: ", ".join(names) if len(names) <= la.HERE_NAMED else counted(len(names), "LA")
            for t, names in users.items() if len(names) > 1}


def uneven_data_note(held: Sequence[str]) -> str:
    """The authorities in view whose data ends well before the date the view is read as of (a regional store
    whose returns end on different dates), or "" (docs/definitions.md, "Regional view")."""
    return data_dates.behind_note(in_view(held), _store_info().get("authority_data_dates") or {},
                                  current_filters().effective_as_of)


def in_view(held: Sequence[str]) -> tuple[str, ...]:
    """The authorities the view shows: those chosen (or the chosen region's), else every one the user holds."""
    return chosen_authorities() or tuple(held)


def chosen_authorities() -> tuple[str, ...]:
    """The authorities the sidebar limits to: those chosen, else the chosen region's (of the store's), else all
    (empty).  A store of one authority has no such choice: a region there is only a comparator.  A user whose
    scope names some of the store's authorities has them (never another) whatever is chosen, so the captions
    name them and each is read as of its own data date."""
    every = store_authorities()
    if len(every) <= 1:
        return ()
    held = scoped_authorities()
    s = st.session_state
    picked = tuple(c for c in (s.get("authority") or ()) if c in held)
    region = s.get("region")
    in_region = la.in_region(region, held) if region else tuple(held)
    chosen = tuple(c for c in picked if c in in_region) or (in_region if region else ())
    return chosen or (tuple(held) if len(held) < len(every) else ())


def scoped_authorities(scope: Scope | None = None) -> list[str]:
    """The store's authorities the user's scope lets them read (all of them for most roles)."""
    scope = scope if scope is not None else access.current_scope()
    return [a for a in store_authorities() if scope.authorities is None or a in scope.authorities]


def coded(widget: Callable[..., Any], label: str, key: str, labels: Mapping[str, str], *, many: bool = False,
          default: str | None = None, **kwargs: Any) -> Any:
    """Draw a choice of codes that shows their words, with the *codes* in the URL (`?plan=repeat&category=NEG`).

    Why not `bind="query-params"`: a bound widget writes the words it shows into the URL, and words are
    edited (a label reworded, a count added) while a link shared in an e-mail must keep opening the same view.
    So the widget is drawn unbound: its value comes from the URL once per session (codes, or the words an older
    link carried, in any case), and after drawing the URL is set to the chosen codes (nothing for the default).
    """
    if key not in st.session_state:
        chosen = codes_in_url(key, labels)
        if chosen or default is not None:
            st.session_state[key] = chosen if many else (chosen[0] if chosen else default)
    value = widget(label, options=list(labels), format_func=lambda c: labels.get(c, c), key=key, **kwargs)
    chosen = list(value or ()) if many else ([] if value in (None, default) else [value])
    if chosen:
        st.query_params[key] = chosen
    elif key in st.query_params:
        del st.query_params[key]
    return value


def codes_in_url(key: str, labels: Mapping[str, str]) -> list[str]:
    """The codes a URL parameter names, in order, each once: a code, or its words (links made before codes were
    used), in any case, repeated or comma-separated; anything else is ignored."""
    known = {c.casefold(): c for c in labels} | {w.casefold(): c for c, w in labels.items()}
    found: list[str] = []
    for raw in st.query_params.get_all(key):
        for part in raw.split(","):
            code = known.get(part.strip().casefold())
            if code is not None and code not in found:
                found.append(code)
    return found


def current_filters() -> Filters:
    """The sidebar's filters as the metrics' `Filters` (dates swapped if given the wrong way round).

    With no as-of date chosen, the store's data date is used (its latest recorded date, capped at
    today), as the CLI does: an extract read months later must not look like months of missed work.  With
    authorities chosen in a regional store, it is theirs (`store.default_as_of`): another authority's newer
    return does not move it.  A chosen date after that data date is brought back to it (`store.read_as_of`),
    and the sidebar says so (`past_data_note`).

    With no period chosen (neither *from* nor *to*), the period is the latest complete reporting year
    (1 April to 31 March) ending on or before the as-of date (`period_note` words it for the captions): ten
    years pooled would otherwise be set beside one England year.  The URL holds only what was chosen, so a
    link reproduces the view on the same data.
    """
    s = st.session_state
    start, end = s.get("from"), s.get("to")
    if start and end and start > end:
        start, end = end, start
    chosen = chosen_authorities()
    as_of = store.read_as_of(s.get("as_of") or None, view_data_date())
    return default_period(Filters(date_from=start or None, date_to=end or None, teams=tuple(s.get("team") or ()),
                                  authorities=chosen, categories=tuple(s.get("category") or ()),
                                  plan_number=s.get("plan") or "all", age_bands=tuple(s.get("age") or ()),
                                  as_of=as_of))


def no_plans(ended: bool = False, followed_up_for: Thresholds | None = None, noun: str = "plans") -> None:
    """The empty state of a page whose filter matched no plan (`ended`: no plan that ended, on a page of endings;
    `noun`: what the view counts, e.g. "ended first plans" for a view that follows first plans up).
    With no period chosen it names the period shown and where the store's plans are
    (`components.default_period_empty`): "clear the filters" would send a user who set none looking for one.
    The period shown is the latest complete reporting year, or on a page that follows plans up
    (`followed_up_for`: its thresholds) the years `followed_up` shows, which its caption names: the message
    must name the same years, not a year the page does not show."""
    if not period_is_default():
        nothing_matches(components.no_match(ended, noun))
        return
    filters, span = current_filters(), None
    if followed_up_for is not None:
        filters = followed_up(filters, followed_up_for)[0]
        span = followed_up_span(followed_up_for.replan_window_months)
    held = plans_held()
    components.empty_state(*components.default_period_empty(filters.date_from, filters.date_to, held.first,
                                                            held.last, filters_set(), ended, span, noun,
                                                            whose=held.whose))


def not_followed_up(subject: str, what: str, thresholds: Thresholds) -> None:
    """The empty state of a view that follows plans up for the re-plan window when none of its `subject` ("ending in
    the period") has been followed up that long by the data's date (`what`: what cannot be compared).  Why its own
    words: nothing is small or withheld, and no filter is to blame; only time (or an earlier period) can tell, so
    "not enough ... and a count too small to publish is hidden" or a chart of zeros would mislead."""
    window = counted(thresholds.replan_window_months, "month")
    components.empty_state(f"No {subject} has been followed up {window} yet, so {what} cannot be compared fairly",
                           hint=f"Each is followed up once {window} have passed after it, by the data's date: choose "
                                "an earlier period (*Period from* and *Period to*) in the sidebar.")


def nothing_matches(what: str, also: str = "") -> None:
    """The empty state of a view whose filter matched nothing, with advice naming only the filters set (`also`:
    the view's own advice, after it), after saying so when the period chosen starts after the data of the
    authorities chosen ends (their months after it are not recorded: no filter there can find a plan)."""
    hint = components.filter_hint(filters_set(), not period_is_default())
    ended = data_ended_note(current_filters())
    components.empty_state(what, " ".join(filter(None, (ended, hint, also))))


@dataclass(frozen=True)
class Held:
    """Where the plans in view lie: those of the authorities chosen, else the store's (`whose`: "The store's
    plans"; `holder`: "The store")."""

    first: date | None
    last: date | None
    holder: str
    whose: str
    holds: str = "holds"   # the verb with `holder`: "The authorities chosen hold"


def plans_held() -> Held:
    """The span of the plans of the authorities chosen (in a store of several), else of the store's plans: a
    message that sends the user to the years where the plans are names those of the authorities they look at
    (one whose returns ended in 2024 has none in 2025-26, whatever the store's others hold)."""
    info = _store_info()
    chosen = chosen_authorities()
    spans = [s for s in ((info.get("authority_spans") or {}).get(c) for c in chosen) if s]
    if not chosen or not spans:
        return Held(info.get("first_date"), info.get("last_date"), "The store", "The store's plans")
    first, last = min(f for f, _ in spans), max(t for _, t in spans)
    if len(chosen) == 1:
        return Held(first, last, la.name(chosen[0]), f"{la.name(chosen[0])}'s plans")
    return Held(first, last, "The authorities chosen", "The plans of the authorities chosen", "hold")


def data_ended_note(filters: Filters) -> str:
    """A sentence saying that the data (of the authorities chosen, if any) ends before the period chosen starts
    ("South Tyneside's data ends 31 Mar 2024, before the period chosen."), when it does; else ""."""
    info = _store_info()
    return data_dates.ended_note(chosen_authorities(), info.get("authority_data_dates") or {}, info.get("data_date"),
                                 filters.date_from)


# The sidebar's filters besides the period, as the advice names them: (session key, words).  Region is a filter
# only in a store of several authorities (in a store of one it only chooses the published figures to compare).
_FILTER_WORDS = (("team", "team"), ("region", "region"), ("authority", "authority"), ("category", "category"),
                 ("plan", "plan number"), ("age", "age"))


def filters_set() -> tuple[str, ...]:
    """The filters besides the period the user set, in words, in the sidebar's order."""
    s = st.session_state
    several = len(store_authorities()) > 1
    return tuple(words for key, words in _FILTER_WORDS
                 if s.get(key) not in (None, "", [], (), "all") and (key != "region" or several))


def period_is_default() -> bool:
    """True when the user chose no period, so `current_filters` shows the latest complete reporting year."""
    s = st.session_state
    return not s.get("from") and not s.get("to")


EVERY_VIEW = "every view"   # a page's FOLLOWED_UP_VIEWS when all it shows follows plans up (What works)


def sidebar_period_note(followed_up_views: str = "") -> str:
    """The sidebar's note of the period shown with none chosen: the latest complete reporting year (`period_note`),
    and on a page whose views follow plans up (`followed_up_views`: which, as its FOLLOWED_UP_VIEWS names them) the
    years those views show (`followed_up`), or only those on a page of nothing else (EVERY_VIEW).

    Why: beside What works, whose every chart shows five earlier years, a note naming only the latest year said the
    page showed a year it does not."""
    filters = current_filters()
    if not followed_up_views:
        return period_note(filters)
    thresholds = current_thresholds()
    shown, said = followed_up(filters, thresholds)
    if not said:   # a period chosen, or none to follow up: as any page
        return period_note(filters)
    years = f"{span_words(shown)}, {followed_up_span(thresholds.replan_window_months)}"
    if followed_up_views == EVERY_VIEW:
        return f"No period chosen: {years} (choose *Period from* for other years)."
    return f"{period_note(filters)} {followed_up_views[0].upper()}{followed_up_views[1:]}: {years}."


def followed_up(filters: Filters, thresholds: Thresholds) -> tuple[Filters, str]:
    """The filter of a view that follows first plans for the re-plan window after they end (the cohort curve,
    the pathways, household change after a first plan), and a sentence for its caption.

    Why: with no period chosen the pages show the latest complete reporting year, whose plans cannot yet have
    been followed up for the window, so these views would draw flat zeros.  They show instead the
    FOLLOW_UP_YEARS complete reporting years whose plans could have been followed up that long; a chosen
    period is used as chosen."""
    if not period_is_default() or filters.date_from is None:
        return filters, ""
    months = thresholds.replan_window_months
    shown = followed_up_period(filters, months)
    return shown, (
        f"This view follows plans for {counted(months, 'month')} after they end, so with no period chosen it shows "
        f"{span_words(shown)}, the {FOLLOW_UP_YEARS} reporting years whose plans could have been followed up that long.")


def described(filters: Filters) -> str:
    """The filter in words for a caption, shown as typed: team names come from the data, and a caption renders
    Markdown (an image link in a team name would otherwise be fetched)."""
    return plain(filters.describe())


def period_note(filters: Filters) -> str:
    """A sentence for a page's caption saying the period was not chosen but defaulted, and to what, and that the store
    holds plans after it when it does; empty when the user chose one.

    Why the plans after it: an Annex A return rarely ends on 31 March, so its latest complete reporting year can
    hold a few of its plans, and "2 plans started, 0 ended" read as the finding for a store of many more.  (Plans
    before the year are the usual case, which "for more years" covers.)"""
    if not period_is_default() or filters.date_from is None or filters.date_to is None:
        return ""
    shown = f"No period chosen: the latest complete reporting year of the data, {span_words(filters)}"
    held = plans_held()
    if held.last is None or held.last <= filters.date_to:
        return f"{shown} (choose *Period from* for more years)."
    return (f"{shown}. {held.holder} also {held.holds} plans after it, up to {held.last:%b %Y}: choose *Period from* and "
            f"*Period to* to include them.")


def current_thresholds() -> Thresholds:
    s = st.session_state
    changes = {field: s.get(key) for key, field in THRESHOLD_KEYS.items()}
    changes = {k: (float(v) if k == "similarity_threshold" else int(v)) for k, v in changes.items() if v is not None}
    return DEFAULTS.with_(**changes)


def chosen_as_of() -> date | None:
    """The as-of date the user chose, never after the view's data date (`current_filters`), None when none: then a
    child is read as of its own authority's data date (metrics/data_dates.py `child_date`), as `current_filters`
    reads the chosen authorities'."""
    chosen = st.session_state.get("as_of") or None
    return store.read_as_of(chosen, view_data_date()) if chosen else None


def view_data_date() -> date | None:
    """The data date of the view: the latest own date of the authorities chosen, else the store's
    (`store.default_as_of`); an as-of date chosen after it is read as of it."""
    info = _store_info()
    return store.default_as_of(chosen_authorities(), info.get("authority_data_dates") or {}, info.get("data_date"))


def past_data_note() -> str:
    """The sidebar's note when the as-of date chosen (in the box or the address) is after the view's data date and
    the view is read as of that date instead (`data_dates.past_data_note`), else ""."""
    return data_dates.past_data_note(asked_as_of(), view_data_date(), data_dates.whose_data(chosen_authorities()))


def asked_as_of() -> date | None:
    """The as-of date the user chose (in the box or the address), as chosen: after the data date too (the briefing
    says so, as the page does)."""
    return st.session_state.get("as_of") or None


def own_data_dates() -> tuple[tuple[str, date], ...]:
    """(authority, its data date), ... when the user chose no as-of date, or one after the view's data date (else
    ()): the Regional view then reads each authority's timeliness as of its own last record (metrics/regional.py
    `by_authority`).  Why the later date too: it is read as if none were chosen (`store.read_as_of`), as the sidebar
    says, so the view must be the one with none chosen, not every authority read to the data date (an authority
    whose data ends early then showed two years of reviews overdue that the view with none chosen does not)."""
    chosen = st.session_state.get("as_of") or None
    data_date = view_data_date()
    if chosen is not None and (data_date is None or chosen <= data_date):
        return ()
    return tuple(sorted((_store_info().get("authority_data_dates") or {}).items()))


def comparator_hint(comparison: Comparison) -> str:
    """Where to choose what the data is compared with, as the sidebar draws it for this store ("" when a region
    and an authority are both compared already): with several authorities Region is a filter, not a setting."""
    if comparison.region and comparison.authority:
        return ""
    several = len(store_authorities()) > 1   # then Region is a filter
    # the sidebar has no "Filters" heading (Team and the period come first under the page list): Region is named
    # as the box it is
    region = "*Region* in the sidebar" if several else "region under *Definitions & thresholds*"
    if comparison.region:
        return "Choose an authority under *Definitions & thresholds* to add it and its statistical neighbours. "
    if comparison.authority:
        return f"Choose a {region} to add its figure. "
    if several:
        return f"Choose a {region}, or an authority under *Definitions & thresholds*, to add theirs. "
    return "Choose a region or an authority under *Definitions & thresholds* to add theirs. "


def current_comparison() -> Comparison:
    """The published figures to compare with: those chosen, else, when the view is of one authority (the sidebar's
    choice in a regional store), that authority's own and its region's."""
    s = st.session_state
    chosen = chosen_authorities()
    own = la.get(chosen[0]) if len(chosen) == 1 else None
    return Comparison(region=s.get("region") or (own.region if own else None),
                      authority=s.get("la") or (own.name if own else None))

