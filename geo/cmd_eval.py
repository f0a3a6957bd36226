"""``python -m geo eval``: score strike extraction on the labelled development corpus."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

THRESHOLDS = (
    ("min_precision", "precision"),
    ("min_recall", "recall"),
    ("min_f1", "f1"),
    ("min_loc161", "loc161"),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help="score strike extraction against the labelled development corpus",
        description=(
            "Run the pipeline on every article of a labelled corpus and score the cross-border "
            "strikes it finds as (article, attacker_iso3, target_iso3) triples: precision, "
            "recall, F1, share of matched targets within 161 km, and false events on articles "
            "that report no strike. Exits 1 when a --min-* threshold is missed."
        ),
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        default=None,
        help="JSON Lines corpus (default: data/devcorpus/articles.jsonl)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print the full report as JSON instead of the table"
    )
    parser.add_argument(
        "--dump",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every FP/FN/LOC error with its excerpt to FILE (JSON Lines)",
    )
    for option, label in THRESHOLDS:
        parser.add_argument(
            "--" + option.replace("_", "-"),
            type=float,
            default=None,
            metavar="X",
            help=f"exit 1 when {label} is below X (0..1)",
        )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from geo.errors import GeoError
    from geo.evaluate import DEFAULT_CORPUS, evaluate

    corpus = args.corpus or DEFAULT_CORPUS
    try:
        report = evaluate(corpus)
    except GeoError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2

    if args.dump is not None:
        try:
            with args.dump.open("w", encoding="utf-8") as handle:
                for error in report.errors:
                    handle.write(json.dumps(error.to_json(), ensure_ascii=False) + "\n")
        except OSError as err:
            print(
                f"error: cannot write --dump file {str(args.dump)!r}: {err.strerror}; choose a writable path",
                file=sys.stderr,
            )
            return 2

    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.format_table())
        for error in report.errors:
            if error.kind == "EXTRACT":
                print(f"extractor failed on {error.article_id}: {error.detail}", file=sys.stderr)
        print(report.summary_line())

    missed = []
    for option, attribute in THRESHOLDS:
        wanted = getattr(args, option)
        if wanted is None:
            continue
        value = getattr(report, attribute)
        if value is None or value < wanted:
            shown = "n/a" if value is None else f"{value:.3f}"
            missed.append(f"{attribute}={shown} < {wanted}")
    if missed:
        print("threshold missed: " + ", ".join(missed), file=sys.stderr)
        return 1
    return 0
