"""Where bundled data and caches live. One place, so tests and the app agree."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
BOUNDARIES_DIR = DATA_DIR / "boundaries"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
ARTICLES_DIR = DATA_DIR / "articles"


def cache_dir() -> Path:
    """Return the directory for derived, rebuildable files (gazetteer index, geocoder cache).

    ``STRIKEMAP_CACHE_DIR`` wins; otherwise ``$XDG_CACHE_HOME/strikemap`` or ``~/.cache/strikemap``.
    """
    explicit = os.environ.get("STRIKEMAP_CACHE_DIR")
    if explicit:
        path = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        path = Path(base) / "strikemap"
    path.mkdir(parents=True, exist_ok=True)
    return path
