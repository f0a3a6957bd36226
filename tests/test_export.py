"""RFC 7946 export checked three ways (check-geojson, our own rules, GDAL read-back) and CSV."""

from __future__ import annotations

import csv
import io
import json
import math
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from geo.export import (
    CSV_COLUMNS,
    STRIKE_PROPERTIES,
    to_csv,
    to_geojson,
    to_geojson_text,
    write_geojson,
)
from geo.models import Article, Source, Strike, Toponym
from geo.pipeline import Extraction

PROJECT_DIR = Path(__file__).resolve().parent.parent
CHECK_GEOJSON = PROJECT_DIR / ".tools" / "node_modules" / "@placemarkio" / "check-geojson"

TEXT = (
    'Iran fired missiles at Panjgur in Pakistan. =HYPERLINK("http://x") said nobody. '
    "North Korea's drones hit Honolulu, killing nobody."
)


def _toponym(word: str, lon: float, lat: float, iso3: str, kind: str, pid: str) -> Toponym:
    start = TEXT.index(word)
    return Toponym(
        text=word, start=start, end=start + len(word), name=word, lon=lon, lat=lat,
        country_iso3=iso3, admin1=None, geonames_id=None, kind=kind, place_id=pid,
    )  # fmt: skip


def _strike(sid: str, attacker: str, a3: str, target: str, t3: str, origin, dest, **kw) -> Strike:
    start = TEXT.index(target)
    sentence_end = TEXT.index(".", start) + 1
    sentence_start = TEXT.rfind(". ", 0, start) + 2 if ". " in TEXT[:start] else 0
    excerpt = TEXT[sentence_start:sentence_end]
    source = Source(
        "news/a.txt", "a1", "Title", "2024-01-16", excerpt, sentence_start, sentence_end
    )
    return Strike(
        id=sid, attacker=attacker, attacker_iso3=a3, target_name=target, target_iso3=t3,
        target_admin1=None, target_lon=dest[0], target_lat=dest[1], geo_precision="place",
        origin_lon=origin[0], origin_lat=origin[1], origin_kind="country", cross_border=True,
        date="2024-01-16", article="news/a.txt", excerpt=excerpt, start=sentence_start,
        end=sentence_end, sources=(source,), **kw,
    )  # fmt: skip


@pytest.fixture(scope="module")
def extraction() -> Extraction:
    article = Article(id="a1", title="Title", date="2024-01-16", text=TEXT, path="news/a.txt")
    toponyms = [
        _toponym("Iran", 53.6880461, 32.4279080, "IRN", "country", "c:IRN"),
        _toponym("Panjgur", 64.0900000012, 26.9642, "PAK", "city", "gn:1168718"),
        _toponym("Pakistan", 69.3451, 30.3753, "PAK", "country", "c:PAK"),
        _toponym("Honolulu", -157.85833, 21.30694, "USA", "city", "gn:5856195"),
    ]
    strikes = [
        _strike(
            "ev-1", "Iran", "IRN", "Panjgur", "PAK", (53.6880461, 32.4279080), (64.0900000012, 26.9642),
            weapons=("missile",), killed=2, confidence=0.6,
        ),
        _strike(
            "ev-2", "North Korea", "PRK", "Honolulu", "USA", (127.51, 40.34), (-157.85833, 21.30694),
            weapons=("drone",), confidence=0.3,
        ),
    ]  # fmt: skip
    return Extraction(articles=[article], toponyms={"a1": toponyms}, strikes=strikes)


@pytest.fixture(scope="module")
def collection(extraction: Extraction) -> dict:
    return to_geojson(extraction.places_frame(), extraction.strikes_frame())


def _positions(geometry: dict) -> list[list[float]]:
    coords = geometry["coordinates"]
    if geometry["type"] == "Point":
        return [coords]
    if geometry["type"] == "LineString":
        return coords
    return [p for part in coords for p in part]


