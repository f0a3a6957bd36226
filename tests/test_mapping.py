"""geo.mapping: arcs, layers, escaping of untrusted text, offline assets."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import folium
import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon

from geo import mapping
from geo.assets import DEFAULT_BASE_URL, install_assets, is_installed, use_local_assets

EVIL_TITLE = "Breaking <script>alert('t')</script> `${alert(1)}`"
EVIL_EXCERPT = "Raketten op <img src=x onerror=alert(1)> Panjgur `${alert(2)}` [x](http://e.vil)"
EVIL_PLACE = "Panjgur<script>alert(3)</script>"

# Tehran, Panjgur (PK), Erbil (IQ), Saravan (IR)
TEHRAN = (51.389, 35.689)
PANJGUR = (64.093, 26.964)
ERBIL = (44.009, 36.191)
SARAVAN = (62.335, 27.371)
QUETTA = (66.990, 30.184)


def _mention(title: str, excerpt: str, text: str, date: str = "2024-01-17") -> dict:
    return {
        "article": "a.txt",
        "article_id": "a1",
        "title": title,
        "date": date,
        "text": text,
        "start": 0,
        "end": len(text),
        "excerpt": excerpt,
    }


def make_places() -> gpd.GeoDataFrame:
    rows = [
        ("gn:1", EVIL_PLACE, "city", "PAK", "Balochistan", "PK-BA", True, PANJGUR),
        ("gn:2", "Erbil", "city", "IRQ", "Erbil", "IQ-AR", True, ERBIL),
        ("gn:3", "Saravan", "city", "IRN", "Sistan and Baluchestan", "IR-13", True, SARAVAN),
        ("c:IRN", "Iran", "country", "IRN", None, None, False, TEHRAN),
        ("gn:4", "Quetta", "city", "PAK", "Balochistan", "PK-BA", False, QUETTA),
    ]
    records = []
    for pid, name, kind, iso3, a1, code, target, _ in rows:
        mentions = [_mention(EVIL_TITLE, EVIL_EXCERPT, "Panjgur")] + [
            _mention(f"Article {i}", f"{name} was mentioned again ({i}).", name) for i in range(4)
        ]
        records.append(
            {
                "place_id": pid,
                "name": name,
                "kind": kind,
                "country_iso3": iso3,
                "admin1": a1,
                "admin1_code": code,
                "geonames_id": None,
                "is_target": target,
                "n_mentions": len(mentions),
                "n_articles": len(mentions),
                "mentions": mentions,
            }
        )
    return gpd.GeoDataFrame(records, geometry=[Point(*r[-1]) for r in rows], crs="EPSG:4326")


def _strike(sid: str, attacker: str, iso3: str, origin, target, name, place_id, t_iso3, **kw):
    source = {
        "article": "a.txt",
        "article_id": "a1",
        "title": EVIL_TITLE,
        "date": "2024-01-16",
        "excerpt": EVIL_EXCERPT,
        "start": 0,
        "end": 10,
    }
    row = {
        "id": sid,
        "attacker": attacker,
        "attacker_iso3": iso3,
        "target_name": name,
        "target_iso3": t_iso3,
        "target_admin1": None,
        "target_lon": target[0],
        "target_lat": target[1],
        "geo_precision": "place",
        "origin_lon": origin[0],
        "origin_lat": origin[1],
        "origin_kind": "country",
        "cross_border": True,
        "date": "2024-01-16",
        "target_actor": None,
        "target_place_id": place_id,
        "origin_name": None,
        "weapons": ["missiles"],
        "killed": 2,
        "injured": None,
        "confidence": 0.8,
        "article": "a.txt",
        "excerpt": EVIL_EXCERPT,
        "start": 0,
        "end": 10,
        "sources": [source, source, source],
        "edited": False,
        "n_sources": 3,
    }
    row.update(kw)
    return row


def make_strikes() -> gpd.GeoDataFrame:
    rows = [
        _strike("s1", "Iran", "IRN", TEHRAN, PANJGUR, EVIL_PLACE, "gn:1", "PAK"),
        _strike("s2", "Iran", "IRN", TEHRAN, ERBIL, "Erbil", "gn:2", "IRQ", killed=4),
        _strike("s3", "Pakistan <b>army</b>", "PAK", QUETTA, SARAVAN, "Saravan", "gn:3", "IRN"),
    ]
    geoms = [
        LineString([(r["origin_lon"], r["origin_lat"]), (r["target_lon"], r["target_lat"])])
        for r in rows
    ]
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


def make_admin0() -> gpd.GeoDataFrame:
    # Two boxes standing in for countries (the real Natural Earth file is the boundaries' job).
    return gpd.GeoDataFrame(
        {"name": ["Left <script>", "Right"]},
        geometry=[
            Polygon([(40, 20), (55, 20), (55, 40), (40, 40)]),
            Polygon([(55, 20), (70, 20), (70, 40), (55, 40)]),
        ],
        crs="EPSG:4326",
    )


def make_admin1() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"admin1_code": ["PK-BA", "IQ-AR", "XX-00"], "name": ["Balochistan", "Erbil", "Nowhere"]},
        geometry=[
            Polygon([(61, 24), (70, 24), (70, 32), (61, 32)]),
            Polygon([(43, 35), (45, 35), (45, 37), (43, 37)]),
            Polygon([(0, 0), (1, 0), (1, 1), (0, 1)]),
        ],
        crs="EPSG:4326",
    )


@pytest.fixture(scope="module")
def built() -> tuple[folium.Map, str]:
    m = mapping.build_map(
        make_places(), make_strikes(), admin0=make_admin0(), admin1_shading=make_admin1()
    )
    return m, m.get_root().render()


def _layers(m: folium.Map) -> dict[str, folium.GeoJson]:
    found: dict[str, folium.GeoJson] = {}

    def walk(el):
        for child in el._children.values():
            if isinstance(child, folium.GeoJson):
                found[child.layer_name] = child
            walk(child)

    walk(m)
    return found


def canvas_payloads(text: str) -> list[dict]:
    """The data of every canvas layer in generated Leaflet JS, with its options under
    ``"_options"`` (``new SmCanvasLayer(JSON.parse("..."), {...})``)."""
    found = []
    pattern = r'new SmCanvasLayer\(\s*JSON\.parse\(("(?:[^"\\]|\\.)*")\),\s*(\{[^}]*\})\)'
    for m in re.finditer(pattern, text):
        data = json.loads(json.loads(m.group(1)))
        data["_options"] = json.loads(m.group(2))
        found.append(data)
    return found


def _canvas(m: folium.Map) -> dict[str, dict]:
    """Canvas layers' data by the name of their feature group."""
    found: dict[str, dict] = {}

    def walk(el):
        for child in el._children.values():
            if isinstance(child, mapping.CanvasLayer):
                found[el.layer_name] = child.data
            walk(child)

    walk(m)
    return found


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.update(name for name, _ in attrs)


