"""app.py under streamlit.testing.v1.AppTest: map component arguments, side panel, offline links.

st_folium shows up as an UnknownElement whose ``proto.json_args`` carries the generated Leaflet
script, the feature groups and the js/css links; no JavaScript runs, so clicks are simulated by
wrapping ``streamlit_folium.st_folium`` (app.py looks it up on every run).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

PROJECT_DIR = Path(__file__).resolve().parent.parent
APP = str(PROJECT_DIR / "app.py")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from test_mapping import canvas_payloads, make_places, make_strikes  # noqa: E402


def _component_args(at: AppTest) -> dict:
    found = [
        el
        for el in at.get("component_instance")
        if "streamlit_folium" in getattr(el.proto, "component_name", "")
    ]
    assert len(found) == 1, "the map component is missing"
    return json.loads(found[0].proto.json_args)


@pytest.fixture
def fake_view(monkeypatch, tmp_path):
    """Serve app.py the hostile hand-built frames instead of the pipeline's."""
    import ui.data
    from geo.filtering import Filters
    from geo.pipeline import Extraction
    from geo.store import Store

    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(tmp_path))
    store = Store(tmp_path)
    places, strikes = make_places(), make_strikes()
    view = ui.data.View(
        store=store,
        extraction=Extraction(errors=["bad.bin: binary file"]),
        all_places=places,
        all_strikes=strikes,
        filters=Filters(),
        places=places,
        strikes=strikes,
    )
    monkeypatch.setattr(ui.data, "load_view", lambda *a, **k: view)
    return view


def _click(monkeypatch, properties: dict, count: int = 1) -> None:
    import streamlit_folium

    real = streamlit_folium.st_folium

    def clicked(*args, **kwargs):
        real(*args, **kwargs)
        return {
            "last_active_drawing": {"type": "Feature", "properties": properties},
            "last_object_clicked": {"lat": 27.0, "lng": 64.0},
            "last_object_clicked_count": count,
        }

    monkeypatch.setattr(streamlit_folium, "st_folium", clicked)


def test_map_component_has_layers_local_links_and_no_raw_markup(fake_view):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    args = _component_args(at)
    links = args["js_links"] + args["css_links"]
    assert links and all(link.startswith("/") and "//" not in link for link in links)
    assert any(link.endswith("leaflet.js") for link in args["js_links"])
    groups = args["feature_group"]
    for name in ("Strikes", "Struck places", "Other places"):
        assert f'"{name}"' in groups or name in args["layer_control"]
    layers = canvas_payloads(groups)
    arcs = [p for p in layers if p["kind"] == "arcs"]
    assert len(arcs) == 1 and sorted(arcs[0]["ids"]) == ["s1", "s2", "s3"]
    assert len(arcs[0]["heads"]) == 6 * 3  # an arrowhead per strike
    assert "gn:1" in {i for p in layers if p["kind"] == "points" for i in p["ids"]}
    everything = json.dumps(args)  # what travels to the browser
    for needle in ("alert(1)", "alert(3)", "onerror=", "${alert", "\\u003cscript", "<script>a"):
        assert needle not in everything
    assert args["returned_objects"] == [
        "last_active_drawing",
        "last_object_clicked",
        "last_object_clicked_count",
    ]
    # the value streamlit-folium's frontend starts with (click counter 0): the first draw
    # sends nothing, so a page load is one script run, not two
    assert args["default"] == {
        "last_object_clicked": None,
        "last_object_clicked_count": 0,
        "last_active_drawing": None,
    }
    values = {m.label: m.value for m in at.metric}
    assert values == {"Strikes": "3", "Cross-border": "3", "Places": "5", "Articles": "0"}
    assert "1 input(s) could not be read" in [e.label for e in at.expander][0]


def test_rerun_keeps_the_same_map_component(fake_view):
    at = AppTest.from_file(APP, default_timeout=60).run()
    first = _component_args(at)
    at.run()
    second = _component_args(at)
    # same script and same data layers: streamlit-folium keeps the map (and the user's view)
    assert first["script"] == second["script"]
    assert first["feature_group"] == second["feature_group"]


