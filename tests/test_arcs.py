"""Geodesic arcs: densified great circles, exact ends, antimeridian cut, display unwrapping."""

from __future__ import annotations

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from geo.arcs import geodesic_coords, geodesic_length_km, geodesic_line, unwrapped_line

TEHRAN = (51.389, 35.689)
QUETTA = (66.975, 30.187)
TOKYO = (139.692, 35.690)
HONOLULU = (-157.858, 21.307)
GEOD = Geod(ellps="WGS84")


def _segment_lengths_km(coords: list[tuple[float, float]]) -> np.ndarray:
    lons, lats = np.array(coords).T
    _, _, dist = GEOD.inv(lons[:-1], lats[:-1], lons[1:], lats[1:])
    return np.asarray(dist) / 1000.0


def test_tehran_quetta_is_a_densified_great_circle() -> None:
    line = geodesic_line(TEHRAN, QUETTA, max_segment_km=50.0)
    assert isinstance(line, LineString)
    assert line.coords[0] == TEHRAN and line.coords[-1] == QUETTA
    segments = _segment_lengths_km(list(line.coords))
    total = geodesic_length_km(TEHRAN, QUETTA)
    assert 1400 < total < 1600
    assert segments.max() <= 50.0 + 1e-6
    assert segments.sum() == pytest.approx(total, rel=1e-6)
    # every vertex lies on the geodesic: the forward azimuth from Tehran stays constant
    # relative to pyproj's own intermediate points
    expected = GEOD.npts(*TEHRAN, *QUETTA, len(line.coords) - 2)
    assert np.allclose(np.array(line.coords[1:-1]), np.array(expected))


def test_segment_length_is_configurable() -> None:
    coarse = geodesic_line(TEHRAN, QUETTA, max_segment_km=500)
    fine = geodesic_line(TEHRAN, QUETTA, max_segment_km=10)
    assert len(coarse.coords) == 5
    assert len(fine.coords) > 140
    with pytest.raises(ValueError, match="max_segment_km"):
        geodesic_line(TEHRAN, QUETTA, max_segment_km=0)


def test_tokyo_honolulu_is_cut_at_the_antimeridian() -> None:
    line = geodesic_line(TOKYO, HONOLULU)
    assert isinstance(line, MultiLineString)
    west, east = line.geoms
    assert west.coords[0] == TOKYO
    assert east.coords[-1] == HONOLULU
    assert west.coords[-1][0] == 180.0 and east.coords[0][0] == -180.0
    assert west.coords[-1][1] == pytest.approx(east.coords[0][1])
    for part in line.geoms:
        lons = np.array(part.coords)[:, 0]
        assert np.all(np.abs(np.diff(lons)) < 180)
        assert np.all((lons >= -180) & (lons <= 180))


@pytest.mark.parametrize("seed", range(8))
def test_split_matches_the_antimeridian_package(seed: int) -> None:
    import antimeridian

    rng = np.random.default_rng(seed)
    origin = (float(rng.uniform(120, 179)), float(rng.uniform(-60, 60)))
    target = (float(rng.uniform(-179, -120)), float(rng.uniform(-60, 60)))
    ours = geodesic_line(origin, target)
    wrapped = LineString(np.column_stack(geodesic_coords(origin, target)))
    theirs = antimeridian.fix_line_string(wrapped, great_circle=True)
    assert isinstance(ours, MultiLineString) and isinstance(theirs, MultiLineString)
    assert len(ours.geoms) == len(theirs.geoms) == 2
    for mine, other in zip(ours.geoms, theirs.geoms, strict=True):
        assert np.allclose(np.array(mine.coords), np.array(other.coords), atol=1e-4)


def test_honolulu_tokyo_runs_the_other_way() -> None:
    line = geodesic_line(HONOLULU, TOKYO)
    assert isinstance(line, MultiLineString)
    assert line.geoms[0].coords[0] == HONOLULU and line.geoms[-1].coords[-1] == TOKYO
    assert line.geoms[0].coords[-1][0] == -180.0


