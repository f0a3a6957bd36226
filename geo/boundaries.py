"""Country and province polygons, and point-in-polygon lookups against them.

The polygons are Natural Earth 10m admin-1 states and provinces (4,596 of them), shipped as
GeoParquet in ``data/boundaries/`` and built by ``scripts/build_boundaries.py`` (``make data``).
Countries (admin-0) are the provinces dissolved by ISO 3166-1 alpha-3 code, so a point in a
province always gets that province's country. Everything here is EPSG:4326, lon/lat order.

Assignment rule, shared by :func:`locate`, :func:`locate_many` and :func:`assign_admin`:

1. A point strictly inside a province gets that province (and its country). Where two
   provinces overlap (a few slivers in the source data) the first in ``adm1_code`` order wins.
2. A point inside no province (on a border, where "within" is False on both sides; just off a
   coast; in a river mouth) gets the nearest province within ``NEAREST_MAX_DEG`` (0.09 deg,
   i.e. at most 10 km: 10 km north-south, ``10 * cos(lat)`` km east-west). Ties go to the first
   in ``adm1_code`` order.
3. Anything farther out is at sea: every field is None.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import CRS

from geo.errors import CRSMismatch, DataError, InputError
from geo.paths import BOUNDARIES_DIR

__all__ = [
    "ADMIN0_COLUMNS",
    "ADMIN1_COLUMNS",
    "COL_ADM0_A3",
    "COL_ADM1_CODE",
    "COL_ADMIN",
    "COL_COUNTRY_ISO3",
    "COL_ISO_3166_2",
    "COL_ISO_A2",
    "COL_LAT",
    "COL_LON",
    "COL_NAME",
    "COL_NAME_EN",
    "COL_NAME_NL",
    "NEAREST_MAX_DEG",
    "OUT_ADMIN1",
    "OUT_ADMIN1_CODE",
    "OUT_COUNTRY_ISO3",
    "AdminLocation",
    "admin1_geometry",
    "assign_admin",
    "country_geometry",
    "load_admin0",
    "load_admin1",
    "locate",
    "locate_many",
    "representative_point",
]

# Files in data/boundaries (see data/boundaries/README.md).
ADMIN1_FILE = "admin1.parquet"
ADMIN0_FILE = "admin0.parquet"
ADMIN1_DISPLAY_FILE = "admin1_display.parquet"
ADMIN0_DISPLAY_FILE = "admin0_display.parquet"

# Columns of the boundary frames.
COL_ADM1_CODE = "adm1_code"  # Natural Earth's province id, unique: "PAK-1108"
COL_ISO_3166_2 = "iso_3166_2"  # "PK-BA"; not unique (Bosnia's cantons share BA-BIH)
COL_NAME = "name"  # Natural Earth's name, in Latin script: "Baluchistan"
COL_NAME_EN = "name_en"  # English name: "Balochistan"
COL_NAME_NL = "name_nl"  # Dutch name: "Beloetsjistan"
COL_ADMIN = "admin"  # Natural Earth's English country name
COL_ADM0_A3 = "adm0_a3"  # Natural Earth's country code (PSX for Palestine, KOS for Kosovo)
COL_COUNTRY_ISO3 = "country_iso3"  # ISO 3166-1 alpha-3 (PSE, XKX)
COL_ISO_A2 = "iso_a2"
COL_LON = "longitude"  # admin-1: Natural Earth label point; admin-0: a point inside the country
COL_LAT = "latitude"
ADMIN1_COLUMNS = (
    COL_ADM1_CODE,
    COL_ISO_3166_2,
    COL_NAME,
    COL_NAME_EN,
    COL_NAME_NL,
    COL_ADMIN,
    COL_ADM0_A3,
    COL_COUNTRY_ISO3,
    COL_ISO_A2,
    COL_LON,
    COL_LAT,
)
ADMIN0_COLUMNS = (
    COL_COUNTRY_ISO3,
    COL_ISO_A2,
    COL_ADM0_A3,
    COL_NAME,
    COL_NAME_NL,
    COL_LON,
    COL_LAT,
)
_DISPLAY1_COLUMNS = (COL_ADM1_CODE, COL_ISO_3166_2, COL_NAME_EN, COL_COUNTRY_ISO3)
_DISPLAY0_COLUMNS = (COL_COUNTRY_ISO3, COL_NAME)

# Columns assign_admin adds (the names of AdminLocation's fields).
OUT_COUNTRY_ISO3 = "country_iso3"
OUT_ADMIN1 = "admin1"  # English province name
OUT_ADMIN1_CODE = "admin1_code"  # ISO 3166-2 as Natural Earth gives it (placeholders end in "~")

# 0.09 deg is 10 km along a meridian and less along a parallel, so "nearest within 0.09 deg"
# never reaches farther than 10 km. A planar distance keeps the fallback vectorised.
NEAREST_MAX_DEG = 0.09

_WGS84 = CRS.from_epsg(4326)
_REBUILD_HINT = (
    "restore it with `git checkout -- data/boundaries` or rebuild it with `make data` "
    "(runs scripts/build_boundaries.py; needs npm)"
)


@dataclass(frozen=True, slots=True)
class AdminLocation:
    """The country and province at a point; every field is None at sea.

    Attributes
    ----------
    country_iso3 : str or None
        ISO 3166-1 alpha-3 code ("IRN", "PSE", "XKX").
    admin1 : str or None
        English name of the province ("Kerman").
    admin1_code : str or None
        ISO 3166-2 code of the province ("IR-15").
    """

    country_iso3: str | None
    admin1: str | None
    admin1_code: str | None


_AT_SEA = AdminLocation(None, None, None)


# --------------------------------------------------------------------------------- loading


def _read(path: Path, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Read and check one boundary file; raise DataError with the fix when it is unusable."""
    if not path.is_file():
        raise DataError(f"boundary file {path} is missing; {_REBUILD_HINT}")
    try:
        frame = gpd.read_parquet(path)
    except Exception as err:  # pyarrow raises many types for a damaged file
        raise DataError(f"boundary file {path} cannot be read ({err}); {_REBUILD_HINT}") from err
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(f"boundary file {path} lacks columns {missing}; {_REBUILD_HINT}")
    if frame.crs is None or not frame.crs.equals(_WGS84):
        raise DataError(f"boundary file {path} is in {frame.crs}, not EPSG:4326; {_REBUILD_HINT}")
    if frame.empty:
        raise DataError(f"boundary file {path} has no rows; {_REBUILD_HINT}")
    return frame