def test_click_on_a_place_shows_all_its_excerpts_escaped(fake_view, monkeypatch):
    _click(monkeypatch, {"feature_type": "place", "place_id": "gn:1"})
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = "\n".join(md.value for md in at.markdown)
    assert "Panjgur&#60;script&#62;alert&#40;3&#41;&#60;/script&#62;" in shown
    assert "<mark>Panjgur</mark>" in shown
    for i in range(4):  # every mention, not only the popup's two
        assert f"Article {i}" in shown
    assert "<script" not in shown and "<img" not in shown and "${" not in shown
    assert "Strikes on this place:** 1" in shown
    assert at.session_state["map_selection"] == ("place", "gn:1")


def test_click_on_a_strike_shows_details_and_sources(fake_view, monkeypatch):
    _click(monkeypatch, {"feature_type": "strike", "strike_id": "s2"})
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = "\n".join(md.value for md in at.markdown)
    assert "Iran → Erbil" in shown
    assert "<b>Killed</b>: 4" in shown
    assert "3 source(s)" in [c.value for c in at.caption]
    assert "<img" not in shown
    # the map outlines the clicked strike, and only it
    layers = canvas_payloads(_component_args(at)["feature_group"])
    assert [p["_options"].get("selected") for p in layers] == ["s2", None, None]


def test_click_taken_from_session_state_before_the_map_is_drawn(fake_view):
    """In the browser the click arrives in session state (st_folium's on_change) before the
    rerun: the same run's map already rings the place."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["map"] = {
        "last_active_drawing": {"type": "Feature", "properties": {"place_id": "gn:4"}},
        "last_object_clicked_count": 3,
    }
    at.run()
    assert not at.exception
    assert at.session_state["map_selection"] == ("place", "gn:4")
    layers = canvas_payloads(_component_args(at)["feature_group"])
    assert [p["_options"].get("selected") for p in layers] == [None, "gn:4", None]
    assert any(md.value.startswith("### Quetta") for md in at.markdown)


def test_clear_selection_sticks_until_the_next_click(fake_view, monkeypatch):
    _click(monkeypatch, {"place_id": "gn:2"}, count=1)
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.button(key="clear_selection").click().run()
    assert "map_selection" not in at.session_state
    assert not any("Erbil" in md.value for md in at.markdown if md.value.startswith("###"))
    _click(monkeypatch, {"place_id": "gn:2"}, count=2)
    at.run()
    assert at.session_state["map_selection"] == ("place", "gn:2")


def test_app_runs_on_the_default_data(tmp_path, monkeypatch):
    """The real pipeline over the bundled corpus, in an empty data dir."""
    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=300).run()
    assert not at.exception, at.exception
    args = _component_args(at)
    values = {m.label: int(m.value) for m in at.metric}
    assert values["Articles"] >= 2
    assert values["Strikes"] >= 1
    assert values["Places"] >= values["Strikes"] // 4
    arcs = [p for p in canvas_payloads(args["feature_group"]) if p["kind"] == "arcs"]
    assert len(arcs[0]["ids"]) == values["Strikes"]
    assert all(not link.startswith("http") for link in args["js_links"] + args["css_links"])
    assert (tmp_path / "strikemap.sqlite3").exists()


def test_streamlit_run_serves_app_py_as_an_app_with_a_warm_up():
    """``streamlit run app.py`` finds the ``st.App`` in app.py (its lifespan warms up)."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(Path(APP))
    assert found.is_asgi_app and found.app_name == "app"


@pytest.fixture
def restarted(monkeypatch):
    """A process that has not run the app yet: no store, extraction or frames in memory."""
    import threading
    from collections import OrderedDict

    import streamlit as st

    import ui.data

    monkeypatch.setattr(ui.data, "_STORES", {})
    monkeypatch.setattr(
        ui.data, "_EXTRACTIONS", {"lock": threading.Lock(), "entries": OrderedDict()}
    )
    monkeypatch.setattr(ui.data, "_PREFETCHED", {})
    st.cache_data.clear()
    yield
    import gc

    gc.unfreeze()  # warm_up froze the test process's heap


def _no_pipeline(*args, **kwargs):
    raise AssertionError("the pipeline ran")


