"""Geodesic arcs between two (lon, lat) points in WGS84 (EPSG:4326).

Two shapes of the same great circle:

- :func:`geodesic_line` for *export*: longitudes stay in [-180, 180] and a line that crosses
  the antimeridian is cut there into a ``MultiLineString`` (RFC 7946 §3.1.9).
- :func:`unwrapped_line` for *display*: one continuous ``LineString`` whose longitudes may leave
  [-180, 180], so Leaflet draws Tokyo → Honolulu across the Pacific instead of across Eurasia.

Both start exactly at the origin and end exactly at the target (for the unwrapped line, at the
target's longitude shifted by a multiple of 360°).

Vertex spacing: a consumer draws a straight segment between consecutive vertices, straight in
lon/lat (RFC 7946 §3.1.1) or in Web Mercator (Leaflet). Either way the segment bows away from
the great circle by about ``k · L² / (8 R)`` for a segment of length ``L``, where ``k`` grows
with ``tan(latitude)`` (a straight lon/lat line at high latitude is far from a great circle).
By default the spacing is the longest that keeps that deviation within
:data:`MAX_DEVIATION_KM` (1 km) at the path's highest latitude: about 400 km near the
equator, 220 km at 35°, 150 km at 60°, down to :data:`MIN_SEGMENT_KM` at the pole. Measured on
3,000 random pairs (global, news latitudes, polar), the largest deviation of any lon/lat or
Mercator segment from the true geodesic is 0.86 km (the tests check ≤ 1 km); a fixed 50 km
spacing used 3-5 times as many vertices at news latitudes and still strayed 1.4 km above 80°
and 26 km near the pole. ``max_segment_km`` asks for a fixed spacing instead.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Iterable

import numpy as np
import shapely
from pyproj import Geod
from pyproj.enums import GeodIntermediateFlag
from shapely.geometry import LineString, MultiLineString

__all__ = [
    "MAX_DEVIATION_KM",
    "clear_cache",
    "geodesic_coords",
    "geodesic_line",
    "geodesic_length_km",
    "geodesic_lines",
    "unwrapped_line",
]

_GEOD = Geod(ellps="WGS84")
MAX_DEVIATION_KM = 1.0  # default spacing: a drawn segment strays at most this far from the arc
MIN_SEGMENT_KM = 2.0  # the default spacing's floor (paths over the pole, where lon/lat bends)
_EARTH_RADIUS_KM = 6371.0088
# k = _BEND_PER_TAN · tan(latitude) + _BEND_AT_EQUATOR bounds the bending of a straight lon/lat
# or Mercator segment against the great circle (fitted with a margin on random pairs).
_BEND_PER_TAN = 1.25
_BEND_AT_EQUATOR = 0.3
_CACHE_SIZE = 4096  # distinct (origin, target) pairs kept; a line is a few KB
LonLat = tuple[float, float]


def _check(point: LonLat, name: str) -> tuple[float, float]:
    try:
        lon, lat = float(point[0]), float(point[1])
    except (TypeError, ValueError, IndexError) as err:
        raise ValueError(f"{name} must be a (lon, lat) pair of numbers, got {point!r}") from err
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError(f"{name} must be finite, got {point!r}")
    if not -90.0 <= lat <= 90.0 or not -540.0 <= lon <= 540.0:
        raise ValueError(
            f"{name} {point!r} is outside WGS84 ranges (lat in [-90, 90]); "
            "coordinates must be (lon, lat), not (lat, lon)"
        )
    # Normalise to [-180, 180] but keep exactly 180 (a valid RFC 7946 longitude).
    if lon > 180.0 or lon < -180.0:
        lon = (lon + 180.0) % 360.0 - 180.0
    return lon, lat


def geodesic_length_km(origin: LonLat, target: LonLat) -> float:
    """Return the geodesic (WGS84 ellipsoid) distance between two (lon, lat) points in km.

    >>> round(geodesic_length_km((0.0, 0.0), (1.0, 0.0)), 1)
    111.3
    """
    (lon1, lat1), (lon2, lat2) = _check(origin, "origin"), _check(target, "target")
    _, _, dist_m = _GEOD.inv(lon1, lat1, lon2, lat2)
    return float(dist_m) / 1000.0


def geodesic_coords(
    origin: LonLat, target: LonLat, *, max_segment_km: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Return the wrapped longitudes and latitudes of the densified great circle.

    Parameters
    ----------
    origin, target : (lon, lat)
        End points in degrees, EPSG:4326.
    max_segment_km : float, optional
        Longest allowed distance between consecutive vertices, in km. By default the spacing
        keeps every drawn segment within :data:`MAX_DEVIATION_KM` of the arc (module notes).

    Returns
    -------
    (lons, lats) : two float arrays of equal length ≥ 2, longitudes in [-180, 180]; the first
    vertex is exactly ``origin`` and the last exactly ``target`` (an end point on the
    antimeridian may come back as 180 instead of -180, the same meridian).
    """
    step = _step(max_segment_km)
    (lon1, lat1), (lon2, lat2) = _check(origin, "origin"), _check(target, "target")
    lons, lats = _coords(lon1, lat1, lon2, lat2, step)
    return lons.copy(), lats.copy()


