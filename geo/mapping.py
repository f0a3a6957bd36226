"""Folium maps of places and cross-border strikes, offline by default.

The map is built for thousands of events and for untrusted article text:

- ``prefer_canvas=True`` and ONE ``folium.GeoJson`` layer per kind of thing (strike arcs with
  their arrowheads, places as canvas circle markers, shaded provinces): 20,000 strikes draw in
  about two seconds, where one ``folium.Marker`` per place takes minutes.
- Arcs are display geometry: the great circle from origin to target (longitudes unwrapped, so a
  Pacific crossing stays one line), bent sideways by a small quadratic-Bézier offset in Web
  Mercator so that A→B and B→A don't overlap, with a triangle at the target end for direction.
  Export uses the true geodesic (:mod:`geo.arcs`), never this shape.
- Every string from an article goes through :func:`escape_text` into HTML we build ourselves;
  Leaflet renders popup/tooltip strings as HTML and the map iframe can reach the app page.
- Every feature carries ``place_id`` or ``strike_id`` (and ``feature_type``), so a click that
  streamlit-folium reports as ``last_active_drawing`` identifies what was clicked.
- No CDN: :func:`geo.assets.use_local_assets` points the map at local Leaflet/jQuery, the base
  map is Natural Earth polygons, and OpenStreetMap tiles are an opt-in layer.

Coordinates are (lon, lat), EPSG:4326, except at the Folium boundary (:func:`_latlon`).
This module never imports streamlit.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal

import folium
import numpy as np
from branca.element import MacroElement
from folium.utilities import JsCode
from jinja2 import Template

from geo.assets import DEFAULT_BASE_URL, AssetMode, use_local_assets

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = [
    "ATTACKER_PALETTE",
    "LAYER_BASEMAP",
    "LAYER_COUNTRIES",
    "LAYER_PLACES",
    "LAYER_PROVINCES",
    "LAYER_STRIKES",
    "LAYER_STRUCK",
    "PLACE_STYLES",
    "attacker_colors",
    "build_base_map",
    "build_layers",
    "build_map",
    "display_arcs",
    "escape_text",
    "events_bounds",
    "highlight_mention",
    "layer_features",
    "layers_from_features",
    "place_features",
    "place_popup_html",
    "province_counts",
    "strike_features",
    "strike_popup_html",
]

Tiles = Literal["none", "osm"]

LAYER_STRIKES = "Strikes"
LAYER_STRUCK = "Struck places"
LAYER_PLACES = "Other places"
LAYER_PROVINCES = "Targeted provinces"
LAYER_COUNTRIES = "Countries (offline)"
LAYER_BASEMAP = "OpenStreetMap (online)"

# Colour-blind-friendly darks (ColorBrewer Dark2 + Paired); no pure red, which marks targets.
ATTACKER_PALETTE = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#1f78b4",
    "#a6761d",
    "#6a3d9a",
    "#33a02c",
    "#b15928",
    "#666666",
)
UNKNOWN_ATTACKER_COLOR = "#444444"

# Place kind → (fill colour, radius px, legend label). Struck places override the kind.
PLACE_STYLES: dict[str, tuple[str, int, str]] = {
    "target": ("#d7191c", 8, "Struck place"),
    "city": ("#2c7bb6", 5, "City or town"),
    "admin1": ("#5e3c99", 5, "Province"),
    "country": ("#878787", 6, "Country"),
    "region": ("#8c6d31", 5, "Region"),
    "water": ("#0aa1c2", 5, "Sea or gulf"),
}
_OTHER_KIND = ("#999999", 4, "Other")

# Provinces by number of strikes on them (ColorBrewer YlOrRd).
_PROVINCE_CLASSES = ((1, "#fed976"), (2, "#feb24c"), (4, "#fd8d3c"), (8, "#f03b20"))
_SEA_COLOR = "#dbe9f1"

_ARC_POINTS = 24  # default vertices per arc of display_arcs
_MAP_ARC_POINTS = 16  # vertices per arc on the map: smooth at any zoom, ~0.25 kB per arc
_BEND = 0.12  # arc bulge as a fraction of the chord length (Web Mercator)
_DECIMALS = 4  # ~10 m: places, provinces and arc end points
_ARC_DECIMALS = 3  # ~100 m: interior arc vertices, a purely cosmetic curve
# Beyond this many strikes the popups carry no excerpt (the side panel has them): 20,000
# excerpts would add ~10 MB to a map that travels to the browser on every rerun.
MAX_STRIKES_WITH_EXCERPTS = 2_000
_POPUP_EXCERPTS = 2  # excerpts shown in a popup; the rest are "and N more"

_WEB_MERCATOR_MAX_LAT = 85.0

# Layer-wide style defaults; each feature's ``style`` property adds only what differs, which
# keeps 20,000 strikes to a few MB of HTML.
_ARC_DEFAULTS = {"opacity": 0.85, "lineCap": "round", "lineJoin": "round"}
_HEAD_DEFAULTS = {"weight": 1, "opacity": 0.9, "fillOpacity": 0.9}
# filled, so a click anywhere on the disc hits it (canvas hit test)
_PLACE_DEFAULTS = {"color": "#ffffff", "weight": 1, "opacity": 1, "fillOpacity": 0.9}
_PROVINCE_DEFAULTS = {"color": "#b35806", "weight": 1, "opacity": 0.8, "fillOpacity": 0.45}
_STYLE_DEFAULTS = {
    "strike": _ARC_DEFAULTS,
    "selected": _ARC_DEFAULTS,
    "arrowhead": _HEAD_DEFAULTS,
    "place": _PLACE_DEFAULTS,
    "province": _PROVINCE_DEFAULTS,
}

# Binds each feature's pre-escaped popup and label; our own code, never data.
_ON_EACH_FEATURE = JsCode(
    """function (feature, layer) {
    var p = feature.properties || {};
    if (p._popup_html) { layer.bindPopup(p._popup_html, {maxWidth: 420, minWidth: 220}); }
    if (p._label) { layer.bindTooltip(p._label, {sticky: true}); }
}"""
)


# --------------------------------------------------------------------------------------------
# Escaping and popups

# Characters that mean something to HTML, JS template literals, Markdown or KaTeX.
_UNSAFE = re.compile(r"[&<>\"'`$={}\[\]()*_#!~|\\]")


def escape_text(value: Any) -> str:
    """Return `value` as text that is inert in HTML, JS template literals and Markdown.

    Every character that means something to one of them becomes a numeric entity, so the
    browser shows exactly the original text: ``<script>`` stays visible text, ``${x}`` cannot
    run, and ``[a](b)`` is no link. None and NaN give ``""``.

    >>> escape_text("<img src=x onerror=alert(1)> ${1}")
    '&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#36;&#123;1&#125;'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return _UNSAFE.sub(lambda m: f"&#{ord(m.group())};", str(value))


