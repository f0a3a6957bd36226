"""Export places and strikes as RFC 7946 GeoJSON or as an ACLED-like CSV.

The GeoJSON is valid by construction: one FeatureCollection, WGS84 lon/lat, no ``crs`` member,
coordinates rounded to 6 decimals (≈ 10 cm), string feature ids, every feature has
``properties``, strikes are great-circle lines recomputed from their end points and cut at the
antimeridian into a MultiLineString (RFC 7946 §3.1.9), and NaN becomes ``null``
(``json.dumps(..., allow_nan=False)`` then refuses anything else that is not JSON).
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import operator
import threading
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

from geo.countries import country_name
from geo.pipeline import PLACE_COLUMNS

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = [
    "CSV_COLUMNS",
    "clear_cache",
    "MEDIA_TYPE",
    "STRIKE_PROPERTIES",
    "to_csv",
    "to_geojson",
    "iter_features",
    "iter_geojson_text",
    "to_geojson_text",
    "write_geojson",
]

MEDIA_TYPE = "application/geo+json"
_T = TypeVar("_T")
DECIMALS = 6

# The places frame's columns (one source of truth), minus what a feature writes otherwise:
# ``mentions`` is trimmed to MENTION_KEYS below, and ``n_articles`` is not part of the export.
PLACE_PROPERTIES = tuple(c for c in PLACE_COLUMNS if c not in ("mentions", "n_articles"))
MENTION_KEYS = ("article", "text", "start", "end", "excerpt")
STRIKE_PROPERTIES = (
    "strike_id",
    "attacker",
    "attacker_iso3",
    "target_name",
    "target_iso3",
    "target_admin1",
    "target_actor",
    "target_place_id",
    "cross_border",
    "date",
    "weapons",
    "killed",
    "injured",
    "confidence",
    "article",
    "excerpt",
    "start",
    "end",
    "sources",
    "n_sources",
    "geo_precision",
    "origin_kind",
    "origin_name",
    "origin_lon",
    "origin_lat",
    "target_lon",
    "target_lat",
    "edited",
)
SOURCE_KEYS = ("article", "article_id", "title", "date", "excerpt", "start", "end")

# ACLED's columns first (actor1 = attacker, actor2 = target actor; fatalities is empty when no
# report gives a number, where ACLED would write 0), then what ACLED has no column for.
CSV_COLUMNS = (
    "event_id",
    "event_date",
    "actor1",
    "actor2",
    "country",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "fatalities",
    "source",
    "notes",
    "attacker_iso3",
    "target_iso3",
    "cross_border",
    "origin_lat",
    "origin_lon",
    "geo_precision",
    "confidence",
    "weapons",
    "injured",
)


# --------------------------------------------------------------------------------------------
# JSON values


def _plain(value: Any) -> Any:
    """Return `value` as plain JSON data: NaN/NA → None, numpy scalars → Python, dates → ISO."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return _plain(value.tolist())
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    try:
        import pandas as pd

        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "_asdict"):
        return _plain(value._asdict())
    return str(value)


def _round(x: float) -> float:
    rounded = round(float(x), DECIMALS)
    return rounded + 0.0  # -0.0 → 0.0


def _position(lon: float, lat: float) -> list[float]:
    return [_round(lon), _round(lat)]


def _rows(frame: GeoDataFrame | None) -> Iterable[tuple[int, Mapping[str, Any]]]:
    if frame is None or len(frame) == 0:
        return []
    return enumerate(frame.to_dict("records"))


_SCALARS = frozenset({str, int, bool, type(None)})


def _column(frame: GeoDataFrame, name: str, *, deep: bool = True) -> list[Any]:
    """Return one column as plain JSON values (see :func:`_plain`); all None when missing.

    With ``deep=False`` lists are left as they are (the caller converts their items).
    """
    if name not in frame.columns:
        return [None] * len(frame)
    values = frame[name].tolist()
    kept = _SCALARS if deep else _SCALARS | {list}
    types = set(map(type, values))
    if types <= kept:
        return values
    if types <= kept | {float}:  # only NaN and infinities need a change
        return [None if type(v) is float and not math.isfinite(v) else v for v in values]
    missing = _missing()
    if types <= kept | {float, list, type(missing)}:
        # nullable integers (NA → None) and lists of str (weapons): quicker than _plain
        return [None if v is missing else _plain_value(v, kept) for v in values]
    return [v if type(v) in kept else _plain(v) for v in values]


