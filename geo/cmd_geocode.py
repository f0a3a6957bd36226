"""``python -m geo geocode QUERY...``: look places up and print one JSON object per line."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

FIELDS = (
    "query",
    "name",
    "lat",
    "lon",
    "country_iso3",
    "admin1",
    "geonames_id",
    "kind",
    "source",
    "place_id",
    "address",
    "fallback_reason",
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "geocode",
        help="look up place names (offline gazetteer; Nominatim with --online)",
        description=(
            "Geocode place names and print JSON Lines with the keys "
            + ", ".join(FIELDS)
            + ". Qualify names with a country or province: 'Kerman, Iran', "
            "'Springfield, IL'. A name that is not found gives a line with null values, a "
            "note on stderr and exit status 1. '-' reads one query per line from stdin."
        ),
    )
    parser.add_argument("queries", nargs="+", metavar="QUERY", help="place name, or - for stdin")
    backend = parser.add_mutually_exclusive_group()
    backend.add_argument(
        "--online",
        action="store_true",
        help=(
            "ask Nominatim (STRIKEMAP_NOMINATIM_DOMAIN, default the public server; cached, at "
            "most 1 request/s, falls back to offline on failure). Set STRIKEMAP_USER_AGENT to "
            "'yourapp/1.0 (you@example.org)' first"
        ),
    )
    backend.add_argument(
        "--offline", action="store_true", help="use the bundled gazetteer only (the default)"
    )
    parser.add_argument(
        "--all", action="store_true", help="print every candidate, most important first"
    )
    parser.add_argument(
        "--country",
        action="append",
        metavar="CODE",
        help="keep places in this country (ISO alpha-2 or alpha-3); repeatable",
    )
    parser.set_defaults(func=_main)


def _main(args: argparse.Namespace) -> int:
    import os

    from geo.errors import GeoError
    from geo.geocoders import GeocoderSettings, make_geocoder

    queries = list(_expand(args.queries, sys.stdin))
    try:
        settings = GeocoderSettings.from_env(os.environ)
        if args.online:
            settings = GeocoderSettings.from_env({**os.environ, "STRIKEMAP_GEOCODER": "nominatim"})
        elif args.offline:
            settings = GeocoderSettings.from_env({**os.environ, "STRIKEMAP_GEOCODER": "offline"})
        geocoder = make_geocoder(settings)
        return run(
            queries,
            geocoder,
            all_candidates=args.all,
            country_codes=args.country,
            out=sys.stdout,
            err=sys.stderr,
        )
    except GeoError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _expand(queries: Iterable[str], stdin: TextIO) -> Iterable[str]:
    for query in queries:
        if query == "-":
            yield from (line.strip() for line in stdin if line.strip())
        else:
            yield query


def run(
    queries: Iterable[str],
    geocoder: Any,
    *,
    all_candidates: bool = False,
    country_codes: list[str] | None = None,
    out: TextIO,
    err: TextIO,
) -> int:
    """Geocode each query with `geocoder` and write JSON Lines to `out`.

    Returns
    -------
    int
        0 when every query was found, 1 when at least one was not.
    """
    missing = 0
    for query in queries:
        if not query.strip():
            print("note: skipped an empty query", file=err)
            continue
        answer = geocoder.geocode(
            query, exactly_one=not all_candidates, country_codes=country_codes
        )
        locations = [] if answer is None else answer if isinstance(answer, list) else [answer]
        if not locations:
            missing += 1
            print(f"note: no place found for {query!r}", file=err)
            out.write(json.dumps(record(query, None), ensure_ascii=False) + "\n")
        for location in locations:
            out.write(json.dumps(record(query, location), ensure_ascii=False) + "\n")
        out.flush()
    return 1 if missing else 0


def record(query: str, location: Any) -> dict[str, Any]:
    """Return the output object of one answer (every key present; null when not found)."""
    row: dict[str, Any] = dict.fromkeys(FIELDS)
    row["query"] = query
    if location is None:
        return row
    raw = location.raw or {}
    row.update(
        name=raw.get("name"),
        lat=round(float(location.latitude), 6),
        lon=round(float(location.longitude), 6),
        country_iso3=raw.get("country_iso3"),
        admin1=raw.get("admin1"),
        geonames_id=raw.get("geonames_id"),
        kind=raw.get("kind"),
        source=raw.get("source"),
        place_id=raw.get("place_id"),
        address=location.address,
        fallback_reason=raw.get("fallback_reason"),
    )
    return row
