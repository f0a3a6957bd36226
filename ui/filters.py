"""The shared sidebar filters: one set of widgets, the same values on every page.

Streamlit forgets a widget's value when a page without it runs, so the values live in a plain
session-state entry (``STATE_KEY``) and each widget is re-created from it. Widgets are built
without a ``value=``/``default=`` argument: their session-state entry is set before they are
drawn (clamped to the current choices), which avoids Streamlit's "default value and Session
State" warning and survives the choices changing when articles are added.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import streamlit as st

from geo.filtering import FilterOptions, Filters, filter_options

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from geo.pipeline import Extraction

__all__ = [
    "QUERY_KEYS",
    "STATE_KEY",
    "WIDGET_KEYS",
    "current_filters",
    "reset_filters",
    "sidebar_filters",
]

STATE_KEY = "strikemap_filters"
WIDGET_KEYS = {
    "dates": "flt_dates",
    "attackers": "flt_attackers",
    "target_countries": "flt_targets",
    "cross_border_only": "flt_cross_border",
    "min_confidence": "flt_min_confidence",
    "article_ids": "flt_articles",
    "include_undated": "flt_undated",
}


def _options(extraction: Extraction, strikes: GeoDataFrame) -> FilterOptions:
    return filter_options(strikes, extraction.articles)


def _clamped(values: dict[str, Any], options: FilterOptions) -> dict[str, Any]:
    """Return the stored values restricted to what the current data offers."""
    out = dict(values)
    lo, hi = options.date_min, options.date_max
    dates = out.get("dates")
    if lo is None or hi is None:
        out["dates"] = None
    elif not dates:
        out["dates"] = (lo, hi)
    else:
        start = dates[0]
        end = dates[1] if len(dates) > 1 else hi
        start = min(max(start, lo), hi)
        end = min(max(end, start), hi)
        out["dates"] = (start, end)
    out["attackers"] = [a for a in out.get("attackers", []) if a in options.attackers]
    out["target_countries"] = [
        c for c in out.get("target_countries", []) if c in options.target_countries
    ]
    article_ids = {i for i, _ in options.articles}
    out["article_ids"] = [a for a in out.get("article_ids", []) if a in article_ids]
    out["cross_border_only"] = bool(out.get("cross_border_only", False))
    out["include_undated"] = bool(out.get("include_undated", True))
    out["min_confidence"] = float(min(max(out.get("min_confidence", 0.0), 0.0), 1.0))
    return out


def _to_filters(values: dict[str, Any], options: FilterOptions) -> Filters:
    dates = values.get("dates")
    date_from = date_to = None
    if dates and (dates[0], dates[1]) != (options.date_min, options.date_max):
        date_from, date_to = dates[0], dates[1]
    return Filters(
        date_from=date_from,
        date_to=date_to,
        attackers=tuple(values["attackers"]),
        target_countries=tuple(values["target_countries"]),
        cross_border_only=values["cross_border_only"],
        min_confidence=values["min_confidence"],
        article_ids=tuple(values["article_ids"]),
        include_undated=values["include_undated"],
    )


# URL query parameters mirroring the filters, so a filtered view can be shared as a link:
# ?from=2024-01-16&to=2024-01-20&attacker=Iran&target=PAK&target=IRQ&cross_border=1
# &min_confidence=0.5&article=<id>&undated=0 (lists repeat their parameter).
QUERY_KEYS = {
    "attackers": "attacker",
    "target_countries": "target",
    "article_ids": "article",
    "cross_border_only": "cross_border",
    "min_confidence": "min_confidence",
    "include_undated": "undated",
}
_DATE_QUERY_KEYS = ("from", "to")


def _from_query(params: Any) -> dict[str, Any]:
    """Return the filter values a URL's query parameters give (malformed ones are ignored)."""
    values: dict[str, Any] = {}
    for name in ("attackers", "target_countries", "article_ids"):
        picked = [v for v in params.get_all(QUERY_KEYS[name]) if v]
        if picked:
            values[name] = picked
    for name in ("cross_border_only", "include_undated"):
        flag = params.get(QUERY_KEYS[name])
        if flag is not None:
            values[name] = flag.strip().lower() in {"1", "true", "yes", "on"}
    confidence = params.get(QUERY_KEYS["min_confidence"])
    if confidence is not None:
        try:
            values["min_confidence"] = float(confidence)
        except ValueError:
            pass
    try:
        start = params.get("from")
        end = params.get("to")
        if start or end:
            values["dates"] = (
                date.fromisoformat(start) if start else date.min,
                date.fromisoformat(end) if end else date.max,
            )
    except ValueError:
        pass
    return values