def _tags(fragment: str) -> _Tags:
    parser = _Tags()
    parser.feed(fragment)
    return parser


# --- escaping ---------------------------------------------------------------------------------


def test_rendered_html_has_no_raw_markup_or_template_code_from_data(built):
    _, page = built
    for needle in ("alert('t')", "alert(1)", "alert(2)", "alert(3)", "onerror=", "${alert"):
        assert needle not in page
    # the tags of the data cannot appear even JSON-encoded (\u003c) inside the script
    assert "\\u003cscript" not in page.lower()
    assert "\\u003cimg" not in page.lower()
    assert "<img" not in page.lower()
    # our own script tags: exactly the local assets + folium's inline scripts
    assert page.lower().count("<script") == page.lower().count("</script>")


def test_popups_contain_only_our_tags_and_the_escaped_text(built):
    m, _ = built
    allowed = {"div", "b", "small", "i", "br", "mark"}
    popups = []
    for layer in _layers(m).values():
        for feature in layer.data["features"]:
            for key in ("_popup_html", "_label"):
                if key in feature["properties"]:
                    popups.append(feature["properties"][key])
    for data in _canvas(m).values():
        popups += data["labels"] + (data["popups"] or [])
    assert len(popups) > 10
    for fragment in popups:
        parsed = _tags(fragment)
        assert parsed.tags <= allowed, fragment
        assert parsed.attrs <= {"class"}, fragment
    place = next(p for p in popups if p.startswith("<div class='sm-popup'><b>Panjgur"))
    # the browser shows the original characters back
    import html

    assert "<script>alert(3)</script>" in html.unescape(place)
    assert "<mark>Panjgur</mark>" in place


