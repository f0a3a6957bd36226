"""``python -m geo assets``: copy Leaflet and jQuery into static/vendor for the offline map."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = subparsers.add_parser(
        "assets",
        help="copy Leaflet and jQuery into static/vendor (offline map)",
        description=(
            "Copy Leaflet 1.9.3 (with its marker images) and jQuery 3.7.1 from the XStatic "
            "packages into static/vendor, where Streamlit serves them to the map. Idempotent."
        ),
    )
    parser.add_argument(
        "--dest", type=Path, default=None, help="target folder (default: <project>/static/vendor)"
    )
    parser.add_argument("--quiet", action="store_true", help="print nothing on success")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from geo.assets import VENDOR_DIR, asset_files, install_assets
    from geo.errors import GeoError

    dest = args.dest or VENDOR_DIR
    try:
        written = install_assets(dest)
        total = len(asset_files())
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    if not args.quiet:
        print(f"{dest}: {len(written)} of {total} files written, {total - len(written)} up to date")
    return 0
