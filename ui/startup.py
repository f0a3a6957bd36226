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

import gc
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

__all__ = ["lifespan", "warm_up"]

_LOGGER = logging.getLogger("strikemap.startup")


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
        timings[name] = round(time.perf_counter() - start, 3)

    def data() -> None:
        from ui.data import prefetch

        prefetch()

    def map_code() -> None:
        # not streamlit_folium: a custom component registers itself only when first
        # imported inside a script run
        import folium  # noqa: F401
        import folium.plugins  # noqa: F401
        import streamlit.emojis  # noqa: F401  (st.set_page_config's icon check)

        import geo.mapping  # noqa: F401

    def boundaries() -> None:
        from geo.mapping import load_display_boundaries

        load_display_boundaries()

    def assets() -> None:  # local Leaflet and the base map's countries file, if missing
        from ui.map_page import asset_mode

        asset_mode()

    def source_lookup() -> None:
        # The first st.cache_* call and the map component's registration look up source
        # files with inspect.getmodule, which resolves the path of every loaded module
        # once (~0.15 s with pandas, folium and the map code loaded): do it now.
        import inspect

        inspect.getmodule(warm_up, inspect.getsourcefile(warm_up))

    # Imports allocate hundreds of thousands of long-lived objects: without the cyclic
    # collector running every few thousand of them the warm-up needs ~15% less CPU.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        step("data", data)  # first: the sidebar needs it
        step("map code", map_code)
        step("boundaries", boundaries)
        step("assets", assets)
        step("source lookup", source_lookup)
    finally:
        if gc_was_enabled:
            gc.enable()
    # What is loaded now stays for the life of the process: keep it out of the collections
    # Streamlit runs after every script run (runner.postScriptGC), so a rerun does not walk
    # the whole heap of pandas, folium and the boundaries.
    gc.collect()
    gc.freeze()
    _LOGGER.debug("start-up warm-up done: %s", timings)
    return timings


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    """``st.App`` lifespan: start :func:`warm_up` in a daemon thread, serve at once."""
    from ui.data import prefetch_soon

    prefetch_soon()  # a session that connects before the thread got going waits for it
    threading.Thread(target=warm_up, name="strikemap-warm-up", daemon=True).start()
    yield