def test_escape_text_neutralises_html_template_literals_and_markdown():
    out = mapping.escape_text("<b>x</b> `${a}` [l](u) $x$ a=b")
    for raw in "<>`${}[]()=":
        assert raw not in out
    import html

    assert html.unescape(out) == "<b>x</b> `${a}` [l](u) $x$ a=b"
    assert mapping.escape_text(None) == "" and mapping.escape_text(float("nan")) == ""


def test_highlight_mention_marks_first_occurrence_ignoring_case_and_spaces():
    out = mapping.highlight_mention(
        "In  de provincie Sistan en   Baluchistan viel", "sistan en baluchistan"
    )
    assert out.count("<mark>") == 1
    assert "<mark>Sistan en   Baluchistan</mark>" in out
    assert mapping.highlight_mention("no match <here>", "Erbil") == "no match &#60;here&#62;"


def test_place_popup_lists_title_date_and_how_many_more():
    row = make_places().iloc[1].to_dict()
    out = mapping.place_popup_html(row, max_excerpts=2)
    assert "and 3 more mentions" in out
    assert "(2024-01-17)" in out
    assert "Erbil" in out and "IRQ" in out


# --- arcs -------------------------------------------------------------------------------------


def test_arcs_start_at_origin_and_end_at_target():
    lon, lat, hlon, hlat = mapping.display_arcs(
        [TEHRAN[0], PANJGUR[0]],
        [TEHRAN[1], PANJGUR[1]],
        [PANJGUR[0], TEHRAN[0]],
        [PANJGUR[1], TEHRAN[1]],
    )
    assert lon.shape == lat.shape == (2, 24)
    np.testing.assert_allclose([lon[0, 0], lat[0, 0]], TEHRAN)
    np.testing.assert_allclose([lon[0, -1], lat[0, -1]], PANJGUR)
    # arrowhead tip is the target
    np.testing.assert_allclose([hlon[0, 1], hlat[0, 1]], PANJGUR)
    np.testing.assert_allclose([hlon[1, 1], hlat[1, 1]], TEHRAN)


def test_opposite_strikes_bend_to_opposite_sides():
    lon, lat, _, _ = mapping.display_arcs(
        [TEHRAN[0], PANJGUR[0]],
        [TEHRAN[1], PANJGUR[1]],
        [PANJGUR[0], TEHRAN[0]],
        [PANJGUR[1], TEHRAN[1]],
    )
    mid_ab = np.array([lon[0, 12], lat[0, 12]])
    mid_ba = np.array([lon[1, 11], lat[1, 11]])
    assert np.hypot(*(mid_ab - mid_ba)) > 0.5  # degrees apart: the two arcs don't overlap
    # the plain great circle lies between them
    plain_lon, plain_lat, _, _ = mapping.display_arcs(
        [TEHRAN[0]], [TEHRAN[1]], [PANJGUR[0]], [PANJGUR[1]], bend=0.0
    )
    mid = np.array([plain_lon[0, 12], plain_lat[0, 12]])
    assert np.dot(mid_ab - mid, mid_ba - mid) < 0


def test_arrowhead_points_along_the_arc_towards_the_target():
    lon, lat, hlon, hlat = mapping.display_arcs(
        [TEHRAN[0]], [TEHRAN[1]], [PANJGUR[0]], [PANJGUR[1]]
    )
    base = np.array([(hlon[0, 0] + hlon[0, 2]) / 2, (hlat[0, 0] + hlat[0, 2]) / 2])
    tip = np.array([hlon[0, 1], hlat[0, 1]])
    before = np.array([lon[0, -4], lat[0, -4]])
    # the base sits behind the tip, on the side the arc comes from
    assert np.linalg.norm(base - before) < np.linalg.norm(tip - before)
    assert Polygon(list(zip(hlon[0], hlat[0], strict=True))).area > 0


