"""The real app in headless Chromium: map drawn offline, click → excerpt, export, hostile upload.

Starts ``streamlit run app.py`` on 127.0.0.1 with an empty temporary data dir (the store is
rebuilt from the bundled corpus), waits for ``/_stcore/health`` and drives Debian's chromium
through Python Playwright (no ``playwright install``; ``.ci/run`` installs the package).
Every request the browser makes must stay on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

PROJECT_DIR = Path(__file__).resolve().parent.parent
ARTIFACTS = PROJECT_DIR / "artifacts"
CHROMIUM = os.environ.get("STRIKEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-sync",
    "--no-first-run",
    "--metrics-recording-only",
]
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
START_TIMEOUT_S = 180  # first start builds the gazetteer index and runs the pipeline

HOSTILE = (
    "date 2024-01-20\n"
    "Test <script>alert(1)</script> upload\n\n"
    "Volgens <img src=x onerror=alert(2)> bronnen viel Iran op dinsdag Panjgur in Pakistan "
    "aan met raketten. `${alert(3)}`\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _chromium() -> str:
    path = shutil.which(CHROMIUM) or (CHROMIUM if Path(CHROMIUM).is_file() else None)
    if path is None:
        pytest.fail(
            f"Chromium not found at {CHROMIUM}; install Debian's package "
            "(apt-get install chromium chromium-driver, as .ci/run does) or set "
            "STRIKEMAP_CHROMIUM to a Chromium binary"
        )
    return path


@pytest.fixture(scope="module")
def app_url(tmp_path_factory) -> Iterator[str]:
    from geo.assets import install_assets

    install_assets()  # what `make assets` does; idempotent
    data_dir = tmp_path_factory.mktemp("e2e-data")
    port = _free_port()
    log = (tmp_path_factory.mktemp("e2e-log") / "streamlit.log").open("w")
    env = {**os.environ, "STRIKEMAP_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"streamlit did not start: {Path(log.name).read_text()[-2000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    context = browser.new_context(viewport={"width": 1400, "height": 1100}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(START_TIMEOUT_S * 1000)
    page.outside = []  # requests that would leave the machine
    page.dialogs = []
    page.on(
        "request",
        lambda r: (
            page.outside.append(r.url)
            if not r.url.startswith((app_url, "data:", "blob:", "about:"))
            else None
        ),
    )
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


def _map_frame(page):
    """Wait for the map iframe, Leaflet and the drawn data layers; return the frame."""
    from playwright.sync_api import Error as PlaywrightError

    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        # The first run shows a progress bar, then the map; a rerun may remount the iframe, and
        # while it does the old and the new iframe can both be in the page: use the newest.
        try:
            iframe = page.locator(MAP_IFRAME).last
            iframe.wait_for()
            iframe.content_frame.locator(".leaflet-container").wait_for()
            frame = [f for f in page.frames if "streamlit_folium" in f.url][-1]
            frame.wait_for_function(
                "() => window.map && (window.map._smLayers || [])"
                ".some(l => l._data.feature_type === 'place' && l.drawnCount > 0)",
                timeout=15_000,
            )
            page.wait_for_function(
                "() => document.querySelector('[data-testid=stApp]')"
                ".getAttribute('data-test-script-state') === 'notRunning'"
            )
            if not frame.is_detached():
                return frame
        except (PlaywrightError, IndexError):
            if time.monotonic() > deadline:
                raise


# Strikes and places are drawn by canvas layers (geo.mapping.CanvasLayer); their features(true)
# are the GeoJSON features with the pre-escaped label and popup HTML.
_FEATURES_JS = """() => {
    const out = [];
    for (const l of window.map._smLayers || []) out.push(...l.features(true));
    return out;
}"""

_COUNT_JS = """() => {
    const n = {};
    for (const l of window.map._smLayers || []) {
        const d = l._data;
        n[d.feature_type] = (n[d.feature_type] || 0) + l.drawnCount;
        if (d.heads) n.arrowhead = (n.arrowhead || 0) + d.heads.length / 6;
    }
    return n;
}"""


def _open_popup_js(condition: str) -> str:
    """JS: click (through the layer's own handler) the first feature whose properties `p`
    satisfy `condition`; return the popup's text, or null."""
    return f"""() => {{
        for (const l of window.map._smLayers || []) {{
            for (let i = 0; i < l._n; i++) {{
                const f = l.feature(i, true), p = f.properties;
                if ({condition}) {{
                    const c = f.geometry.coordinates, k = Math.floor(c.length / 2);
                    const ll = f.geometry.type === 'Point' ? L.latLng(c[1], c[0])
                        : L.latLng(c[k][1], c[k][0]);
                    l._clicked(i, {{latlng: ll}});
                    return document.querySelector('.leaflet-popup-content').innerText;
                }}
            }}
        }}
        return null;
    }}"""


def test_map_draws_arcs_and_places_offline(page, app_url):
    page.goto(app_url)
    frame = _map_frame(page)
    counts = frame.evaluate(_COUNT_JS)
    assert counts.get("strike", 0) >= 1
    assert counts.get("arrowhead") == counts.get("strike")
    assert counts.get("place", 0) >= counts["strike"] // 4
    # Leaflet came from our static folder, drawn on one canvas
    assert frame.evaluate("() => typeof L") == "object"
    scripts = frame.evaluate("() => [...document.scripts].map(s => s.src).filter(Boolean)")
    assert any(s.endswith("/app/static/vendor/leaflet/leaflet.js") for s in scripts)
    assert frame.locator("canvas").count() >= 1
    assert frame.locator("#sm-legend").is_visible()
    frame.locator(".leaflet-control-layers").hover()  # collapsed until hovered
    labels = frame.locator(".leaflet-control-layers-overlays label").all_inner_texts()
    assert {"Strikes", "Struck places", "Other places"} <= {t.strip() for t in labels}
    # switching the strikes off and on keeps them under the places (drawing and clicks)
    kinds = "() => window.map._smLayers.map(l => l._data.kind)"
    strikes_box = frame.locator(".leaflet-control-layers-overlays label", has_text="Strikes")
    strikes_box.click()
    assert frame.evaluate(kinds) == ["points", "points"]
    strikes_box.click()
    assert frame.evaluate(kinds) == ["arcs", "points", "points"]
    frame.wait_for_function("() => window.map._smLayers[0].drawnCount > 0")
    assert page.outside == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-map.png"))


def test_click_on_a_struck_place_in_pakistan_shows_its_excerpts(page, app_url):
    page.goto(app_url)
    frame = _map_frame(page)
    target = next(
        (
            {"id": p["place_id"], "lat": f["geometry"]["coordinates"][1],
             "lng": f["geometry"]["coordinates"][0]}
            for f in frame.evaluate(_FEATURES_JS)
            for p in [f["properties"]]
            if p["feature_type"] == "place" and p["is_target"]
            and re.search(r"\bPAK\b", p["_popup_html"] or "")
        ),
        None,
    )  # fmt: skip
    assert target is not None, "no struck place in Pakistan on the map"
    frame.evaluate(f"() => {{ window.map.setView([{target['lat']}, {target['lng']}], 7); }}")
    iframe = page.locator(MAP_IFRAME)
    iframe.scroll_into_view_if_needed()
    time.sleep(0.5)  # setView animation
    point = frame.evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{target['lat']}, {target['lng']}]);"
        " return [p.x, p.y]; }"
    )
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "struck place" in text and "PAK" in text
    assert frame.locator(".leaflet-popup-content mark").count() >= 1
    # the side panel (main page) lists every excerpt of the place
    excerpt = frame.locator(".leaflet-popup-content .sm-excerpt").first.inner_text()
    quoted = excerpt.split("”")[0].strip("“ ")[:40]
    page.get_by_text("mention(s) in").wait_for()
    # the excerpts are drawn after the caption, each as its own element: wait for ours
    page.locator(".sm-panel-excerpt", has_text=quoted).first.wait_for()
    assert page.outside == [] and page.dialogs == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-click.png"))


