"""strikemap's library: find places and cross-border strikes in news articles.

The package never imports streamlit; the app in ``app.py`` and ``pages/`` only calls it.
``geo.extract(paths_or_texts)`` returns (places, strikes) GeoDataFrames; see :mod:`geo.api`.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["extract"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import geo` (and `python -m geo --help`) does not load geopandas.
    if name == "extract":
        from geo.api import extract

        return extract
    raise AttributeError(f"module 'geo' has no attribute {name!r}")