def test_unwrapped_line_is_continuous_for_display() -> None:
    line = unwrapped_line(TOKYO, HONOLULU)
    lons = np.array(line.coords)[:, 0]
    assert np.all(np.abs(np.diff(lons)) < 5)
    assert line.coords[0] == TOKYO
    assert line.coords[-1] == (HONOLULU[0] + 360.0, HONOLULU[1])
    # without a crossing, the display line is the export line
    assert unwrapped_line(TEHRAN, QUETTA).equals(geodesic_line(TEHRAN, QUETTA))


def test_identical_endpoints_give_a_two_vertex_line() -> None:
    line = geodesic_line(QUETTA, QUETTA)
    assert isinstance(line, LineString)
    assert list(line.coords) == [QUETTA, QUETTA]


def test_lines_through_and_from_the_poles() -> None:
    north = geodesic_line((0.0, 90.0), (10.0, 60.0))
    assert north.coords[0] == (0.0, 90.0) and north.coords[-1] == (10.0, 60.0)
    over_pole = geodesic_line((10.0, 80.0), (-170.0, 80.0))  # the shortest path crosses the pole
    lats = np.array(over_pole.coords)[:, 1]
    assert lats.max() > 89.5  # vertices are close together where lon/lat bends most
    assert over_pole.coords[-1] == (-170.0, 80.0)
    pole_to_pole = geodesic_line((0.0, 90.0), (0.0, -90.0))
    assert pole_to_pole.coords[-1] == (0.0, -90.0)
    assert len(pole_to_pole.coords) > 300


def test_end_point_on_the_antimeridian_is_not_a_crossing() -> None:
    line = geodesic_line((-180.0, 10.0), (170.0, 10.0))
    assert isinstance(line, LineString)
    assert line.coords[0] == (180.0, 10.0)  # the same meridian, spelled as its neighbours


@pytest.mark.parametrize("bad", [(35.7, 151.4), (float("nan"), 1.0), ("a", 1.0), (1.0,)])
def test_bad_coordinates_are_refused(bad: tuple) -> None:
    with pytest.raises(ValueError, match="origin"):
        geodesic_line(bad, QUETTA)


def _reference_line(origin: tuple[float, float], target: tuple[float, float]) -> np.ndarray:
    """The great circle densified every 50 km by pyproj alone (no cache): ends + Geod.npts."""
    _, _, dist = GEOD.inv(*origin, *target)
    inner = GEOD.npts(*origin, *target, max(0, int(np.ceil(dist / 1000 / 50.0)) - 1))
    return np.array([origin, *inner, target])


def test_geodesic_lines_equal_geodesic_line_and_share_repeated_pairs() -> None:
    from geo.arcs import geodesic_lines

    pairs = [(TEHRAN, QUETTA), (TOKYO, HONOLULU), (TEHRAN, QUETTA), (QUETTA, TEHRAN)]
    lines = geodesic_lines(pairs, max_segment_km=50.0)
    assert [line.geom_type for line in lines] == [
        "LineString", "MultiLineString", "LineString", "LineString"
    ]  # fmt: skip
    assert lines[0] is lines[2]  # one geometry per pair (shapely geometries are immutable)
    for (origin, target), line in zip(pairs, lines, strict=True):
        assert line.equals_exact(geodesic_line(origin, target, max_segment_km=50.0), tolerance=0)
    for (origin, target), line in zip(pairs, geodesic_lines(pairs), strict=True):
        assert line.equals_exact(geodesic_line(origin, target), tolerance=0)  # default spacing
    assert np.array_equal(np.array(lines[0].coords), _reference_line(TEHRAN, QUETTA))
    assert np.array_equal(np.array(lines[3].coords), _reference_line(QUETTA, TEHRAN))
    assert geodesic_lines([]) == []