_ARC_POINT_JS = """() => {
    // a point on an arc where the arc is the topmost feature and no control covers the map
    const m = window.map, arcs = (m._smLayers || []).find(l => l._data.kind === 'arcs');
    if (!arcs) return null;
    const size = m.getSize();
    for (let i = 0; i < arcs._n; i++) {
        const c = arcs.feature(i, false).geometry.coordinates;
        for (let k = 2; k < c.length - 2; k++) {
            const cp = m.latLngToContainerPoint([c[k][1], c[k][0]]);
            if (cp.x < 20 || cp.y < 20 || cp.x > size.x - 20 || cp.y > size.y - 20) continue;
            const el = document.elementFromPoint(cp.x, cp.y);
            if (!el || el.closest('.leaflet-control, .sm-legend')) continue;
            const lp = m.containerPointToLayerPoint(cp);
            let top = null;
            for (let j = m._smLayers.length - 1; j >= 0 && top === null; j--) {
                const h = m._smLayers[j]._hit(lp);
                if (h >= 0) top = [m._smLayers[j], h];
            }
            if (top && top[0] === arcs) return {id: arcs._data.ids[top[1]], x: cp.x, y: cp.y};
        }
    }
    return null;
}"""


def test_click_on_an_arc_shows_the_strike_and_outlines_it(page, app_url):
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page.goto(app_url)
    frame = _map_frame(page)
    iframe = page.locator(MAP_IFRAME).last
    iframe.scroll_into_view_if_needed()
    # _map_frame waits for the places; the arcs layer may draw a frame later and the view may
    # still be settling: poll until an arc point is the topmost feature
    try:
        spot = frame.wait_for_function(_ARC_POINT_JS, timeout=20_000).json_value()
    except PlaywrightTimeoutError:
        spot = None
    assert spot is not None, "no clickable arc on the map"
    box = iframe.bounding_box()
    page.mouse.click(box["x"] + spot["x"], box["y"] + spot["y"])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "→" in popup.inner_text()
    # the side panel shows the strike with its sources, and the rerun's map outlines it
    page.get_by_text("source(s)").wait_for()
    page.get_by_text("Confidence").first.wait_for()  # a fact of the strike panel only
    frame = _map_frame(page)
    frame.wait_for_function(
        "(id) => window.map._smLayers.some(l => l._data.kind === 'arcs'"
        " && l.options.selected === id && l._sel >= 0)",
        arg=spot["id"],
    )
    assert page.outside == [] and page.dialogs == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "e2e-arc.png"))