def _missing() -> Any:
    """``pandas.NA`` (pandas is imported by then: the caller holds a frame)."""
    import pandas as pd

    return pd.NA


def _plain_value(value: Any, kept: frozenset[Any]) -> Any:
    """``_plain(value)`` (`value` itself when its type is in `kept`), quicker for the common
    types of a frame's cells."""
    kind = type(value)
    if kind in kept:
        return value
    if kind is float:
        return value if math.isfinite(value) else None
    if kind is list and _SCALARS.issuperset(map(type, value)):
        return list(value)
    return _plain(value)


class _Picker:
    """``pick(item)``: ``{k: item[k] for k in keys}`` as plain JSON values (None when missing)."""

    def __init__(self, keys: tuple[str, ...]) -> None:
        self.keys = keys
        self._values = operator.itemgetter(*keys)

    def __call__(self, item: Any) -> dict[str, Any]:
        if type(item) is not dict:
            item = _plain(item)
        try:
            values = self._values(item)
        except KeyError:
            values = tuple(item.get(k) for k in self.keys)
        if not _SCALARS.issuperset(map(type, values)):
            values = tuple(v if type(v) in _SCALARS else _plain(v) for v in values)
        return dict(zip(self.keys, values, strict=True))


_pick_any_mention = _Picker(MENTION_KEYS)
_pick_source = _Picker(SOURCE_KEYS)


def _pick_mention(item: Any) -> dict[str, Any]:
    """:class:`_Picker` of MENTION_KEYS, spelled out for the common case (a dict of scalars).

    A place has many mentions; the literal is several times quicker than the general picker.
    """
    if type(item) is dict:
        try:
            article, text, start, end, excerpt = (
                item["article"],
                item["text"],
                item["start"],
                item["end"],
                item["excerpt"],
            )
        except KeyError:
            return _pick_any_mention(item)
        scalars = _SCALARS
        if (
            type(article) in scalars
            and type(text) in scalars
            and type(start) in scalars
            and type(end) in scalars
            and type(excerpt) in scalars
        ):
            return {
                "article": article,
                "text": text,
                "start": start,
                "end": end,
                "excerpt": excerpt,
            }
    return _pick_any_mention(item)


# --------------------------------------------------------------------------------------------
# GeoJSON


def _place_items(places: GeoDataFrame | None) -> Iterator[tuple[str, list[float], dict[str, Any]]]:
    """Yield ``(feature id, [lon, lat], properties)`` of each place with a finite Point."""
    for feature_id, position, props, found in _place_rows(places):
        props["mentions"] = [_pick_mention(m) for m in (found if found is not None else [])]
        yield feature_id, position, props


def _place_rows(
    places: GeoDataFrame | None,
) -> Iterator[tuple[str, list[float], dict[str, Any], Any]]:
    """:func:`_place_items` with the properties before ``mentions`` and the frame's mentions."""
    if places is None or len(places) == 0:
        return
    import numpy as np
    import shapely

    n = len(places)
    if "geometry" in places.columns:
        geometry = np.asarray(places["geometry"], dtype=object)
        is_point = shapely.get_type_id(geometry) == 0  # None gives -1
        xs, ys = shapely.get_x(geometry), shapely.get_y(geometry)  # NaN unless a Point
        usable = (is_point & np.isfinite(xs) & np.isfinite(ys)).tolist()
        xs_list, ys_list = xs.tolist(), ys.tolist()
    else:
        usable = [False] * n
    columns = [_column(places, k) for k in PLACE_PROPERTIES]
    mentions = places["mentions"].tolist() if "mentions" in places.columns else [None] * n
    for i, values in enumerate(zip(*columns, strict=True)):
        if not usable[i]:
            continue
        props: dict[str, Any] = {"feature_type": "place"}
        props.update(zip(PLACE_PROPERTIES, values, strict=True))
        feature_id = props.get("place_id") or f"place-{i}"
        yield str(feature_id), _position(xs_list[i], ys_list[i]), props, mentions[i]


def _place_feature(feature_id: str, position: list[float], props: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": position},
        "properties": props,
    }


