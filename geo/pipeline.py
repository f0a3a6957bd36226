"""The extraction pipeline: articles → toponyms → strikes → merged events → frames.

``run_paths`` reads files, ``run_articles`` runs the stages on already-read articles, and the
returned :class:`Extraction` turns its results into two GeoDataFrames (EPSG:4326) that the app,
the exporters and notebooks share: one row per place, one row per strike event.
"""

from __future__ import annotations

import bisect
import dataclasses
import operator
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import GeoError
from geo.models import KIND_DEMONYM, Article, Sentence, Source, Strike, Toponym

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from geo.gazetteer import Gazetteer

__all__ = [
    "PLACE_COLUMNS",
    "STRIKE_COLUMNS",
    "Extraction",
    "article_label",
    "excerpt_around",
    "read_paths",
    "run_articles",
    "run_paths",
]

# Called after each article: (articles done, articles in total).
Progress = Callable[[int, int], None]

PLACE_COLUMNS = [
    "place_id",
    "name",
    "kind",
    "country_iso3",
    "admin1",
    "admin1_code",
    "geonames_id",
    "is_target",
    "n_mentions",
    "n_articles",
    "mentions",
]
STRIKE_COLUMNS = [f.name for f in dataclasses.fields(Strike)]

# Excerpts are the sentence around a mention; very long "sentences" (lists, tables, text without
# punctuation) are cut to about this many characters around the mention, at word boundaries.
MAX_EXCERPT_CHARS = 320


@dataclass
class Extraction:
    """Everything one run found.

    Attributes
    ----------
    articles : list of Article
        The articles read, in input order.
    toponyms : dict
        Article id → its resolved toponyms, sorted by start offset.
    strikes : list of Strike
        Merged strike events (several reports of one strike are one event with several sources).
    errors : list of str
        One ``"<path>: <reason>"`` per input that could not be read or processed.
    """

    articles: list[Article] = field(default_factory=list)
    toponyms: dict[str, list[Toponym]] = field(default_factory=dict)
    strikes: list[Strike] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def places_frame(self) -> GeoDataFrame:
        """Return one row per resolved place (by ``place_id``), Point geometry, EPSG:4326.

        Columns: ``place_id, name, kind, country_iso3, admin1, admin1_code, geonames_id,
        is_target, n_mentions, n_articles, mentions``. ``mentions`` is a list of dicts
        ``{article, article_id, title, date, text, start, end, excerpt}`` in input order, where
        ``article`` is the input path as given (or the article id for texts and JSONL lines),
        ``start``/``end`` index the article text and ``excerpt`` is the sentence holding the
        mention. ``admin1`` comes from a spatial join with the Natural Earth provinces (the
        gazetteer's value when the point falls outside every province); it is left empty for
        countries, regions and seas, whose point is only representative. ``is_target`` is True
        when a strike event targets the place.
        """
        return build_places_frame(self.articles, self.toponyms, self.strikes)

    def strikes_frame(self) -> GeoDataFrame:
        """Return one row per strike event with a geodesic line from origin to target.

        Every :class:`~geo.models.Strike` field is a column (``weapons`` as a list of str,
        ``sources`` as a list of dicts with the :class:`~geo.models.Source` fields), plus
        ``n_sources``. The geometry (EPSG:4326) is :func:`geo.arcs.geodesic_line` from
        ``(origin_lon, origin_lat)`` to ``(target_lon, target_lat)``: a LineString, or a
        MultiLineString cut at the antimeridian; its last vertex is the target.
        """
        return build_strikes_frame(self.strikes)


# --------------------------------------------------------------------------------------------
# Running


