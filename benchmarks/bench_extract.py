"""End-to-end extraction benchmark: generated news-like text → places and strikes → GeoJSON.

Generates ``--mb`` megabytes (default 20) of Dutch and English articles from sentence templates
filled with real place names from the gazetteer (strike and no-strike sentences, a fixed seed),
as ``.txt`` files plus one JSON Lines file, in a temporary folder. Then it measures:

- start-up: loading the gazetteer and processing one short article in this process, and the
  wall time of ``python -m geo extract`` on that one article;
- throughput in-process (:func:`geo.pipeline.run_paths` + frames + GeoJSON) and through the
  CLI (``python -m geo extract FOLDER -o out.geojson``), as MB/s of article text per core
  (the pipeline is single-threaded: MB divided by CPU seconds);
- peak RSS of this process and of the CLI child (``resource.getrusage``).

Run ``python benchmarks/bench_extract.py [--mb 20] [--json out.json]``; ``main()`` returns the
results as a dict. The target is ≥ 2 MB/s per core.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

TARGET_MB_PER_S = 2.0

ATTACKERS = {
    "en": ["Iran", "Israel", "Russia", "Ukraine", "Turkey", "the United States", "Pakistan"],
    "nl": ["Iran", "Israël", "Rusland", "Oekraïne", "Turkije", "de Verenigde Staten", "Pakistan"],
}
STRIKE_TEMPLATES = {
    "en": [
        "{attacker} launched missile strikes on {city} in {country} on {day}, killing {n} people, officials said.",
        "Drones fired by {attacker} hit targets near {city}, {country}, according to local media.",
        "{attacker} carried out airstrikes against militants in {country}, striking positions outside {city}.",
        "At least {n} civilians were killed when {attacker} shelled {city} overnight.",
    ],
    "nl": [
        "{attacker} heeft luchtaanvallen uitgevoerd op {city} in {country}, waarbij {n} doden vielen.",
        "Bij een raketaanval van {attacker} op doelen in {city} kwamen {n} mensen om het leven.",
        "Drones van {attacker} troffen {day} een militiebasis bij {city} in {country}.",
        "{attacker} bestookte {city} met raketten en drones, meldt persbureau Reuters.",
    ],
}
OTHER_TEMPLATES = {
    "en": [
        "The foreign minister of {country} visited {city} on {day} to discuss trade and energy.",
        "Prices in {city} rose sharply last month, the statistics office of {country} said.",
        "Thousands gathered in {city} to celebrate the national football team's victory.",
        "Analysts say the economy of {country} will grow by {n} percent next year.",
        "The talks, which lasted several hours, ended without a joint statement.",
        "Critics warned that the decision could further strain relations in the region.",
        "A spokesperson declined to comment on the reports when asked by journalists.",
    ],
    "nl": [
        "De premier van {country} bracht {day} een bezoek aan {city} voor overleg over handel.",
        "In {city} werd een nieuw stadion geopend in aanwezigheid van de burgemeester.",
        "Volgens economen groeit de economie van {country} volgend jaar met {n} procent.",
        "De gesprekken duurden enkele uren en eindigden zonder gezamenlijke verklaring.",
        "Critici waarschuwen dat het besluit de verhoudingen in de regio verder onder druk zet.",
        "Een woordvoerder wilde niet reageren op de berichten in de media.",
        "Het kabinet komt volgende week met een reactie op het rapport.",
    ],
}
DAYS = {
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "nl": ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"],
}


def _places(min_population: int = 150_000) -> list[tuple[str, str]]:
    """Return (city, country name) pairs of real cities from the gazetteer."""
    from geo.gazetteer import load_gazetteer

    gazetteer = load_gazetteer()
    pairs = []
    for i in range(len(gazetteer)):
        if gazetteer.kind(i) != "city":
            continue
        place = gazetteer.place(i)
        country = gazetteer.get(f"c:{place.country_iso3}") if place.country_iso3 else None
        if place.population >= min_population and country is not None:
            pairs.append((place.name, country.name))
    pairs.sort()
    if not pairs:
        raise RuntimeError("the gazetteer has no cities; run `python -m geo toponyms` once")
    return pairs


def _article(rng: random.Random, lang: str, places: list[tuple[str, str]], size: int) -> str:
    date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paragraphs: list[str] = []
    length = 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            city, country = rng.choice(places)
            is_strike = rng.random() < 0.15
            template = rng.choice((STRIKE_TEMPLATES if is_strike else OTHER_TEMPLATES)[lang])
            sentence = template.format(
                attacker=rng.choice(ATTACKERS[lang]),
                city=city,
                country=country,
                day=rng.choice(DAYS[lang]),
                n=rng.randint(2, 40),
            )
            sentences.append(sentence[0].upper() + sentence[1:])
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return f"date {date}\n" + "\n\n".join(paragraphs) + "\n"


def generate_texts(*, megabytes: float = 20.0, seed: int = 20240116) -> Iterator[str]:
    """Yield article texts (Dutch and English) until about `megabytes` MB of UTF-8."""
    rng = random.Random(seed)
    places = _places()
    target = int(megabytes * 1_000_000)
    written = 0
    while written < target:
        lang = "nl" if rng.random() < 0.5 else "en"
        text = _article(rng, lang, places, rng.randint(2_000, 6_000))
        written += len(text.encode("utf-8"))
        yield text


def generate_corpus(
    folder: Path, *, megabytes: float = 20.0, seed: int = 20240116
) -> dict[str, Any]:
    """Write about `megabytes` MB of articles into `folder`; return counts and sizes."""
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    n_files = 0
    n_articles = 0
    jsonl_lines: list[str] = []
    for text in generate_texts(megabytes=megabytes, seed=seed):
        size = len(text.encode("utf-8"))
        if n_articles % 10 == 9:  # one in ten goes into a JSON Lines file
            record = {"id": f"jl-{n_articles}", "title": f"Bericht {n_articles}", "text": text}
            jsonl_lines.append(json.dumps(record, ensure_ascii=False))
        else:
            (folder / f"article_{n_articles:06d}.txt").write_text(text, encoding="utf-8")
            n_files += 1
        written += size
        n_articles += 1
    if jsonl_lines:
        (folder / "feed.jsonl").write_text("\n".join(jsonl_lines) + "\n", encoding="utf-8")
        n_files += 1
    return {"bytes": written, "files": n_files, "articles": n_articles, "seed": seed}


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _run_cli(args: list[str]) -> dict[str, Any]:
    """Run ``python -m geo ARGS`` and return wall/CPU seconds, exit code and this child's RSS."""
    code = (
        "import resource, subprocess, sys, time, json;"
        "t = time.perf_counter();"
        "p = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE);"
        "wall = time.perf_counter() - t;"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN);"
        "print(json.dumps({'wall_s': wall, 'cpu_s': u.ru_utime + u.ru_stime,"
        " 'peak_rss_mb': u.ru_maxrss / 1024, 'returncode': p.returncode,"
        " 'stderr': p.stderr.decode('utf-8', 'replace')[-2000:]}))"
    )
    # a wrapper process per run, so RUSAGE_CHILDREN measures exactly one CLI run
    out = subprocess.run(
        [sys.executable, "-c", code, sys.executable, "-m", "geo", *args],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=True,
    )
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def _fresh_start(tiny: Path) -> float:
    """Seconds for a new interpreter to import geo and extract one short article."""
    code = (
        "import sys, time; t = time.perf_counter();"
        "from geo.pipeline import run_paths;"
        "e = run_paths([sys.argv[1]]); e.places_frame(); e.strikes_frame();"
        "print(time.perf_counter() - t)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tiny)],
        capture_output=True,
        text=True,
        cwd=PROJECT_DIR,
        check=True,
    )
    return round(float(out.stdout.strip().splitlines()[-1]), 3)


