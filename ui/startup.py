"""Server start-up: ``streamlit run app.py`` serves app.py as an ``st.App`` whose lifespan
starts :func:`warm_up` in a background thread.

Between the server answering its health check and the first browser session running the
script, the browser spends about a second loading Streamlit's own JavaScript while the server
is idle. The warm-up uses that second for the work every first page run does anyway: the
heavy imports (pandas, geopandas, folium, the map code), opening the store, reading the
extraction and frames an earlier process saved (:func:`ui.data.prefetch`), the province
boundaries the map shades and the static files the map loads (written once per version).
A session that starts before the warm-up has finished waits for what it needs instead of
doing it twice (Python's import locks, :func:`ui.data.prefetch_soon`). Nothing here runs
under AppTest, which executes app.py as a script.

Importing this module is cheap (the server imports it before answering its health check).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import logging
import marshal
import os
import re
import threading
import time
import types
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "PreloadPageChunks",
    "StaticAssetsFromMemory",
    "RequestsInFlight",
    "lifespan",
    "defer_unused_imports",
    "page_chunks",
    "quick_component_scan",
    "tcp_nodelay",
    "template_code_cache",
    "walk_modules_for_inspect",
    "warm_up",
    "yield_to_requests",
]

_LOGGER = logging.getLogger("strikemap.startup")


_TEMPLATE_CACHE_NAME = "jinja-code.marshal"
_TEMPLATE_CACHE_KEEP = 2_000  # entries; folium, branca and the map code need about 100


def _template_key(env: Any, source: str, name: Any, filename: Any, defer_init: bool) -> str | None:
    """Cache key of the Python code Jinja compiles `source` to, or None when the environment
    has settings whose code cannot be identified across processes (callables)."""
    import importlib.util

    import jinja2

    if env.finalize is not None or callable(env.autoescape):
        return None
    config = (
        env.block_start_string, env.block_end_string, env.variable_start_string,
        env.variable_end_string, env.comment_start_string, env.comment_end_string,
        env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
        env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
        sorted(env.extensions), env.optimized, env.autoescape, env.is_async,
        env.undefined, env.code_generator_class, env.context_class,
    )  # fmt: skip
    text = repr((jinja2.__version__, importlib.util.MAGIC_NUMBER, config, name, filename,
                 defer_init, source))  # fmt: skip
    if " at 0x" in text:  # an object whose repr is its address: not the same next time
        return None
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@contextmanager
def template_code_cache(path: Path) -> Iterator[dict[str, int]]:
    """While active, Jinja templates made from strings reuse the Python code an earlier
    process compiled for the same source and settings, saved in `path`.

    folium, branca and streamlit-folium compile about 80 templates when imported (half of
    their import time); their code only changes with their version, which is part of the
    key. Yields counters ``{"hits": ..., "compiled": ...}``. An unreadable cache is ignored
    and rewritten; a cache that cannot be written costs nothing but the compiling.
    """
    from jinja2 import Environment

    try:
        with path.open("rb") as handle:
            saved = marshal.load(handle)
        if not isinstance(saved, dict):
            saved = {}
    except Exception:  # absent, truncated, or from another Python: compile afresh
        saved = {}
    fresh: dict[str, bytes] = {}
    counts = {"hits": 0, "compiled": 0}
    original = Environment.compile

    def compile(  # noqa: A001 - Environment.compile's signature
        self: Any,
        source: Any,
        name: Any = None,
        filename: Any = None,
        raw: bool = False,
        defer_init: bool = False,
    ) -> Any:
        key = None
        if not raw and isinstance(source, str):
            key = _template_key(self, source, name, filename, defer_init)
        if key is not None and key in saved:
            try:
                code = marshal.loads(saved[key])
            except Exception:
                code = None
            if code is not None:
                counts["hits"] += 1
                return code
        code = original(self, source, name, filename, raw, defer_init)
        if key is not None:
            counts["compiled"] += 1
            fresh[key] = marshal.dumps(code)
        return code

    Environment.compile = compile  # type: ignore[method-assign,assignment]
    try:
        yield counts
    finally:
        Environment.compile = original  # type: ignore[method-assign]
        if fresh:
            entries = {**saved, **fresh}
            for old in list(entries)[: max(0, len(entries) - _TEMPLATE_CACHE_KEEP)]:
                del entries[old]
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
                tmp.write_bytes(marshal.dumps(entries))
                os.replace(tmp, path)
            except OSError:
                pass


def tcp_nodelay() -> None:
    """Send small responses at once: the connections the server accepts get ``TCP_NODELAY``.

    asyncio disables Nagle's algorithm only on sockets whose ``proto`` is ``IPPROTO_TCP``;
    the listening socket ``streamlit run`` binds for an ``st.App`` is made with
    ``socket.socket(family)`` (``proto`` 0), so its connections keep Nagle on. uvicorn
    writes a response's headers and its body separately, and on a kept-alive connection
    the body then waits for the browser's delayed ACK of the headers: 40 ms for every
    response after a connection's first. Streamlit's page loads ~110 scripts over six
    connections, so the front end waited ~0.4 s for them (59 of them over six connections:
    0.41 s before, 0.02-0.04 s after); websocket messages sent in quick succession waited
    the same way. Call before the server accepts connections (app.py does, on import).
    """
    import asyncio.base_events
    import socket

    original = asyncio.base_events._set_nodelay  # type: ignore[attr-defined]
    if getattr(original, "strikemap", False):
        return

    def set_nodelay(sock: socket.socket) -> None:
        if (
            sock.family in (socket.AF_INET, socket.AF_INET6)
            and sock.type == socket.SOCK_STREAM
            and sock.proto in (0, socket.IPPROTO_TCP)
        ):
            try:
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            except OSError:  # not a TCP socket after all: leave it as asyncio would
                pass
        else:
            original(sock)

    set_nodelay.strikemap = True  # type: ignore[attr-defined]
    asyncio.base_events._set_nodelay = set_nodelay  # type: ignore[attr-defined]


def quick_component_scan() -> None:
    """Make Streamlit's start-up scan for installed custom components skip, without parsing
    their metadata, the packages whose metadata never mentions Streamlit.

    The scan runs on the server's main thread before it answers its health check: it parses
    the metadata of every installed package up to three times (``dist.name``, its summary,
    its requirements) to keep those that mention "streamlit" in their name, summary or
    requirements or whose name starts with ``st-``/``st_``; ~0.1 s for our ~80 packages. A
    package whose metadata text contains neither cannot pass, so reading the text once and
    looking for them keeps the same packages. Call before the server starts (app.py does).
    """
    try:
        from streamlit.components.v2 import manifest_scanner
    except ImportError:  # another Streamlit: nothing to speed up
        return
    original = getattr(manifest_scanner, "_is_likely_streamlit_component_package", None)
    if original is None or getattr(original, "strikemap", False):
        return
    name_st = re.compile(r"^name:[ \t]*st[-_]", re.MULTILINE)

    def likely(dist: Any) -> bool:
        try:
            text = dist.read_text("METADATA") or dist.read_text("PKG-INFO")
        except Exception:  # let Streamlit's own check decide (and log)
            text = None
        if text is not None:
            low = text.lower()
            if "streamlit" not in low and not name_st.search(low):
                return False
        return bool(original(dist))

    likely.strikemap = True  # type: ignore[attr-defined]
    manifest_scanner._is_likely_streamlit_component_package = likely


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module until an attribute of it is looked up, which
    imports the real module (replacing this one there) and answers from it."""

    _lock = threading.Lock()

    def __getattr__(self, attr: str) -> Any:
        import importlib
        import sys

        with self._lock:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            real = importlib.import_module(self.__name__)
        return getattr(real, attr)