@functools.cache
def _cached(path: Path, required: tuple[str, ...]) -> gpd.GeoDataFrame:
    return _read(path, required)


def load_admin1(display: bool = False, *, directory: Path | None = None) -> gpd.GeoDataFrame:
    """Return the provinces (Natural Earth admin-1) as a GeoDataFrame in EPSG:4326.

    Parameters
    ----------
    display : bool, default False
        False: full resolution with every column (``ADMIN1_COLUMNS``, all ``name_*`` languages,
        ``type_en``, ``gn_id``, ``wikidataid`` ...). True: simplified for a web map (~0.03 deg,
        shared borders kept, coordinates on a 0.001 deg grid) with ``adm1_code``,
        ``iso_3166_2``, ``name``, ``name_en``, ``name_nl``, ``admin``, ``country_iso3``.
    directory : Path, optional
        Folder holding the files; defaults to ``data/boundaries``.

    Returns
    -------
    GeoDataFrame
        A fresh copy (4,596 rows, sorted by ``adm1_code``); the file is read once per process.

    Raises
    ------
    DataError
        If the file is missing, unreadable, lacks columns or is not EPSG:4326.
    """
    name, required = (
        (ADMIN1_DISPLAY_FILE, _DISPLAY1_COLUMNS) if display else (ADMIN1_FILE, ADMIN1_COLUMNS)
    )
    return _cached((directory or BOUNDARIES_DIR) / name, required).copy()


