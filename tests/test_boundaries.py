"""Tests for geo.boundaries on the real, committed boundary files."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely

from geo import boundaries
from geo.boundaries import AdminLocation, assign_admin, locate, locate_many
from geo.errors import CRSMismatch, DataError, GeoError, InputError
from geo.paths import BOUNDARIES_DIR

# (lon, lat, country_iso3, admin1_code): well-known places, lon first.
KNOWN_POINTS = [
    (57.08, 30.28, "IRN", "IR-15"),  # Kerman city, Kerman province
    (66.99, 30.18, "PAK", "PK-BA"),  # Quetta, Balochistan
    (62.33, 25.13, "PAK", "PK-BA"),  # Panjgur district area, Balochistan
    (34.45, 31.52, "PSE", "PS-GZZ"),  # Gaza City
    (35.20, 31.90, "PSE", "PS-WBK"),  # Ramallah, West Bank
    (44.01, 36.19, "IRQ", "IQ-AR"),  # Erbil
    (36.29, 33.51, "SYR", "SY-DI"),  # Damascus
    (21.16, 42.66, "XKX", None),  # Pristina, Kosovo
    (4.90, 52.37, "NLD", "NL-NH"),  # Amsterdam
    (-98.0, 38.5, "USA", "US-KS"),  # Kansas
    (34.10, 44.95, "UKR", "UA-43"),  # Simferopol: ISO/UN view, not Natural Earth's RU
]


@pytest.fixture(scope="module")
def admin1() -> gpd.GeoDataFrame:
    return boundaries.load_admin1()


@pytest.fixture(scope="module")
def admin0() -> gpd.GeoDataFrame:
    return boundaries.load_admin0()


# ------------------------------------------------------------------------------- the files


def test_admin1_has_every_natural_earth_province(admin1: gpd.GeoDataFrame) -> None:
    assert len(admin1) == 4596
    assert admin1["adm1_code"].is_unique
    assert admin1.crs.to_epsg() == 4326
    for column in (*boundaries.ADMIN1_COLUMNS, "name_alt", "name_de", "name_fa", "type_en"):
        assert column in admin1.columns
    assert admin1["country_iso3"].str.fullmatch(r"[A-Z]{3}").all()
    assert admin1["name_en"].notna().all()


def test_every_geometry_is_a_valid_polygon(admin1: gpd.GeoDataFrame) -> None:
    for frame in (admin1, boundaries.load_admin0(), boundaries.load_admin1(display=True)):
        geoms = frame.geometry.to_numpy()
        assert shapely.is_valid(geoms).all()
        assert not shapely.is_empty(geoms).any()
        assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}


def test_known_bad_source_geometries_were_repaired(admin1: gpd.GeoDataFrame) -> None:
    manifest = json.loads((BOUNDARIES_DIR / "manifest.json").read_text(encoding="utf-8"))
    repaired = {item["adm1_code"] for item in manifest["repaired_geometries"]}
    assert {"ITA-5457", "BRA-1294"} <= repaired  # Gorizia, Goiás
    gorizia = admin1.set_index("adm1_code").geometry["ITA-5457"]
    assert gorizia.is_valid and gorizia.area > 0.04


def test_country_codes_are_iso_alpha3(admin1: gpd.GeoDataFrame) -> None:
    by_ne = admin1.groupby("adm0_a3")["country_iso3"].first()
    assert by_ne["PSX"] == "PSE"  # Natural Earth's Palestine code is not ISO
    assert by_ne["KOS"] == "XKX"
    assert by_ne["SDS"] == "SSD"
    assert by_ne["IRN"] == "IRN"


def test_admin0_is_admin1_dissolved(admin1: gpd.GeoDataFrame, admin0: gpd.GeoDataFrame) -> None:
    assert set(admin0["country_iso3"]) == set(admin1["country_iso3"])
    assert admin0["country_iso3"].is_unique
    counts = admin1["country_iso3"].value_counts()
    assert admin0.set_index("country_iso3")["n_admin1"].to_dict() == counts.to_dict()
    names = admin0.set_index("country_iso3")
    assert names.loc["PSE", "name"] == "Palestine"
    assert names.loc["IRN", "name_nl"] == "Iran"
    assert names.loc["IRQ", "name_nl"] == "Irak"
    assert names.loc["PAK", "iso_a2"] == "PK"


def test_representative_points_lie_inside_their_country(admin0: gpd.GeoDataFrame) -> None:
    points = gpd.points_from_xy(admin0["longitude"], admin0["latitude"])
    assert shapely.intersects(admin0.geometry.to_numpy(), np.asarray(points)).all()


def test_display_files_are_small_and_aligned() -> None:
    disp1 = boundaries.load_admin1(display=True)
    disp0 = boundaries.load_admin0(display=True)
    assert len(disp1) == 4596
    assert len(disp0) == len(boundaries.load_admin0())
    full = shapely.get_num_coordinates(boundaries.load_admin1().geometry.to_numpy()).sum()
    assert shapely.get_num_coordinates(disp1.geometry.to_numpy()).sum() < full / 3
    for path in BOUNDARIES_DIR.glob("*_display.parquet"):
        assert path.stat().st_size < 5_000_000


# ------------------------------------------------------------------------------- locating


@pytest.mark.parametrize(("lon", "lat", "iso3", "code"), KNOWN_POINTS)
def test_locate_known_places(lon: float, lat: float, iso3: str, code: str | None) -> None:
    found = locate(lon, lat)
    assert found.country_iso3 == iso3
    if code is not None:
        assert found.admin1_code == code


def test_locate_names_the_province_in_english() -> None:
    assert locate(57.08, 30.28) == AdminLocation("IRN", "Kerman", "IR-15")
    assert locate(66.99, 30.18).admin1 == "Balochistan"
    assert locate(44.01, 36.19).admin1 == "Erbil"


@pytest.mark.parametrize(
    ("lon", "lat"),
    [(-30.0, 0.0), (60.0, -30.0), (51.0, 42.0), (float("nan"), 10.0)],
    ids=["atlantic", "indian-ocean", "caspian", "nan"],
)
def test_locate_at_sea_is_all_none(lon: float, lat: float) -> None:
    assert locate(lon, lat) == AdminLocation(None, None, None)


def test_point_on_a_shared_border_gets_one_of_the_two_provinces(
    admin1: gpd.GeoDataFrame,
) -> None:
    # A vertex shared by Kerman and Sistan-Baluchestan is "within" neither of them.
    by_code = admin1.set_index("iso_3166_2").geometry
    border = shapely.intersection(by_code["IR-15"].boundary, by_code["IR-13"].boundary)
    coords = shapely.get_coordinates(border)
    lon, lat = coords[len(coords) // 2]  # mid-border, away from the three-province corners
    assert not any(shapely.within(shapely.Point(lon, lat), by_code[["IR-15", "IR-13"]]))
    assert locate(lon, lat).admin1_code in {"IR-15", "IR-13"}


def test_point_just_off_the_coast_snaps_but_open_sea_does_not() -> None:
    # Gwadar's coast is near 62.33 E, 25.1 N; 0.03 deg (~3 km) out to sea snaps, 1 deg not.
    coast = shapely.Point(62.33, 25.0)
    province = boundaries.admin1_geometry("PK-BA")
    near = shapely.ops.nearest_points(province, coast)[0]
    offshore_lat = near.y - 0.03
    assert not province.contains(shapely.Point(near.x, offshore_lat))
    assert locate(near.x, offshore_lat).admin1_code == "PK-BA"
    assert locate(near.x, near.y - 1.0).country_iso3 is None


def test_locate_rejects_out_of_range_coordinates() -> None:
    with pytest.raises(InputError, match=r"lat=200.*swapped"):
        locate(30.0, 200.0)


def test_locate_many_matches_locate() -> None:
    lons = [p[0] for p in KNOWN_POINTS] + [-30.0, math.nan]
    lats = [p[1] for p in KNOWN_POINTS] + [0.0, math.nan]
    frame = locate_many(lons, lats)
    assert list(frame.columns) == ["country_iso3", "admin1", "admin1_code"]
    for (lon, lat), row in zip(
        zip(lons, lats, strict=True), frame.itertuples(index=False), strict=True
    ):
        assert AdminLocation(*row) == locate(lon, lat)
    assert frame.iloc[-1].tolist() == [None, None, None]


def test_locate_many_length_mismatch() -> None:
    with pytest.raises(InputError, match="2 longitudes but 1 latitudes"):
        locate_many([1.0, 2.0], [3.0])


def test_assign_admin_adds_columns_and_keeps_input() -> None:
    points = gpd.GeoDataFrame(
        {"label": ["kerman", "sea", "erbil", "missing"]},
        geometry=[
            shapely.Point(57.08, 30.28),
            shapely.Point(-30, 0),
            shapely.Point(44.01, 36.19),
            None,
        ],
        index=[10, 10, 3, 4],  # duplicate labels must survive
        crs="EPSG:4326",
    )
    before = points.copy()
    result = assign_admin(points)
    assert list(result.index) == [10, 10, 3, 4]
    assert result["label"].tolist() == before["label"].tolist()
    assert result["country_iso3"].tolist() == ["IRN", None, "IRQ", None]
    assert result["admin1_code"].tolist() == ["IR-15", None, "IQ-AR", None]
    assert result["admin1"].iloc[0] == "Kerman"
    assert "country_iso3" not in points.columns  # input untouched
    assert result.crs == points.crs


def test_assign_admin_agrees_with_geopandas_sjoin(admin1: gpd.GeoDataFrame) -> None:
    rng = np.random.default_rng(7)
    lons, lats = rng.uniform(25, 75, 2000), rng.uniform(20, 45, 2000)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs=4326)
    joined = points.sjoin(admin1[["country_iso3", "geometry"]], how="left", predicate="within")
    joined = joined[~joined.index.duplicated(keep="first")]
    ours = assign_admin(points)
    inside = joined["country_iso3"].notna()
    assert inside.sum() > 1000
    assert (ours.loc[inside, "country_iso3"] == joined.loc[inside, "country_iso3"]).all()


def test_assign_admin_wrong_crs_is_refused() -> None:
    points = gpd.GeoDataFrame(geometry=[shapely.Point(57.08, 30.28)], crs=4326).to_crs(3857)
    with pytest.raises(CRSMismatch, match=r"EPSG:3857.*to_crs\(4326\)"):
        assign_admin(points)
    with pytest.raises(CRSMismatch, match=r"set_crs\(4326\)"):
        assign_admin(gpd.GeoDataFrame(geometry=[shapely.Point(57.08, 30.28)]))


def test_assign_admin_refuses_non_points() -> None:
    areas = gpd.GeoDataFrame(geometry=[shapely.box(56, 30, 58, 31)], crs=4326)
    with pytest.raises(InputError, match="Point geometries.*representative_point"):
        assign_admin(areas)


# ------------------------------------------------------------------------------- geometries


def test_representative_point_of_the_usa_is_in_the_lower_48() -> None:
    lon, lat = boundaries.representative_point("usa")
    assert -125 < lon < -67 and 25 < lat < 49
    assert locate(lon, lat).country_iso3 == "USA"


def test_country_and_province_geometries() -> None:
    pse = boundaries.country_geometry("PSE")
    assert pse.contains(shapely.Point(34.45, 31.52))
    assert boundaries.admin1_geometry("PK-BA").equals(boundaries.admin1_geometry("PAK-1108"))
    assert boundaries.admin1_geometry("pk-ba").contains(shapely.Point(66.99, 30.18))
    # Bosnia's cantons share one ISO code; asking for it gives their union.
    cantons = boundaries.load_admin1().query("iso_3166_2 == 'BA-BIH'")
    assert len(cantons) > 1
    total = shapely.area(cantons.geometry.to_numpy()).sum()
    assert boundaries.admin1_geometry("BA-BIH").area == pytest.approx(total)


@pytest.mark.parametrize(
    ("call", "arg"),
    [
        (boundaries.representative_point, "ZZZ"),
        (boundaries.country_geometry, "Iran"),
        (boundaries.admin1_geometry, "XX-99"),
    ],
)
def test_unknown_codes_raise_a_typed_error(call, arg: str) -> None:
    with pytest.raises(InputError, match="such as"):
        call(arg)


# ------------------------------------------------------------------------------- bad files


def test_missing_file_says_how_to_rebuild(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"missing.*make data"):
        boundaries.load_admin1(directory=tmp_path)


def test_corrupt_file_says_how_to_rebuild(tmp_path: Path) -> None:
    (tmp_path / "admin0.parquet").write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(DataError, match=r"cannot be read.*git checkout"):
        boundaries.load_admin0(directory=tmp_path)


def test_file_without_required_columns_is_refused(tmp_path: Path) -> None:
    shutil.copy(BOUNDARIES_DIR / "admin0_display.parquet", tmp_path / "admin0.parquet")
    with pytest.raises(DataError, match=r"lacks columns.*adm0_a3"):
        boundaries.load_admin0(directory=tmp_path)
    assert issubclass(DataError, GeoError)


def test_loaders_return_copies() -> None:
    first = boundaries.load_admin0()
    first["name"] = "changed"
    assert boundaries.load_admin0()["name"].iloc[0] != "changed"