# Per-stage goals in MB/s of article text per CPU core (None: no separate goal). Together they
# leave about 0.28 CPU s per MB to the toponym and strike finders for the end-to-end 2 MB/s.
STAGE_TARGETS: dict[str, float | None] = {
    "read": 30.0,
    "toponyms": None,
    "strikes": None,
    "merge": 30.0,
    "places_frame": 20.0,
    "strikes_frame": 20.0,
    "geojson": 20.0,
}
STAGE_OWNERS = {"toponyms": "geo.toponyms", "strikes": "geo.strikes"}
REPEAT_UNDER_S = 1.0  # a stage this quick is run `repeat` times and its fastest run counts


def _clear_cache(stage: str) -> None:
    """Forget what a previous run of `stage` cached, so that each run pays for its geometry.

    As in a real run, the GeoJSON stage still finds the lines the strikes frame built.
    """
    from geo import arcs, export

    if stage == "strikes_frame":
        arcs.clear_cache()
    elif stage == "geojson":
        export.clear_cache()


def _stages(paths: list[str], *, repeat: int = 3) -> dict[str, Any]:
    """CPU seconds and MB/s of each pipeline stage on `paths` (the stages of run_articles).

    A warm-up pass over the first few paths runs every stage once first, so one-time costs
    (imports, loading the province polygons) count as start-up, not as throughput. Stages
    quicker than :data:`REPEAT_UNDER_S` run `repeat` times and the fastest run counts: CPU time
    on a shared machine only ever grows with contention.
    """
    from geo.events import merge_strikes
    from geo.export import iter_geojson_text
    from geo.gazetteer import load_gazetteer
    from geo.pipeline import Extraction, read_paths
    from geo.strikes import extract_strikes
    from geo.toponyms import find_toponyms

    gazetteer = load_gazetteer()

    def run_all(sample: list[str], timed: Any) -> list[Any]:
        articles, _ = timed("read", lambda: read_paths(sample))
        toponyms = timed(
            "toponyms",
            lambda: {a.id: find_toponyms(a.text, gazetteer, a.language) for a in articles},
        )
        reports = timed(
            "strikes", lambda: [s for a in articles for s in extract_strikes(a, toponyms[a.id])]
        )
        events = timed("merge", lambda: merge_strikes(reports))
        extraction = Extraction(articles=articles, toponyms=toponyms, strikes=events)
        places = timed("places_frame", extraction.places_frame)
        strikes = timed("strikes_frame", extraction.strikes_frame)
        timed("geojson", lambda: sum(len(p) for p in iter_geojson_text(places, strikes)))
        return articles

    warm_start = time.process_time()
    run_all(paths[:3], lambda name, func: func())
    warmup_s = time.process_time() - warm_start

    seconds: dict[str, float] = {}

    def timed(name: str, func: Any) -> Any:
        runs = []
        for _ in range(repeat):
            _clear_cache(name)
            start = time.process_time()
            value = func()
            runs.append(time.process_time() - start)
            if runs[0] >= REPEAT_UNDER_S:
                break
        seconds[name] = min(runs)
        return value

    articles = run_all(paths, timed)
    megabytes = sum(len(a.text.encode("utf-8")) for a in articles) / 1_000_000
    total = sum(seconds.values())
    return {
        "sample_mb": round(megabytes, 2),
        "warmup_cpu_s": round(warmup_s, 2),
        **{
            name: {
                "cpu_s": round(s, 3),
                "mb_per_s": round(megabytes / s, 2) if s else None,
                "target_mb_per_s": STAGE_TARGETS.get(name),
            }
            for name, s in seconds.items()
        },
        "all_stages": {"cpu_s": round(total, 3), "mb_per_s": round(megabytes / total, 2)},
    }