def test_cached_coordinates_are_not_shared_with_callers() -> None:
    lons, lats = geodesic_coords(TEHRAN, QUETTA)
    lons[:] = 0.0  # a caller may scribble on what it got
    again, _ = geodesic_coords(TEHRAN, QUETTA)
    assert again[0] == TEHRAN[0] and again[-1] == QUETTA[0]
    assert np.array_equal(np.array(geodesic_line(TEHRAN, QUETTA).coords)[:, 0], again)


def _unit_vectors(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
    lon, lat = np.radians(lons), np.radians(lats)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], -1)


def _largest_deviation_km(lons: np.ndarray, lats: np.ndarray, *, mercator: bool) -> float:
    """How far the straight segments between vertices (lon/lat or Mercator) stray from the arc.

    Points along each segment are compared with the great circle through its two vertices.
    """
    steps = np.diff(lons)
    lons = lons + np.concatenate(
        [[0.0], np.cumsum(np.where(np.abs(steps) > 180, -np.sign(steps) * 360, 0))]
    )
    a, b = _unit_vectors(lons[:-1], lats[:-1]), _unit_vectors(lons[1:], lats[1:])
    normal = np.cross(a, b)
    size = np.linalg.norm(normal, axis=1)
    keep = size > 1e-12
    normal = normal[keep] / size[keep, None]
    worst = 0.0
    for t in np.linspace(0.05, 0.95, 19):
        lon = lons[:-1] + (lons[1:] - lons[:-1]) * t
        if mercator:
            y1, y2 = (
                np.arctanh(np.sin(np.radians(np.clip(x, -89.9999, 89.9999))))
                for x in (lats[:-1], lats[1:])
            )
            lat = np.degrees(np.arcsin(np.tanh(y1 + (y2 - y1) * t)))
        else:
            lat = lats[:-1] + (lats[1:] - lats[:-1]) * t
        sines = np.abs((_unit_vectors(lon, lat)[keep] * normal).sum(axis=1))
        worst = max(worst, float(6371.0 * np.arcsin(np.clip(sines, 0, 1)).max(initial=0.0)))
    return worst


@pytest.mark.parametrize("region", ["globe", "news", "polar"])
def test_default_spacing_keeps_drawn_segments_within_a_kilometre(region: str) -> None:
    from geo.arcs import MAX_DEVIATION_KM

    rng = np.random.default_rng(7)
    for _ in range(300):
        if region == "globe":
            lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 2)))
            lon = rng.uniform(-180, 180, 2)
        elif region == "news":
            lat, lon = rng.uniform(-40, 60, 2), rng.uniform(-20, 80, 2)
        else:
            lat, lon = rng.choice([-1, 1]) * rng.uniform(60, 89.9, 2), rng.uniform(-180, 180, 2)
        origin, target = (float(lon[0]), float(lat[0])), (float(lon[1]), float(lat[1]))
        lons, lats = geodesic_coords(origin, target)
        assert (lons[0], lats[0]) == origin and (lons[-1], lats[-1]) == target
        inner = np.array(GEOD.npts(*origin, *target, len(lons) - 2)).reshape(-1, 2)
        assert np.allclose(np.column_stack([lons, lats])[1:-1], inner)  # vertices on the geodesic
        for mercator in (False, True):
            assert _largest_deviation_km(lons, lats, mercator=mercator) <= MAX_DEVIATION_KM


def test_default_spacing_is_coarser_at_low_latitudes_than_near_the_poles() -> None:
    segments = _segment_lengths_km(list(geodesic_line(TEHRAN, QUETTA).coords))
    assert 150 < segments.max() < 250  # ~220 km at 35°N (a fixed 50 km gave 31 segments)
    near_pole = geodesic_line((0.0, 88.0), (30.0, 88.0))
    assert _segment_lengths_km(list(near_pole.coords)).max() < 50  # ~42 km at 88°N
    tropics = geodesic_line((-60.0, 5.0), (-40.0, -5.0))
    assert _segment_lengths_km(list(tropics.coords)).max() > 300
