"""Where bundled data and caches live. One place, so tests and the app agree."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
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


def write_text_atomically(path: str | Path, pieces: Iterable[str]) -> None:
    """Write ``pieces`` (UTF-8) to ``path`` through a temporary file: no half file on failure."""
    target = Path(path)
    handle, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            for piece in pieces:
                out.write(piece)
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        os.chmod(tmp, 0o666 & ~_UMASK)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_umask() -> int:
    mask = os.umask(0)  # the only way to read it is to set it: done once, at import
    os.umask(mask)
    return mask


_UMASK = _read_umask()