def _to_query(values: dict[str, Any], options: FilterOptions) -> dict[str, str | list[str]]:
    """Return the query parameters of the filter values that differ from "everything"."""
    query: dict[str, str | list[str]] = {}
    dates = values.get("dates")
    if dates:
        if dates[0] != options.date_min:
            query["from"] = dates[0].isoformat()
        if dates[1] != options.date_max:
            query["to"] = dates[1].isoformat()
    for name in ("attackers", "target_countries", "article_ids"):
        if values[name]:
            query[QUERY_KEYS[name]] = [str(v) for v in values[name]]
    if values["cross_border_only"]:
        query[QUERY_KEYS["cross_border_only"]] = "1"
    if not values["include_undated"]:
        query[QUERY_KEYS["include_undated"]] = "0"
    if values["min_confidence"] > 0:
        query[QUERY_KEYS["min_confidence"]] = f"{values['min_confidence']:g}"
    return query


def _mirror_to_url(values: dict[str, Any], options: FilterOptions) -> None:
    """Write the filters into ``st.query_params`` (only what changed; other params kept)."""
    wanted = _to_query(values, options)
    params = st.query_params
    for key in (*QUERY_KEYS.values(), *_DATE_QUERY_KEYS):
        if key not in wanted:
            if key in params:
                del params[key]
        elif params.get_all(key) != (
            wanted[key] if isinstance(wanted[key], list) else [wanted[key]]
        ):
            params[key] = wanted[key]


def current_filters(extraction: Extraction, strikes: GeoDataFrame) -> Filters:
    """Return the filters in session state (clamped to the data) without drawing widgets."""
    options = _options(extraction, strikes)
    return _to_filters(_clamped(st.session_state.get(STATE_KEY, {}), options), options)


def reset_filters() -> None:
    """Forget every filter value (callback of the "Reset filters" button)."""
    st.session_state[STATE_KEY] = {}
    for key in WIDGET_KEYS.values():
        st.session_state.pop(key, None)


def _prime(name: str, value: Any) -> None:
    """Set a widget's session-state value before it is drawn.

    Always set, even when ``st.session_state[key]`` already shows the value: after a page
    switch the key still reads the old page's widget, while the new page's widget (another
    widget id) would start from its default.
    """
    st.session_state[WIDGET_KEYS[name]] = value


def sidebar_filters(extraction: Extraction, strikes: GeoDataFrame) -> Filters:
    """Draw the filter widgets in the sidebar and return the :class:`Filters` they set.

    Parameters
    ----------
    extraction : Extraction
        Gives the articles (article choices, date range).
    strikes : GeoDataFrame
        All strikes (corrections applied, unfiltered): attacker and country choices.
    """
    options = _options(extraction, strikes)
    if STATE_KEY not in st.session_state:  # a new session: start from the URL, if it has filters
        st.session_state[STATE_KEY] = _from_query(st.query_params)
    stored = dict(st.session_state.get(STATE_KEY, {}))
    # a widget drawn on the previous run of this page has the freshest value
    for name, key in WIDGET_KEYS.items():
        if key in st.session_state:
            stored[name] = st.session_state[key]
    values = _clamped(stored, options)

    bar = st.sidebar
    bar.header("Filters")
    if values["dates"] is not None:
        lo, hi = options.date_min, options.date_max
        _prime("dates", values["dates"])
        picked = bar.date_input(
            "Dates",
            min_value=lo,
            max_value=hi,
            key=WIDGET_KEYS["dates"],
            help="Partial dates (a month, a year) count when their period overlaps the range.",
        )
        if isinstance(picked, tuple | list) and picked:
            values["dates"] = (picked[0], picked[1] if len(picked) > 1 else hi)
        elif isinstance(picked, date):
            values["dates"] = (picked, hi)
        values["include_undated"] = _checkbox(bar, "include_undated", "Include undated", values)
    else:
        bar.caption("No dated articles or events.")

    _prime("attackers", values["attackers"])
    values["attackers"] = bar.multiselect(
        "Attacker", list(options.attackers), key=WIDGET_KEYS["attackers"], placeholder="All"
    )
    _prime("target_countries", values["target_countries"])
    values["target_countries"] = bar.multiselect(
        "Target country (ISO3)",
        list(options.target_countries),
        key=WIDGET_KEYS["target_countries"],
        placeholder="All",
    )
    values["cross_border_only"] = _checkbox(
        bar, "cross_border_only", "Cross-border strikes only", values, toggle=True
    )
    _prime("min_confidence", values["min_confidence"])
    values["min_confidence"] = bar.slider(
        "Minimum confidence", 0.0, 1.0, step=0.05, key=WIDGET_KEYS["min_confidence"]
    )
    labels = dict(options.articles)
    _prime("article_ids", values["article_ids"])
    values["article_ids"] = bar.multiselect(
        "Articles",
        list(labels),
        format_func=lambda article_id: labels.get(article_id, article_id),
        key=WIDGET_KEYS["article_ids"],
        placeholder="All",
    )
    bar.button("Reset filters", on_click=reset_filters, key="flt_reset")
    st.session_state[STATE_KEY] = values
    _mirror_to_url(values, options)
    return _to_filters(values, options)


def _checkbox(
    bar: Any, name: str, label: str, values: dict[str, Any], *, toggle: bool = False
) -> bool:
    _prime(name, values[name])
    widget = bar.toggle if toggle else bar.checkbox
    return bool(widget(label, key=WIDGET_KEYS[name]))
