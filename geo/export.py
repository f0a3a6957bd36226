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
import json
import math
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

__all__ = [
    "CSV_COLUMNS",
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
DECIMALS = 6

PLACE_PROPERTIES = (
    "place_id",
    "name",
    "kind",
    "country_iso3",
    "admin1",
    "admin1_code",
    "geonames_id",
    "is_target",
    "n_mentions",
)
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


# --------------------------------------------------------------------------------------------
# GeoJSON


def _place_feature(i: int, row: Mapping[str, Any]) -> dict[str, Any] | None:
    geometry = row.get("geometry")
    if geometry is None or geometry.is_empty or geometry.geom_type != "Point":
        return None
    lon, lat = geometry.x, geometry.y
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    props: dict[str, Any] = {"feature_type": "place"}
    props.update({k: _plain(row.get(k)) for k in PLACE_PROPERTIES})
    mentions = row.get("mentions")
    props["mentions"] = [
        {k: _plain(m.get(k)) for k in MENTION_KEYS}
        for m in (mentions if mentions is not None else [])
    ]
    feature_id = props.get("place_id") or f"place-{i}"
    return {
        "type": "Feature",
        "id": str(feature_id),
        "geometry": {"type": "Point", "coordinates": _position(lon, lat)},
        "properties": props,
    }


def _strike_geometry(origin: tuple[float, float], target: tuple[float, float]) -> dict[str, Any]:
    import numpy as np

    from geo.arcs import geodesic_line

    line = geodesic_line(origin, target)
    parts = [line] if line.geom_type == "LineString" else list(line.geoms)
    # np.round(x, 6) is the double nearest to the 6-decimal value, as round() would give
    coordinates = [(np.round(np.asarray(p.coords)[:, :2], DECIMALS) + 0.0).tolist() for p in parts]
    # the target is the end: exactly the rounded target, whatever rounding did to the line
    coordinates[-1][-1] = _position(*target)
    coordinates[0][0] = _position(*origin)
    if len(coordinates) == 1:
        return {"type": "LineString", "coordinates": coordinates[0]}
    return {"type": "MultiLineString", "coordinates": coordinates}


def _strike_feature(i: int, row: Mapping[str, Any]) -> dict[str, Any] | None:
    values = {
        k: _plain(row.get(k)) for k in ("origin_lon", "origin_lat", "target_lon", "target_lat")
    }
    if any(not isinstance(v, int | float) for v in values.values()):
        return None  # a strike without both end points cannot be drawn
    origin = (values["origin_lon"], values["origin_lat"])
    target = (values["target_lon"], values["target_lat"])
    props: dict[str, Any] = {"feature_type": "strike"}
    for key in STRIKE_PROPERTIES:
        value = row.get("id") if key == "strike_id" else row.get(key)
        props[key] = _plain(value)
    for key in ("origin_lon", "origin_lat", "target_lon", "target_lat"):
        props[key] = _round(props[key])
    if props["confidence"] is not None:
        props["confidence"] = round(float(props["confidence"]), 4)
    props["weapons"] = list(props["weapons"] or [])
    props["sources"] = [{k: s.get(k) for k in SOURCE_KEYS} for s in props["sources"] or []]
    if props["n_sources"] is None:
        props["n_sources"] = len(props["sources"])
    for key in ("cross_border", "edited"):
        props[key] = bool(props[key]) if props[key] is not None else None
    feature_id = props.get("strike_id") or f"strike-{i}"
    props["strike_id"] = str(feature_id)
    return {
        "type": "Feature",
        "id": str(feature_id),
        "geometry": _strike_geometry(origin, target),
        "properties": props,
    }


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
    for i, row in _rows(places):
        feature = _place_feature(i, row)
        if feature is not None:
            yield feature
    for i, row in _rows(strikes):
        feature = _strike_feature(i, row)
        if feature is not None:
            yield feature


def iter_geojson_text(places: GeoDataFrame | None, strikes: GeoDataFrame | None) -> Iterator[str]:
    """Yield :func:`to_geojson_text` in pieces, one feature at a time.

    Writing the pieces keeps memory flat on large exports; joined, they are exactly
    ``to_geojson_text(places, strikes)``.
    """
    yield '{"type": "FeatureCollection", "features": ['
    for n, feature in enumerate(iter_features(places, strikes)):
        text = json.dumps(feature, ensure_ascii=False, allow_nan=False)
        yield text if n == 0 else ", " + text
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


def _country_name(iso3: str | None) -> str:
    if not iso3:
        return ""
    try:
        import pycountry
        from babel import Locale

        country = pycountry.countries.get(alpha_3=iso3)
        if country is not None:
            name = Locale("en").territories.get(country.alpha_2)
            return str(name or country.name)
    except (ImportError, LookupError):
        pass
    return iso3


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
                _text_cell(_country_name(_plain(row.get("target_iso3")))),
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