def test_warm_up_prefetches_what_the_first_page_run_reads(tmp_path, monkeypatch, restarted):
    """After the start-up warm-up, a restarted server's first page run reads nothing from
    disk and runs no pipeline, and shows what the cold run showed."""
    import geo.pipeline
    import ui.data
    from ui.startup import warm_up

    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(tmp_path))
    cold = AppTest.from_file(APP, default_timeout=300).run()  # saves its results on disk
    assert not cold.exception, cold.exception
    expected = {m.label: m.value for m in cold.metric}

    monkeypatch.setattr(ui.data, "_STORES", {})  # restart
    ui.data._EXTRACTIONS["entries"].clear()
    import streamlit as st

    st.cache_data.clear()
    ui.data.prefetch_soon()  # what the lifespan does before it starts the thread
    assert set(warm_up()) == {"data", "map code", "boundaries", "assets", "source lookup"}
    assert ui.data._PREFETCH_IDLE.is_set()

    # the disk caches are now out of reach, and the pipeline must not run
    monkeypatch.setattr(ui.data, "_disk_path", lambda key: tmp_path / "gone" / f"{key}.pkl")
    monkeypatch.setattr(geo.pipeline, "run_articles", _no_pipeline)
    warm = AppTest.from_file(APP, default_timeout=60).run()
    assert not warm.exception, warm.exception
    assert {m.label: m.value for m in warm.metric} == expected
    assert len(_component_args(warm)["feature_group"]) > 0


def test_warm_up_without_saved_results_leaves_the_pipeline_to_the_page(
    tmp_path, monkeypatch, restarted
):
    """No saved extraction (new code or corpus): the warm-up does not run the pipeline (the
    page does, with its progress bar) and does not make the page wait."""
    import geo.pipeline
    import ui.data

    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(ui.data, "_disk_path", lambda key: tmp_path / "none" / f"{key}.pkl")
    monkeypatch.setattr(geo.pipeline, "run_articles", _no_pipeline)
    ui.data.prefetch_soon()
    assert ui.data.prefetch() is False
    assert ui.data._PREFETCH_IDLE.is_set() and not ui.data._EXTRACTIONS["entries"]


def test_failed_warm_up_does_not_block_the_page(tmp_path, monkeypatch, restarted):
    """A data dir that cannot be opened: the warm-up logs it and goes on; the page run
    reports the error to the user instead of waiting for the warm-up."""
    from ui.startup import warm_up

    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("STRIKEMAP_DATA_DIR", str(blocker / "data"))
    import ui.data

    ui.data.prefetch_soon()
    warm_up()
    assert ui.data._PREFETCH_IDLE.is_set()
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.exception and "STRIKEMAP_DATA_DIR" in at.exception[0].message


def test_template_code_cache_reuses_compiled_templates(tmp_path):
    """A second process importing folium compiles none of its templates again; the cached
    code renders exactly what freshly compiled code renders, and only while active."""
    import jinja2

    from ui.startup import template_code_cache

    path = tmp_path / "code.marshal"
    source = "{% for x in items %}<b>{{ x }}</b>{% endfor %}{{ tail|upper }}"
    fresh = jinja2.Template(source).render(items=[1, "<i>"], tail="end")
    with template_code_cache(path) as first:
        assert jinja2.Template(source).render(items=[1, "<i>"], tail="end") == fresh
    assert first == {"hits": 0, "compiled": 1} and path.stat().st_size > 0
    with template_code_cache(path) as second:
        assert jinja2.Template(source).render(items=[1, "<i>"], tail="end") == fresh
        # other settings (autoescape) are other code
        escaped = jinja2.Template(source, autoescape=True).render(items=["<i>"], tail="x")
    assert second == {"hits": 1, "compiled": 1}
    assert escaped == "<b>&lt;i&gt;</b>X"
    assert jinja2.Environment.compile.__qualname__ == "Environment.compile"  # restored

    path.write_bytes(b"not marshal data")  # a broken cache is ignored and rewritten
    with template_code_cache(path) as third:
        assert jinja2.Template(source).render(items=[2], tail="") == "<b>2</b>"
    assert third == {"hits": 0, "compiled": 1}
    with template_code_cache(path) as fourth:
        jinja2.Template(source)
    assert fourth == {"hits": 1, "compiled": 0}