def _stage_table(stages: dict[str, Any]) -> list[str]:
    lines = [
        f"stages on a {stages['sample_mb']} MB sample (CPU time, fastest of the repeated runs; "
        f"warm-up {stages['warmup_cpu_s']} s not counted):",
        f"  {'stage':<14} {'CPU s':>7} {'MB/s/core':>10} {'target':>7}  status",
    ]
    for name, value in stages.items():
        if not isinstance(value, dict):
            continue
        target = value.get("target_mb_per_s")
        rate = value["mb_per_s"]
        if name == "all_stages":
            target = TARGET_MB_PER_S
        status = (
            f"({STAGE_OWNERS[name]})"
            if name in STAGE_OWNERS
            else "-"
            if target is None or rate is None
            else "ok"
            if rate >= target
            else f"{rate / target:.0%} of target"
        )
        lines.append(
            f"  {name:<14} {value['cpu_s']:>7.3f} {rate if rate is not None else '-':>10} "
            f"{target if target is not None else '-':>7}  {status}"
        )
    return lines


def run_benchmark(
    megabytes: float = 20.0, seed: int = 20240116, *, cli: bool = True
) -> dict[str, Any]:
    """Generate the corpus, run the extraction in-process and via the CLI, return the numbers."""
    from geo.export import write_geojson
    from geo.gazetteer import load_gazetteer
    from geo.pipeline import run_paths

    results: dict[str, Any] = {"target_mb_per_s_per_core": TARGET_MB_PER_S}
    with tempfile.TemporaryDirectory(prefix="strikemap-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        t0 = time.perf_counter()
        corpus = generate_corpus(folder, megabytes=megabytes, seed=seed)
        corpus["generate_s"] = round(time.perf_counter() - t0, 2)
        results["corpus"] = corpus
        megabytes_in = corpus["bytes"] / 1_000_000
        paths = sorted(str(p) for p in folder.iterdir())

        # start-up: first article through the whole pipeline in this process
        tiny = Path(tmp) / "tiny.txt"
        tiny.write_text(
            "date 2024-01-16\nIran fired missiles and drones at Panjgur in Pakistan.\n",
            encoding="utf-8",
        )
        # a fresh interpreter: imports + cached gazetteer index + boundaries + first article
        startup = {"fresh_process_s": _fresh_start(tiny)}
        load_gazetteer()
        results["stages"] = _stages(paths[: max(1, len(paths) // 10)])

        cpu0, t0 = _cpu_self(), time.perf_counter()
        extraction = run_paths(paths)
        t_extract = time.perf_counter() - t0
        places, strikes = extraction.places_frame(), extraction.strikes_frame()
        out = Path(tmp) / "in_process.geojson"
        write_geojson(out, places, strikes)
        wall, cpu = time.perf_counter() - t0, _cpu_self() - cpu0
        results["in_process"] = {
            "wall_s": round(wall, 2),
            "cpu_s": round(cpu, 2),
            "extract_s": round(t_extract, 2),
            "frames_and_geojson_s": round(wall - t_extract, 2),
            "mb_per_s": round(megabytes_in / wall, 2),
            "mb_per_s_per_core": round(megabytes_in / max(cpu, 1e-9), 2),
            "articles": len(extraction.articles),
            "places": len(places),
            "strike_events": len(strikes),
            "strike_reports": int(sum(len(s.sources) for s in extraction.strikes)),
            "cross_border_events": int(strikes["cross_border"].sum()) if len(strikes) else 0,
            "errors": len(extraction.errors),
            "geojson_mb": round(out.stat().st_size / 1_000_000, 2),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
        if cli:
            start = _run_cli(["extract", str(tiny), "-o", str(Path(tmp) / "tiny.geojson")])
            startup["cli_one_article_s"] = round(start["wall_s"], 3)
            run = _run_cli(["extract", str(folder), "-o", str(Path(tmp) / "out.geojson")])
            results["cli"] = {
                "wall_s": round(run["wall_s"], 2),
                "cpu_s": round(run["cpu_s"], 2),
                "mb_per_s": round(megabytes_in / run["wall_s"], 2),
                "mb_per_s_per_core": round(megabytes_in / max(run["cpu_s"], 1e-9), 2),
                "peak_rss_mb": round(run["peak_rss_mb"], 1),
                "returncode": run["returncode"],
            }
            if run["returncode"] != 0:
                results["cli"]["stderr"] = run["stderr"]
        results["startup"] = startup
    results["meets_target"] = results["in_process"]["mb_per_s_per_core"] >= TARGET_MB_PER_S
    return results


def _report(results: dict[str, Any]) -> str:
    corpus, inproc = results["corpus"], results["in_process"]
    lines = [
        f"corpus: {corpus['bytes'] / 1e6:.1f} MB, {corpus['articles']} articles in "
        f"{corpus['files']} files (seed {corpus['seed']}), generated in {corpus['generate_s']} s",
        f"start-up: {results['startup']['fresh_process_s']} s for a fresh interpreter to import "
        "geo and extract one article"
        + (
            f", {results['startup']['cli_one_article_s']} s for the CLI on one article"
            if "cli_one_article_s" in results["startup"]
            else ""
        ),
        f"in-process: {inproc['wall_s']} s wall ({inproc['extract_s']} s extraction, "
        f"{inproc['frames_and_geojson_s']} s frames + GeoJSON), {inproc['mb_per_s']} MB/s, "
        f"{inproc['mb_per_s_per_core']} MB/s per core, peak RSS {inproc['peak_rss_mb']} MB",
        f"  found {inproc['places']} places, {inproc['strike_events']} strike events from "
        f"{inproc['strike_reports']} reports ({inproc['cross_border_events']} cross-border), "
        f"GeoJSON {inproc['geojson_mb']} MB",
    ]
    if "cli" in results:
        c = results["cli"]
        lines.append(
            f"CLI: {c['wall_s']} s wall, {c['mb_per_s']} MB/s, {c['mb_per_s_per_core']} MB/s per "
            f"core, peak RSS {c['peak_rss_mb']} MB, exit {c['returncode']}"
        )
    lines[2:2] = _stage_table(results["stages"])
    verdict = "meets" if results["meets_target"] else "MISSES"
    lines.append(f"{verdict} the target of {results['target_mb_per_s_per_core']} MB/s per core")
    return "\n".join(lines)


SHARED_BENCHMARKS = PROJECT_DIR.parent / "shared" / "benchmarks"
STRIKE_CASES = PROJECT_DIR / "tests" / "data" / "strike_cases"
# Conflict news: the labelled strike corpora shipped with the project, short wire reports with
# a strike in most paragraphs (the tool's own use case).
CONFLICT_CORPORA = [
    PROJECT_DIR / "data" / "devcorpus" / "articles.jsonl",
    *sorted(STRIKE_CASES.glob("*.jsonl")),
]
# General news: the public geoparsing benchmarks beside the project, when present (local and
# health news with few strikes).
GENERAL_CORPORA = [
    SHARED_BENCHMARKS / name / "articles.jsonl" for name in ("geowebnews", "lgl", "geovirus")
]


def _rate(paths: list[Path]) -> dict[str, Any] | None:
    """End-to-end CPU rate on the JSON Lines corpora ``paths`` (those present)."""
    from geo.export import to_geojson
    from geo.ingest import article_from_text
    from geo.pipeline import run_articles

    texts = [
        json.loads(line)["text"]
        for path in paths
        if path.exists()
        for line in path.read_text(encoding="utf-8").split("\n")
        if line.strip()
    ]
    if not texts:
        return None
    articles = [article_from_text(text, id=f"real-{i}") for i, text in enumerate(texts)]
    size_mb = sum(len(text.encode("utf-8")) for text in texts) / 1e6
    # One untimed pass loads what a first article of each kind needs (boundaries for country
    # points, actors, patterns): start-up, reported on its own. Then the fastest of three passes,
    # as the stage table does, since other jobs on a shared host only ever slow a run down.
    run_articles(articles)
    timings = []
    for _ in range(3):
        c0 = time.process_time()
        extraction = run_articles(articles)
        c1 = time.process_time()
        json.dumps(to_geojson(extraction.places_frame(), extraction.strikes_frame()))
        c2 = time.process_time()
        timings.append((c2 - c0, c1 - c0))
    end_to_end, extract = min(timings)
    return {
        "articles": len(articles),
        "mb": round(size_mb, 2),
        "extract_mb_per_s_per_core": round(size_mb / extract, 2),
        "end_to_end_mb_per_s_per_core": round(size_mb / end_to_end, 2),
        "strike_events": len(extraction.strikes),
    }


def real_news() -> dict[str, Any]:
    """End-to-end CPU rates on real-style news: conflict news (the labelled strike corpora) and
    general news (the public geoparsing benchmarks, when ``../shared`` is present).

    The generated corpus packs a strike into every few sentences and a place into every
    sentence; conflict news is about as dense in strikes; general news much less.
    """
    return {"conflict": _rate(CONFLICT_CORPORA), "general": _rate(GENERAL_CORPORA)}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    parser.add_argument("--seed", type=int, default=20240116)
    parser.add_argument("--no-cli", action="store_true", help="skip the CLI runs")
    parser.add_argument("--json", metavar="PATH", help="also write the results here as JSON")
    args = parser.parse_args(argv)
    real = real_news()  # first: its rate should not pay for the large corpus's heap below
    results = run_benchmark(args.mb, args.seed, cli=not args.no_cli)
    results["real_news"] = real
    print(_report(results))
    for kind, rate in real.items():
        if rate is None:
            print(f"{kind} news: corpora not present")
            continue
        print(
            f"{kind} news: {rate['articles']} articles, {rate['mb']} MB, "
            f"{rate['strike_events']} strike events: {rate['end_to_end_mb_per_s_per_core']} MB/s "
            f"per core end to end (extraction alone {rate['extract_mb_per_s_per_core']})"
        )
    print(json.dumps(results))  # one line: benchmarks/run_all.py reads the last JSON line
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
