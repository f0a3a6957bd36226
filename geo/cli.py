"""Command line: ``python -m geo COMMAND ...``. Each command lives in its own ``geo.cmd_*`` module.

A command module exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> int`` as the default. Modules keep heavy imports (geopandas, the gazetteer)
inside ``func`` so that ``--help`` stays instant.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

COMMAND_MODULES = (
    "geo.cmd_toponyms",
    "geo.cmd_extract",
    "geo.cmd_geocode",
    "geo.cmd_eval",
    "geo.cmd_assets",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m geo",
        description=(
            "strikemap: find the places and cross-border strikes that news articles report, "
            "offline by default. Run 'python -m geo COMMAND --help' for each command."
        ),
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `... | head` closed the pipe: not an error of ours.
        return 0