def test_export_page_downloads_valid_geojson(page, app_url, tmp_path):
    page.goto(f"{app_url}/Export")
    button = page.get_by_role("button", name="Download GeoJSON")
    button.wait_for()
    with page.expect_download() as info:
        button.click()
    path = tmp_path / "export.geojson"
    info.value.save_as(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    kinds = {f["properties"]["feature_type"] for f in data["features"]}
    assert "strike" in kinds and kinds <= {"strike", "place"}
    for feature in data["features"]:
        assert not any(key.startswith("_") for key in feature["properties"])  # no display HTML
    assert page.outside == []


def test_hostile_upload_is_shown_as_text(page, app_url, tmp_path):
    upload = tmp_path / "hostile.txt"
    upload.write_text(HOSTILE, encoding="utf-8")
    page.goto(f"{app_url}/Articles")
    page.get_by_text("Read an article").wait_for()  # the page has run
    # choose the file → "Add uploaded files" → a success message naming it
    dropzone = page.locator('[data-testid="stFileUploaderDropzone"]')
    with page.expect_file_chooser() as chooser:
        dropzone.click()
    chooser.value.set_files(str(upload))
    page.get_by_text("hostile.txt").wait_for()  # attached, and still visible
    page.get_by_role("button", name="Add uploaded files").click()
    try:
        page.get_by_text("Added 1 article(s)").wait_for(timeout=120_000)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "e2e-upload.png"), full_page=True)
    assert page.locator("[data-testid=stAlertContentSuccess]", has_text="hostile.txt").count()
    # the reader opens the new article; the page may still be settling after the rerun
    reader = page.locator(".sm-article", has_text="<script>alert(1)</script>")
    reader.wait_for()
    assert page.locator(".sm-article", has_text="<img src=x onerror=alert(2)>").count() == 1
    assert page.locator("img[src=x]").count() == 0
    meta = page.locator("[data-testid=stCaptionContainer]", has_text="2024-01-20 ·").first
    article_id = meta.inner_text().split("·")[-1].strip()
    assert re.fullmatch(r"[0-9a-f]{8,}", article_id), meta.inner_text()

    # the map under the default filters: every popup of every layer is escaped
    page.goto(app_url)
    frame = _map_frame(page)
    html = "\n".join(_popup_htmls(frame))
    assert "<script" not in html and "<img" not in html
    # popups show only a place's first excerpts; filtered to the uploaded article
    # (the sidebar's article filter, shared by URL) they are its mentions, still as text
    page.goto(f"{app_url}/?article={article_id}")
    frame = _map_frame(page)
    html = "\n".join(_popup_htmls(frame))
    assert "alert&#40;1&#41;" in html and "&#60;img src&#61;x" in html
    assert "<script" not in html and "<img" not in html
    shown = frame.evaluate(
        _open_popup_js("p.feature_type === 'place' && /onerror/.test(p._popup_html || '')")
    )
    assert shown is not None and "<img src=x onerror=alert(2)>" in shown
    assert "<script>alert(1)</script>" in shown
    assert frame.locator("img[src=x]").count() == 0
    time.sleep(1)
    assert page.dialogs == [] and page.outside == []


def _popup_htmls(frame) -> list[str]:
    return [f["properties"]["_popup_html"] or "" for f in frame.evaluate(_FEATURES_JS)]


def test_keyboard_picks_a_struck_place_from_the_list(page, app_url):
    """Without a mouse: type into the panel's list and press Enter; the panel shows the
    place's excerpts and the map outlines it, as a click would."""
    page.goto(app_url)
    _map_frame(page)
    box = page.get_by_role("combobox", name="Go to a strike or place")
    box.focus()
    page.keyboard.type("Struck place")
    page.keyboard.press("Enter")
    page.get_by_text("mention(s) in").wait_for()
    frame = _map_frame(page)
    frame.wait_for_function(
        "() => window.map._smLayers.some(l => l._data.kind !== 'arcs'"
        " && l.options.selected && l._sel >= 0)"
    )
    assert page.outside == [] and page.dialogs == []