def load_admin0(display: bool = False, *, directory: Path | None = None) -> gpd.GeoDataFrame:
    """Return the countries (provinces dissolved by ``country_iso3``) in EPSG:4326.

    Parameters
    ----------
    display : bool, default False
        False: full resolution with ``ADMIN0_COLUMNS`` plus ``name_de``, ``name_fr``, ... and
        ``n_admin1``; ``longitude``/``latitude`` is a point inside the country's largest part.
        True: the union of the simplified provinces, with ``country_iso3``, ``iso_a2``,
        ``name`` and ``name_nl``.
    directory : Path, optional
        Folder holding the files; defaults to ``data/boundaries``.

    Returns
    -------
    GeoDataFrame
        A fresh copy, one row per country (240), sorted by ``country_iso3``.

    Raises
    ------
    DataError
        If the file is missing, unreadable, lacks columns or is not EPSG:4326.
    """
    name, required = (
        (ADMIN0_DISPLAY_FILE, _DISPLAY0_COLUMNS) if display else (ADMIN0_FILE, ADMIN0_COLUMNS)
    )
    return _cached((directory or BOUNDARIES_DIR) / name, required).copy()


@dataclass(frozen=True)
class _Admin1Index:
    """Prepared province polygons and their attributes as plain arrays, for fast lookups."""

    geoms: npt.NDArray[np.object_]
    tree: shapely.STRtree
    iso3: npt.NDArray[np.object_]
    name: npt.NDArray[np.object_]
    code: npt.NDArray[np.object_]


@functools.cache
def _admin1_index() -> _Admin1Index:
    frame = _cached(BOUNDARIES_DIR / ADMIN1_FILE, ADMIN1_COLUMNS)
    geoms = frame.geometry.to_numpy().copy()
    # Prepared polygons answer point-in-polygon in O(log n) per point; GEOS builds each
    # polygon's edge index lazily on first use and keeps it.
    shapely.prepare(geoms)
    return _Admin1Index(
        geoms=geoms,
        tree=shapely.STRtree(geoms),
        iso3=frame[COL_COUNTRY_ISO3].to_numpy(dtype=object),
        name=frame[COL_NAME_EN].to_numpy(dtype=object),
        code=frame[COL_ISO_3166_2].to_numpy(dtype=object),
    )


@functools.cache
def _admin0_by_iso3() -> pd.DataFrame:
    return _cached(BOUNDARIES_DIR / ADMIN0_FILE, ADMIN0_COLUMNS).set_index(COL_COUNTRY_ISO3)


# --------------------------------------------------------------------------------- lookups


def _check_lonlat(lons: npt.NDArray[np.float64], lats: npt.NDArray[np.float64]) -> None:
    """Raise InputError if a finite coordinate is outside lon [-180, 180] or lat [-90, 90]."""
    with np.errstate(invalid="ignore"):
        bad = (np.abs(lons) > 180) | (np.abs(lats) > 90)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InputError(
            f"coordinate {i} (lon={lons[i]}, lat={lats[i]}) is outside lon [-180, 180], "
            f"lat [-90, 90] ({int(bad.sum())} such); pass (lon, lat) in EPSG:4326, "
            "lon first; were they swapped?"
        )


