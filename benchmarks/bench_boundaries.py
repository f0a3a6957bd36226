"""Benchmark the boundary layer: cold load times and point-in-polygon throughput.

    .venv/bin/python benchmarks/bench_boundaries.py [--points 1000000] [--json-only]

- load: in a fresh Python process, seconds to import ``geo.boundaries`` and to read admin-1 /
  admin-0 (full and display). Median of three processes.
- join: for N random points (uniform in lon/lat over the whole globe, ~1/3 on land), points per
  second of ``geopandas.sjoin(predicate="within")`` against ``load_admin1()`` (the baseline),
  of ``assign_admin`` (within + nearest fall-back; index already warm) and of ``locate_many``.
  Target: >= 500k points/s. Also the first-call cost (builds the tree, prepares the polygons)
  and the latency of one ``locate``.

``main()`` returns a dict of metrics; the script prints it as one JSON line, then a summary.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))

TARGET_POINTS_PER_S = 500_000

_COLD_SNIPPET = """
import json, time
t0 = time.perf_counter()
from geo import boundaries
t1 = time.perf_counter()
boundaries.load_admin1()
t2 = time.perf_counter()
boundaries.load_admin0()
t3 = time.perf_counter()
boundaries.load_admin1(display=True)
t4 = time.perf_counter()
boundaries.load_admin0(display=True)
t5 = time.perf_counter()
boundaries.locate(57.08, 30.28)
t6 = time.perf_counter()
print(json.dumps({"import_s": t1 - t0, "admin1_s": t2 - t1, "admin0_s": t3 - t2,
                  "admin1_display_s": t4 - t3, "admin0_display_s": t5 - t4,
                  "first_locate_s": t6 - t5}))
"""


def cold_load(runs: int = 3) -> dict[str, float]:
    """Return the median cold-process timings of importing and loading the boundary files."""
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", _COLD_SNIPPET],
            cwd=PROJECT_DIR,
            check=True,
            capture_output=True,
            text=True,
        )
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {f"cold_{k}": round(statistics.median(s[k] for s in samples), 4) for k in samples[0]}


def join_throughput(n_points: int, seed: int = 0) -> dict[str, Any]:
    """Return points/s of sjoin, assign_admin and locate_many on ``n_points`` random points."""
    import geopandas as gpd
    import numpy as np

    from geo import boundaries

    rng = np.random.default_rng(seed)
    lons = rng.uniform(-180, 180, n_points)
    lats = rng.uniform(-90, 90, n_points)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")
    admin1 = boundaries.load_admin1()[["country_iso3", "adm1_code", "geometry"]]

    t0 = time.perf_counter()
    joined = gpd.sjoin(points, admin1, how="left", predicate="within")
    sjoin_s = time.perf_counter() - t0
    on_land = int(joined.index[joined["country_iso3"].notna()].nunique())

    t0 = time.perf_counter()
    boundaries.locate(0.0, 0.0)  # builds and prepares the cached index
    warm_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    assigned = boundaries.assign_admin(points)
    assign_s = time.perf_counter() - t0
    assigned_n = int(assigned["country_iso3"].notna().sum())

    t0 = time.perf_counter()
    boundaries.locate_many(lons, lats)
    many_s = time.perf_counter() - t0

    singles = 2000
    t0 = time.perf_counter()
    for lon, lat in zip(lons[:singles], lats[:singles], strict=True):
        boundaries.locate(float(lon), float(lat))
    locate_us = (time.perf_counter() - t0) / singles * 1e6

    return {
        "points": n_points,
        "points_within_a_province": on_land,
        "points_assigned_incl_nearest": assigned_n,
        "sjoin_s": round(sjoin_s, 3),
        "sjoin_points_per_s": round(n_points / sjoin_s),
        "index_warmup_s": round(warm_s, 3),
        "assign_admin_s": round(assign_s, 3),
        "assign_admin_points_per_s": round(n_points / assign_s),
        "locate_many_s": round(many_s, 3),
        "locate_many_points_per_s": round(n_points / many_s),
        "locate_single_us": round(locate_us, 1),
    }


def file_sizes() -> dict[str, float]:
    """Return the size in MB of every committed boundary file."""
    from geo.paths import BOUNDARIES_DIR

    return {
        f"size_mb_{p.stem}": round(p.stat().st_size / 1e6, 2)
        for p in sorted(BOUNDARIES_DIR.glob("*.parquet"))
    }


def main(n_points: int = 1_000_000) -> dict[str, Any]:
    """Run every measurement and return the metrics as one flat dict."""
    result: dict[str, Any] = {"bench": "boundaries"}
    result.update(cold_load())
    result.update(join_throughput(n_points))
    result.update(file_sizes())
    result["meets_target"] = result["assign_admin_points_per_s"] >= TARGET_POINTS_PER_S
    return result


def _summary(r: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"cold import geo.boundaries   {r['cold_import_s']:.3f} s",
            f"cold load admin1 (full)      {r['cold_admin1_s']:.3f} s",
            f"cold load admin0 (full)      {r['cold_admin0_s']:.3f} s",
            f"cold load admin1/0 display   {r['cold_admin1_display_s']:.3f} / "
            f"{r['cold_admin0_display_s']:.3f} s",
            f"first locate (index build)   {r['cold_first_locate_s']:.3f} s",
            f"{r['points']:,} random points: {r['points_within_a_province']:,} within a province, "
            f"{r['points_assigned_incl_nearest']:,} with the 10 km fall-back",
            f"geopandas sjoin (baseline)   {r['sjoin_points_per_s']:>12,} points/s",
            f"assign_admin                 {r['assign_admin_points_per_s']:>12,} points/s "
            f"(target {TARGET_POINTS_PER_S:,}: {'met' if r['meets_target'] else 'NOT met'})",
            f"locate_many                  {r['locate_many_points_per_s']:>12,} points/s",
            f"locate (one point)           {r['locate_single_us']:>12} µs",
        ]
        + [f"{k[len('size_mb_') :]:26s} {v:6.2f} MB" for k, v in r.items() if k.startswith("size")]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--json-only", action="store_true")
    args = parser.parse_args()
    metrics = main(args.points)
    print(json.dumps(metrics))
    if not args.json_only:
        print(_summary(metrics))