def _lines(pairs: list[tuple[LonLat, LonLat]]) -> tuple[Any, Any, Any, list[int]]:
    """Return the geodesic lines of `pairs`, which are LineStrings, and their coordinates.

    ``(lines, simple, rounded, bounds)``: an object array of lines, a bool array that marks the
    LineStrings (the others are cut at ±180 into MultiLineStrings), the rounded (lon, lat) rows
    of the LineStrings one after the other, and where each one starts (plus the end).
    """
    import numpy as np
    import shapely

    from geo.arcs import geodesic_lines

    lines = np.empty(len(pairs), dtype=object)
    lines[:] = geodesic_lines(pairs)
    simple = shapely.get_type_id(lines) == 1
    coords, index = shapely.get_coordinates(lines[simple], return_index=True)
    # np.round(x, 6) is the double nearest to the 6-decimal value, as round() would give
    rounded = np.round(coords, DECIMALS) + 0.0
    if not np.isfinite(rounded).all():
        raise ValueError("Out of range float values are not JSON compliant")
    bounds = np.searchsorted(index, np.arange(int(simple.sum()) + 1)).tolist()
    return lines, simple, rounded, bounds


def _multi_coordinates(line: Any) -> list[list[list[float]]]:
    import numpy as np
    import shapely

    return [(np.round(shapely.get_coordinates(p), DECIMALS) + 0.0).tolist() for p in line.geoms]


def _strike_geometries(pairs: list[tuple[LonLat, LonLat]]) -> list[dict[str, Any]]:
    """Return the GeoJSON geometry of each ``(origin, target)``, built in bulk.

    Coordinates are rounded to :data:`DECIMALS`; the first position is exactly the rounded
    origin and the last exactly the rounded target, whatever rounding did to the line.
    """
    lines, simple, rounded, bounds = _lines(pairs)
    rows = rounded.tolist()
    geometries: list[dict[str, Any]] = []
    k = 0
    for (origin, target), line, is_simple in zip(pairs, lines, simple.tolist(), strict=True):
        if is_simple:
            parts = [rows[bounds[k] : bounds[k + 1]]]
            k += 1
        else:
            parts = _multi_coordinates(line)
        parts[-1][-1] = _position(*target)
        parts[0][0] = _position(*origin)
        if len(parts) == 1:
            geometries.append({"type": "LineString", "coordinates": parts[0]})
        else:
            geometries.append({"type": "MultiLineString", "coordinates": parts})
    return geometries


def _strike_geometry_texts(pairs: list[tuple[LonLat, LonLat]]) -> list[str]:
    """Return :func:`_strike_geometries` as JSON text, cached per pair.

    The missing ones are written in bulk by :func:`_geometry_texts` (what ``json`` writes, without
    a Python float per vertex, which spares the garbage collector on large exports).
    """
    cache = _GEOMETRY_TEXTS
    found: dict[tuple[LonLat, LonLat], str] = {}
    missing: list[tuple[LonLat, LonLat]] = []
    for pair in dict.fromkeys(pairs):
        text = cache.get(pair)
        if text is None:
            missing.append(pair)
        else:
            found[pair] = text  # kept here: adding the missing ones may evict it
    if missing:
        found.update(zip(missing, _geometry_texts(missing), strict=True))
        with _CACHE_LOCK:  # the app exports from several threads
            for pair in missing:
                while len(cache) >= _CACHE_SIZE:
                    del cache[next(iter(cache))]  # the oldest entry
                cache[pair] = found[pair]
    return [found[p] for p in pairs]