def run_articles(
    articles: Iterable[Article],
    *,
    gazetteer: Gazetteer | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Extraction:
    """Find toponyms and strikes in each article, then merge repeated reports into events.

    Parameters
    ----------
    articles : iterable of Article
        Already read articles (see :mod:`geo.ingest`).
    gazetteer : Gazetteer, optional
        Defaults to :func:`geo.gazetteer.load_gazetteer` (process-cached).
    progress : callable, optional
        Called as ``progress(done, total)`` after each article (after each batch of articles
        when ``jobs > 1``).
    jobs : int
        Worker processes for the per-article work (toponyms and strikes). The result is the
        same as with one, in input order; only merging runs in this process. Workers are
        forked where the platform allows it (they share the loaded gazetteer); elsewhere each
        one loads the default gazetteer.

    Returns
    -------
    Extraction
        An article whose processing raised a :class:`~geo.errors.GeoError` is reported in
        ``errors`` and skipped; the others are kept. An article given twice (same id, same
        text) is processed once; different texts that share an id (JSON Lines files reusing
        "1", "2"...) keep apart as ``<id>#2``, ``<id>#3``...
    """
    from geo.events import merge_strikes

    articles = _unique_ids(articles)
    if gazetteer is None:
        from geo.gazetteer import load_gazetteer

        gazetteer = load_gazetteer()
    result = Extraction()
    labels = _labels(articles)
    raw: list[Strike] = []
    analysed = _analyse_all(articles, gazetteer, jobs)
    for done, (article, outcome) in enumerate(zip(articles, analysed, strict=True), start=1):
        if isinstance(outcome, str):
            result.errors.append(f"{labels[article.id]}: {outcome}")
        else:
            found, strikes = outcome
            result.articles.append(article)
            result.toponyms[article.id] = found
            raw.extend(_relabel(s, labels) for s in strikes)
        if progress is not None and (jobs <= 1 or done % _BATCH == 0 or done == len(articles)):
            progress(done, len(articles))
    result.strikes = merge_strikes(raw)
    return result


# What one article gives: its toponyms and strike reports, or the message of its GeoError.
_Outcome = tuple[list[Toponym], list[Strike]] | str
_BATCH = 16  # articles per task sent to a worker process


def _analyse(article: Article, gazetteer: Gazetteer | None) -> _Outcome:
    from geo.strikes import extract_strikes
    from geo.toponyms import find_toponyms

    try:
        found = find_toponyms(article.text, gazetteer, article.language)
        strikes = extract_strikes(article, found)
    except GeoError as err:
        return str(err)
    return list(found), list(strikes)


def _analyse_all(articles: list[Article], gazetteer: Gazetteer, jobs: int) -> Iterator[_Outcome]:
    """Yield :func:`_analyse` of each article in order, in `jobs` processes when > 1."""
    if jobs <= 1 or len(articles) <= _BATCH:
        for article in articles:
            yield _analyse(article, gazetteer)
        return
    import multiprocessing

    global _WORKER_GAZETTEER
    methods = multiprocessing.get_all_start_methods()
    forked = sys.platform.startswith("linux") and "fork" in methods
    context = multiprocessing.get_context("fork" if forked else None)
    _WORKER_GAZETTEER = gazetteer if forked else None  # a forked worker inherits it
    batches = [articles[i : i + _BATCH] for i in range(0, len(articles), _BATCH)]
    try:
        with context.Pool(min(jobs, len(batches))) as pool:
            for outcomes in pool.imap(_analyse_batch, batches):  # imap keeps the input order
                yield from outcomes
    finally:
        _WORKER_GAZETTEER = None


_WORKER_GAZETTEER: Gazetteer | None = None


def _analyse_batch(articles: list[Article]) -> list[_Outcome]:
    """Run in a worker process: :func:`_analyse` of each article."""
    return [_analyse(article, _WORKER_GAZETTEER) for article in articles]


def _unique_ids(articles: Iterable[Article]) -> list[Article]:
    """Drop exact duplicates (same id and text); give colliding ids of different texts a suffix.

    Ids key the toponyms and sources, and JSON Lines files may reuse ids ("1", "2"...).
    """
    seen: dict[str, Article] = {}
    unique: list[Article] = []
    for article in articles:
        key = article.id
        n = 1
        while key in seen and seen[key].text != article.text:
            n += 1
            key = f"{article.id}#{n}"
        if key in seen:
            continue  # the same text again (a file given twice): one article
        if key != article.id:
            article = dataclasses.replace(article, id=key)
        seen[key] = article
        unique.append(article)
    return unique


def run_paths(
    paths: Iterable[str | Path],
    *,
    gazetteer: Gazetteer | None = None,
    progress: Progress | None = None,
    jobs: int = 1,
) -> Extraction:
    """Read every path (txt, html or jsonl) and run :func:`run_articles` on what was readable.

    An unreadable input (missing, empty, binary, undecodable...) does not stop the run: it is
    recorded in ``errors`` as ``"<path>: <reason>"`` with the path exactly as given.
    ``progress(done, total)`` counts input paths while reading, then articles. ``jobs`` worker
    processes find toponyms and strikes (see :func:`run_articles`); the result is the same.
    """
    articles, errors = read_paths(paths, progress=progress)
    result = run_articles(articles, gazetteer=gazetteer, progress=progress, jobs=jobs)
    result.errors[:0] = errors
    return result


def read_paths(
    paths: Iterable[str | Path], *, progress: Progress | None = None
) -> tuple[list[Article], list[str]]:
    """Read every path; return the articles and one ``"<path>: <reason>"`` per failed input.

    A JSON Lines file with some bad records contributes its good records and one error per
    bad record.
    """
    from geo.ingest import read_articles

    paths = list(paths)
    articles: list[Article] = []
    errors: list[str] = []
    for done, path in enumerate(paths, start=1):
        name = str(path)
        try:
            articles.extend(read_articles(path, errors=errors))
        except (GeoError, OSError) as err:
            message = str(err)
            errors.append(message if message.startswith(f"{name}:") else f"{name}: {message}")
        if progress is not None:
            progress(done, len(paths))
    return articles, errors


def article_label(article: Article, *, shared_path: bool = False) -> str:
    """Return how outputs name an article: the input path as given, else the article id.

    Articles of a JSON / JSON Lines file, or of any file holding several articles
    (``shared_path=True``), are named by their id, since the path does not tell them apart;
    so is an article read from standard input (``"-"``).
    """
    if (
        article.path
        and article.path != "-"  # standard input names nothing the reader can open
        and not shared_path
        and Path(article.path).suffix.lower() not in _JSON_SUFFIXES
    ):
        return article.path
    return article.id


_JSON_SUFFIXES = frozenset({".json", ".jsonl", ".ndjson"})


def _labels(articles: list[Article]) -> dict[str, str]:
    per_path = Counter(a.path for a in articles if a.path)
    return {a.id: article_label(a, shared_path=per_path[a.path or ""] > 1) for a in articles}


def _relabel(strike: Strike, labels: dict[str, str]) -> Strike:
    """Make a strike name its articles the way the places frame does (path as given or id)."""
    sources = tuple(
        dataclasses.replace(s, article=labels.get(s.article_id, s.article)) for s in strike.sources
    )
    first = sources[0] if sources else None
    article = labels.get(first.article_id, strike.article) if first else strike.article
    return dataclasses.replace(strike, sources=sources, article=article)


# --------------------------------------------------------------------------------------------
# Frames


def excerpt_around(
    text: str,
    start: int,
    end: int,
    sentences: tuple[Sentence, ...] = (),
    *,
    max_chars: int = MAX_EXCERPT_CHARS,
) -> str:
    """Return the sentence of `text` that holds ``text[start:end]``, cut to about `max_chars`.

    Whitespace runs (line breaks) become single spaces; a cut is marked with "…" and falls on
    a word boundary. Without `sentences`, the sentence is found by punctuation.

    >>> excerpt_around("Eerst dit. Iran viel Pakistan aan. Dan dat.", 21, 29)
    'Iran viel Pakistan aan.'
    """
    lo, hi = _sentence_bounds(text, start, end, sentences)
    if hi - lo > max_chars:
        half = max(0, (max_chars - (end - start)) // 2)
        new_lo = max(lo, start - half)
        new_hi = min(hi, max(end + half, new_lo + max_chars))
        new_lo = max(lo, min(new_lo, new_hi - max_chars))
        # move inwards to whitespace so no word is cut in half
        if new_lo > lo:
            space = text.find(" ", new_lo, start)
            new_lo = space + 1 if space != -1 else new_lo
        if new_hi < hi:
            space = text.rfind(" ", end, new_hi)
            new_hi = space if space != -1 else new_hi
        prefix = "…" if new_lo > lo else ""
        suffix = "…" if new_hi < hi else ""
        return prefix + " ".join(text[new_lo:new_hi].split()) + suffix
    return " ".join(text[lo:hi].split())


_SENTENCE_END = ".!?\n"


def _sentence_bounds(
    text: str, start: int, end: int, sentences: tuple[Sentence, ...]
) -> tuple[int, int]:
    if sentences:
        # Sentence is a (start, end) dataclass ordered by start; bisect on the start key
        i = bisect.bisect_right(sentences, start, key=lambda s: s.start) - 1
        if i >= 0 and sentences[i].start <= start and end <= sentences[i].end:
            return sentences[i].start, sentences[i].end
    lo = max(text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    his = [text.find(ch, end) for ch in _SENTENCE_END]
    found = [h for h in his if h != -1]
    hi = min(found) + 1 if found else len(text)
    return lo, hi


def _frame(
    data: list[dict[str, Any]] | dict[str, list[Any]],
    geometry: list[Any],
    columns: list[str],
    dtypes: dict[str, Any],
) -> GeoDataFrame:
    """Assemble a GeoDataFrame from rows or columns; text columns stay ``object``.

    pandas 3 would infer its ``str`` dtype, which turns ``None`` into ``NaN``.
    """
    import geopandas as gpd
    import pandas as pd

    if isinstance(data, dict):
        frame = pd.DataFrame({c: data[c] for c in columns}, columns=columns, dtype=object)
    else:
        frame = pd.DataFrame(data, columns=columns, dtype=object)
    frame = frame.astype(dtypes)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, crs="EPSG:4326"))


_PLACE_DTYPES: dict[str, Any] = {
    "geonames_id": "Int64",
    "is_target": bool,
    "n_mentions": int,
    "n_articles": int,
}
_STRIKE_DTYPES: dict[str, Any] = {
    "target_lon": float,
    "target_lat": float,
    "origin_lon": float,
    "origin_lat": float,
    "cross_border": bool,
    "killed": "Int64",
    "injured": "Int64",
    "confidence": float,
    "start": int,
    "end": int,
    "edited": bool,
    "n_sources": int,
}


# Kinds whose point is only representative of an area: no province is attributed to them.
_AREA_KINDS = frozenset({"country", "region", "water"})


def build_places_frame(
    articles: list[Article], toponyms: dict[str, list[Toponym]], strikes: list[Strike]
) -> GeoDataFrame:
    """Return the places frame of :meth:`Extraction.places_frame` (see there)."""
    import numpy as np
    import shapely

    labels = _labels(articles)
    rows: dict[str, dict[str, Any]] = {}
    points: dict[str, tuple[float, float]] = {}
    seen_article: dict[str, set[str]] = {}
    for article in articles:
        found = toponyms.get(article.id)
        if not found:
            continue
        excerpt = _excerpt_cache(article)
        article_id, label, title, date = article.id, labels[article.id], article.title, article.date
        for top in found:
            place_id = top.place_id
            if top.lon is None or top.lat is None or not place_id:
                continue
            row = rows.get(place_id)
            if row is None:
                row = rows[place_id] = {
                    "place_id": place_id,
                    "name": top.name,
                    "kind": _place_kind(top),
                    "country_iso3": top.country_iso3,
                    "admin1": top.admin1,
                    "admin1_code": top.admin1_code,
                    "geonames_id": top.geonames_id,
                    "mentions": [],
                }
                points[place_id] = (top.lon, top.lat)
                seen_article[place_id] = set()
            elif row["kind"] == "country" and top.kind != KIND_DEMONYM:
                row["kind"] = _place_kind(top)
            seen_article[place_id].add(article_id)
            row["mentions"].append(
                {
                    "article": label,
                    "article_id": article_id,
                    "title": title,
                    "date": date,
                    "text": top.text,
                    "start": top.start,
                    "end": top.end,
                    "excerpt": excerpt(top.start, top.end),
                }
            )
    targets = {s.target_place_id for s in strikes if s.target_place_id}
    # strikes without a place id (edited in the app) are matched to places by position
    target_points = {
        (round(s.target_lon, 4), round(s.target_lat, 4)) for s in strikes if not s.target_place_id
    }
    ordered = sorted(rows, key=lambda pid: (-len(rows[pid]["mentions"]), rows[pid]["name"], pid))
    out = []
    for pid in ordered:
        row = rows[pid]
        lon, lat = points[pid]
        row["is_target"] = pid in targets or (round(lon, 4), round(lat, 4)) in target_points
        row["n_mentions"] = len(row["mentions"])
        row["n_articles"] = len(seen_article[pid])
        out.append(row)
    coords = np.array([points[pid] for pid in ordered], dtype=float).reshape(-1, 2)
    geometry = list(shapely.points(coords))
    _assign_admin1(out, geometry)
    return _frame(out, geometry, PLACE_COLUMNS, _PLACE_DTYPES)


def _excerpt_cache(article: Article) -> Callable[[int, int], str]:
    """Return excerpt_around for `article`, sharing one string per sentence between mentions."""
    text, sentences = article.text, article.sentences
    starts = [s.start for s in sentences]
    cache: dict[tuple[int, int], str] = {}

    def excerpt(start: int, end: int) -> str:
        i = bisect.bisect_right(starts, start) - 1
        if i >= 0 and end <= sentences[i].end:
            lo, hi = starts[i], sentences[i].end
        else:
            lo, hi = _sentence_bounds(text, start, end, ())
        if hi - lo > MAX_EXCERPT_CHARS:  # cut around this very mention: not shared
            return excerpt_around(text, start, end, sentences)
        found = cache.get((lo, hi))
        if found is None:
            found = cache[lo, hi] = " ".join(text[lo:hi].split())
        return found

    return excerpt


def _place_kind(top: Toponym) -> str:
    # A demonym ("Iraanse") names its country; the place itself is the country.
    return "country" if top.kind == KIND_DEMONYM else top.kind


def _assign_admin1(rows: list[dict[str, Any]], geometry: list[Any]) -> None:
    """Fill admin1/admin1_code (and a missing country_iso3) of point places from the polygons.

    Countries, regions and seas get no admin1: their point is only representative.
    """
    positions = []
    for pos, row in enumerate(rows):
        if row["kind"] in _AREA_KINDS:
            row["admin1"] = row["admin1_code"] = None
        else:
            positions.append(pos)
    if not positions:
        return
    located = _locate_points([geometry[pos] for pos in positions])
    for column in ("admin1", "admin1_code", "country_iso3"):
        for pos, found in zip(positions, located[column], strict=True):
            # the polygons win for provinces; the gazetteer's country stays (it knows disputed
            # areas), the join only fills a missing one
            if _present(found) and (column != "country_iso3" or not _present(rows[pos][column])):
                rows[pos][column] = found


def _present(value: Any) -> bool:
    return value is not None and value == value  # NaN != NaN


def _locate_points(points: Any) -> dict[str, list[Any]]:
    import geopandas as gpd

    from geo.boundaries import assign_admin

    frame = gpd.GeoDataFrame(geometry=list(points), crs="EPSG:4326")
    joined = assign_admin(frame).reset_index(drop=True)
    return {c: list(joined[c]) for c in ("admin1", "admin1_code", "country_iso3")}


def build_strikes_frame(strikes: list[Strike]) -> GeoDataFrame:
    """Return the strikes frame of :meth:`Extraction.strikes_frame` (see there)."""
    from geo.arcs import geodesic_lines

    columns: dict[str, list[Any]] = {column: [] for column in STRIKE_COLUMNS}
    if strikes:
        values = zip(*map(_STRIKE_VALUES, strikes), strict=True)
        columns.update(zip(STRIKE_COLUMNS, map(list, values), strict=True))
    columns["weapons"] = [list(w) for w in columns["weapons"]]
    columns["sources"] = [
        [dict(zip(_SOURCE_FIELDS, _SOURCE_VALUES(s), strict=True)) for s in sources]
        for sources in columns["sources"]
    ]
    columns["n_sources"] = [len(s) for s in columns["sources"]]
    geometry = geodesic_lines(
        ((s.origin_lon, s.origin_lat), (s.target_lon, s.target_lat)) for s in strikes
    )
    return _frame(columns, geometry, [*STRIKE_COLUMNS, "n_sources"], _STRIKE_DTYPES)


_STRIKE_VALUES = operator.attrgetter(*STRIKE_COLUMNS)
_SOURCE_FIELDS = tuple(f.name for f in dataclasses.fields(Source))
_SOURCE_VALUES = operator.attrgetter(*_SOURCE_FIELDS)
