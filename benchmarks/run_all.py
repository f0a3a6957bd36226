"""`make bench`: run every benchmark in its own process and print one table plus JSON.

Benchmarks report numbers; tests assert behaviour. Nothing here fails on a slow machine.
Results are also written to bench-results/latest.json (git-ignored).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHES = ["bench_toponyms.py", "bench_boundaries.py", "bench_extract.py", "bench_app.py"]


def run(script: str) -> dict:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(HERE / script)], capture_output=True, text=True, cwd=HERE.parent
    )
    sys.stderr.write(proc.stderr[-4000:])
    result: dict = {"_seconds": round(time.perf_counter() - started, 1), "_exit": proc.returncode}
    for line in reversed(proc.stdout.strip().splitlines()):
        try:
            parsed = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(parsed, dict):  # a bare number or list on a summary line is not it
            result.update(parsed)
            break
    return result


def main() -> int:
    results = {script.removesuffix(".py"): run(script) for script in BENCHES}
    out_dir = HERE.parent / "bench-results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    for name, values in results.items():
        print(f"== {name}")
        for key, value in values.items():
            print(f"   {key:40s} {value}")
    print(json.dumps(results))
    return 0 if all(v["_exit"] == 0 for v in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