def _geometry_texts(pairs: list[tuple[LonLat, LonLat]]) -> list[str]:
    """Return the GeoJSON geometry of each ``(origin, target)`` as JSON text, built in bulk.

    The text is what the JSON encoder writes for :func:`_strike_geometries`.
    """
    import numpy as np
    import shapely

    from geo.arcs import geodesic_lines

    lines = np.empty(len(pairs), dtype=object)
    lines[:] = geodesic_lines(pairs)
    simple = (shapely.get_type_id(lines) == 1).tolist()
    parts, owner = shapely.get_parts(lines, return_index=True)  # a LineString is its one part
    coords, index = shapely.get_coordinates(parts, return_index=True)
    rounded = np.round(coords, DECIMALS) + 0.0
    bounds = np.searchsorted(index, np.arange(len(parts) + 1)).tolist()
    first_part = np.searchsorted(owner, np.arange(len(pairs) + 1)).tolist()
    # the first position is exactly the rounded origin and the last exactly the rounded target
    # (targets first: a line's first position wins should the two coincide)
    rounded[[bounds[k] - 1 for k in first_part[1:]]] = [_position(*t) for _, t in pairs]
    rounded[[bounds[k] for k in first_part[:-1]]] = [_position(*o) for o, _ in pairs]
    if not np.isfinite(rounded).all():
        raise ValueError("Out of range float values are not JSON compliant")
    bodies = _positions_text(rounded, bounds)
    texts = []
    for i, is_simple in enumerate(simple):
        if is_simple:
            texts.append('{"type": "LineString", "coordinates": [' + bodies[first_part[i]] + "]}")
        else:
            texts.append(
                '{"type": "MultiLineString", "coordinates": [['
                + "], [".join(bodies[first_part[i] : first_part[i + 1]])
                + "]]}"
            )
    return texts


def _positions_text(rounded: Any, bounds: list[int]) -> list[str]:
    """Return ``"[x, y], [x, y], ..."`` of each run ``rounded[bounds[i]:bounds[i + 1]]``.

    Each number is written as ``repr`` (hence ``json``) writes it, all at once with numpy: a
    double that is the nearest one to a 6-decimal number reprs as that number's shortest
    decimal digits (6 decimals are far coarser than a double's precision) with at least one
    digit after the point. A run holding a number that repr writes otherwise (``5e-05``, 1000
    and up) is written by ``repr``.
    """
    import numpy as np

    if len(rounded) == 0:
        return ["" for _ in bounds[1:]]
    scaled = np.rint(rounded * 1e6)
    magnitude = np.abs(scaled)
    odd = (
        ~(scaled / 1e6 == rounded)  # not a 6-decimal number (or not finite)
        | (magnitude >= 1e9)  # 1000 and up
        | ((magnitude > 0) & (magnitude < 100))  # below 1e-4: repr writes "1e-05"
    )
    odd_rows = np.flatnonzero(odd.any(axis=1))
    if len(odd_rows):
        magnitude[odd] = 0  # written by repr below
    micro = magnitude.astype(np.int64).ravel()
    whole, fraction = np.divmod(micro, 1_000_000)
    n = len(micro)
    # one number: sign, 3 digits, point, 6 digits; `keep` drops what repr does not write
    chars = np.empty((n, _NUMBER_WIDTH), dtype=np.uint8)
    keep = np.empty((n, _NUMBER_WIDTH), dtype=bool)
    chars[:, 0] = ord("-")
    keep[:, 0] = np.signbit(rounded).ravel()  # as repr: "-0.0" too
    for j, unit in enumerate((100, 10, 1)):
        chars[:, 1 + j] = 48 + whole // unit % 10
        keep[:, 1 + j] = whole >= unit
    keep[:, 3] = True  # the units digit, also for 0
    chars[:, 4] = ord(".")
    keep[:, 4] = True
    digits = 6 - sum((fraction % 10**t == 0).astype(np.int64) for t in range(1, 6))
    for j in range(6):
        chars[:, 5 + j] = 48 + fraction // 10 ** (5 - j) % 10
        keep[:, 5 + j] = digits > j
    numbers = chars.reshape(-1, 2, _NUMBER_WIDTH)
    kept = keep.reshape(-1, 2, _NUMBER_WIDTH)
    rows = len(numbers)
    # one position: "[" x ", " y "]" and ", " unless it ends its line
    row_chars = np.empty((rows, 2 * _NUMBER_WIDTH + 6), dtype=np.uint8)
    row_keep = np.ones((rows, 2 * _NUMBER_WIDTH + 6), dtype=bool)
    x, y = 1, 3 + _NUMBER_WIDTH
    row_chars[:, 0] = ord("[")
    row_chars[:, x : x + _NUMBER_WIDTH] = numbers[:, 0]
    row_keep[:, x : x + _NUMBER_WIDTH] = kept[:, 0]
    row_chars[:, x + _NUMBER_WIDTH : y] = (ord(","), ord(" "))
    row_chars[:, y : y + _NUMBER_WIDTH] = numbers[:, 1]
    row_keep[:, y : y + _NUMBER_WIDTH] = kept[:, 1]
    row_chars[:, -3:] = (ord("]"), ord(","), ord(" "))
    ends = np.asarray(bounds[1:], dtype=np.int64) - 1
    row_keep[ends[ends >= 0], -2:] = False
    text = row_chars[row_keep].tobytes().decode("ascii")
    offsets = np.concatenate(([0], np.cumsum(row_keep.sum(axis=1))))[bounds].tolist()
    texts = [text[lo:hi] for lo, hi in itertools.pairwise(offsets)]
    for i in np.unique(np.searchsorted(bounds, odd_rows, side="right") - 1).tolist():
        lo, hi = bounds[i], bounds[i + 1]
        flat = rounded[lo:hi].ravel().tolist()
        texts[i] = ", ".join(["[%r, %r]"] * (hi - lo)) % tuple(flat)
    return texts