def test_antimeridian_arc_stays_continuous():
    lon, _, _, _ = mapping.display_arcs([139.69], [35.68], [-157.85], [21.31])
    assert np.all(np.abs(np.diff(lon[0])) < 20)
    assert lon[0, -1] == pytest.approx(202.15)


def test_identical_end_points_do_not_crash():
    lon, lat, hlon, _ = mapping.display_arcs([10.0], [10.0], [10.0], [10.0])
    assert np.isfinite(lon).all() and np.isfinite(lat).all() and np.isfinite(hlon).all()


def test_strike_layer_ends_at_target_with_arrowheads(built):
    m, page = built
    strikes = make_strikes()
    data = _canvas(m)[mapping.LAYER_STRIKES]
    parsed = [p for p in canvas_payloads(page) if p["kind"] == "arcs"][0]
    assert parsed.pop("_options") == {"order": 0}
    assert parsed == data  # what the browser parses is exactly this
    k = data["stride"]
    assert len(data["coords"]) == 2 * k * len(strikes)
    assert len(data["heads"]) == 6 * len(strikes)
    for _, s in strikes.iterrows():
        i = data["ids"].index(s["id"])
        arc = np.array(data["coords"][2 * k * i : 2 * k * (i + 1)]).reshape(k, 2)
        head = np.array(data["heads"][6 * i : 6 * (i + 1)]).reshape(3, 2)
        assert arc[0] == pytest.approx([s.origin_lon, s.origin_lat], abs=1e-4)
        assert arc[-1] == pytest.approx([s.target_lon, s.target_lat], abs=1e-4)
        assert head[1] == pytest.approx([s.target_lon, s.target_lat], abs=1e-4)
    # colour by attacker, weight by casualties; styles are shared, arcs ordered by style
    style = {sid: data["styles"][data["style"][i]] for i, sid in enumerate(data["ids"])}
    assert style["s1"]["color"] == style["s2"]["color"] != style["s3"]["color"]
    assert style["s2"]["weight"] > style["s1"]["weight"]
    assert data["style"] == sorted(data["style"])
    assert data["feature_type"] == "strike" and data["id_key"] == "strike_id"
    popup = data["popups"][data["ids"].index("s1")]
    assert "Panjgur&#60;script&#62;" in popup and "and 1 more source" in popup


def test_dashed_when_not_cross_border():
    strikes = make_strikes()
    strikes.loc[strikes["id"] == "s3", "cross_border"] = False
    data = mapping.strike_layer_data(strikes)
    dashed = {sid: data["styles"][data["style"][i]]["dash"] for i, sid in enumerate(data["ids"])}
    assert dashed == {"s1": False, "s2": False, "s3": True}


def test_attacker_colors_are_stable_and_distinct():
    a = mapping.attacker_colors(["Iran", "Pakistan", "Israel", "United States", "Houthis"])
    b = mapping.attacker_colors(["Houthis", "United States", "Israel", "Pakistan", "Iran", "Iran"])
    assert a == b
    assert len(set(a.values())) == 5
    assert mapping.attacker_colors(["Iran"])["Iran"] == a["Iran"]


def test_many_strikes_drop_excerpts_from_popups_but_keep_ids():
    strikes = make_strikes()
    data = mapping.strike_layer_data(strikes, with_excerpts=False, n_points=10)
    assert data["popups"] is None
    assert data["stride"] == 10 and len(data["coords"]) == 2 * 10 * len(strikes)
    label = data["labels"][data["ids"].index("s1")]
    assert label == "Iran → Panjgur&#60;script&#62;alert&#40;3&#41;&#60;/script&#62; (2024-01-16)"
    assert set(data["ids"]) == {"s1", "s2", "s3"}
    # thousands of strikes: fewer vertices per arc, no excerpts in popups
    assert mapping._arc_points(20_000) < mapping._arc_points(100) == 16