def test_warm_up_gives_way_to_http_requests_until_a_session_connects(monkeypatch):
    """The warm-up's imports wait while the server answers the browser's page and scripts
    (within a budget), and no longer once a session connects (its script needs them)."""
    import asyncio
    import threading

    from ui.startup import RequestsInFlight, yield_to_requests

    monkeypatch.setattr(RequestsInFlight, "_count", 0)
    monkeypatch.setattr(RequestsInFlight, "_sessions", 0)
    seen = []

    async def inner(scope, receive, send):
        seen.append(RequestsInFlight.in_flight())

    middleware = RequestsInFlight(inner)
    asyncio.run(middleware({"type": "http"}, None, None))
    assert seen == [1] and RequestsInFlight.in_flight() == 0

    monkeypatch.setattr(RequestsInFlight, "_count", 1)  # a request being answered
    with yield_to_requests(budget_s=0.02) as finder:
        assert sys.meta_path[0] is finder
        other = threading.Thread(target=finder.find_spec, args=("x",))
        other.start()
        other.join()
        assert finder.waited_s == 0  # other threads (a script run) never wait
        assert finder.find_spec("x") is None  # finds nothing: the import goes on
        assert 0.02 <= finder.waited_s < 0.03  # waited, within its budget
    assert finder not in sys.meta_path

    asyncio.run(middleware({"type": "websocket"}, None, None))
    assert seen == [1, 0] and RequestsInFlight.in_flight() == 0
    with yield_to_requests(budget_s=1.0) as finder:
        finder.find_spec("x")
    assert finder.waited_s == 0


def test_streamlit_page_preloads_the_map_page_element_code():
    """The HTML page lists the chunks of the map page's widgets, metrics and map component
    (and what they import), which Streamlit would otherwise load after the script ran;
    other responses pass unchanged."""
    import asyncio

    import streamlit

    from ui.startup import PreloadPageChunks, page_chunks

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    index = (js.parent.parent / "index.html").read_text(encoding="utf-8")
    chunks = page_chunks()
    kinds = {name.split(".", 1)[0] for name in chunks}
    assert {"DateInput", "Multiselect", "Slider", "Metric", "ComponentInstance"} <= kinds
    assert all((js / name).is_file() and name not in index for name in chunks)

    async def serve(body: bytes, content_type: bytes) -> tuple[dict, bytes]:
        sent: list[dict] = []

        async def app(scope, receive, send):
            headers = [(b"content-type", content_type), (b"content-length", b"%d" % len(body))]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body[:100], "more_body": True})
            await send({"type": "http.response.body", "body": body[100:]})

        async def send(message):
            sent.append(message)

        await PreloadPageChunks(app)({"type": "http", "method": "GET"}, None, send)
        return sent[0], b"".join(m.get("body", b"") for m in sent[1:])

    start, page = asyncio.run(serve(index.encode(), b"text/html; charset=utf-8"))
    text = page.decode()
    assert dict(start["headers"])[b"content-length"] == str(len(page)).encode()
    for name in chunks:
        assert (
            f'rel="modulepreload" fetchpriority="low" crossorigin href="./static/js/{name}"' in text
        )
    links = "".join(
        f'<link rel="modulepreload" fetchpriority="low" crossorigin href="./static/js/{name}">\n'
        for name in chunks
    )
    assert text == index.replace("</head>", links + "</head>", 1)  # nothing else changed

    other = b"x" * 300
    start, body = asyncio.run(serve(other, b"application/javascript"))
    assert body == other and dict(start["headers"])[b"content-length"] == b"300"


def test_streamlit_assets_are_answered_from_memory_with_their_caching():
    """Streamlit's page and hashed assets come back byte for byte (the page with its
    preloads), cacheable as Streamlit has them, without reaching Streamlit; anything else
    (other paths, unknown files, conditional or range requests, websockets) goes on."""
    import asyncio

    import streamlit

    from ui.startup import StaticAssetsFromMemory

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    name = sorted(js.glob("index.*.js"))[0].name
    passed: list[str] = []

    async def streamlit_app(scope, receive, send):
        passed.append(scope.get("path", scope["type"]))

    middleware = StaticAssetsFromMemory(streamlit_app)

    def get(path: str, headers=(), kind="http") -> tuple[dict, bytes]:
        sent: list[dict] = []

        async def send(message):
            sent.append(message)

        scope = {"type": kind, "method": "GET", "path": path, "headers": list(headers)}
        asyncio.run(middleware(scope, None, send))
        if not sent:
            return {}, b""
        return dict(sent[0]["headers"]), b"".join(m.get("body", b"") for m in sent[1:])

    headers, body = get(f"/static/js/{name}")
    assert body == (js / name).read_bytes()
    assert headers[b"content-length"] == str(len(body)).encode()
    assert headers[b"cache-control"] == b"public, immutable, max-age=31536000"
    assert b"javascript" in headers[b"content-type"]
    css = sorted((js.parent / "css").glob("*.css"))[0].name
    assert get(f"/static/css/{css}")[0][b"content-type"] == b"text/css; charset=utf-8"
    assert passed == []

    # the page, with the preload links
    headers, page = get("/")
    index = (js.parent.parent / "index.html").read_bytes()
    assert page.startswith(index[:200]) and b'rel="modulepreload" fetchpriority="low"' in page
    assert headers[b"cache-control"] == b"no-cache"
    assert headers[b"content-type"] == b"text/html; charset=utf-8"

    others = ("/static/js/missing.js", "/static/js/..%2Findex.html", "/static/js/..", "/x")
    for path in (*others, "/app/static/x.js"):
        assert get(path) == ({}, b"")
    assert get(f"/static/js/{name}", headers=[(b"if-none-match", b'"x"')]) == ({}, b"")
    assert get(f"/static/js/{name}", headers=[(b"range", b"bytes=0-9")]) == ({}, b"")
    assert get(f"/static/js/{name}", kind="websocket") == ({}, b"")
    assert passed == [
        "/static/js/missing.js",
        "/static/js/..%2Findex.html",
        "/static/js/..",
        "/x",
        "/app/static/x.js",
        f"/static/js/{name}",
        f"/static/js/{name}",
        f"/static/js/{name}",
    ]