def highlight_mention(excerpt: Any, mention: Any) -> str:
    """Return the escaped `excerpt` with the first occurrence of `mention` in ``<mark>``.

    Matching ignores case and runs of whitespace (excerpts are whitespace-normalised).

    >>> highlight_mention("Iran viel <b>Pakistan</b> aan", "pakistan")
    'Iran viel &#60;b&#62;<mark>Pakistan</mark>&#60;/b&#62; aan'
    """
    text = "" if excerpt is None else str(excerpt)
    needle = " ".join(str(mention or "").split())
    if needle:
        pattern = r"\s+".join(re.escape(part) for part in needle.split(" "))
        found = re.search(pattern, text, flags=re.IGNORECASE)
        if found:
            return (
                escape_text(text[: found.start()])
                + "<mark>"
                + escape_text(found.group())
                + "</mark>"
                + escape_text(text[found.end() :])
            )
    return escape_text(text)


def _source_line(title: Any, date: Any, article: Any) -> str:
    name = title if _present(title) and str(title).strip() else article
    parts = [f"<b>{escape_text(name)}</b>"]
    if _present(date):
        parts.append(f" <small>({escape_text(date)})</small>")
    return "".join(parts)


def place_popup_html(place: Mapping[str, Any], *, max_excerpts: int = _POPUP_EXCERPTS) -> str:
    """Return the popup HTML of one place row: name, kind, excerpts, "and N more".

    Every value from the data is escaped with :func:`escape_text`; the mention is highlighted.
    """
    kind = "struck place" if place.get("is_target") else str(place.get("kind") or "place")
    where = ", ".join(
        escape_text(v) for v in (place.get("admin1"), place.get("country_iso3")) if _present(v)
    )
    out = [
        f"<div class='sm-popup'><b>{escape_text(place.get('name'))}</b> "
        f"<small>{escape_text(kind)}{' · ' + where if where else ''}</small>"
    ]
    mentions = list(place.get("mentions") or [])
    for m in mentions[:max_excerpts]:
        out.append(
            "<div class='sm-excerpt'>"
            f"“{highlight_mention(m.get('excerpt'), m.get('text'))}”<br>"
            f"{_source_line(m.get('title'), m.get('date'), m.get('article'))}</div>"
        )
    more = len(mentions) - max_excerpts
    if more > 0:
        out.append(f"<div><i>and {more} more mention{'s' if more > 1 else ''}</i></div>")
    out.append("</div>")
    return "".join(out)


def strike_popup_html(
    strike: Mapping[str, Any], *, max_excerpts: int = _POPUP_EXCERPTS, with_excerpts: bool = True
) -> str:
    """Return the popup HTML of one strike row: attacker → target, date, casualties, sources."""
    target = escape_text(strike.get("target_name"))
    where = ", ".join(
        escape_text(v)
        for v in (strike.get("target_admin1"), strike.get("target_iso3"))
        if _present(v)
    )
    out = [
        "<div class='sm-popup'>"
        f"<b>{escape_text(strike.get('attacker') or 'Unknown attacker')} → {target}</b>"
        f"{' <small>' + where + '</small>' if where else ''}<br>"
    ]
    facts = []
    if _present(strike.get("date")):
        facts.append(escape_text(strike.get("date")))
    for key, label in (("killed", "killed"), ("injured", "injured")):
        if _present(strike.get(key)):
            facts.append(f"{int(strike[key])} {label}")
    weapons = strike.get("weapons")
    if weapons is not None and len(weapons):
        facts.append(escape_text(", ".join(str(w) for w in weapons)))
    if strike.get("origin_kind") and strike.get("origin_kind") != "place":
        facts.append("origin: country centre")
    if facts:
        out.append(f"<small>{' · '.join(facts)}</small>")
    sources = list(strike.get("sources") or [])
    if with_excerpts:
        for s in sources[:max_excerpts]:
            out.append(
                "<div class='sm-excerpt'>"
                f"“{highlight_mention(s.get('excerpt'), strike.get('target_name'))}”<br>"
                f"{_source_line(s.get('title'), s.get('date'), s.get('article'))}</div>"
            )
        more = len(sources) - max_excerpts
    else:
        more = len(sources)
    if more > 0:
        out.append(f"<div><i>and {more} more source{'s' if more > 1 else ''}</i></div>")
    out.append("</div>")
    return "".join(out)