def test_payload_cannot_close_the_script_tag():
    places = make_places()
    places.loc[0, "name"] = "</script><script>alert(9)</script>"
    layer = mapping.CanvasLayer(mapping.place_layer_data(places), selected="</script>")
    assert "<" not in layer.payload and ">" not in layer.payload
    m = folium.Map(tiles=None)
    layer.add_to(folium.FeatureGroup(name="x").add_to(m))
    page = m.get_root().render()
    assert "</script><script>alert" not in page
    assert '"selected": "\\u003c/script\\u003e"' in page
    assert json.loads(json.loads(layer.payload))["labels"][0].startswith("&#60;/script&#62;")


# --- layers, legend, view ---------------------------------------------------------------------


def test_layers_and_layer_control(built):
    m, page = built
    layers = {**_layers(m), **_canvas(m)}
    for name in (
        mapping.LAYER_STRIKES,
        mapping.LAYER_PLACES,
        mapping.LAYER_STRUCK,
        mapping.LAYER_PROVINCES,
        mapping.LAYER_COUNTRIES,
    ):
        assert name in layers
    control = next(c for c in m._children.values() if isinstance(c, folium.LayerControl))
    control.render()
    names = set(control.base_layers) | set(control.overlays)
    assert {
        mapping.LAYER_STRIKES,
        mapping.LAYER_PLACES,
        mapping.LAYER_STRUCK,
        mapping.LAYER_PROVINCES,
        mapping.LAYER_COUNTRIES,
        mapping.LAYER_BASEMAP,
    } <= names
    assert '"preferCanvas": true' in page


def test_places_carry_ids_and_struck_places_are_distinct(built):
    m, _ = built
    layers = _canvas(m)
    struck, others = layers[mapping.LAYER_STRUCK], layers[mapping.LAYER_PLACES]
    assert set(struck["ids"]) == {"gn:1", "gn:2", "gn:3"}
    assert set(others["ids"]) == {"c:IRN", "gn:4"}
    s_style = struck["styles"][struck["style"][0]]
    o_style = others["styles"][others["style"][0]]
    assert s_style["fillColor"] != o_style["fillColor"]
    assert s_style["radius"] > o_style["radius"]
    assert all(p["is_target"] for p in struck["props"])
    assert not any(p["is_target"] for p in others["props"])
    # canvas points, not DOM markers; coordinates follow the ids
    assert struck["kind"] == "points" and "L.marker" not in m.get_root().render()
    i = struck["ids"].index("gn:1")
    assert struck["coords"][2 * i : 2 * i + 2] == pytest.approx(list(PANJGUR), abs=1e-4)
    assert "<mark>Panjgur</mark>" in struck["popups"][i]


def test_provinces_shaded_by_strike_count(built):
    m, _ = built
    provinces = _layers(m)[mapping.LAYER_PROVINCES].data["features"]
    counts = {f["properties"]["admin1_code"]: f["properties"]["strike_count"] for f in provinces}
    assert counts == {"PK-BA": 1, "IQ-AR": 1}  # Saravan's IR-13 has no polygon here


def test_province_counts_leave_country_and_region_targets_unshaded():
    """A strike on a country or region stands for no province, whether its place is in the
    frame (it has no admin1_code) or not (its precision says so); a strike on a spot the
    frame does not know is located by its point (the real Natural Earth provinces)."""
    import pandas as pd

    places = make_places()  # "c:IRN" is a country: no admin1_code
    extra = [
        _strike("s4", "Israel", "ISR", ERBIL, TEHRAN, "Iran", "c:IRN", "IRN",
                geo_precision="country"),
        _strike("s5", "Israel", "ISR", ERBIL, TEHRAN, "Iran", None, "IRN",
                geo_precision="country"),
        _strike("s6", "Iraq", "IRQ", ERBIL, TEHRAN, "northern Iran", "dir:north:c:IRN", "IRN",
                geo_precision="region"),
        _strike("s7", "Iran", "IRN", TEHRAN, PANJGUR, "a village", None, "PAK"),
    ]  # fmt: skip
    strikes = pd.concat([make_strikes(), gpd.GeoDataFrame(extra)], ignore_index=True)
    counts = mapping.province_counts(places, strikes)
    # s1 (Panjgur) and s7 (located) in Balochistan; s2 Erbil; s3 Saravan; none for s4-s6
    assert counts == {"PK-BA": 2, "IQ-AR": 1, "IR-13": 1}
    assert "IR-07" not in counts  # Tehran: the point standing for Iran