def defer_unused_imports(names: tuple[str, ...] = ("requests",)) -> None:
    """Import these modules only when something uses them.

    folium imports ``requests`` (~0.1 s of CPU) to download GeoJSON given as a URL, which
    the map never does; the start-up warm-up would pay for it while the first browser
    waits. Each name gets a stand-in module (:class:`_Deferred`) that runs the real import
    the first time one of its attributes is looked up (``importlib.util.LazyLoader`` would
    not do: Python 3.11's import statement reads ``__spec__``, which loads the module).
    The stand-in has no file (``__file__`` None), so walks over ``sys.modules`` such as
    ``inspect.getmodule``'s pass it by. Nothing happens for a module imported already or
    not installed.
    """
    import importlib.machinery
    import importlib.util
    import sys

    for name in names:
        if name in sys.modules or importlib.util.find_spec(name) is None:
            continue
        stub = _Deferred(name)
        stub.__spec__ = importlib.machinery.ModuleSpec(name, None)
        # a file-less module to walkers of sys.modules (inspect.getmodule looks up every
        # module's __file__, which would otherwise import it)
        stub.__file__ = None
        sys.modules[name] = stub


class RequestsInFlight:
    """ASGI middleware that counts the HTTP requests being answered (``in_flight()``).

    While the browser loads Streamlit's page and its ~70 scripts, the warm-up thread would
    hold the GIL through long imports and the event loop answers late (the page itself took
    0.3-0.5 s); :func:`yield_to_requests` lets the warm-up step aside meanwhile.
    """

    _count = 0
    _sessions = 0  # websocket connections so far: a script run is about to need the warm-up

    def __init__(self, app: Any) -> None:
        self.app = app

    @classmethod
    def in_flight(cls) -> int:
        """HTTP requests being answered, or 0 once a session has connected."""
        return 0 if cls._sessions else cls._count

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            if scope.get("type") == "websocket":
                type(self)._sessions += 1
            await self.app(scope, receive, send)
            return
        cls = type(self)
        cls._count += 1  # the event loop's thread only
        try:
            await self.app(scope, receive, send)
        finally:
            cls._count -= 1