def test_our_rfc7946_rules(collection: dict) -> None:
    assert collection["type"] == "FeatureCollection"
    assert "crs" not in collection
    text = json.dumps(collection, allow_nan=False)  # raises on NaN
    assert "NaN" not in text
    for feature in collection["features"]:
        assert feature["type"] == "Feature"
        assert isinstance(feature["id"], str)
        assert isinstance(feature["properties"], dict)
        assert feature["geometry"]["type"] in {"Point", "LineString", "MultiLineString"}
        for lon, lat in _positions(feature["geometry"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
            assert round(lon, 6) == lon and round(lat, 6) == lat
        if feature["geometry"]["type"] != "Point":
            parts = feature["geometry"]["coordinates"]
            if feature["geometry"]["type"] == "LineString":
                parts = [parts]
            for part in parts:
                assert len(part) >= 2
                assert all(abs(b[0] - a[0]) < 180 for a, b in zip(part, part[1:], strict=False))
    ids = [f["id"] for f in collection["features"]]
    assert len(ids) == len(set(ids))


def test_places_and_strikes_properties(collection: dict) -> None:
    places = [f for f in collection["features"] if f["properties"]["feature_type"] == "place"]
    strikes = [f for f in collection["features"] if f["properties"]["feature_type"] == "strike"]
    assert len(places) == 4 and len(strikes) == 2
    panjgur = next(f for f in places if f["id"] == "gn:1168718")
    assert panjgur["geometry"] == {"type": "Point", "coordinates": [64.09, 26.9642]}
    props = panjgur["properties"]
    assert props["name"] == "Panjgur" and props["is_target"] is True
    [mention] = props["mentions"]
    assert set(mention) == {"article", "text", "start", "end", "excerpt"}
    assert (
        mention["article"] == "news/a.txt" and TEXT[mention["start"] : mention["end"]] == "Panjgur"
    )
    iran = strikes[0]
    assert set(STRIKE_PROPERTIES) <= set(iran["properties"])
    p = iran["properties"]
    assert p["attacker"] == "Iran" and p["target_iso3"] == "PAK" and p["killed"] == 2
    assert p["injured"] is None and p["target_actor"] is None  # NaN/NA → null
    assert p["weapons"] == ["missile"] and p["sources"][0]["article"] == "news/a.txt"
    assert (p["origin_lon"], p["origin_lat"]) == (53.688046, 32.427908)
    assert iran["geometry"]["type"] == "LineString"
    assert iran["geometry"]["coordinates"][-1] == [p["target_lon"], p["target_lat"]]
    assert iran["geometry"]["coordinates"][0] == [p["origin_lon"], p["origin_lat"]]


def test_antimeridian_strike_is_a_multilinestring(collection: dict) -> None:
    pacific = next(f for f in collection["features"] if f["id"] == "ev-2")
    assert pacific["geometry"]["type"] == "MultiLineString"
    first, last = pacific["geometry"]["coordinates"][0], pacific["geometry"]["coordinates"][-1]
    assert first[-1][0] == 180.0 and last[0][0] == -180.0
    assert last[-1] == [-157.85833, 21.30694]  # the last coordinate is the target


def test_check_geojson_accepts_the_export(extraction: Extraction, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed; `make test` needs it for check-geojson")
    assert CHECK_GEOJSON.is_dir(), "run `make test` (or npm install in .tools) for check-geojson"
    script = (
        f"const {{getIssues}} = require({json.dumps(str(CHECK_GEOJSON))});"
        "const fs = require('fs');"
        "const issues = getIssues(fs.readFileSync(process.argv[1], 'utf8'));"
        "console.log(JSON.stringify(issues)); process.exit(issues.length ? 1 : 0);"
    )
    good = tmp_path / "good.geojson"
    write_geojson(good, None, None)  # an empty collection is valid too
    result = subprocess.run([node, "-e", script, str(good)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    write_geojson(good, extraction.places_frame(), extraction.strikes_frame())
    result = subprocess.run([node, "-e", script, str(good)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    # the checker is not a rubber stamp: a one-position line is refused
    bad = tmp_path / "bad.geojson"
    broken = json.loads(good.read_text())
    broken["features"][-1]["geometry"] = {"type": "LineString", "coordinates": [[0, 0]]}
    bad.write_text(json.dumps(broken))
    result = subprocess.run([node, "-e", script, str(bad)], capture_output=True, text=True)
    assert result.returncode == 1 and "message" in result.stdout


def test_gdal_reads_back_every_feature(
    extraction: Extraction, collection: dict, tmp_path: Path
) -> None:
    path = tmp_path / "export.geojson"
    write_geojson(path, extraction.places_frame(), extraction.strikes_frame())
    frame = pyogrio.read_dataframe(path)
    assert len(frame) == len(collection["features"]) == 6
    assert sorted(frame.geometry.geom_type.unique()) == ["LineString", "MultiLineString", "Point"]
    assert frame.crs.to_epsg() == 4326
    assert set(frame["feature_type"]) == {"place", "strike"}


def test_write_geojson_to_open_file(extraction: Extraction) -> None:
    out = io.StringIO()
    write_geojson(out, extraction.places_frame(), None)
    assert len(json.loads(out.getvalue())["features"]) == 4


def test_streamed_text_equals_the_whole_document(extraction: Extraction, collection: dict) -> None:
    places, strikes = extraction.places_frame(), extraction.strikes_frame()
    text = to_geojson_text(places, strikes)
    assert text == json.dumps(collection, ensure_ascii=False)
    assert json.loads(to_geojson_text(places, strikes, indent=2)) == collection
    assert json.loads(to_geojson_text(None, None)) == {"type": "FeatureCollection", "features": []}


def test_export_ignores_a_display_geometry(extraction: Extraction) -> None:
    from geo.arcs import unwrapped_line

    strikes = extraction.strikes_frame()
    strikes.loc[1, "geometry"] = unwrapped_line((127.51, 40.34), (-157.85833, 21.30694))
    pacific = to_geojson(None, strikes)["features"][1]
    assert pacific["geometry"]["type"] == "MultiLineString"


def test_missing_numbers_become_null_and_rows_without_points_are_skipped(
    extraction: Extraction,
) -> None:
    strikes = extraction.strikes_frame()
    strikes["confidence"] = math.nan
    strikes.loc[0, "target_lon"] = math.nan
    features = to_geojson(None, strikes)["features"]
    assert [f["id"] for f in features] == ["ev-2"]
    assert features[0]["properties"]["confidence"] is None


def test_mentions_of_a_reloaded_frame_become_plain_json(extraction: Extraction) -> None:
    import numpy as np

    places = extraction.places_frame()
    plain = to_geojson(places, None)["features"][0]["properties"]["mentions"][0]
    odd = dict(plain, start=np.int64(plain["start"]), title="dropped")  # as a Parquet reload gives
    del odd["excerpt"]
    places["mentions"] = [[odd, dict(plain)]] + [[]] * (len(places) - 1)
    text = to_geojson_text(places, None)
    mentions = json.loads(text)["features"][0]["properties"]["mentions"]
    assert mentions == [dict(plain, excerpt=None), plain]
    assert type(mentions[0]["start"]) is int and list(mentions[1]) == list(plain)
    assert text == json.dumps(to_geojson(places, None), ensure_ascii=False)


def test_csv_columns_and_values(extraction: Extraction) -> None:
    text = to_csv(extraction.strikes_frame())
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == 2
    iran = rows[0]
    assert iran["event_id"] == "ev-1" and iran["event_date"] == "2024-01-16"
    assert iran["actor1"] == "Iran" and iran["actor2"] == ""
    assert iran["country"] == "Pakistan" and iran["location"] == "Panjgur"
    assert (iran["latitude"], iran["longitude"]) == ("26.9642", "64.09")
    assert iran["fatalities"] == "2" and iran["injured"] == ""
    assert iran["source"] == "news/a.txt" and iran["notes"].startswith("Iran fired missiles")
    assert iran["attacker_iso3"] == "IRN" and iran["target_iso3"] == "PAK"
    assert iran["cross_border"] == "true" and iran["geo_precision"] == "place"
    assert (iran["origin_lat"], iran["origin_lon"]) == ("32.427908", "53.688046")
    assert iran["confidence"] == "0.6" and iran["weapons"] == "missile"
    assert rows[1]["country"] == "United States"


def test_csv_neutralises_spreadsheet_formulas(extraction: Extraction) -> None:
    strikes = extraction.strikes_frame()
    strikes.loc[0, "excerpt"] = '=HYPERLINK("http://x") said nobody.'
    rows = list(csv.DictReader(io.StringIO(to_csv(strikes))))
    assert rows[0]["notes"] == '\'=HYPERLINK("http://x") said nobody.'


def test_csv_of_no_strikes_is_a_header() -> None:
    assert to_csv(Extraction().strikes_frame()) == ",".join(CSV_COLUMNS) + "\n"
    assert to_csv(None) == ",".join(CSV_COLUMNS) + "\n"


def test_repeated_arcs_are_identical_and_independent(extraction: Extraction) -> None:
    strikes = extraction.strikes_frame()
    twice = pd.concat([strikes, strikes], ignore_index=True)
    twice.loc[len(strikes) :, "id"] = [f"again-{i}" for i in range(len(strikes))]
    features = to_geojson(None, twice)["features"]
    first, second = features[: len(strikes)], features[len(strikes) :]
    assert [f["geometry"] for f in first] == [f["geometry"] for f in second]
    first[0]["geometry"]["coordinates"][0][0] = 99.0  # editing one feature leaves the other
    assert second[0]["geometry"]["coordinates"][0][0] != 99.0
    # the streamed text (geometries cached as text per arc) is the same document, twice over
    assert to_geojson_text(None, twice) == json.dumps(to_geojson(None, twice), ensure_ascii=False)
    moved = twice.copy()
    moved.loc[0, "target_lon"] = moved.loc[0, "target_lon"] + 1.0  # an analyst moved the target
    line = json.loads(to_geojson_text(None, moved))["features"][0]["geometry"]["coordinates"]
    assert line[-1][0] == round(float(moved.loc[0, "target_lon"]), 6)


def test_a_full_geometry_cache_keeps_the_export_whole(
    extraction: Extraction, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.arcs
    import geo.export

    strikes = extraction.strikes_frame()
    expected = json.dumps(to_geojson(None, strikes), ensure_ascii=False)
    # room for one arc: a chunk's new arcs evict the ones it found cached
    monkeypatch.setattr(geo.export, "_CACHE_SIZE", 1)
    monkeypatch.setattr(geo.arcs, "_CACHE_SIZE", 1)
    geo.export.clear_cache()
    geo.arcs.clear_cache()
    assert to_geojson_text(None, strikes) == expected
    assert to_geojson_text(None, strikes) == expected  # now with one arc cached
    assert to_geojson_text(None, pd.concat([strikes, strikes[::-1]])) == json.dumps(
        to_geojson(None, pd.concat([strikes, strikes[::-1]])), ensure_ascii=False
    )
    assert len(geo.export._GEOMETRY_TEXTS) == 1 and len(geo.arcs._LINES) == 1


def test_streamed_numbers_are_written_as_json_writes_them(extraction: Extraction) -> None:
    # end points at 0.0 and -0.0, at whole degrees (12.0), with every number of decimals and
    # with numbers that json writes in exponent notation (1e-05): the bulk writer of
    # LineStrings agrees with json.dumps, with and without such odd numbers among them
    ends = [
        (0.0, 0.0, 12.0, 0.0001),
        (-0.0, -12.0, -0.0001, 0.5),
        (12.5, -33.25, 100.123456, -0.000123),
        (1.1, 2.22, 3.333, 4.4444),
        (5.55555, -6.666666, -179.9999994, 89.9999996),
        (-45.0000004, 0.0000005, 45.1, -45.1),
        (10.0, 1e-05, 20.0, -2e-05),
    ]
    for rows in (ends[:-1], ends):
        strikes = extraction.strikes_frame().iloc[[0] * len(rows)].reset_index(drop=True)
        strikes["id"] = [f"s{i}" for i in range(len(rows))]
        strikes[["origin_lon", "origin_lat", "target_lon", "target_lat"]] = rows
        expected = json.dumps(to_geojson(None, strikes), ensure_ascii=False)
        assert to_geojson_text(None, strikes) == expected
        assert "e-05" in expected or len(rows) < len(ends)