_NUMBER_WIDTH = 11  # "-123.456789"


def clear_cache() -> None:
    """Forget the strike geometries cached as JSON text (:func:`geo.arcs.clear_cache`: lines)."""
    with _CACHE_LOCK:
        _GEOMETRY_TEXTS.clear()


LonLat = tuple[float, float]
_GEOMETRY_TEXTS: dict[tuple[LonLat, LonLat], str] = {}
_CACHE_SIZE = 4096  # geometries kept as JSON text; news repeats its arcs
_CACHE_LOCK = threading.Lock()


def _chunks(items: Iterable[_T], size: int = 256) -> Iterator[list[_T]]:
    chunk: list[_T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


_END_POINTS = ("origin_lon", "origin_lat", "target_lon", "target_lat")


def _strike_items(
    strikes: GeoDataFrame | None,
) -> Iterator[tuple[str, tuple[float, float], tuple[float, float], dict[str, Any]]]:
    """Yield ``(feature id, origin, target, properties)`` of each strike with both end points."""
    if strikes is None or len(strikes) == 0:
        return
    columns = [
        _column(strikes, "id" if k == "strike_id" else k, deep=k != "sources")
        for k in STRIKE_PROPERTIES
    ]
    ends = [STRIKE_PROPERTIES.index(k) for k in _END_POINTS]
    for i, values in enumerate(zip(*columns, strict=True)):
        lon1, lat1, lon2, lat2 = (values[j] for j in ends)
        if not all(isinstance(v, int | float) for v in (lon1, lat1, lon2, lat2)):
            continue  # a strike without both end points cannot be drawn
        props: dict[str, Any] = {"feature_type": "strike"}
        props.update(zip(STRIKE_PROPERTIES, values, strict=True))
        for key in _END_POINTS:
            props[key] = _round(props[key])
        if props["confidence"] is not None:
            props["confidence"] = round(float(props["confidence"]), 4)
        props["weapons"] = list(props["weapons"] or [])
        sources = props["sources"]
        if type(sources) is not list:
            sources = _plain(sources)
        props["sources"] = [_pick_source(s) for s in sources or []]
        if props["n_sources"] is None:
            props["n_sources"] = len(props["sources"])
        for key in ("cross_border", "edited"):
            props[key] = bool(props[key]) if props[key] is not None else None
        feature_id = str(props.get("strike_id") or f"strike-{i}")
        props["strike_id"] = feature_id
        yield feature_id, (lon1, lat1), (lon2, lat2), props


def to_geojson(places: GeoDataFrame | None, strikes: GeoDataFrame | None) -> dict[str, Any]:
    """Return places and strikes as one RFC 7946 FeatureCollection (a JSON-ready dict).

    Parameters
    ----------
    places : GeoDataFrame or None
        ``Extraction.places_frame()`` (EPSG:4326), possibly filtered. Rows without a finite
        Point are left out.
    strikes : GeoDataFrame or None
        ``Extraction.strikes_frame()`` (EPSG:4326), possibly filtered or edited. The line is
        recomputed from ``origin_lon/lat`` and ``target_lon/lat``, so a display geometry in
        the frame never leaks into the export.

    Returns
    -------
    dict
        ``{"type": "FeatureCollection", "features": [...]}``, places first. Place features
        have ``feature_type: "place"`` and ``mentions`` ``[{article, text, start, end,
        excerpt}]``; strike features have ``feature_type: "strike"``, the properties in
        :data:`STRIKE_PROPERTIES` and a LineString (MultiLineString across the antimeridian)
        whose last position is the target.

    Examples
    --------
    >>> collection = to_geojson(None, None)
    >>> collection
    {'type': 'FeatureCollection', 'features': []}
    """
    return {"type": "FeatureCollection", "features": list(iter_features(places, strikes))}


def iter_features(
    places: GeoDataFrame | None, strikes: GeoDataFrame | None
) -> Iterator[dict[str, Any]]:
    """Yield the features of :func:`to_geojson` one by one (places first)."""
    for feature_id, position, props in _place_items(places):
        yield _place_feature(feature_id, position, props)
    for chunk in _chunks(_strike_items(strikes)):
        geometries = _strike_geometries([(origin, target) for _, origin, target, _ in chunk])
        for (feature_id, _, _, props), geometry in zip(chunk, geometries, strict=True):
            yield {"type": "Feature", "id": feature_id, "geometry": geometry, "properties": props}


class _MentionsWriter:
    """``write(mentions)``: the JSON text of ``[_pick_mention(m) for m in mentions]``.

    A mention of plain str and int values is written by a template, with the JSON text of its
    article name and excerpt kept (an article's mentions share them); others go through the
    encoder. A place has many mentions: this is several times quicker than encoding dicts.
    """

    def __init__(self) -> None:
        self._strings: dict[str, str] = {}

    def __call__(self, mentions: Any) -> str:
        if mentions is None:
            return "[]"
        strings = self._strings
        quote = _encode_string
        values = _MENTION_VALUES
        texts = []
        for m in mentions:
            if type(m) is dict:
                try:
                    article, text, start, end, excerpt = values(m)
                except KeyError:
                    article = None
                if (
                    type(article) is str
                    and type(text) is str
                    and type(start) is int
                    and type(end) is int
                    and type(excerpt) is str
                ):
                    a = strings.get(article)
                    if a is None:
                        a = strings[article] = quote(article)
                    e = strings.get(excerpt)
                    if e is None:
                        if len(strings) >= _STRINGS_KEPT:
                            strings.clear()
                        e = strings[excerpt] = quote(excerpt)
                    texts.append(
                        f'{{"article": {a}, "text": {quote(text)}, "start": {start}, '
                        f'"end": {end}, "excerpt": {e}}}'
                    )
                    continue
            texts.append(_ENCODER.encode(_pick_mention(m)))
        return "[" + ", ".join(texts) + "]"


_MENTION_VALUES = operator.itemgetter(*MENTION_KEYS)
_STRINGS_KEPT = 50_000  # JSON texts of article names and excerpts kept while writing mentions


# One encoder for every feature (json.dumps with options builds a new one per call); features
# are trees of plain values, never circular, so the circularity bookkeeping is skipped.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False)
# What it writes for a str (the C implementation, when there is one).
_encode_string = json.encoder.encode_basestring


def iter_geojson_text(places: GeoDataFrame | None, strikes: GeoDataFrame | None) -> Iterator[str]:
    """Yield :func:`to_geojson_text` in pieces, one feature at a time.

    Writing the pieces keeps memory flat on large exports; joined, they are exactly
    ``to_geojson_text(places, strikes)``, i.e. ``json.dumps(to_geojson(...),
    ensure_ascii=False)``.
    """
    encode = _ENCODER.encode
    separator = ""
    yield '{"type": "FeatureCollection", "features": ['
    mentions_text = _MentionsWriter()
    for feature_id, position, props, found in _place_rows(places):
        # the properties end with the mentions: '{..., "mentions": [...]}'
        yield (
            f'{separator}{{"type": "Feature", "id": {encode(feature_id)}, "geometry": '
            f'{{"type": "Point", "coordinates": {encode(position)}}}, '
            f'"properties": {encode(props)[:-1]}, "mentions": {mentions_text(found)}}}}}'
        )
        separator = ", "
    for chunk in _chunks(_strike_items(strikes)):
        geometries = _strike_geometry_texts([(origin, target) for _, origin, target, _ in chunk])
        for (feature_id, _, _, props), geometry in zip(chunk, geometries, strict=True):
            yield (
                f'{separator}{{"type": "Feature", "id": {encode(feature_id)}, "geometry": '
                f'{geometry}, "properties": {encode(props)}}}'
            )
            separator = ", "
    yield "]}"


def to_geojson_text(
    places: GeoDataFrame | None, strikes: GeoDataFrame | None, *, indent: int | None = None
) -> str:
    """Return :func:`to_geojson` serialised (UTF-8 text, no NaN)."""
    if indent is None:
        return "".join(iter_geojson_text(places, strikes))
    return json.dumps(
        to_geojson(places, strikes), ensure_ascii=False, allow_nan=False, indent=indent
    )


def write_geojson(
    path_or_file: str | Path | IO[str],
    places: GeoDataFrame | None,
    strikes: GeoDataFrame | None,
    *,
    indent: int | None = None,
) -> None:
    """Write :func:`to_geojson` to a path (UTF-8) or an open text file, feature by feature."""
    if isinstance(path_or_file, str | Path):
        with Path(path_or_file).open("w", encoding="utf-8", newline="\n") as out:
            write_geojson(out, places, strikes, indent=indent)
        return
    if indent is not None:
        path_or_file.write(to_geojson_text(places, strikes, indent=indent))
    else:
        for piece in iter_geojson_text(places, strikes):
            path_or_file.write(piece)
    path_or_file.write("\n")


# --------------------------------------------------------------------------------------------
# CSV


# Spreadsheets run cells starting with these as formulas (CSV injection); article text is
# untrusted, so text cells that start with one get a leading apostrophe.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(value: Any) -> str:
    value = _plain(value)
    if value is None:
        return ""
    text = " ".join(str(value).split())
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number_cell(value: Any, digits: int | None = None) -> str:
    value = _plain(value)
    if value is None or isinstance(value, str):
        return ""
    if digits is not None:
        return repr(round(float(value), digits) + 0.0)
    return str(value)


def to_csv(strikes: GeoDataFrame | None) -> str:
    """Return one CSV row per strike with ACLED-like columns (see :data:`CSV_COLUMNS`).

    ``actor1`` is the attacker and ``actor2`` the target actor (ACLED's actors have no
    direction; ours do). ``country``/``admin1``/``location``/``latitude``/``longitude``
    describe the target. ``fatalities`` and ``injured`` are empty when no report gives a number
    (ACLED writes 0). ``source`` lists the distinct source articles separated by ``"; "``,
    ``notes`` is the best report's sentence, ``weapons`` is ``";"``-separated.
    Text cells that a spreadsheet would run as a formula are prefixed with ``'``.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for _, row in _rows(strikes):
        sources = row.get("sources")
        articles: list[str] = []
        for source in sources if sources is not None else []:
            name = source.get("article")
            if name and name not in articles:
                articles.append(str(name))
        if not articles and row.get("article"):
            articles.append(str(row.get("article")))
        weapons = row.get("weapons")
        cross = _plain(row.get("cross_border"))
        writer.writerow(
            [
                _text_cell(row.get("id")),
                _text_cell(row.get("date")),
                _text_cell(row.get("attacker")),
                _text_cell(row.get("target_actor")),
                _text_cell(country_name(_plain(row.get("target_iso3")))),
                _text_cell(row.get("target_admin1")),
                _text_cell(row.get("target_name")),
                _number_cell(row.get("target_lat"), DECIMALS),
                _number_cell(row.get("target_lon"), DECIMALS),
                _number_cell(row.get("killed")),
                _text_cell("; ".join(articles)),
                _text_cell(row.get("excerpt")),
                _text_cell(row.get("attacker_iso3")),
                _text_cell(row.get("target_iso3")),
                "" if cross is None else str(bool(cross)).lower(),
                _number_cell(row.get("origin_lat"), DECIMALS),
                _number_cell(row.get("origin_lon"), DECIMALS),
                _text_cell(row.get("geo_precision")),
                _number_cell(row.get("confidence"), 4),
                _text_cell(";".join(str(w) for w in (weapons if weapons is not None else []))),
                _number_cell(row.get("injured")),
            ]
        )
    return buffer.getvalue()