# Streamlit's frontend loads the code of each kind of element when the first one arrives: the
# map page's widgets, metrics and the map component come in three waves of ~50 requests
# after the script has sent them. Listed in the page (at low priority, after the page's own
# code and the session's requests), the browser fetches and compiles them while it waits
# for the session instead.
_PAGE_ELEMENTS = (
    "DateInput", "Multiselect", "Checkbox", "Slider", "Button", "Metric", "Selectbox",
    "ComponentInstance", "rehype-raw",
)  # fmt: skip
_STATIC_IMPORT = re.compile(rb"""(?:\bfrom|\bimport)\s*["']\./([\w.\-]+\.js)["']""")


@functools.cache
def page_chunks(elements: tuple[str, ...] = _PAGE_ELEMENTS) -> tuple[str, ...]:
    """File names of the frontend chunks of these element kinds and of every chunk they
    import statically, except those the page already loads; () if none are found."""
    import streamlit

    js = Path(streamlit.__file__).parent / "static" / "static" / "js"
    try:
        index = (js.parent.parent / "index.html").read_bytes()
        names = {p.name for p in js.glob("*.js")}
    except OSError:
        return ()
    loaded = set(re.findall(rb"static/js/([\w.\-]+\.js)", index))
    todo = [n for n in sorted(names) if n.split(".", 1)[0] in elements]
    found: list[str] = []
    while todo:
        name = todo.pop()
        if name in found or name.encode() in loaded or name not in names:
            continue
        found.append(name)
        try:
            code = (js / name).read_bytes()
        except OSError:
            continue
        todo.extend(m.decode() for m in _STATIC_IMPORT.findall(code))
    return tuple(sorted(found))


class PreloadPageChunks:
    """ASGI middleware: Streamlit's HTML page gets ``<link rel="modulepreload">`` tags for
    :func:`page_chunks`, so the browser loads the map page's element code up front."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict[str, Any] = {}
        body: list[bytes] = []

        async def rewrite(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                html = headers.get(b"content-type", b"").startswith(b"text/html")
                if html and b"content-encoding" not in headers and message.get("status") == 200:
                    start.update(message)  # hold it until the body is complete
                    return
            elif message["type"] == "http.response.body" and start:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                page = _with_preloads(b"".join(body))
                headers = [(k, v) for k, v in start.get("headers", []) if k != b"content-length"]
                headers.append((b"content-length", str(len(page)).encode()))
                await send({**start, "headers": headers})
                await send({"type": "http.response.body", "body": page})
                return
            await send(message)

        await self.app(scope, receive, rewrite)


def _with_preloads(page: bytes) -> bytes:
    """`page` with modulepreload links for :func:`page_chunks` before ``</head>``, if it is
    Streamlit's page."""
    if b"static/js/index." not in page or b"</head>" not in page:
        return page
    links = "".join(
        f'<link rel="modulepreload" fetchpriority="low" crossorigin href="./static/js/{name}">\n'
        for name in page_chunks()
    )
    return page.replace(b"</head>", links.encode() + b"</head>", 1)


