"""``python -m geo toponyms PATH...``: the places each article mentions, as JSON Lines.

One JSON object per article on standard output, in input order::

    {"path": "a.txt", "id": "168bf94a46cd7abb", "date": "2024-01", "language": "nl",
     "toponyms": [{"text": "Pakistan", "start": 26, "end": 34, "name": "Pakistan",
                   "lat": 30.0, "lon": 70.0, "country_iso3": "PAK", "admin1": null,
                   "geonames_id": 1168579, "kind": "country", ...}, ...]}

``path`` is the argument exactly as given; a text or HTML file gives one object, a JSON Lines file
one per article (tell them apart by ``id``). Offsets are 0-based, end-exclusive indices into the
decoded text (``Article.text``). A file that cannot be read gets one ``error: <path>: <reason>``
line on standard error; the other files are still processed, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any, TextIO

LANGUAGE_AUTO = "auto"


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "toponyms",
        help="print the places each article mentions (JSON Lines)",
        description=(
            "Find and resolve the place names in each article, offline. Prints one JSON object "
            "per article: {path, id, date, language, toponyms: [{text, start, end, name, lat, "
            "lon, country_iso3, admin1, geonames_id, kind, ...}]}, with character offsets into "
            "the decoded text. Reads plain text (UTF-8, UTF-16, cp1252), HTML and JSON Lines; "
            "'-' reads standard input. Unreadable files are reported on standard error and make "
            "the exit status 1; every readable file is still printed."
        ),
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="article files, or - for stdin")
    parser.add_argument(
        "--language",
        default=LANGUAGE_AUTO,
        metavar="LANG",
        help="language of the articles (nl, en, ...); default: auto-detect per article",
    )
    parser.add_argument(
        "--max-mb",
        type=float,
        default=None,
        metavar="MB",
        help="largest article to read, in megabytes (default 20, or $STRIKEMAP_MAX_ARTICLE_MB)",
    )
    parser.add_argument(
        "--pretty", action="store_true", help="indent the JSON (no longer one object per line)"
    )
    parser.set_defaults(func=run)


def _writer(stream: TextIO, *, pretty: bool) -> Callable[[dict[str, Any]], None]:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    # Non-ASCII names stay readable on a UTF-8 terminal; other encodings get \\u escapes.
    ensure_ascii = encoding not in ("utf8", "utf8sig")

    def write(obj: dict[str, Any]) -> None:
        indent = 2 if pretty else None
        line = json.dumps(obj, ensure_ascii=ensure_ascii, indent=indent)
        if not ensure_ascii and not line.isascii():
            try:
                line.encode("utf-8")
            except UnicodeEncodeError:  # a lone surrogate, e.g. from an undecodable file name
                line = json.dumps(obj, ensure_ascii=True, indent=indent)
        stream.write(line + "\n")

    return write


def run(args: argparse.Namespace) -> int:
    from geo.errors import GeoError, InputError
    from geo.ingest import read_articles

    language = None if args.language in (None, "", LANGUAGE_AUTO) else args.language.lower()
    max_bytes = None
    if args.max_mb is not None:
        if not args.max_mb > 0:
            print(f"error: --max-mb must be positive, got {args.max_mb}", file=sys.stderr)
            return 2
        max_bytes = int(args.max_mb * 1024 * 1024)

    write = _writer(sys.stdout, pretty=args.pretty)
    gazetteer: Any = None
    failed = 0

    def report(message: str) -> None:
        nonlocal failed
        failed += 1
        print(f"error: {message}", file=sys.stderr)

    for path in args.paths:
        problems: list[str] = []
        try:
            articles = read_articles(path, errors=problems, max_bytes=max_bytes, language=language)
        except InputError as err:
            report(str(err))
            continue
        for problem in problems:
            report(problem)
        if gazetteer is None:
            # Loaded once, and only when some input is readable: a typo in every path fails fast.
            from geo.gazetteer import load_gazetteer

            try:
                gazetteer = load_gazetteer()
            except GeoError as err:
                print(f"error: cannot load the gazetteer: {err}", file=sys.stderr)
                return 2
        from geo.toponyms import find_toponyms

        for article in articles:
            try:
                toponyms = find_toponyms(article.text, gazetteer, language or article.language)
            except GeoError as err:
                report(f"{path}: article {article.id}: {err}")
                continue
            write(
                {
                    "path": path,
                    "id": article.id,
                    "date": article.date,
                    "language": article.language,
                    "toponyms": [toponym.to_json() for toponym in toponyms],
                }
            )
    sys.stdout.flush()
    if failed:
        print(
            f"toponyms: {failed} problem(s) in {len(args.paths)} input(s); "
            "the other results were printed",
            file=sys.stderr,
        )
        return 1
    return 0