def _province_indices(
    lons: npt.NDArray[np.float64],
    lats: npt.NDArray[np.float64],
    points: npt.NDArray[np.object_] | None = None,
) -> npt.NDArray[np.intp]:
    """Return the province row of each (lon, lat), -1 at sea; see the module docstring.

    ``points`` may pass the same coordinates as shapely Points (None where lon/lat is NaN) to
    save building them again.
    """
    index = _admin1_index()
    n = len(lons)
    result = np.full(n, -1, dtype=np.intp)
    finite = np.isfinite(lons) & np.isfinite(lats)
    if n == 0 or not finite.any():
        return result
    if points is None:
        points = shapely.points(np.where(finite, lons, 0.0), np.where(finite, lats, 0.0))
        points[~finite] = None
    # Bounding-box candidates from the tree, then an exact test on the prepared polygons:
    # contains_xy(polygon, x, y) is within(point, polygon), and needs no Point per pair.
    point_i, poly_i = index.tree.query(points)
    # Testing the pairs polygon by polygon keeps each prepared polygon hot in the CPU cache:
    # three times faster than in point order on 1M random points.
    by_polygon = np.argsort(poly_i, kind="stable")
    point_i, poly_i = point_i[by_polygon], poly_i[by_polygon]
    inside = shapely.contains_xy(index.geoms[poly_i], lons[point_i], lats[point_i])
    _first_per_point(result, point_i[inside], poly_i[inside])

    todo = np.flatnonzero((result < 0) & finite)
    if len(todo):
        _nearest_within(result, todo, lons[todo], lats[todo], points[todo], index)
    return result


def _first_per_point(
    result: npt.NDArray[np.intp], point_i: npt.NDArray[np.intp], poly_i: npt.NDArray[np.intp]
) -> None:
    """Set ``result[p]`` to the lowest polygon index paired with each point ``p``."""
    if len(point_i) == 0:
        return
    order = np.lexsort((poly_i, point_i))
    point_i, poly_i = point_i[order], poly_i[order]
    first = np.ones(len(point_i), dtype=bool)
    first[1:] = point_i[1:] != point_i[:-1]
    result[point_i[first]] = poly_i[first]


# Below this many leftover points, query the polygon tree point by point; above it, build a
# tree of the points and query it with each polygon once (measured crossover: ~1-10k).
_BULK_NEAREST = 2000


def _nearest_within(
    result: npt.NDArray[np.intp],
    todo: npt.NDArray[np.intp],
    lons: npt.NDArray[np.float64],
    lats: npt.NDArray[np.float64],
    points: npt.NDArray[np.object_],
    index: _Admin1Index,
) -> None:
    """Give each point in ``todo`` the nearest province within NEAREST_MAX_DEG, if any."""
    d = NEAREST_MAX_DEG
    # Either way the distance test runs on the prepared polygon (its edge index), never as
    # a scan of every vertex of Russia for each point in the Arctic Ocean.
    if len(todo) < _BULK_NEAREST:
        boxes = shapely.box(lons - d, lats - d, lons + d, lats + d)
        point_j, poly_i = index.tree.query(boxes)
        near = shapely.dwithin(index.geoms[poly_i], points[point_j], d)
        point_j, poly_i = point_j[near], poly_i[near]
    else:
        poly_i, point_j = shapely.STRtree(points).query(
            index.geoms, predicate="dwithin", distance=d
        )
    if len(point_j) == 0:
        return
    # Most points have one candidate; measure distances only where there is a choice.
    counts = np.bincount(point_j, minlength=len(points))
    several = counts[point_j] > 1
    distance = np.zeros(len(point_j))
    distance[several] = shapely.distance(points[point_j[several]], index.geoms[poly_i[several]])
    order = np.lexsort((poly_i, distance, point_j))
    point_j, poly_i = point_j[order], poly_i[order]
    first = np.ones(len(point_j), dtype=bool)
    first[1:] = point_j[1:] != point_j[:-1]
    result[todo[point_j[first]]] = poly_i[first]