def test_legend_lists_attackers_escaped_and_place_kinds(built):
    _, page = built
    legend = re.search(r'<div class="sm-legend".*?</div>\s', page, re.S).group(0)
    assert "Iran" in legend and "Struck place" in legend and "Province hit" in legend
    assert "Pakistan &#60;b&#62;army&#60;/b&#62;" in legend
    assert "<b>army" not in legend


def test_map_fits_events(built):
    _, page = built
    fit = re.search(r"fitBounds\(\s*(\[\[.*?\]\])", page, re.S)
    assert fit is not None
    (south, west), (north, east) = json.loads(fit.group(1))
    assert south <= PANJGUR[1] <= north and west <= TEHRAN[0] and east >= QUETTA[0]


def test_selected_strike_and_place_are_marked():
    m = mapping.build_map(
        make_places(),
        make_strikes(),
        admin0=make_admin0(),
        admin1_shading=False,
        selected_strike_id="s2",
        selected_place_id="gn:4",
    )
    page = m.get_root().render()
    options = [p["_options"] for p in canvas_payloads(page) if p["kind"] != "polygons"]
    assert options == [
        {"order": 0, "selected": "s2"},
        {"order": 1, "selected": "gn:4"},
        {"order": 2},
    ]
    # a selection that is not shown (filtered out) is dropped
    groups = mapping.build_layers(None, make_strikes(), selected_strike_id="gone")
    assert all("selected" not in layer.options for g in groups for layer in _payloads_of(g))
    # the data (and a cached payload) does not depend on the selection
    data = mapping.layer_data(make_places(), make_strikes(), admin1_shading=False)
    payloads = {n: mapping.encode_payload(d) for n, d in data.items()}
    again = mapping.layers_from_data(data, selected_strike_id="s1", payloads=payloads)
    assert [layer.payload for g in again for layer in _payloads_of(g)] == list(payloads.values())


def _payloads_of(group: folium.FeatureGroup) -> list[mapping.CanvasLayer]:
    return [c for c in group._children.values() if isinstance(c, mapping.CanvasLayer)]


def test_empty_frames_give_a_map():
    empty_p = make_places().iloc[0:0]
    empty_s = make_strikes().iloc[0:0]
    m = mapping.build_map(empty_p, empty_s, admin0=make_admin0(), admin1_shading=False)
    assert "fitBounds" not in m.get_root().render()


# --- offline ----------------------------------------------------------------------------------


def _links(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_no_cdn_links_and_no_tiles_by_default(built):
    m, page = built
    links = _links(page)
    assert links and all(not link.startswith(("http:", "https:", "//")) for link in links)
    assert all(link.startswith(DEFAULT_BASE_URL) for link in links)
    for gone in ("bootstrap", "font-awesome", "fontawesome", "awesome-markers", "glyphicons"):
        assert gone not in page.lower()
    # the OSM layer exists but is off: no tile request until the user ticks it
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    assert len(tiles) == 1 and tiles[0].show is False
    assert (
        mapping.build_map(
            None, None, admin0=make_admin0(), admin1_shading=False, tiles="osm"
        )._children
        is not None
    )


def test_streamlit_folium_gets_only_local_links(built, monkeypatch):
    import streamlit_folium

    captured = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: captured.update(kw))
    m = mapping.build_base_map(admin0=make_admin0())
    groups = mapping.build_layers(make_places(), make_strikes(), admin1_shading=False)
    streamlit_folium.st_folium(m, key="t", feature_group_to_add=groups)
    assert captured["js_links"] and captured["css_links"]
    for link in captured["js_links"] + captured["css_links"]:
        assert link.startswith("/app/static/vendor/"), link
    assert "Panjgur" in captured["feature_group"]
    assert "alert(3)" not in captured["feature_group"]