def test_keyboard_route_to_every_map_feature(fake_view):
    """The canvas features cannot take focus: the panel lists every strike and place on the
    map, and picking one selects it as a click would (details shown, map outlines it)."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    jump = at.selectbox(key="map_jump")
    assert jump.value is None
    labels = list(jump.options)  # plain text in the browser, not Markdown or HTML
    assert labels[:3] == [
        "Strike: Iran → Panjgur<script>alert(3)</script> (2024-01-16)",
        "Strike: Iran → Erbil (2024-01-16)",
        "Strike: Pakistan <b>army</b> → Saravan (2024-01-16)",
    ]
    assert labels.index("Struck place: Erbil, IRQ") < labels.index("Place: Quetta, PAK")
    assert len(labels) == len(fake_view.strikes) + len(fake_view.places)

    jump.select_index(labels.index("Struck place: Erbil, IRQ")).run()
    assert not at.exception
    assert at.session_state["map_selection"] == ("place", "gn:2")
    assert any(md.value.startswith("### Erbil") for md in at.markdown)
    layers = canvas_payloads(_component_args(at)["feature_group"])
    assert [p["_options"].get("selected") for p in layers] == [None, None, "gn:2"]
    assert at.selectbox(key="map_jump").value is None  # ready for the next pick

    at.selectbox(key="map_jump").select_index(2).run()
    assert at.session_state["map_selection"] == ("strike", "s3")
    assert any("→ Saravan" in md.value for md in at.markdown if md.value.startswith("###"))


def test_keyboard_list_gives_way_to_a_hint_on_large_maps(fake_view, monkeypatch):
    import ui.map_page

    monkeypatch.setattr(ui.map_page, "MAX_JUMP_CHOICES", 3)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.key == "map_jump"]
    assert any("narrow the filters to at most 3" in c.value for c in at.caption)


def test_connections_of_a_proto_zero_socket_send_small_writes_at_once():
    """The socket ``streamlit run`` binds for an st.App has proto 0; after tcp_nodelay()
    asyncio turns Nagle off for its connections as it does for IPPROTO_TCP sockets."""
    import asyncio
    import socket

    from ui.startup import tcp_nodelay

    tcp_nodelay()
    tcp_nodelay()  # idempotent
    nodelay: list[int] = []

    async def main() -> None:
        listener = socket.socket(socket.AF_INET)  # as streamlit binds it: proto 0
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert listener.proto == 0

        async def handle(reader, writer):
            sock = writer.get_extra_info("socket")
            nodelay.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname())
        for _ in range(100):
            if nodelay:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()

    asyncio.run(main())
    assert nodelay and nodelay[0] != 0


def test_quick_component_scan_keeps_the_packages_streamlit_would_scan():
    """The metadata pre-check drops only packages Streamlit's own filter drops, and still
    finds streamlit and streamlit-folium."""
    import importlib.metadata

    from streamlit.components.v2 import manifest_scanner

    from ui.startup import quick_component_scan

    original = manifest_scanner._is_likely_streamlit_component_package
    try:
        quick_component_scan()
        quick = manifest_scanner._is_likely_streamlit_component_package
        assert quick is not original
        dists = list(importlib.metadata.distributions())
        kept = {d.metadata["Name"] for d in dists if quick(d)}
        assert kept == {d.metadata["Name"] for d in dists if original(d)}
        assert {"streamlit", "streamlit-folium"} <= kept
    finally:
        manifest_scanner._is_likely_streamlit_component_package = original


def test_deferred_import_loads_the_module_when_first_used():
    """A deferred module is not imported by ``import``, and works once used, also through
    references taken before and for submodules."""
    import subprocess
    import sys

    code = (
        "import sys; from ui.startup import defer_unused_imports\n"
        "defer_unused_imports(('json', 'email'))\n"
        "defer_unused_imports(('csv', 'no_such_module_x'))\n"
        "assert 'no_such_module_x' not in sys.modules\n"
        "import csv, email as early, inspect\n"
        "inspect.getmodule(None, '<walk sys.modules>')\n"
        "assert type(sys.modules['email']).__name__ == '_Deferred'\n"
        "assert csv.reader is not None and type(sys.modules['csv']).__name__ == 'module'\n"
        "import email.message\n"
        "assert early.message_from_string('Subject: x\\n\\nbody')['Subject'] == 'x'\n"
        "assert email.message.Message is sys.modules['email.message'].Message\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(APP).parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr


def test_page_icon_is_the_map_emoji_without_the_emoji_catalogue():
    """The favicon is the image Streamlit draws for "🗺️", given in ASCII so that
    set_page_config does not load its emoji catalogue to check it."""
    from urllib.parse import unquote

    from streamlit.string_util import is_emoji

    from ui.map_page import PAGE_ICON

    assert PAGE_ICON.isascii() and not is_emoji(PAGE_ICON)
    assert PAGE_ICON.startswith("data:image/svg+xml,<svg")
    assert ">🗺️</text></svg>" in unquote(PAGE_ICON)


def test_first_draw_has_no_html_markdown_and_a_selection_gets_the_panel_style(
    fake_view, monkeypatch
):
    """Markdown with HTML makes the browser load an HTML parser: the first draw of the map
    page (nothing selected) has none; the excerpts of a selection come with their style."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert [md.value for md in at.markdown if md.proto.allow_html] == []

    _click(monkeypatch, {"feature_type": "place", "place_id": "gn:1"})
    at = AppTest.from_file(APP, default_timeout=60).run()
    html = [md.value for md in at.markdown if md.proto.allow_html]
    assert html[0].startswith("<style>.sm-panel-excerpt")
    assert any("sm-panel-excerpt" in value and "<mark>" in value for value in html[1:])


