"""The map page (app.py runs :func:`render` on every script run).

The base map (countries, legend, the view fitted to *all* events) is built from the same
arguments on every rerun, so streamlit-folium keeps the component and the user's pan/zoom; the
filtered data travels as ``feature_group_to_add`` (FIELD-NOTES 3.2). A click on a place or a
strike is identified by the ``place_id``/``strike_id`` of ``last_active_drawing`` and fills the
side panel with every excerpt, escaped, the mention highlighted.

Importing this module is cheap: folium, pandas and the map code are imported by :func:`render`
after the sidebar went out (the browser loads its widgets meanwhile). ``st_folium`` and
``ui.data.load_view`` are looked up on every run (tests wrap them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import streamlit as st

from ui import data as ui_data

if TYPE_CHECKING:
    from geo import assets
    from geo.filtering import Filters
    from ui.data import View

__all__ = [
    "JUMP_KEY",
    "MAP_KEY",
    "MAX_JUMP_CHOICES",
    "RETURNED",
    "SELECTION_KEY",
    "asset_mode",
    "render",
]

MAP_KEY = "map"
SELECTION_KEY = "map_selection"
JUMP_KEY = "map_jump"
RETURNED = ["last_active_drawing", "last_object_clicked", "last_object_clicked_count"]


@st.cache_resource(show_spinner=False)
def _asset_mode() -> tuple[assets.AssetMode, str, str | None]:
    return asset_mode()


def asset_mode() -> tuple[assets.AssetMode, str, str | None]:
    """Serve local Leaflet (and the base map's countries) through static serving when
    possible, else inline them. Returns (mode, Leaflet base URL, countries URL or None).

    Installs the assets and writes the countries file when missing (the page caches the
    result per process; the server's start-up warm-up calls it first)."""
    from geo import assets, mapping

    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    base_url = ("/" + base_path if base_path else "") + assets.DEFAULT_BASE_URL
    if not st.get_option("server.enableStaticServing"):
        return "inline", base_url, None
    if not assets.is_installed():
        try:
            assets.install_assets()
        except Exception:  # read-only checkout: inlining still gives a working offline map
            return "inline", base_url, None
    try:  # the countries travel once as a static file, not in the map on every rerun
        countries = mapping.countries_file(assets.VENDOR_DIR / "strikemap")
    except OSError:
        countries = None
    countries_url = None if countries is None else f"{base_url}/strikemap/{countries.name}"
    return "static", base_url, countries_url


# cache_resource, not cache_data: the result is shared read-only, so a rerun neither unpickles
# tens of megabytes at 20,000 strikes nor re-encodes the JSON. No spinner: an element that
# only exists on a cache miss would shift the map, which streamlit-folium then rebuilds.
@st.cache_resource(show_spinner=False, max_entries=16)
def _layer_data(
    data_key: tuple[str, str, int],
    filters: Filters,
    colors: tuple[tuple[str, str], ...],
    _places: Any,
    _strikes: Any,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Display data of the filtered frames and its encoded canvas payloads, cached per
    (data version, filters)."""
    from geo import mapping

    data = mapping.layer_data(_places, _strikes, colors=dict(colors))
    payloads = {
        name: mapping.encode_payload(layer)
        for name, layer in data.items()
        if name != mapping.LAYER_PROVINCES
    }
    return data, payloads


class _ClickCountFromZero:
    """streamlit-folium's component, called with the click counter's default at 0.

    Its frontend starts ``last_object_clicked_count`` at 0 while ``st_folium`` declares the
    default None, so the value the map sends as soon as it is drawn differs from the default
    and reruns the whole page on every first load (the rerun competes with the map's own
    drawing). With the default at 0 the first value equals it and nothing is sent until the
    user clicks.
    """

    def __init__(self, func: Any) -> None:
        self.func = func

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        default = kwargs.get("default")
        if isinstance(default, dict) and default.get("last_object_clicked_count", 0) is None:
            kwargs["default"] = {**default, "last_object_clicked_count": 0}
        return self.func(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.func, name)


def _count_clicks_from_zero() -> None:
    """Wrap streamlit-folium's component once per process (see :class:`_ClickCountFromZero`)."""
    import streamlit_folium

    func = getattr(streamlit_folium, "_component_func", None)
    if func is not None and not isinstance(func, _ClickCountFromZero):
        streamlit_folium._component_func = _ClickCountFromZero(func)


def _take_click(value: Any) -> bool:
    """Select what a map click (st_folium's value) identifies; True if the selection changed.

    The component keeps returning the last click on every rerun: act on a click only once,
    so "Clear selection" sticks until the next click.
    """
    value = value if isinstance(value, dict) else {}
    props = (value.get("last_active_drawing") or {}).get("properties") or {}
    click = (props.get("place_id"), props.get("strike_id"), value.get("last_object_clicked_count"))
    if not (click[0] or click[1]) or click == st.session_state.get("map_last_click"):
        return False
    st.session_state["map_last_click"] = click
    if click[0]:
        st.session_state[SELECTION_KEY] = ("place", str(click[0]))
    else:
        st.session_state[SELECTION_KEY] = ("strike", str(click[1]))
    return True


# The favicon Streamlit's frontend draws for page_icon="🗺️", given as that image: an emoji
# would have Streamlit load its emoji catalogue (~40 ms of CPU on the first page run) only to
# check it. Percent-encoded: a non-ASCII string is checked as a possible emoji.
PAGE_ICON = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
    "<text y='.9em' font-size='90'>%F0%9F%97%BA%EF%B8%8F</text></svg>"
)


def render() -> None:
    """Draw the map page: sidebar filters, counts, the map and the details panel."""
    st.set_page_config(page_title="strikemap", page_icon=PAGE_ICON, layout="wide")
    st.title("strikemap · cross-border strikes in the news")

    # draws the sidebar: the browser loads its widgets while we import (looked up on every
    # run, so tests can serve their own view)
    view = ui_data.load_view()

    # Heavy imports after the first elements went out (folium alone takes ~0.8 s on a cold
    # start, unless the server's start-up warm-up imported it already, see ui.startup).
    import folium
    from streamlit_folium import st_folium

    from geo import mapping

    _count_clicks_from_zero()

    store = view.store
    data_key = (str(store.path), store.articles_key(), store.version())

    if view.extraction.errors:
        with st.expander(f"{len(view.extraction.errors)} input(s) could not be read"):
            for error in view.extraction.errors:
                st.text(error)

    strikes, places = view.strikes, view.places
    cols = st.columns(4)
    cols[0].metric("Strikes", len(strikes))
    cols[1].metric("Cross-border", int(strikes["cross_border"].sum()) if len(strikes) else 0)
    cols[2].metric("Places", len(places))
    cols[3].metric("Articles", len(view.extraction.articles))

    colors = mapping.attacker_colors(view.all_strikes["attacker"] if len(view.all_strikes) else [])
    mode, base_url, countries_url = _asset_mode()
    base = mapping.build_base_map(
        bounds=mapping.events_bounds(view.all_places, view.all_strikes),
        colors=colors,
        assets=mode,
        asset_base_url=base_url,
        countries_url=countries_url,
    )
    data, payloads = _layer_data(
        data_key, view.filters, tuple(sorted(colors.items())), places, strikes
    )

    # A click reruns the script after streamlit-folium copied its value into session state:
    # take it before drawing, so the map already outlines what was clicked.
    _take_click(st.session_state.get(MAP_KEY))
    selection = st.session_state.get(SELECTION_KEY)
    selected = {"place": None, "strike": None}
    if selection is not None:
        selected[selection[0]] = selection[1]

    map_col, panel_col = st.columns([3, 1], gap="medium")
    with map_col:
        if not len(strikes) and not len(places):
            st.info(
                "Nothing to show with these filters. Widen them in the sidebar, or add articles."
            )
        result = st_folium(
            base,
            key=MAP_KEY,
            height=640,
            use_container_width=True,
            returned_objects=RETURNED,
            feature_group_to_add=mapping.layers_from_data(
                data,
                selected_strike_id=selected["strike"],
                selected_place_id=selected["place"],
                payloads=payloads,
            ),
            layer_control=folium.LayerControl(collapsed=True),
        )
    if _take_click(result):  # a click the session state did not have yet (e.g. under AppTest)
        st.rerun()

    with panel_col:
        _details_panel(view, selection)


def _missing(value: Any) -> bool:
    """None, NaN or pandas' NA (a strike without casualty figures has NA there)."""
    import pandas as pd

    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # lists and other non-scalars
        return False


def _flag(value: Any) -> bool:
    return not _missing(value) and bool(value)


def _has_items(value: Any) -> bool:
    try:
        return len(value) > 0
    except TypeError:
        return False


def _text(value: Any) -> str:
    """The value as one line of text; "" when missing."""
    return "" if _missing(value) else " ".join(str(value).split())


def _html(value: Any) -> str:
    from geo.mapping import escape_text

    return escape_text(_text(value))


def _source(title: Any, date: Any, article: Any) -> str:
    name = title if isinstance(title, str) and title.strip() else article
    when = f" · {_html(date)}" if isinstance(date, str) and date else ""
    return f"<small><b>{_html(name)}</b>{when}</small>"


def _excerpt(item: Any, mention: Any) -> None:
    """One excerpt of a mention or source, `mention` highlighted, with its article and date."""
    from geo.mapping import highlight_mention

    st.markdown(
        f"<div class='sm-panel-excerpt'>“{highlight_mention(item['excerpt'], mention)}”"
        f"<br>{_source(item.get('title'), item.get('date'), item.get('article'))}</div>",
        unsafe_allow_html=True,
    )


def _row(frame: Any, column: str, key: str, what: str) -> Any:
    """The first row whose `column` is `key`, or None after telling the user it is gone."""
    rows = frame[frame[column] == key]
    if rows.empty:
        st.info(f"This {what} is no longer in the data.")
        return None
    return rows.iloc[0]


def _show_place(view: View, place_id: str) -> None:
    place = _row(view.all_places, "place_id", place_id, "place")
    if place is None:
        return
    kind = "struck place" if _flag(place["is_target"]) else place["kind"]
    where = ", ".join(_html(v) for v in (place["admin1"], place["country_iso3"]) if _text(v))
    st.markdown(
        f"### {_html(place['name'])}\n\n<small>{_html(kind)}"
        f"{' · ' + where if where else ''}</small>",
        unsafe_allow_html=True,
    )
    mentions = list(place["mentions"])
    st.caption(f"{len(mentions)} mention(s) in {place['n_articles']} article(s)")
    for m in mentions:
        _excerpt(m, m["text"])
    hits = view.all_strikes[view.all_strikes["target_place_id"] == place_id]
    if len(hits):
        st.markdown(f"**Strikes on this place:** {len(hits)}")
        for _, s in hits.iterrows():
            st.markdown(
                f"{_html(s['attacker'])} → {_html(s['target_name'])} {_html(s['date'])}",
                unsafe_allow_html=True,
            )


def _show_strike(view: View, strike_id: str) -> None:
    s = _row(view.all_strikes, "id", strike_id, "strike")
    if s is None:
        return
    st.markdown(
        f"### {_html(_text(s['attacker']) or 'Unknown attacker')} → {_html(s['target_name'])}",
        unsafe_allow_html=True,
    )
    facts = {
        "Date": s["date"],
        "Target": ", ".join(_text(v) for v in (s["target_admin1"], s["target_iso3"]) if _text(v)),
        "Precision": s["geo_precision"],
        "Origin": _text(s["origin_name"])
        or f"{_text(s['attacker_iso3']) or '?'} ({_text(s['origin_kind'])})",
        "Cross-border": "yes" if _flag(s["cross_border"]) else "no",
        "Killed": s["killed"],
        "Injured": s["injured"],
        "Weapons": ", ".join(map(str, s["weapons"])) if _has_items(s["weapons"]) else None,
        "Confidence": None if _missing(s["confidence"]) else f"{float(s['confidence']):.2f}",
    }
    lines = [f"<b>{name}</b>: {_html(value)}" for name, value in facts.items() if _text(value)]
    st.markdown("<br>".join(lines), unsafe_allow_html=True)
    sources = list(s["sources"])
    st.caption(f"{len(sources)} source(s)")
    for src in sources:
        _excerpt(src, s["target_name"])


MAX_JUMP_CHOICES = 2_000  # a longer list would slow every rerun; filter the map down first


def _jump_choices(view: View) -> dict[tuple[str, str], str]:
    """Label of every strike and place on the (filtered) map, by selection: strikes, then
    struck places, then the other places."""
    choices: dict[tuple[str, str], str] = {}
    strikes, places = view.strikes, view.places
    if len(strikes):
        for sid, attacker, target, when in zip(
            strikes["id"], strikes["attacker"], strikes["target_name"], strikes["date"],
            strict=True,
        ):  # fmt: skip
            label = f"Strike: {_text(attacker) or 'Unknown attacker'} → {_text(target)}"
            choices[("strike", str(sid))] = label + (f" ({_text(when)})" if _text(when) else "")
    if len(places):
        rows = sorted(
            zip(places["place_id"], places["name"], places["is_target"], places["country_iso3"],
                strict=True),
            key=lambda row: not _flag(row[2]),
        )  # fmt: skip
        for pid, name, struck, iso3 in rows:
            kind = "Struck place" if _flag(struck) else "Place"
            where = f", {_text(iso3)}" if _text(iso3) else ""
            choices[("place", str(pid))] = f"{kind}: {_text(name)}{where}"
    return choices


def _take_jump() -> None:
    """Callback of the jump list: select the picked feature, then empty the list again (the
    next pick, or a click on the map, replaces the selection)."""
    picked = st.session_state.get(JUMP_KEY)
    if picked:
        st.session_state[SELECTION_KEY] = (str(picked[0]), str(picked[1]))
    st.session_state[JUMP_KEY] = None


def _jump_list(view: View) -> None:
    """Keyboard route to the map's features: the canvas layers cannot take focus, so every
    strike and place on the map can also be picked from this list (Tab to it, type to
    filter, Enter), which selects it as a click would."""
    choices = _jump_choices(view)
    if not choices:
        return
    if len(choices) > MAX_JUMP_CHOICES:
        st.caption(
            f"{len(choices):,} strikes and places: narrow the filters to at most "
            f"{MAX_JUMP_CHOICES:,} to pick them from a list."
        )
        return
    st.selectbox(
        "Go to a strike or place",
        list(choices),
        index=None,
        format_func=choices.__getitem__,
        key=JUMP_KEY,
        on_change=_take_jump,
        placeholder="Type a name…",
        help="Every strike and place on the map; picking one shows its details here and "
        "outlines it on the map.",
    )


_PANEL_STYLE = (
    "<style>.sm-panel-excerpt{margin:0.4em 0 0.8em}"
    ".sm-panel-excerpt mark{background:#ffe066;padding:0 1px}</style>"
)


def _details_panel(view: View, selection: tuple[str, str] | None) -> None:
    _jump_list(view)
    if selection is not None:
        # Only the excerpts use it. Markdown with HTML makes the browser load and run an
        # HTML parser (rehype-raw, ~65 ms of JavaScript): not on the page's first draw.
        st.markdown(_PANEL_STYLE, unsafe_allow_html=True)
    if selection is None:
        st.subheader("Details")
        st.caption(
            "Click a place (circle) or a strike (arc) on the map, or pick it from the list "
            "above, to read every excerpt that mentions it. Red circles are struck places; "
            "arrows point at the target."
        )
    elif selection[0] == "place":
        _show_place(view, selection[1])
    else:
        _show_strike(view, selection[1])
    if selection is not None and st.button("Clear selection", key="clear_selection"):
        st.session_state.pop(SELECTION_KEY, None)
        st.rerun()