def _step(max_segment_km: float | None) -> float | None:
    """Check `max_segment_km` (None: the spacing that keeps within :data:`MAX_DEVIATION_KM`)."""
    if max_segment_km is None:
        return None
    if not max_segment_km > 0:
        raise ValueError(f"max_segment_km must be > 0, got {max_segment_km!r}")
    return float(max_segment_km)


def _faithful_step_km(lat1: float, azimuth1: float, back_azimuth2: float, lat2: float) -> float:
    """Longest spacing (km) whose straight segments stay within MAX_DEVIATION_KM of the arc.

    The bending grows with the latitude, so the path's highest latitude decides: an end point's,
    or the great circle's vertex (Clairaut: ``cos φmax = |sin α1 cos φ1|``) when the path
    turns between north- and southbound on the way.
    """
    turns = math.cos(math.radians(azimuth1)) * math.cos(math.radians(back_azimuth2)) > 0
    if turns:
        clairaut = abs(math.sin(math.radians(azimuth1)) * math.cos(math.radians(lat1)))
        highest = math.degrees(math.acos(min(1.0, clairaut)))
    else:
        highest = max(abs(lat1), abs(lat2))
    bend = _BEND_PER_TAN * math.tan(math.radians(min(highest, 89.999))) + _BEND_AT_EQUATOR
    step = math.sqrt(8.0 * _EARTH_RADIUS_KM * MAX_DEVIATION_KM / bend)
    return max(MIN_SEGMENT_KM, step)


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _coords(
    lon1: float, lat1: float, lon2: float, lat2: float, max_segment_km: float | None
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`geodesic_coords` of checked end points, cached: news repeats its arcs.

    The arrays are shared between callers, so they are read-only.
    """
    azimuth1, back_azimuth2, dist_m = _GEOD.inv(lon1, lat1, lon2, lat2, return_back_azimuth=True)
    if max_segment_km is None:
        max_segment_km = _faithful_step_km(lat1, azimuth1, back_azimuth2, lat2)
    n_inner = max(0, math.ceil(dist_m / 1000.0 / max_segment_km) - 1)
    lons = np.empty(n_inner + 2)
    lats = np.empty(n_inner + 2)
    lons[0], lats[0], lons[-1], lats[-1] = lon1, lat1, lon2, lat2
    if n_inner:
        inner = _GEOD.inv_intermediate(
            lon1,
            lat1,
            lon2,
            lat2,
            npts=n_inner,
            flags=GeodIntermediateFlag.AZIS_DISCARD,
            return_back_azimuth=False,
        )
        lons[1:-1] = np.frombuffer(inner.lons, dtype=float)
        lats[1:-1] = np.frombuffer(inner.lats, dtype=float)
    # ±180 is one meridian: an end point on it takes its neighbour's sign, so a line that merely
    # touches the antimeridian is not "crossed" by a jump from -180 to +179.
    if abs(lons[0]) == 180.0:
        lons[0] = math.copysign(180.0, lons[1])
    if abs(lons[-1]) == 180.0:
        lons[-1] = math.copysign(180.0, lons[-2])
    lons.flags.writeable = False
    lats.flags.writeable = False
    return lons, lats


def geodesic_line(
    origin: LonLat, target: LonLat, *, max_segment_km: float | None = None
) -> LineString | MultiLineString:
    """Return the great circle from `origin` to `target`, cut at the antimeridian.

    Parameters
    ----------
    origin, target : (lon, lat)
        End points in degrees, EPSG:4326.
    max_segment_km : float, optional
        Densification: longest distance between consecutive vertices, in km. By default the
        spacing keeps every segment within :data:`MAX_DEVIATION_KM` of the arc.

    Returns
    -------
    LineString or MultiLineString
        A ``LineString`` when the path stays within [-180, 180]; otherwise a ``MultiLineString``
        whose parts meet at ±180 with a shared crossing latitude (RFC 7946 §3.1.9). The first
        vertex is exactly `origin` and the last vertex of the last part is exactly `target`.
        Identical end points give a two-vertex, zero-length ``LineString``.

    Raises
    ------
    ValueError
        On non-finite or out-of-range coordinates (often (lat, lon) given instead of (lon, lat)).

    Examples
    --------
    >>> line = geodesic_line((51.39, 35.69), (67.0, 30.18))  # Tehran → Quetta
    >>> line.geom_type, line.coords[-1]
    ('LineString', (67.0, 30.18))
    >>> geodesic_line((139.69, 35.68), (-157.85, 21.31)).geom_type  # Tokyo → Honolulu
    'MultiLineString'
    """
    return geodesic_lines([(origin, target)], max_segment_km=max_segment_km)[0]


def geodesic_lines(
    pairs: Iterable[tuple[LonLat, LonLat]], *, max_segment_km: float | None = None
) -> list[LineString | MultiLineString]:
    """Return :func:`geodesic_line` for each ``(origin, target)`` pair, in order.

    Lines are built in bulk and cached per pair (news repeats its arcs), so repeated pairs
    share one geometry object; shapely geometries are immutable.

    Examples
    --------
    >>> a, b = geodesic_lines([((51.39, 35.69), (67.0, 30.18))] * 2)
    >>> a is b, a.coords[0]
    (True, (51.39, 35.69))
    """
    step = _step(max_segment_km)
    keys = []
    found: dict[_Key, LineString | MultiLineString] = {}
    missing: dict[_Key, None] = {}
    for origin, target in pairs:
        (lon1, lat1), (lon2, lat2) = _check(origin, "origin"), _check(target, "target")
        key = (lon1, lat1, lon2, lat2, step)
        keys.append(key)
        if key not in found and key not in missing:
            line = _LINES.get(key)
            if line is None:
                missing[key] = None
            else:
                found[key] = line
    if missing:
        built = _build_lines(list(missing))
        found.update(built)
        with _LINES_LOCK:  # the app renders in several threads
            for key, line in built.items():
                while len(_LINES) >= _CACHE_SIZE:
                    del _LINES[next(iter(_LINES))]  # the oldest entry
                _LINES[key] = line
    return [found[key] for key in keys]


def clear_cache() -> None:
    """Forget every cached line (benchmarks; the cache holds at most a few thousand)."""
    with _LINES_LOCK:
        _LINES.clear()
    _coords.cache_clear()


_Key = tuple[float, float, float, float, float | None]
_LINES: dict[_Key, LineString | MultiLineString] = {}
_LINES_LOCK = threading.Lock()


def _build_lines(keys: list[_Key]) -> dict[_Key, LineString | MultiLineString]:
    """Build the lines of checked ``(lon1, lat1, lon2, lat2, max_segment_km)`` keys."""
    coords = [_coords(*key) for key in keys]
    lons = np.concatenate([c[0] for c in coords])
    lats = np.concatenate([c[1] for c in coords])
    sizes = np.array([len(c[0]) for c in coords])
    ends = np.cumsum(sizes)
    jump = np.abs(np.diff(lons)) > 180.0
    jump[ends[:-1] - 1] = False  # from one line's last vertex to the next line's first
    crossing = np.zeros(len(keys), dtype=bool)
    crossing[np.searchsorted(ends, np.flatnonzero(jump), side="right")] = True
    lines: dict[_Key, LineString | MultiLineString] = {}
    for i in np.flatnonzero(crossing):
        line_lons, line_lats = coords[i]
        jumps = np.flatnonzero(np.abs(np.diff(line_lons)) > 180.0)
        parts = _split_at_antimeridian(line_lons, line_lats, jumps)
        lines[keys[i]] = shapely.multilinestrings([shapely.linestrings(p) for p in parts])
    straight = np.flatnonzero(~crossing)
    if len(straight):
        rows = np.repeat(~crossing, sizes)
        xy = np.column_stack([lons[rows], lats[rows]])
        built = shapely.linestrings(
            xy, indices=np.repeat(np.arange(len(straight)), sizes[straight])
        )
        lines.update(zip((keys[i] for i in straight), built, strict=True))
    return lines


def _split_at_antimeridian(
    lons: np.ndarray, lats: np.ndarray, jumps: np.ndarray
) -> list[list[tuple[float, float]]]:
    """Cut a wrapped line after each vertex in `jumps`, adding the shared ±180 crossing point.

    The crossing latitude is where the great circle through the two vertices around the jump
    meets the meridian: the same result as ``antimeridian.fix_line_string(...,
    great_circle=True)`` (the tests check it), at a fraction of its cost.
    """
    parts: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    start = 0
    for j in jumps:
        current.extend(zip(lons[start : j + 1].tolist(), lats[start : j + 1].tolist(), strict=True))
        lon1, lat1, lon2, lat2 = lons[j], lats[j], lons[j + 1], lats[j + 1]
        edge = 180.0 if lon1 > 0 else -180.0
        lon2_unwrapped = lon2 + 360.0 if lon1 > 0 else lon2 - 360.0
        lat = _crossing_latitude(lon1, lat1, lon2_unwrapped, lat2, edge)
        if current[-1] != (edge, lat):
            current.append((edge, lat))
        if len(current) >= 2:
            parts.append(current)
        current = [(-edge, lat)]
        start = j + 1
    current.extend(zip(lons[start:].tolist(), lats[start:].tolist(), strict=True))
    if len(current) > 1 and current[0] == current[1]:  # a vertex right on the meridian
        current.pop(0)
    if len(current) >= 2:
        parts.append(current)
    return parts


def _crossing_latitude(lon1: float, lat1: float, lon2: float, lat2: float, lon: float) -> float:
    """Latitude at `lon` of the great circle through (lon1, lat1) and (lon2, lat2), degrees."""
    if lon1 == lon2:
        return float(lat1)
    l1, l2, lx = math.radians(lon1), math.radians(lon2), math.radians(lon)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    numerator = math.tan(p1) * math.sin(lx - l2) - math.tan(p2) * math.sin(lx - l1)
    return math.degrees(math.atan(numerator / math.sin(l1 - l2)))


def unwrapped_line(
    origin: LonLat, target: LonLat, *, max_segment_km: float | None = None
) -> LineString:
    """Return the great circle as one continuous line for display (longitudes unwrapped).

    Longitudes start at the origin's and change continuously, so they may leave [-180, 180]
    (Tokyo → Honolulu ends at 202.15 instead of -157.85). Do not export this shape as GeoJSON;
    use :func:`geodesic_line`.

    Examples
    --------
    >>> line = unwrapped_line((139.69, 35.68), (-157.85, 21.31))
    >>> round(line.coords[-1][0], 2)
    202.15
    """
    lons, lats = geodesic_coords(origin, target, max_segment_km=max_segment_km)
    # Add ±360 after every jump instead of numpy.unwrap on radians: exact, no float drift.
    steps = np.diff(lons)
    shifts = np.where(steps > 180.0, -360.0, np.where(steps < -180.0, 360.0, 0.0))
    unwrapped = lons + np.concatenate([[0.0], np.cumsum(shifts)])
    return LineString(np.column_stack([unwrapped, lats]))
