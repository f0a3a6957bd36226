"""Benchmark the geocoding core: start-up, toponym throughput, peak memory.

    .venv/bin/python benchmarks/bench_toponyms.py [--mb 20]

Prints one JSON object (and a readable summary on stderr). Start-up is measured in a fresh
process with the gazetteer index already cached on disk (warm disk), as a user sees it.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_extract import generate_texts  # noqa: E402

STARTUP_SNIPPET = (
    "import time; t=time.perf_counter(); "
    "from geo.gazetteer import load_gazetteer; from geo import boundaries; "
    "g=load_gazetteer(); boundaries.load_admin1(); boundaries.load_admin0(); "
    "print(time.perf_counter()-t)"
)


def measure_startup(runs: int = 3) -> float:
    subprocess.run([sys.executable, "-c", STARTUP_SNIPPET], check=True, capture_output=True)
    times = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", STARTUP_SNIPPET], check=True, capture_output=True, text=True
        )
        times.append(float(out.stdout.strip()))
    return min(times)


def main(mb: float = 20.0) -> dict[str, float]:
    from geo.gazetteer import load_gazetteer
    from geo.toponyms import find_toponyms

    startup_s = measure_startup()
    gaz = load_gazetteer()
    articles = list(generate_texts(megabytes=mb))
    size_mb = sum(len(a.encode("utf-8")) for a in articles) / 1e6
    find_toponyms(articles[0], gaz)  # first-call caches (directional points, priors)
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for text in articles:
        n += len(find_toponyms(text, gaz))
    wall = time.perf_counter() - t0
    elapsed = time.process_time() - c0  # CPU seconds of this one thread: MB/s per core
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "toponyms_corpus_mb": round(size_mb, 1),
        "toponyms_mb_per_s": round(size_mb / elapsed, 2),
        "toponyms_wall_mb_per_s": round(size_mb / wall, 2),
        "toponyms_found": n,
        "startup_s": round(startup_s, 3),
        "toponyms_peak_rss_mb": round(peak_mb, 0),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    result = main(parser.parse_args().mb)
    print(json.dumps(result))
    print(
        f"toponyms: {result['toponyms_mb_per_s']} MB/s on {result['toponyms_corpus_mb']} MB "
        f"(one core), start-up {result['startup_s']} s, peak RSS {result['toponyms_peak_rss_mb']} MB",
        file=sys.stderr,
    )