def test_module_walk_fills_inspects_caches_as_inspect_does(tmp_path):
    """After walk_modules_for_inspect, inspect's file -> module caches hold what its own walk
    puts there (also for a module reached through a symlinked directory and a linked file),
    and a second walk of either kind adds nothing."""
    import subprocess

    real = tmp_path / "real"
    real.mkdir()
    (real / "sm_walk_a.py").write_text("X = 1\n")
    (tmp_path / "linked").symlink_to(real, target_is_directory=True)
    (real / "sm_walk_b_target.py").write_text("Y = 2\n")
    (tmp_path / "linked" / "sm_walk_b.py").symlink_to(real / "sm_walk_b_target.py")
    code = (
        "import inspect, sys, json, pandas, folium\n"
        f"sys.path.insert(0, {str(tmp_path / 'linked')!r})\n"
        "import sm_walk_a, sm_walk_b\n"
        "from ui.startup import walk_modules_for_inspect\n"
        "walk_modules_for_inspect()\n"
        "ours = (dict(inspect._filesbymodname), dict(inspect.modulesbyfile))\n"
        "walk_modules_for_inspect(); inspect.getmodule(None, '<walk>')\n"
        "assert (inspect._filesbymodname, inspect.modulesbyfile) == ours\n"
        "inspect._filesbymodname.clear(); inspect.modulesbyfile.clear()\n"
        "inspect.getmodule(None, '<walk>')\n"
        "assert (inspect._filesbymodname, inspect.modulesbyfile) == ours\n"
        f"assert ours[1][{str(real / 'sm_walk_a.py')!r}] == 'sm_walk_a'\n"
        f"assert ours[1][{str(real / 'sm_walk_b_target.py')!r}] == 'sm_walk_b'\n"
        "print(len(ours[1]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=Path(APP).parent, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 500