def locate(lon: float, lat: float) -> AdminLocation:
    """Return the country and province at one point.

    Parameters
    ----------
    lon, lat : float
        Longitude and latitude in degrees, EPSG:4326.

    Returns
    -------
    AdminLocation
        All fields None at sea or for NaN input. Points on a border or just off a coast get
        the nearest province within 0.09 deg (<= 10 km); see the module docstring.

    Raises
    ------
    InputError
        If the coordinate is outside lon [-180, 180] or lat [-90, 90].
    DataError
        If the boundary files are missing or corrupt.

    Examples
    --------
    >>> locate(57.08, 30.28)
    AdminLocation(country_iso3='IRN', admin1='Kerman', admin1_code='IR-15')
    >>> locate(-30.0, 0.0)
    AdminLocation(country_iso3=None, admin1=None, admin1_code=None)
    """
    lons = np.array([lon], dtype=np.float64)
    lats = np.array([lat], dtype=np.float64)
    _check_lonlat(lons, lats)
    row = int(_province_indices(lons, lats)[0])
    if row < 0:
        return _AT_SEA
    index = _admin1_index()
    return AdminLocation(str(index.iso3[row]), str(index.name[row]), str(index.code[row]))


def locate_many(lons: npt.ArrayLike, lats: npt.ArrayLike) -> pd.DataFrame:
    """Return the country and province of many points at once (vectorised :func:`locate`).

    Parameters
    ----------
    lons, lats : array-like of float
        Longitudes and latitudes in degrees, EPSG:4326, of equal length. NaN is allowed and
        gives an all-None row.

    Returns
    -------
    DataFrame
        One row per point, in input order (RangeIndex), with columns ``country_iso3``,
        ``admin1`` and ``admin1_code`` (object dtype, None at sea or for NaN input).

    Raises
    ------
    InputError
        If the arrays differ in length or a coordinate is out of range.
    """
    lon_arr = np.asarray(lons, dtype=np.float64).ravel()
    lat_arr = np.asarray(lats, dtype=np.float64).ravel()
    if lon_arr.shape != lat_arr.shape:
        raise InputError(
            f"got {len(lon_arr)} longitudes but {len(lat_arr)} latitudes; pass one of each "
            "per point"
        )
    _check_lonlat(lon_arr, lat_arr)
    rows = _province_indices(lon_arr, lat_arr)
    return _frame_for(rows)


def _frame_for(rows: npt.NDArray[np.intp], index: pd.Index | None = None) -> pd.DataFrame:
    """Return the AdminLocation columns for province rows (-1 = at sea)."""
    table = _admin1_index()
    hit = rows >= 0
    # object dtype keeps None for "at sea" (pandas 3 would infer str and turn None into NaN).
    columns = {}
    for column, values in (
        (OUT_COUNTRY_ISO3, table.iso3),
        (OUT_ADMIN1, table.name),
        (OUT_ADMIN1_CODE, table.code),
    ):
        out = np.full(len(rows), None, dtype=object)
        out[hit] = values[rows[hit]]
        columns[column] = pd.Series(out, index=index, dtype=object)
    return pd.DataFrame(columns, index=index)