def test_inline_assets_work_without_a_server():
    m = use_local_assets(folium.Map(tiles=None), mode="inline")
    page = m.get_root().render()
    assert "data:text/javascript;base64," in page
    assert "data:text/css;base64," in page
    assert not [link for link in _links(page) if link.startswith("http")]
    with pytest.raises(ValueError, match="'static' or 'inline'"):
        use_local_assets(folium.Map(tiles=None), mode="cdn")  # type: ignore[arg-type]


def test_install_assets_is_idempotent(tmp_path):
    first = install_assets(tmp_path)
    assert {p.name for p in first} >= {"leaflet.js", "leaflet.css", "jquery.min.js", "layers.png"}
    assert install_assets(tmp_path) == []
    assert is_installed(tmp_path)
    (tmp_path / "leaflet" / "leaflet.js").write_text("broken")
    assert [p.name for p in install_assets(tmp_path)] == ["leaflet.js"]
    assert "Leaflet" in (tmp_path / "leaflet" / "leaflet.js").read_text()[:400]


def test_assets_command(tmp_path, capsys):
    from geo.cli import main

    try:
        code = main(["assets", "--dest", str(tmp_path)])
    except ModuleNotFoundError as err:  # another command module not written yet
        pytest.skip(f"CLI incomplete: {err}")
    assert code == 0
    assert "8 of 8 files written" in capsys.readouterr().out
    assert main(["assets", "--dest", str(tmp_path), "--quiet"]) == 0
    assert capsys.readouterr().out == ""


def test_countries_file_is_written_once_and_fetched_by_the_map(tmp_path):
    path = mapping.countries_file(tmp_path)
    if path is None:
        pytest.skip("no Natural Earth boundaries in data/boundaries")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["kind"] == "polygons" and len(data["rings"]) > 150
    assert sum(data["rings"]) * 2 == len(data["delta_coords"])
    stamp = path.stat().st_mtime_ns
    assert mapping.countries_file(tmp_path) == path and path.stat().st_mtime_ns == stamp
    url = f"/app/static/vendor/strikemap/{path.name}"
    m = mapping.build_base_map(countries_url=url)
    page = m.get_root().render()
    assert f'fetch("{url}")' in page
    assert len(page) < 100_000  # the countries are not embedded
    control = folium.LayerControl().add_to(m)
    control.render()
    assert mapping.LAYER_COUNTRIES in control.overlays


def test_countries_are_one_backdrop_canvas_under_the_data(built):
    m, _ = built
    countries = _canvas(m)[mapping.LAYER_COUNTRIES]
    assert countries["kind"] == "polygons" and countries["ids"] == []
    assert len(countries["rings"]) == 2  # the two boxes of make_admin0
    xy = np.cumsum(np.array(countries["delta_coords"]).reshape(-1, 2), axis=0)
    box = xy[: countries["rings"][0]] / countries["delta_scale"]
    assert box[0] == pytest.approx(box[-1])  # closed ring
    assert {tuple(p) for p in box} >= {(40.0, 20.0), (55.0, 40.0)}
    layer = next(
        c
        for g in m._children.values()
        if isinstance(g, folium.FeatureGroup) and g.layer_name == mapping.LAYER_COUNTRIES
        for c in g._children.values()
    )
    assert layer.options["pane"] == "smBasePane"


def test_display_provinces_are_read_once_when_two_threads_ask_at_once(monkeypatch):
    """The server's warm-up and its first page run ask for the provinces together: one
    reads the file, the other waits for it."""
    import threading

    import geo.boundaries as boundaries

    reads: list[str] = []
    real_read = boundaries._read

    def counting_read(path, required):
        reads.append(path.name)
        return real_read(path, required)

    monkeypatch.setattr(boundaries, "_read", counting_read)
    boundaries._cached.cache_clear()
    mapping._default_admin1.cache_clear()
    try:
        start = threading.Barrier(2)
        got: list = []

        def ask() -> None:
            start.wait()
            got.append(mapping._default_admin1())

        threads = [threading.Thread(target=ask) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(got) == 2 and all(len(frame) == 4596 for frame in got)
        assert reads == [boundaries.ADMIN1_DISPLAY_FILE]
    finally:
        boundaries._cached.cache_clear()
        mapping._default_admin1.cache_clear()
