"""``python -m geo extract``: articles in, places and cross-border strikes out (GeoJSON or CSV)."""

from __future__ import annotations

import argparse
import itertools
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from geo.paths import write_text_atomically

DESCRIPTION = """\
Find the places that news articles mention and the cross-border strikes they report, offline,
and write them as one RFC 7946 GeoJSON FeatureCollection (or a CSV of strikes).

Each PATH is a text, HTML or JSON Lines file (one article per line, with a "text" field and
optional "id", "title", "date", "url"), a directory (its .txt/.html/.htm/.json/.jsonl files,
recursively, in name order), or "-" for standard input. An unreadable input is reported on
stderr and skipped; the others are still exported, and the exit code is then 1.
"""

EPILOG = """\
GeoJSON output (WGS84 lon/lat, 6 decimals, string ids):
  Point features, feature_type "place": place_id, name, kind (city, admin1, country, region,
    water), country_iso3, admin1, geonames_id, is_target, n_mentions,
    mentions [{article, text, start, end, excerpt}].
  LineString features (MultiLineString when cut at the antimeridian), feature_type "strike":
    great circle from origin to target (the last position is the target); attacker,
    attacker_iso3, target_name, target_iso3, target_admin1, target_actor, cross_border, date,
    weapons, killed, injured, confidence (0-1, grows with independent sources), article,
    excerpt, start, end, sources [{article, article_id, title, date, excerpt, start, end}],
    geo_precision (place, admin1, region, country), origin_kind, origin_lon/lat,
    target_lon/lat, edited.
  "article" is the input path as given, or the article id for JSON Lines records; start/end
  are character offsets into the decoded article text.
CSV output: one row per strike, ACLED-like columns (event_date, actor1, actor2, country,
  admin1, location, latitude, longitude, fatalities, source, notes) plus attacker_iso3,
  target_iso3, cross_border, origin_lat, origin_lon, geo_precision, confidence, weapons,
  injured.

examples:
  python -m geo extract data/articles -o strikes.geojson
  python -m geo extract news.jsonl --format csv > strikes.csv
  python -m geo extract archive/ --jobs 4 -o strikes.geojson
"""

INPUT_SUFFIXES = frozenset({".txt", ".html", ".htm", ".json", ".jsonl", ".ndjson"})
PROGRESS_MIN_FILES = 20  # below this a run is quick enough without a progress bar


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract places and cross-border strikes from articles (GeoJSON/CSV)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    parser.add_argument(
        "-o",
        "--output",
        metavar="OUT",
        help="write here instead of standard output (the format follows a .csv suffix)",
    )
    parser.add_argument(
        "--format",
        choices=("geojson", "csv"),
        help="output format (default: csv when OUT ends in .csv, else geojson)",
    )
    parser.add_argument(
        "--all-strikes",
        action="store_true",
        help="also export domestic strikes (attacker and target in the same country)",
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="never show the progress bar on stderr"
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="worker processes for many articles (0: one per CPU; default 1); the output is "
        "the same, in input order",
    )
    parser.set_defaults(func=run)


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a number of processes; use e.g. --jobs 4, or 0 for one per CPU"
        )
    if jobs == 0:  # one per CPU this process may use
        if hasattr(os, "sched_getaffinity"):
            return len(os.sched_getaffinity(0))
        return os.cpu_count() or 1
    return jobs


def expand_paths(paths: list[str]) -> list[str]:
    """Return `paths` with every directory replaced by its article files (sorted, recursive).

    Paths that are not directories are kept exactly as given (missing ones too, so that
    reading them reports the error).
    """
    expanded: list[str] = []
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = sorted(
                str(p)
                for p in Path(path).rglob("*")
                if p.is_file()
                and p.suffix.lower() in INPUT_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                expanded.append(path)  # reading a directory gives a clear error
            expanded.extend(found)
        else:
            expanded.append(path)
    return expanded


class _ProgressBar:
    """A one-line bar on a TTY: ``reading [#####.....] 120/300``; cleared when done."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self._stream = stream
        self._width = width
        self._phase = 0
        self._last = (-1, -1)

    def __call__(self, done: int, total: int) -> None:
        if done == 1 and self._last[0] >= 1:
            self._phase += 1  # run_paths counts files first, then articles
        self._last = (done, total)
        label = ("reading", "extracting")[min(self._phase, 1)]
        filled = self._width * done // max(total, 1)
        bar = "#" * filled + "." * (self._width - filled)
        self._stream.write(f"\r{label:<10} [{bar}] {done}/{total}")
        self._stream.flush()

    def close(self) -> None:
        if self._last[0] >= 0:
            self._stream.write("\r" + " " * (self._width + 40) + "\r")
            self._stream.flush()


def run(args: argparse.Namespace) -> int:
    from geo.errors import GeoError
    from geo.export import iter_geojson_text, to_csv
    from geo.pipeline import run_paths

    output_format = args.format or (
        "csv" if args.output and args.output.lower().endswith(".csv") else "geojson"
    )
    if args.output and args.output != "-":
        folder = Path(args.output).parent
        if not folder.is_dir():
            # fail before the (possibly long) extraction, not after it
            print(
                f"error: cannot write {args.output}: folder {folder} does not exist",
                file=sys.stderr,
            )
            return 1
    paths = expand_paths(list(args.paths))
    progress: Callable[[int, int], None] | None = None
    bar = None
    if not args.no_progress and len(paths) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
        bar = progress = _ProgressBar(sys.stderr)
    try:
        extraction = run_paths(paths, progress=progress, jobs=args.jobs)
    except GeoError as err:
        if bar is not None:
            bar.close()
        print(f"error: {err}", file=sys.stderr)
        return 1
    if bar is not None:
        bar.close()
    for message in extraction.errors:
        print(f"error: {message}", file=sys.stderr)

    strikes = extraction.strikes_frame()
    if not args.all_strikes:
        strikes = strikes[strikes["cross_border"]]
    n_places = 0
    pieces: Iterable[str]
    if output_format == "csv":
        pieces = [to_csv(strikes)]
    else:
        places = extraction.places_frame()
        n_places = len(places)
        # feature by feature: a large export never sits in memory as one string
        pieces = itertools.chain(iter_geojson_text(places, strikes), ["\n"])
    if args.output and args.output != "-":
        try:
            write_text_atomically(args.output, pieces)
        except OSError as err:
            print(f"error: cannot write {args.output}: {err.strerror or err}", file=sys.stderr)
            return 1
        print(
            f"wrote {args.output}: {len(strikes)} strike(s), {n_places} place(s) "
            f"from {len(extraction.articles)} article(s)",
            file=sys.stderr,
        )
    else:
        for piece in pieces:
            sys.stdout.buffer.write(piece.encode("utf-8"))
        sys.stdout.flush()
    return 1 if extraction.errors else 0
