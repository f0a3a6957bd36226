"""strikemap: the map page (``streamlit run app.py``). Read widgets, call geo/ui, render.

This file plays two roles:

- as the script of a page run (``__name__ == "__main__"``: the Streamlit server, AppTest) it
  draws the map page, :func:`ui.map_page.render`;
- imported by ``streamlit run app.py`` (which finds ``app`` below and serves it as an ASGI
  ``st.App`` running this same file) it starts the server with a lifespan that warms the
  process up in the background while the first browser loads (:mod:`ui.startup`).
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":
    from ui.map_page import render

    render()
else:
    from starlette.middleware import Middleware

    from ui.startup import (
        PreloadPageChunks,
        RequestsInFlight,
        StaticAssetsFromMemory,
        defer_unused_imports,
        lifespan,
        quick_component_scan,
        tcp_nodelay,
    )

    # before uvicorn accepts connections and builds the runtime (it imports this module first)
    tcp_nodelay()
    quick_component_scan()
    defer_unused_imports()

    app = st.App(
        __file__,
        lifespan=lifespan,
        middleware=[
            Middleware(RequestsInFlight),
            Middleware(StaticAssetsFromMemory),
            Middleware(PreloadPageChunks),
        ],
    )