def _present(value: Any) -> bool:
    if value is None:
        return False
    try:
        return not bool(value != value)  # NaN, pd.NA
    except (TypeError, ValueError):
        return True


# --------------------------------------------------------------------------------------------
# Colours


def attacker_colors(attackers: Iterable[Any]) -> dict[str, str]:
    """Return a colour per attacker name, stable across calls and filters.

    Each name hashes to a palette slot (CRC32, so the same name gets the same colour in every
    session); collisions within the given set move to the next free slot, taking names in
    sorted order. More attackers than colours share colours.

    >>> attacker_colors(["Iran", "Iran", "Pakistan"]) == attacker_colors(["Pakistan", "Iran"])
    True
    """
    names = sorted({str(a) for a in attackers if _present(a) and str(a)})
    colors: dict[str, str] = {}
    used: set[int] = set()
    size = len(ATTACKER_PALETTE)
    for name in names:
        slot = zlib.crc32(name.casefold().encode("utf-8")) % size
        if len(used) < size:
            while slot in used:
                slot = (slot + 1) % size
        used.add(slot)
        colors[name] = ATTACKER_PALETTE[slot]
    return colors


# --------------------------------------------------------------------------------------------
# Arc geometry (vectorised over all strikes)


def _merc_y(lat: np.ndarray) -> np.ndarray:
    lat = np.clip(lat, -_WEB_MERCATOR_MAX_LAT, _WEB_MERCATOR_MAX_LAT)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


def _merc_lat(y: np.ndarray) -> np.ndarray:
    return np.degrees(2 * np.arctan(np.exp(np.radians(y))) - np.pi / 2)


