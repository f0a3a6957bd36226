"""``python -m geo extract``: articles in, strikes and places out as GeoJSON or CSV."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("extract", help="extract places and strikes from articles")
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("extract is being written")