class StaticAssetsFromMemory:
    """ASGI middleware: answer GETs for Streamlit's page (``/``, with
    :class:`PreloadPageChunks`' links) and its content-hashed assets (``static/js``,
    ``static/css``, ``static/media``) from memory.

    A cold page load asks for ~110 of them while the warm-up imports; through Streamlit's
    stack (session, path-security and gzip middleware, a worker thread per file) each one
    costs the server a few milliseconds of the GIL, and the page itself waited 0.2-0.5 s.
    The answer is the same file with the same caching (the page: ``no-cache``; assets: a
    year); conditional and range requests, and a server under a base URL path, still go to
    Streamlit.
    """

    _NAME = re.compile(r"^/static/(js|css|media)/(\w[\w.\-]*)$")

    def __init__(self, app: Any) -> None:
        self.app = app
        self._files: dict[str, tuple[bytes, bytes, bytes] | None] = {}
        self._prefix: str | None = None

    def _asset(self, path: str) -> tuple[bytes, bytes, bytes] | None:
        """(content type, bytes, cache-control) of the file at URL `path`, or None."""
        if self._prefix is None:
            import streamlit as st

            base = str(st.get_option("server.baseUrlPath") or "").strip("/")
            self._prefix = f"/{base}" if base else ""
        if path == "/" and not self._prefix:
            key, folder, name = "index.html", "", "index.html"
        else:
            match = self._NAME.match(path[len(self._prefix) :])
            if not path.startswith(self._prefix) or match is None:
                return None
            key, folder, name = f"{match[1]}/{match[2]}", f"static/{match[1]}", match[2]
        if key not in self._files:
            import mimetypes

            import streamlit

            try:
                data = (Path(streamlit.__file__).parent / "static" / folder / name).read_bytes()
            except OSError:
                data = None
            kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
            if kind.startswith("text/"):
                kind += "; charset=utf-8"
            cache = b"public, immutable, max-age=31536000"
            if key == "index.html" and data is not None:
                data, cache = _with_preloads(data), b"no-cache"
            self._files[key] = None if data is None else (kind.encode(), data, cache)
        return self._files[key]

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        found = None
        if scope.get("type") == "http" and scope.get("method") == "GET":
            headers = {k.lower() for k, _ in scope.get("headers") or []}
            if not headers & {b"range", b"if-none-match", b"if-modified-since"}:
                found = self._asset(scope.get("path", ""))
        if found is None:
            await self.app(scope, receive, send)
            return
        kind, data, cache = found
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", kind),
                    (b"content-length", str(len(data)).encode()),
                    (b"cache-control", cache),
                ],
            }
        )
        await send({"type": "http.response.body", "body": data})


class _YieldToRequests:
    """A ``sys.meta_path`` finder that finds nothing: before each import of its thread it
    waits while HTTP requests are being answered (at most `budget_s` in all), until the
    first session connects (its script run would wait for these imports)."""

    def __init__(self, budget_s: float) -> None:
        self.thread = threading.get_ident()
        self.budget_s = budget_s
        self.waited_s = 0.0

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if threading.get_ident() != self.thread:
            return None
        while RequestsInFlight.in_flight() > 0 and self.waited_s < self.budget_s:
            time.sleep(0.002)  # releases the GIL to the event loop
            self.waited_s += 0.002
        return None


@contextmanager
def yield_to_requests(budget_s: float = 0.5) -> Iterator[_YieldToRequests]:
    """While active, the calling thread's imports wait for the server's HTTP requests to be
    answered first (see :class:`RequestsInFlight`), for at most `budget_s` seconds in all."""
    import sys

    finder = _YieldToRequests(budget_s)
    sys.meta_path.insert(0, finder)  # type: ignore[arg-type]
    try:
        yield finder
    finally:
        sys.meta_path.remove(finder)  # type: ignore[arg-type]