def display_arcs(
    origin_lon: Sequence[float] | np.ndarray,
    origin_lat: Sequence[float] | np.ndarray,
    target_lon: Sequence[float] | np.ndarray,
    target_lat: Sequence[float] | np.ndarray,
    *,
    n_points: int = _ARC_POINTS,
    bend: float = _BEND,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Return display arcs and arrowheads for many strikes at once.

    Each arc is the great circle (spherical, fine for display) from origin to target with
    longitudes unwrapped, then pushed sideways by ``bend`` × chord length at its middle
    (a quadratic-Bézier profile in Web Mercator), always to the left of the direction of
    travel: A→B and B→A bulge to opposite sides. The arrowhead is a triangle whose tip is the
    target, pointing along the arc's last stretch.

    Parameters
    ----------
    origin_lon, origin_lat, target_lon, target_lat : array-like of float
        Degrees, EPSG:4326, one value per strike.
    n_points : int
        Vertices per arc (≥ 2).
    bend : float
        Bulge as a fraction of the chord; 0 gives the plain great circle.

    Returns
    -------
    arc_lon, arc_lat : (n, n_points) arrays
        The first vertex is the origin, the last exactly the target (its longitude possibly
        shifted by a multiple of 360° to stay continuous with the arc).
    head_lon, head_lat : (n, 3) arrays
        Triangle corners: left, tip (= the arc's last vertex), right.

    Examples
    --------
    >>> lon, lat, hlon, hlat = display_arcs([51.4], [35.7], [67.0], [30.2])
    >>> (round(lon[0, -1], 6), round(lat[0, -1], 6)) == (67.0, 30.2) == (hlon[0, 1], hlat[0, 1])
    True
    """
    if n_points < 2:
        raise ValueError(f"n_points must be at least 2, got {n_points}")
    lon1, lat1, lon2, lat2 = (
        np.asarray(a, dtype=float).reshape(-1)
        for a in (origin_lon, origin_lat, target_lon, target_lat)
    )
    n = lon1.size
    if not (lat1.size == lon2.size == lat2.size == n):
        raise ValueError("origin and target coordinate arrays must have the same length")
    if n == 0:
        empty = np.zeros((0, n_points))
        return empty, empty, np.zeros((0, 3)), np.zeros((0, 3))

    # Great circle by spherical interpolation of unit vectors.
    def unit(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
        lo, la = np.radians(lon), np.radians(lat)
        return np.stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)], axis=-1)

    a, b = unit(lon1, lat1), unit(lon2, lat2)
    omega = np.arccos(np.clip(np.einsum("ij,ij->i", a, b), -1.0, 1.0))[:, None]
    t = np.linspace(0.0, 1.0, n_points)[None, :]
    sin_omega = np.sin(omega)
    near = sin_omega < 1e-9  # identical (or antipodal) end points: interpolate linearly
    safe = np.where(near, 1.0, sin_omega)
    wa = np.where(near, 1.0 - t, np.sin((1.0 - t) * omega) / safe)
    wb = np.where(near, t, np.sin(t * omega) / safe)
    p = wa[..., None] * a[:, None, :] + wb[..., None] * b[:, None, :]
    norm = np.linalg.norm(p, axis=-1, keepdims=True)
    p = p / np.where(norm == 0, 1.0, norm)
    lat = np.degrees(np.arcsin(np.clip(p[..., 2], -1.0, 1.0)))
    lon = np.degrees(np.arctan2(p[..., 1], p[..., 0]))
    lon[:, 0] = lon1
    lat[:, 0] = lat1
    lon = np.degrees(np.unwrap(np.radians(lon), axis=1))
    lon[:, -1] = lon2 + 360.0 * np.round((lon[:, -1] - lon2) / 360.0)
    lat[:, -1] = lat2

    # Bend in Web Mercator, perpendicular to the chord, zero at both ends.
    x, y = lon, _merc_y(lat)
    dx, dy = (x[:, -1] - x[:, 0])[:, None], (y[:, -1] - y[:, 0])[:, None]
    chord = np.hypot(dx, dy)
    offset = bend * 4.0 * t * (1.0 - t) * chord / 2.0
    with np.errstate(invalid="ignore", divide="ignore"):
        nx, ny = np.where(chord > 0, -dy / chord, 0.0), np.where(chord > 0, dx / chord, 0.0)
    x = x + offset * nx
    y = y + offset * ny

    # Arrowhead: length ~ 8% of the chord, between 0.15° and 1.2° (Mercator units).
    length = np.clip(0.08 * chord[:, 0], 0.15, 1.2)
    back_x, back_y = x[:, -1] - x[:, -3], y[:, -1] - y[:, -3]
    seg = np.hypot(back_x, back_y)
    seg = np.where(seg > 0, seg, 1.0)
    ux, uy = back_x / seg, back_y / seg
    base_x, base_y = x[:, -1] - ux * length, y[:, -1] - uy * length
    half = 0.45 * length
    head_x = np.stack([base_x - uy * half, x[:, -1], base_x + uy * half], axis=1)
    head_y = np.stack([base_y + ux * half, y[:, -1], base_y - ux * half], axis=1)

    arc_lon, arc_lat = x, _merc_lat(y)
    arc_lon[:, -1], arc_lat[:, -1] = lon[:, -1], lat2
    arc_lon[:, 0], arc_lat[:, 0] = lon1, lat1
    head_lon, head_lat = head_x, _merc_lat(head_y)
    head_lon[:, 1], head_lat[:, 1] = lon[:, -1], lat2
    return arc_lon, arc_lat, head_lon, head_lat


# --------------------------------------------------------------------------------------------
# Features


def _casualties(row: Mapping[str, Any]) -> int:
    total = 0
    for key in ("killed", "injured"):
        value = row.get(key)
        if value is not None and _present(value):
            total += int(value)
    return total


def _weight(casualties: int) -> float:
    """Line weight in px: 2 for none, growing with log(casualties), at most 8."""
    return round(min(8.0, 2.0 + 1.3 * math.log1p(casualties)), 1)


def _rounded(lon: np.ndarray, lat: np.ndarray) -> list[list[list[float]]]:
    """Round (n, k) lon/lat arrays to nested lists; the end points keep more decimals."""
    coords = np.round(np.stack([lon, lat], axis=-1), _ARC_DECIMALS)
    for end in (0, -1):
        coords[:, end] = np.round(np.stack([lon[:, end], lat[:, end]], axis=-1), _DECIMALS + 1)
    return coords.tolist()  # type: ignore[no-any-return]


def strike_features(
    strikes: GeoDataFrame,
    colors: Mapping[str, str] | None = None,
    *,
    with_excerpts: bool | None = None,
    separate_heads: bool | None = None,
) -> list[dict[str, Any]]:
    """Return GeoJSON features for the strikes: arcs with an arrowhead at the target.

    Parameters
    ----------
    strikes : GeoDataFrame
        The strikes frame (``id, attacker, origin_lon/lat, target_lon/lat, ...``), EPSG:4326.
    colors : mapping, optional
        Attacker → colour; :func:`attacker_colors` of the frame by default.
    with_excerpts : bool, optional
        Give the arcs popups with source excerpts (else only a tooltip; the app's side panel
        has the sources); default: when at most ``MAX_STRIKES_WITH_EXCERPTS`` strikes.
    separate_heads : bool, optional
        Arrowheads as filled triangles in features of their own (default up to
        ``MAX_STRIKES_WITH_EXCERPTS`` strikes), else as the triangle outline in the second
        part of the arc's MultiLineString: half the layers for the browser to draw.

    Returns
    -------
    list of dict
        Arcs (``feature_type="strike"``, LineString or MultiLineString, with ``_label`` and
        maybe ``_popup_html``) then arrowheads (Polygon, ``feature_type="arrowhead"``), all
        with ``strike_id`` and a small Leaflet ``style``. Raw article text never goes into properties (they reach the
        browser); only ids and pre-escaped HTML. Display-only: never export these.
    """
    if strikes is None or len(strikes) == 0:
        return []
    colors = dict(colors) if colors is not None else attacker_colors(strikes["attacker"])
    if with_excerpts is None:
        with_excerpts = len(strikes) <= MAX_STRIKES_WITH_EXCERPTS
    if separate_heads is None:
        separate_heads = len(strikes) <= MAX_STRIKES_WITH_EXCERPTS
    arc_lon, arc_lat, head_lon, head_lat = display_arcs(
        strikes["origin_lon"].to_numpy(float),
        strikes["origin_lat"].to_numpy(float),
        strikes["target_lon"].to_numpy(float),
        strikes["target_lat"].to_numpy(float),
        n_points=_MAP_ARC_POINTS,
    )
    arcs = _rounded(arc_lon, arc_lat)
    heads = _rounded(head_lon, head_lat)
    features: list[dict[str, Any]] = []
    arrowheads: list[dict[str, Any]] = []
    for i, row in enumerate(strikes.drop(columns="geometry").to_dict("records")):
        sid = str(row.get("id"))
        attacker = str(row.get("attacker") or "")
        color = colors.get(attacker, UNKNOWN_ATTACKER_COLOR)
        dashed = not bool(row.get("cross_border", True))
        style: dict[str, Any] = {"color": color, "weight": _weight(_casualties(row))}
        if dashed:
            style["dashArray"] = "6 6"
        label = f"{escape_text(attacker or 'Unknown')} → {escape_text(row.get('target_name'))}"
        if _present(row.get("date")):
            label += f" ({escape_text(row.get('date'))})"
        properties: dict[str, Any] = {
            "feature_type": "strike",
            "strike_id": sid,
            "style": style,
            "_label": label,
        }
        if with_excerpts:  # else the tooltip says it all and the side panel has the sources
            properties["_popup_html"] = strike_popup_html(row)
        ring = heads[i] + [heads[i][0]]
        if not separate_heads:
            # one layer per strike: the triangle is a second, closed part of the line
            features.append(
                {
                    "type": "Feature",
                    "properties": properties,
                    "geometry": {"type": "MultiLineString", "coordinates": [arcs[i], ring]},
                }
            )
            continue
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "LineString", "coordinates": arcs[i]},
            }
        )
        arrowheads.append(
            {
                "type": "Feature",
                "properties": {
                    "feature_type": "arrowhead",
                    "strike_id": sid,
                    "style": {"color": color, "fillColor": color},
                },
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    # arrowheads after arcs: drawn on top
    return features + arrowheads


def place_features(places: GeoDataFrame) -> list[dict[str, Any]]:
    """Return GeoJSON Point features for the places (canvas circle markers).

    Struck places (``is_target``) are red and larger; others are coloured by kind (see
    ``PLACE_STYLES``). Properties: ``place_id, kind, is_target, feature_type="place",
    style, _popup_html, _label``. Display-only: never export these.
    """
    if places is None or len(places) == 0:
        return []
    lon = places.geometry.x.to_numpy(float)
    lat = places.geometry.y.to_numpy(float)
    coords = np.round(np.stack([lon, lat], axis=-1), _DECIMALS).tolist()
    out = []
    for i, row in enumerate(places.drop(columns="geometry").to_dict("records")):
        is_target = bool(row.get("is_target"))
        color, radius, _ = (
            PLACE_STYLES["target"]
            if is_target
            else PLACE_STYLES.get(str(row.get("kind")), _OTHER_KIND)
        )
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "feature_type": "place",
                    "place_id": str(row.get("place_id")),
                    "kind": escape_text(row.get("kind")),
                    "is_target": is_target,
                    # the rest comes from _PLACE_DEFAULTS
                    "style": {"radius": radius, "fillColor": color, "color": "#5a0000", "weight": 2}
                    if is_target
                    else {"radius": radius, "fillColor": color},
                    "_label": escape_text(row.get("name")),
                    "_popup_html": place_popup_html(row),
                },
                "geometry": {"type": "Point", "coordinates": coords[i]},
            }
        )
    return out


def province_counts(places: GeoDataFrame | None, strikes: GeoDataFrame | None) -> Counter[str]:
    """Return the number of strikes per targeted province (``admin1_code``).

    A strike counts for the province of its target place (``target_place_id`` joined with the
    places frame); strikes without a known place are located by their target point when
    :mod:`geo.boundaries` is available.
    """
    counts: Counter[str] = Counter()
    if strikes is None or len(strikes) == 0:
        return counts
    code_of: dict[str, str] = {}
    if places is not None and len(places) and "admin1_code" in places:
        for pid, code in zip(places["place_id"], places["admin1_code"], strict=True):
            if _present(code) and code:
                code_of[str(pid)] = str(code)
    unresolved: list[tuple[float, float]] = []
    for pid, lon, lat in zip(
        strikes.get("target_place_id", [None] * len(strikes)),
        strikes["target_lon"],
        strikes["target_lat"],
        strict=True,
    ):
        code = code_of.get(str(pid)) if _present(pid) else None
        if code:
            counts[code] += 1
        else:
            unresolved.append((float(lon), float(lat)))
    if unresolved:
        locate = _boundaries_attr("locate")
        if locate is not None:
            for lon, lat in unresolved:
                found = locate(lon, lat)
                code = getattr(found, "admin1_code", None)
                if code:
                    counts[str(code)] += 1
    return counts


def _boundaries_attr(name: str) -> Any:
    """Return ``geo.boundaries.<name>``, or None while that module is not installed."""
    try:
        import geo.boundaries as boundaries
    except ModuleNotFoundError as err:
        if err.name != "geo.boundaries":
            raise
        return None
    return getattr(boundaries, name, None)


def _province_color(count: int) -> str:
    color = _PROVINCE_CLASSES[0][1]
    for threshold, value in _PROVINCE_CLASSES:
        if count >= threshold:
            color = value
    return color


def _province_features(counts: Counter[str], admin1: GeoDataFrame) -> list[dict[str, Any]]:
    if not counts:
        return []
    import shapely

    # places carry ISO 3166-2 codes (geo.boundaries.assign_admin's admin1_code)
    code_col = next((c for c in ("admin1_code", "iso_3166_2", "code") if c in admin1), None)
    name_col = next((c for c in ("admin1", "name_en", "name") if c in admin1), None)
    if code_col is None:
        raise ValueError(
            "admin1_shading needs an 'admin1_code' (or 'iso_3166_2') column; "
            f"got columns {list(admin1.columns)}"
        )
    subset = admin1[admin1[code_col].astype(str).isin(counts)]
    rows: list[tuple[str, str, Any]] = [  # (code, name, geometry)
        (str(code), str(name), geom)
        for code, name, geom in zip(
            subset[code_col],
            subset[name_col] if name_col else subset[code_col],
            subset.geometry,
            strict=True,
        )
    ]
    out = []
    for code, name, geom in rows:
        if geom is None or geom.is_empty:
            continue
        simple = shapely.simplify(geom, 0.01, preserve_topology=True)
        simple = shapely.set_precision(simple, 10**-_DECIMALS)
        n = counts[code]
        out.append(
            {
                "type": "Feature",
                "properties": {
                    "feature_type": "province",
                    "admin1_code": code,
                    "strike_count": n,
                    "style": {"fillColor": _province_color(n)},
                    "_label": f"{escape_text(name)}: {n} strike{'s' if n != 1 else ''}",
                },
                "geometry": shapely.geometry.mapping(simple),
            }
        )
    return out


# --------------------------------------------------------------------------------------------
# Layers and maps


# No style_function (folium would emit a JS switch with one case per feature): the layers'
# style option merges constant defaults per feature_type (our JSON, no data) with the
# feature's own small ``style`` property.
_STYLE_JS = JsCode(
    "function (feature) { var p = feature.properties || {}; "
    f"return Object.assign({{}}, ({json.dumps(_STYLE_DEFAULTS)})[p.feature_type] || {{}}, "
    "p.style || {}); }"
)


def _geojson_layer(
    features: list[dict[str, Any]], name: str, *, marker: bool = False
) -> folium.GeoJson:
    return folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        name=name,
        marker=folium.CircleMarker(radius=5, fill=True) if marker else None,
        on_each_feature=_ON_EACH_FEATURE,
        embed=True,
        style=_STYLE_JS,
    )


def layer_features(
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    admin1_shading: GeoDataFrame | bool | None = None,
    colors: Mapping[str, str] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """Return the display features of every data layer, by layer name (picklable, cacheable).

    Keys: ``LAYER_PROVINCES`` (absent when ``admin1_shading is False``), ``LAYER_STRIKES``,
    ``LAYER_PLACES`` (other places) and ``LAYER_STRUCK`` (struck places). See
    :func:`build_layers` for the parameters.
    """
    out: dict[str, list[dict[str, Any]]] = {}
    if admin1_shading is not False:
        admin1 = None if admin1_shading is None or admin1_shading is True else admin1_shading
        if admin1 is None:
            admin1 = _default_admin1()
        out[LAYER_PROVINCES] = (
            _province_features(province_counts(places, strikes), admin1)
            if admin1 is not None
            else []
        )
    out[LAYER_STRIKES] = strike_features(strikes, colors) if strikes is not None else []
    place_feats = place_features(places) if places is not None else []
    out[LAYER_PLACES] = [f for f in place_feats if not f["properties"]["is_target"]]
    out[LAYER_STRUCK] = [f for f in place_feats if f["properties"]["is_target"]]
    return out


def layers_from_features(
    features: Mapping[str, list[dict[str, Any]]], *, selected_strike_id: str | None = None
) -> list[folium.FeatureGroup]:
    """Wrap :func:`layer_features`' output in one FeatureGroup per layer, bottom to top."""
    groups = []
    for name in (LAYER_PROVINCES, LAYER_STRIKES, LAYER_PLACES, LAYER_STRUCK):
        if name not in features:
            continue
        group = folium.FeatureGroup(name=name, show=True)
        feats = features[name]
        _geojson_layer(feats, name, marker=name in (LAYER_PLACES, LAYER_STRUCK)).add_to(group)
        if name == LAYER_STRIKES and selected_strike_id is not None:
            halo = [
                {
                    **f,
                    "properties": {
                        **f["properties"],
                        "feature_type": "selected",
                        "style": {
                            **f["properties"]["style"],
                            "color": "#000000",
                            "dashArray": "4 6",
                        },
                    },
                }
                for f in feats
                if f["properties"]["strike_id"] == str(selected_strike_id)
                and f["properties"]["feature_type"] == "strike"
            ]
            _geojson_layer(halo, "Selected strike").add_to(group)
        groups.append(group)
    return groups


def build_layers(
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    admin1_shading: GeoDataFrame | bool | None = None,
    colors: Mapping[str, str] | None = None,
    selected_strike_id: str | None = None,
) -> list[folium.FeatureGroup]:
    """Return the data layers, bottom to top: provinces, strikes, other places, struck places.

    These change with the filters; the app passes them to ``st_folium`` as
    ``feature_group_to_add`` so that the base map (and the user's view) survives a rerun.

    Parameters
    ----------
    places, strikes : GeoDataFrame or None
        The places and strikes frames (EPSG:4326), already filtered.
    admin1_shading : GeoDataFrame, bool or None
        Province polygons to shade (``admin1_code`` + geometry); None/True: from
        :mod:`geo.boundaries`; False: no province layer.
    colors : mapping, optional
        Attacker → colour (:func:`attacker_colors` of all data, so filters keep colours).
    selected_strike_id : str, optional
        A strike to outline on top of the others.
    """
    features = layer_features(places, strikes, admin1_shading=admin1_shading, colors=colors)
    return layers_from_features(features, selected_strike_id=selected_strike_id)


def events_bounds(
    places: GeoDataFrame | None, strikes: GeoDataFrame | None
) -> list[list[float]] | None:
    """Return ``[[south, west], [north, east]]`` around the strikes (origins and targets),
    or around the places when there are no strikes; None when there is nothing."""
    lons: list[float] = []
    lats: list[float] = []
    if strikes is not None and len(strikes):
        lons += list(strikes["origin_lon"]) + list(strikes["target_lon"])
        lats += list(strikes["origin_lat"]) + list(strikes["target_lat"])
    elif places is not None and len(places):
        lons += list(places.geometry.x)
        lats += list(places.geometry.y)
    pairs = [
        (float(lo), float(la))
        for lo, la in zip(lons, lats, strict=True)
        if _present(lo) and _present(la)
    ]
    if not pairs:
        return None
    lo, la = np.array(pairs).T
    return [_latlon(float(lo.min()), float(la.min())), _latlon(float(lo.max()), float(la.max()))]


@functools.cache
def _default_admin0_geojson() -> dict[str, Any] | None:
    """Simplified world countries from :mod:`geo.boundaries` (cached), or None if absent."""
    loader = _boundaries_attr("load_admin0")
    if loader is None:
        return None
    return _admin0_geojson(loader(display=True))


@functools.cache
def _default_admin1() -> GeoDataFrame | None:
    """Simplified provinces from :mod:`geo.boundaries` (cached, read-only), or None if absent."""
    loader = _boundaries_attr("load_admin1")
    return None if loader is None else loader(display=True)


def _without_islets(geoms: np.ndarray, min_area_deg2: float = 0.01) -> np.ndarray:
    """Drop polygon parts smaller than `min_area_deg2` (keeping the largest of each country)."""
    import shapely

    out = []
    for geom in geoms:
        if geom is None or geom.is_empty or geom.geom_type != "MultiPolygon":
            out.append(geom)
            continue
        parts = sorted(geom.geoms, key=lambda part: part.area, reverse=True)
        keep = [parts[0]] + [p for p in parts[1:] if p.area >= min_area_deg2]
        out.append(shapely.MultiPolygon(keep) if len(keep) > 1 else keep[0])
    return np.array(out, dtype=object)


def _admin0_geojson(admin0: GeoDataFrame) -> dict[str, Any]:
    import shapely

    name_col = next(
        (c for c in ("name", "NAME", "ADMIN", "name_en", "country_iso3") if c in admin0), None
    )
    # ~5 km and no islets under ~100 km²: invisible at the zoom of a region map, and the base
    # map (sent on every rerun) shrinks from 2.3 to 0.9 MB
    geoms = shapely.set_precision(
        shapely.simplify(_without_islets(admin0.geometry.to_numpy()), 0.05, preserve_topology=True),
        0.01,
    )
    features = []
    for i, geom in enumerate(geoms):
        if geom is None or geom.is_empty:
            continue
        features.append(
            {
                "type": "Feature",
                "id": str(i),
                "properties": {"_label": escape_text(admin0[name_col].iloc[i]) if name_col else ""},
                "geometry": shapely.geometry.mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


class _PageStyle(MacroElement):
    """Map background (the sea, under the country polygons) and popup/legend CSS."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .leaflet-container { background: {{ this.sea }}; }
        .sm-popup { font: 13px/1.35 sans-serif; }
        .sm-popup .sm-excerpt { margin-top: 6px; }
        .sm-popup mark { background: #ffe066; padding: 0 1px; }
        .sm-legend { position: absolute; bottom: 42px; left: 10px; z-index: 1000;
            background: rgba(255,255,255,0.92); padding: 6px 8px; border-radius: 4px;
            font: 12px/1.4 sans-serif; box-shadow: 0 1px 4px rgba(0,0,0,0.3);
            max-height: 45%; overflow-y: auto; }
        .sm-legend .sm-swatch { display: inline-block; width: 18px; height: 4px;
            vertical-align: middle; margin-right: 4px; }
        .sm-legend .sm-dot { display: inline-block; width: 10px; height: 10px;
            border-radius: 50%; vertical-align: middle; margin-right: 4px; }
        .sm-legend .sm-box { display: inline-block; width: 12px; height: 10px;
            vertical-align: middle; margin-right: 4px; border: 1px solid #b35806; }
        </style>
        {% endmacro %}
        """
    )

    def __init__(self, sea: str = _SEA_COLOR) -> None:
        super().__init__()
        self._name = "PageStyle"
        self.sea = sea


class Legend(MacroElement):
    """A fixed legend box: attacker colours, place kinds, province shading, arrows."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="sm-legend" id="sm-legend">{{ this.body }}</div>
        {% endmacro %}
        """
    )

    def __init__(self, colors: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "Legend"
        parts = ["<b>Strikes</b> <small>(arrow at target)</small><br>"]
        for name, color in sorted(colors.items()):
            parts.append(
                f"<span class='sm-swatch' style='background:{escape_text(color)}'></span>"
                f"{escape_text(name)}<br>"
            )
        if not colors:
            parts.append("<i>none</i><br>")
        parts.append(
            "<small>dashed: not cross-border · thicker: more casualties</small><br><b>Places</b><br>"
        )
        for color, _, label in PLACE_STYLES.values():
            parts.append(f"<span class='sm-dot' style='background:{color}'></span>{label}<br>")
        parts.append(
            f"<span class='sm-box' style='background:{_PROVINCE_CLASSES[1][1]}'></span>"
            "Province hit (darker: more strikes)"
        )
        # Jinja would escape a plain str in the template; this is our own (escaped) markup.
        from markupsafe import Markup

        self.body = Markup("".join(parts))


def build_base_map(
    *,
    admin0: GeoDataFrame | None = None,
    tiles: Tiles = "none",
    bounds: list[list[float]] | None = None,
    colors: Mapping[str, str] | None = None,
    assets: AssetMode = "static",
    asset_base_url: str = DEFAULT_BASE_URL,
    height: str | int = "100%",
) -> folium.Map:
    """Return the map without data layers: countries, optional OSM, legend, view, local assets.

    Build it from the same arguments on every rerun (all events' bounds, all attackers'
    colours), so streamlit-folium sees the same map and keeps the user's view; the filtered
    data goes on top through :func:`build_layers`.

    Parameters
    ----------
    admin0 : GeoDataFrame, optional
        Country polygons (EPSG:4326); default: :mod:`geo.boundaries`' display file.
    tiles : {"none", "osm"}
        ``"none"``: the OpenStreetMap layer is listed in the layer control but off, so no
        request leaves the machine; ``"osm"``: it is on (tiles fail silently offline).
    bounds : [[south, west], [north, east]], optional
        View to fit; a world view when None.
    colors : mapping, optional
        Attacker → colour for the legend.
    assets, asset_base_url
        See :func:`geo.assets.use_local_assets`.
    """
    if tiles not in ("none", "osm"):
        raise ValueError(f"tiles was {tiles!r} but is expected to be 'none' or 'osm'")
    m = folium.Map(
        location=[30.0, 50.0],
        zoom_start=3,
        tiles=None,
        prefer_canvas=True,
        control_scale=True,
        # Map options, not tile options: without a tile layer Leaflet has no zoom limits.
        maxZoom=13,
        minZoom=2,
        world_copy_jump=False,
        height=height,
    )
    use_local_assets(m, mode=assets, base_url=asset_base_url)
    _PageStyle().add_to(m)
    data = _admin0_geojson(admin0) if admin0 is not None else _default_admin0_geojson()
    if data is not None:
        folium.GeoJson(
            data,
            name=LAYER_COUNTRIES,
            style_function=lambda _: {
                "color": "#8a8a8a",
                "weight": 0.8,
                "fillColor": "#f4f1ea",
                "fillOpacity": 0.55,
            },
            # interactive False: clicks fall through to the events (and don't rerun the app)
            interactive=False,
        ).add_to(m)
    folium.TileLayer(
        "OpenStreetMap",
        name=LAYER_BASEMAP,
        overlay=True,
        control=True,
        show=(tiles == "osm"),
        max_zoom=19,
    ).add_to(m)
    if bounds is not None:
        m.fit_bounds(bounds, padding=(30, 30), max_zoom=7)
    Legend(colors or {}).add_to(m)
    return m


def build_map(
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    admin0: GeoDataFrame | None = None,
    admin1_shading: GeoDataFrame | bool | None = None,
    tiles: Tiles = "none",
    selected_strike_id: str | None = None,
    colors: Mapping[str, str] | None = None,
    assets: AssetMode = "static",
    asset_base_url: str = DEFAULT_BASE_URL,
) -> folium.Map:
    """Return a complete map of `places` and `strikes`, fitted to the events.

    Parameters
    ----------
    places, strikes : GeoDataFrame or None
        The places and strikes frames of :class:`geo.pipeline.Extraction`, EPSG:4326.
    admin0 : GeoDataFrame, optional
        Country polygons for the vector base map; default from :mod:`geo.boundaries`.
    admin1_shading : GeoDataFrame, bool or None
        See :func:`build_layers`.
    tiles : {"none", "osm"}
        See :func:`build_base_map`.
    selected_strike_id : str, optional
        Strike to outline.
    colors : mapping, optional
        Attacker → colour; :func:`attacker_colors` of `strikes` by default.
    assets : {"static", "inline"}
        Local Leaflet via Streamlit static serving, or inlined (standalone HTML files).

    Returns
    -------
    folium.Map
        ``prefer_canvas=True``, no CDN links, a layer control and a legend.

    Examples
    --------
    >>> m = build_map(None, None, admin1_shading=False, admin0=None)
    >>> m.options["prefer_canvas"]
    True
    """
    if colors is None:
        colors = (
            attacker_colors(strikes["attacker"]) if strikes is not None and len(strikes) else {}
        )
    m = build_base_map(
        admin0=admin0,
        tiles=tiles,
        bounds=events_bounds(places, strikes),
        colors=colors,
        assets=assets,
        asset_base_url=asset_base_url,
    )
    for group in build_layers(
        places,
        strikes,
        admin1_shading=admin1_shading,
        colors=colors,
        selected_strike_id=selected_strike_id,
    ):
        group.add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    return m


def _latlon(lon: float, lat: float) -> list[float]:
    """The one place where (lon, lat) becomes Folium's (lat, lon)."""
    return [lat, lon]
