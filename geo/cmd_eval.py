"""``python -m geo eval``: score strike extraction on the labelled corpora.

Without ``--corpus`` it scores, each on its own, the development corpus (``dev``) and the
held-out sets ``cases``, ``wire`` and ``heldout2`` to ``heldout7`` under
``tests/data/strike_cases`` (those present), then prints one summary line per corpus. ``--errors`` lists every missed,
spurious and misplaced ``attacker->target`` pair per article with the sentence it comes from.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.evaluate import EvalReport

THRESHOLDS = (
    ("min_precision", "precision"),
    ("min_recall", "recall"),
    ("min_f1", "f1"),
    ("min_loc161", "loc161"),
)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "eval",
        help=(
            "score strike extraction against the labelled corpora "
            "(dev, cases, wire, heldout2 ... heldout7)"
        ),
        description=(
            "Run the pipeline on every article of each labelled corpus and score the "
            "cross-border strikes it finds as (article, attacker_iso3, target_iso3) triples: "
            "precision, recall, F1, share of matched targets within 161 km, and false events on "
            "articles that report no strike. By default the development corpus "
            "(data/devcorpus/articles.jsonl) and the held-out sets "
            "tests/data/strike_cases/cases.jsonl, wire.jsonl and heldout2.jsonl to heldout7.jsonl "
            "are scored separately. "
            "Exits 1 when a --min-* threshold is missed on any corpus scored."
        ),
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        default=None,
        metavar="PATH",
        help="JSON Lines corpus to score instead of the defaults (repeatable)",
    )
    parser.add_argument(
        "--errors",
        action="store_true",
        help="list each missed / spurious / misplaced (attacker, target) pair per article "
        "with its sentence",
    )
    parser.add_argument(
        "--brief",
        action="store_true",
        help="print only the summary lines, not the per-language and per-conflict tables",
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="print each corpus's full report as one JSON object per line instead of tables",
    )
    parser.add_argument(
        "--dump",
        type=Path,
        default=None,
        metavar="FILE",
        help="write every FP/FN/LOC error with its excerpt to FILE (JSON Lines, with a "
        "'corpus' field)",
    )
    parser.add_argument(
        "--metrics",
        type=Path,
        default=None,
        metavar="FILE",
        help="merge each corpus's summary scores into this JSON file (the app's About page "
        "shows docs/metrics.json; `make eval` writes it)",
    )
    for option, label in THRESHOLDS:
        parser.add_argument(
            "--" + option.replace("_", "-"),
            type=float,
            default=None,
            metavar="X",
            help=f"exit 1 when {label} is below X (0..1) on a corpus",
        )
    parser.set_defaults(func=run)


def _corpora(args: argparse.Namespace) -> dict[str, Path]:
    from geo.evaluate import default_corpora

    if not args.corpus:
        return default_corpora()
    named: dict[str, Path] = {}
    for path in args.corpus:
        name = path.stem if path.stem not in named else str(path)
        named[name] = path
    return named


def _write_metrics(path: Path, reports: dict[str, EvalReport]) -> None:
    """Merge "strikes · <corpus>" summaries into the JSON file at ``path`` (other keys stay)."""
    metrics: dict[str, object] = {}
    if path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
            metrics = loaded if isinstance(loaded, dict) else {}
        except ValueError:
            metrics = {}  # a corrupt file is replaced
    for name, report in reports.items():
        loc = report.loc161
        metrics[f"strikes · {name}"] = {
            "articles": report.overall.n_articles,
            "precision": round(report.precision, 3),
            "recall": round(report.recall, 3),
            "f1": round(report.f1, 3),
            "target within 161 km": None if loc is None else round(loc, 3),
            "false events on no-strike articles": report.false_events_on_no_strike,
        }
    from geo.paths import write_text_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomically(path, [json.dumps(metrics, indent=1, ensure_ascii=False) + "\n"])


def run(args: argparse.Namespace) -> int:
    from geo.errors import GeoError
    from geo.evaluate import evaluate

    corpora = _corpora(args)
    reports: dict[str, EvalReport] = {}
    for name, path in corpora.items():
        try:
            reports[name] = evaluate(path)
        except GeoError as err:
            print(f"error: {name}: {err}", file=sys.stderr)
            return 2

    if args.dump is not None:
        try:
            with args.dump.open("w", encoding="utf-8") as handle:
                for name, report in reports.items():
                    for error in report.errors:
                        record = {"corpus": name, **error.to_json()}
                        handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        except OSError as err:
            print(
                f"error: cannot write --dump file {str(args.dump)!r}: {err.strerror}; "
                "choose a writable path",
                file=sys.stderr,
            )
            return 2

    if args.metrics is not None:
        try:
            _write_metrics(args.metrics, reports)
        except OSError as err:
            print(
                f"error: cannot write --metrics file {str(args.metrics)!r}: {err.strerror}; "
                "choose a writable path",
                file=sys.stderr,
            )
            return 2

    if args.json:
        for name, report in reports.items():
            print(json.dumps({"name": name, **report.to_json()}, ensure_ascii=False))
    else:
        _print_reports(reports, args)

    missed = []
    for name, report in reports.items():
        for option, attribute in THRESHOLDS:
            wanted = getattr(args, option)
            if wanted is None:
                continue
            value = getattr(report, attribute)
            if value is None or value < wanted:
                shown = "n/a" if value is None else f"{value:.3f}"
                missed.append(f"{attribute}={shown} < {wanted} ({name})")
    if missed:
        print("threshold missed: " + ", ".join(missed), file=sys.stderr)
        return 1
    return 0


def _print_reports(reports: dict[str, EvalReport], args: argparse.Namespace) -> None:
    width = max(len(name) for name in reports)
    for name, report in reports.items():
        for error in report.errors:
            if error.kind == "EXTRACT":
                print(
                    f"extractor failed on {name}/{error.article_id}: {error.detail}",
                    file=sys.stderr,
                )
        if args.brief:
            continue
        print(f"== {name}: {report.corpus} ({report.overall.n_articles} articles) ==")
        print(report.format_table())
        if args.errors:
            print()
            print(f"-- errors in {name} --")
            print(report.format_errors())
        print()
    if args.brief and args.errors:
        for name, report in reports.items():
            print(f"-- errors in {name} --")
            print(report.format_errors())
            print()
    for name, report in reports.items():
        line = report.summary_line()
        print(line if len(reports) == 1 else f"{name:<{width}}  {line}")