def walk_modules_for_inspect() -> None:
    """Do the walk ``inspect.getmodule`` makes over the modules loaded since its last one,
    filling the same caches with the same entries, with fewer system calls.

    inspect maps each module's absolute file and that file's ``os.path.realpath`` to the
    module's name; realpath checks every component of the path (~10 ``lstat`` calls and a
    Python loop per module, ~1,500 modules). Here each directory is resolved once and a
    file's real path is its resolved directory plus its name unless the file itself is a
    link (then realpath as inspect does). Falls back to inspect's own walk when its caches
    are not where Python 3.11-3.13 keep them.
    """
    import inspect
    import os
    import sys

    by_name = getattr(inspect, "_filesbymodname", None)
    by_file = getattr(inspect, "modulesbyfile", None)
    if not isinstance(by_name, dict) or not isinstance(by_file, dict):
        inspect.getmodule(None, "<strikemap: walk the loaded modules>")
        return
    real_dirs: dict[str, str] = {}
    for modname, module in sys.modules.copy().items():
        if not inspect.ismodule(module) or not hasattr(module, "__file__"):
            continue
        f = module.__file__
        if f == by_name.get(modname, None):
            continue  # mapped by an earlier walk
        by_name[modname] = f
        f = inspect.getabsfile(module)
        head, tail = os.path.split(f)
        if not tail or os.path.islink(f):
            real = os.path.realpath(f)
        else:
            real_head = real_dirs.get(head)
            if real_head is None:
                real_head = real_dirs[head] = os.path.realpath(head)
            real = os.path.join(real_head, tail)
        by_file[f] = by_file[real] = module.__name__


def warm_up() -> dict[str, float]:
    """Do the first page run's process-wide work now; return seconds per step.

    Never raises: a failing step is logged and left to the page run, which reports it to
    the user where it happens.
    """
    timings: dict[str, float] = {}

    def step(name: str, func: Any) -> None:
        start = time.perf_counter()
        try:
            func()
        except Exception:  # the page run will meet (and show) the same problem
            _LOGGER.warning("start-up warm-up step %r failed", name, exc_info=True)
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - start, 3)

    def data() -> None:
        from ui.data import prefetch

        prefetch()

    def map_code() -> None:
        # not streamlit_folium: a custom component registers itself only when first
        # imported inside a script run
        from geo.paths import cache_dir

        with template_code_cache(cache_dir() / _TEMPLATE_CACHE_NAME):
            import folium  # noqa: F401
            import folium.plugins  # noqa: F401

            import geo.mapping  # noqa: F401

    def boundaries() -> None:
        from geo.mapping import load_display_boundaries

        load_display_boundaries()

    def assets() -> None:  # local Leaflet and the base map's countries file, if missing
        from ui.map_page import asset_mode

        asset_mode()

    def source_lookup() -> None:
        # The first element a script sends (Streamlit's REPL check walks the stack), the first
        # st.cache_* call and the map component's registration look up source files with
        # inspect.getmodule, which resolves the path of every module loaded since its last
        # walk (~0.3 s with pandas, folium and the map code, in the first page run): walk
        # them now, after each step, so that a page run starting early finds most done.
        walk_modules_for_inspect()

    # Imports allocate hundreds of thousands of long-lived objects: without the cyclic
    # collector running every few thousand of them the warm-up needs ~15% less CPU.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        step("source lookup", source_lookup)  # Streamlit's own modules
        with yield_to_requests() as polite:
            step("data", data)  # first: the sidebar needs it
            step("source lookup", source_lookup)
            step("map code", map_code)
        step("source lookup", source_lookup)
        step("boundaries", boundaries)
        step("assets", assets)
    finally:
        # What is loaded now stays for the life of the process: keep it out of the
        # collections Streamlit runs after every script run (runner.postScriptGC), so a
        # rerun does not walk the whole heap of pandas, folium and the boundaries. Frozen
        # before the collector runs again and without a collection first: one over the
        # ~120,000 objects the imports left took ~70 ms and found some 20 to free.
        gc.freeze()
        if gc_was_enabled:
            gc.enable()
    _LOGGER.debug("start-up warm-up gave way to requests for %.3f s", polite.waited_s)
    _LOGGER.debug("start-up warm-up done: %s", timings)
    return timings


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """``st.App`` lifespan: start :func:`warm_up` in a daemon thread, serve at once."""
    from ui.data import prefetch_soon

    prefetch_soon()  # a session that connects before the thread got going waits for it
    threading.Thread(target=warm_up, name="strikemap-warm-up", daemon=True).start()
    yield