def assign_admin(points: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``points`` with the country and province of each point added.

    Same result as ``points.sjoin(load_admin1(), predicate="within", how="left")`` reduced to
    one row per point, plus the nearest-province fall-back for points on borders and coasts
    (module docstring). It runs on a cached, prepared index instead of building one per call.

    Parameters
    ----------
    points : GeoDataFrame
        Point geometries in EPSG:4326. Missing or empty geometries are allowed (None results).
        The index may be anything, duplicates included; it is kept.

    Returns
    -------
    GeoDataFrame
        A new frame: the input columns (``country_iso3``, ``admin1`` and ``admin1_code`` are
        replaced if present) plus those three, None at sea. The input is not changed.

    Raises
    ------
    CRSMismatch
        If ``points`` has no CRS or one other than EPSG:4326.
    InputError
        If a geometry is not a Point or a coordinate is out of range.
    """
    if points.crs is None:
        raise CRSMismatch(
            "points have no CRS; boundaries are EPSG:4326. If the coordinates are lon/lat, "
            "call points.set_crs(4326) first"
        )
    if not points.crs.equals(_WGS84):
        raise CRSMismatch(
            f"points are in {points.crs.to_string()}, boundaries in EPSG:4326; "
            "reproject with points.to_crs(4326) first"
        )
    geoms = points.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = shapely.get_type_id(geoms[present])
    if (kinds != shapely.GeometryType.POINT).any():
        bad = shapely.get_type_id(geoms) != shapely.GeometryType.POINT
        first = int(np.flatnonzero(present & bad)[0])
        raise InputError(
            f"assign_admin needs Point geometries, but row {points.index[first]!r} is a "
            f"{geoms[first].geom_type}; use .representative_point() for areas first"
        )
    lons = np.full(len(geoms), np.nan)
    lats = np.full(len(geoms), np.nan)
    lons[present] = shapely.get_x(geoms[present])
    lats[present] = shapely.get_y(geoms[present])
    _check_lonlat(lons, lats)
    usable = np.array(geoms, dtype=object)
    usable[~(present & np.isfinite(lons) & np.isfinite(lats))] = None
    admin = _frame_for(_province_indices(lons, lats, usable), index=points.index)
    out = points.drop(columns=[c for c in admin.columns if c in points.columns])
    for column in admin.columns:
        out[column] = admin[column]
    return out


# ------------------------------------------------------------------------------ geometries


def _normalise_iso3(iso3: str) -> str:
    code = str(iso3).strip().upper()
    if code not in _admin0_by_iso3().index:
        raise InputError(
            f"unknown country code {iso3!r}; expected an ISO 3166-1 alpha-3 code such as "
            "'IRN', 'PSE' or 'XKX' (all codes: load_admin0().country_iso3)"
        )
    return code


def representative_point(iso3: str) -> tuple[float, float]:
    """Return a (lon, lat) inside a country, good for a marker or an arc end.

    The centroid of the country's largest part by true area when it lies inside it (Kansas
    for the USA, not Alaska), otherwise that part's pole of inaccessibility.

    Parameters
    ----------
    iso3 : str
        ISO 3166-1 alpha-3 code, case-insensitive.

    Returns
    -------
    tuple of float
        (lon, lat) in EPSG:4326.

    Raises
    ------
    InputError
        If the code is not one of the 240 countries.

    Examples
    --------
    >>> representative_point("IRN")
    (54.27562, 32.57684)
    """
    code = _normalise_iso3(iso3)
    countries = _admin0_by_iso3()
    lon, lat = countries.loc[code, [COL_LON, COL_LAT]].to_numpy(dtype=np.float64)
    return float(lon), float(lat)


def country_geometry(iso3: str) -> shapely.Polygon | shapely.MultiPolygon:
    """Return a country's full-resolution (Multi)Polygon in EPSG:4326.

    Raises
    ------
    InputError
        If the code is not one of the 240 countries.
    """
    geometry: shapely.Polygon | shapely.MultiPolygon = _admin0_by_iso3().geometry.loc[
        _normalise_iso3(iso3)
    ]
    return geometry


def admin1_geometry(code: str) -> shapely.Polygon | shapely.MultiPolygon:
    """Return a province's full-resolution (Multi)Polygon in EPSG:4326.

    Parameters
    ----------
    code : str
        Natural Earth ``adm1_code`` ("PAK-1108") or ISO 3166-2 code ("PK-BA"),
        case-insensitive. An ISO code shared by several provinces (Bosnia's cantons all carry
        "BA-BIH") returns their union.

    Raises
    ------
    InputError
        If no province has that code.
    """
    frame = _cached(BOUNDARIES_DIR / ADMIN1_FILE, ADMIN1_COLUMNS)
    wanted = str(code).strip().upper()
    for column in (COL_ADM1_CODE, COL_ISO_3166_2):
        match = frame.geometry[frame[column].str.upper() == wanted].to_numpy()
        if len(match) == 1:
            geometry: shapely.Polygon | shapely.MultiPolygon = match[0]
            return geometry
        if len(match) > 1:
            return shapely.union_all(match)
    raise InputError(
        f"no province has code {code!r}; pass an ISO 3166-2 code such as 'PK-BA' or a "
        "Natural Earth adm1_code such as 'PAK-1108' (see load_admin1())"
    )
