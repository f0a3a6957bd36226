"""Score strike extraction against the labelled development corpus (``data/devcorpus``).

The unit of scoring is the triple ``(article id, attacker_iso3, target_iso3)`` of a
**cross-border** strike. Per article, gold and predicted strikes are reduced to sets of
``(attacker_iso3, target_iso3)`` pairs, so reporting the same strike twice (or the extractor
returning it twice) counts once. Precision, recall and F1 are micro-averaged: true positives,
false positives and false negatives are summed over all articles first.

What is and is not scored:

- Gold strikes with ``cross_border: false`` (a domestic bombing, a government air strike on its
  own province) are **not scored**; predicted strikes with ``cross_border`` false are ignored too.
  A predicted cross-border strike that matches no gold cross-border pair is a false positive,
  whatever domestic strikes the gold lists.
- Gold cross-border strikes whose ``attacker_iso3`` or ``target_iso3`` is null (a ship hit at
  sea, an attacker the text leaves unnamed) are "don't care": missing them is not a false
  negative, and a predicted pair that is not in the gold but matches one of them, with null
  matching any code (``(None, "TUR")`` covers ``("SYR", "TUR")``), is neither rewarded nor
  punished.
- Target location: for every matched triple, the smallest great-circle distance between any gold
  target point and any predicted target point of that triple ("best-matching pair"); the triple is
  located correctly when that distance is at most 161 km (100 miles).
- False events on no-strike articles: articles whose gold lists no cross-border strike. Every
  predicted cross-border strike on them is a false event (counted as returned, before the pair
  set collapses duplicates); the rate is the share of those articles with at least one.

Example
-------
>>> report = evaluate("data/devcorpus/articles.jsonl")  # doctest: +SKIP
>>> print(report.summary_line())  # doctest: +SKIP
strikes P=0.812 R=0.734 F1=0.771 loc161=0.903 false_events_on_no_strike=3
"""

from __future__ import annotations

import json
import re
import statistics
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from geo.distance import haversine_km
from geo.errors import DataError, GeoError, InputError
from geo.paths import DATA_DIR, PROJECT_DIR

__all__ = [
    "CORPORA",
    "DEFAULT_CORPUS",
    "LOCATION_TOLERANCE_KM",
    "CorpusArticle",
    "EvalError",
    "EvalReport",
    "GoldStrike",
    "GroupScore",
    "StrikeLike",
    "default_corpora",
    "evaluate",
    "haversine_km",
    "load_corpus",
    "pipeline_extract",
]

DEFAULT_CORPUS = DATA_DIR / "devcorpus" / "articles.jsonl"
_CASES_DIR = PROJECT_DIR / "tests" / "data" / "strike_cases"
#: The labelled corpora ``python -m geo eval`` scores by default, by short name: the development
#: corpus (rules may be checked against it), and held-out sets nobody tunes on: short
#: hand-written unit cases, long wire-style articles, and a second wire-style set on other
#: conflicts and years (``heldout2``, scored before the rules it exposed were written), a
#: third one (``heldout3``: 24 reports, 7 of them look-alikes with no cross-border strike), a
#: fourth (``heldout4``: 28 reports, 9 of them look-alikes), a fifth (``heldout5``: 24
#: reports, 8 of them look-alikes), a sixth (``heldout6``: 30 reports, 11 look-alikes) and a
#: seventh (``heldout7``: 30 reports, 10 look-alikes), both written by engineers who had not
#: read the rules.
CORPORA: dict[str, Path] = {
    "dev": DEFAULT_CORPUS,
    "cases": _CASES_DIR / "cases.jsonl",
    "wire": _CASES_DIR / "wire.jsonl",
    "heldout2": _CASES_DIR / "heldout2.jsonl",
    "heldout3": _CASES_DIR / "heldout3.jsonl",
    "heldout4": _CASES_DIR / "heldout4.jsonl",
    "heldout5": _CASES_DIR / "heldout5.jsonl",
    "heldout6": _CASES_DIR / "heldout6.jsonl",
    "heldout7": _CASES_DIR / "heldout7.jsonl",
}
LOCATION_TOLERANCE_KM = 161.0  # 100 miles, the usual geoparsing "accuracy@161km"
LANGUAGES = ("nl", "en")
_REQUIRED_ARTICLE_KEYS = ("id", "lang", "conflict", "date", "title", "text", "strikes")
_REQUIRED_STRIKE_KEYS = (
    "attacker",
    "attacker_iso3",
    "target_iso3",
    "target_name",
    "target_lat",
    "target_lon",
    "cross_border",
)

Pair = tuple[str | None, str | None]


class StrikeLike(Protocol):
    """What the scorer reads from a predicted strike (``geo.models.Strike`` satisfies it)."""

    @property
    def attacker_iso3(self) -> str | None: ...
    @property
    def target_iso3(self) -> str | None: ...
    @property
    def target_lon(self) -> float: ...
    @property
    def target_lat(self) -> float: ...
    @property
    def cross_border(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class GoldStrike:
    """One labelled strike. Coordinates are WGS84 degrees."""

    attacker: str
    attacker_iso3: str | None
    target_iso3: str | None
    target_name: str
    target_lon: float
    target_lat: float
    cross_border: bool
    note: str | None = None

    @property
    def pair(self) -> Pair:
        return (self.attacker_iso3, self.target_iso3)

    @property
    def is_scored(self) -> bool:
        """Return True when this strike counts towards recall (cross-border, both ends known)."""
        return self.cross_border and bool(self.attacker_iso3) and bool(self.target_iso3)


@dataclass(frozen=True, slots=True)
class CorpusArticle:
    """One line of the corpus: an article and the strikes it reports."""

    id: str
    lang: str
    conflict: str
    date: str
    title: str
    text: str
    strikes: tuple[GoldStrike, ...] = ()

    @property
    def has_cross_border_strike(self) -> bool:
        return any(s.cross_border for s in self.strikes)

    def gold_pairs(self) -> set[Pair]:
        return {s.pair for s in self.strikes if s.is_scored}

    def dont_care_pairs(self) -> set[Pair]:
        return {s.pair for s in self.strikes if s.cross_border and not s.is_scored}


@dataclass(frozen=True, slots=True)
class EvalError:
    """One disagreement with the gold: ``FP``, ``FN``, ``LOC`` (matched, placed > 161 km off)
    or ``EXTRACT`` (the extractor raised a GeoError on this article)."""

    kind: str
    article_id: str
    lang: str
    conflict: str
    attacker_iso3: str | None
    target_iso3: str | None
    detail: str
    excerpt: str

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "article_id": self.article_id,
            "lang": self.lang,
            "conflict": self.conflict,
            "attacker_iso3": self.attacker_iso3,
            "target_iso3": self.target_iso3,
            "detail": self.detail,
            "excerpt": self.excerpt,
        }


@dataclass(frozen=True, slots=True)
class GroupScore:
    """Counts and micro scores for a group of articles (all, one language, one conflict)."""

    n_articles: int
    tp: int
    fp: int
    fn: int
    loc_correct: int = 0

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp, empty=1.0 if self.fn == 0 else 0.0)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn, empty=1.0 if self.fp == 0 else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def loc161(self) -> float | None:
        return None if self.tp == 0 else self.loc_correct / self.tp

    def to_json(self) -> dict[str, Any]:
        return {
            "n_articles": self.n_articles,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "loc161": self.loc161,
        }


@dataclass(frozen=True, slots=True)
class EvalReport:
    """Result of :func:`evaluate`. ``overall`` holds the micro-averaged scores."""

    corpus: str
    overall: GroupScore
    distances_km: tuple[float, ...]  # best-pair distance of every matched triple
    n_no_strike: int
    false_events_on_no_strike: int
    false_event_articles: int
    by_language: dict[str, GroupScore] = field(default_factory=dict)
    by_conflict: dict[str, GroupScore] = field(default_factory=dict)
    errors: tuple[EvalError, ...] = ()

    @property
    def precision(self) -> float:
        return self.overall.precision

    @property
    def recall(self) -> float:
        return self.overall.recall

    @property
    def f1(self) -> float:
        return self.overall.f1

    @property
    def loc161(self) -> float | None:
        return self.overall.loc161

    @property
    def median_km(self) -> float | None:
        return statistics.median(self.distances_km) if self.distances_km else None

    @property
    def false_event_rate(self) -> float | None:
        """Share of no-strike articles on which at least one cross-border strike was predicted."""
        if self.n_no_strike == 0:
            return None
        return self.false_event_articles / self.n_no_strike

    def summary_line(self) -> str:
        """Return the one-line summary that ``make eval`` ends with."""
        return (
            f"strikes P={self.precision:.3f} R={self.recall:.3f} F1={self.f1:.3f} "
            f"loc161={_fmt(self.loc161)} "
            f"false_events_on_no_strike={self.false_events_on_no_strike}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            "n_articles": self.overall.n_articles,
            **{k: v for k, v in self.overall.to_json().items() if k != "n_articles"},
            "median_km": self.median_km,
            "n_no_strike": self.n_no_strike,
            "false_events_on_no_strike": self.false_events_on_no_strike,
            "false_event_articles": self.false_event_articles,
            "false_event_rate": self.false_event_rate,
            "by_language": {k: v.to_json() for k, v in self.by_language.items()},
            "by_conflict": {k: v.to_json() for k, v in self.by_conflict.items()},
            "errors": [e.to_json() for e in self.errors],
        }

    def format_errors(self) -> str:
        """Return every disagreement with the gold, grouped by article, one block per article.

        Each line names the kind (``missed`` = FN, ``spurious`` = FP, ``misplaced`` = LOC,
        ``failed`` = EXTRACT), the ``attacker->target`` pair, what was expected or predicted,
        and on the next line the sentence it comes from.
        """
        if not self.errors:
            return "no errors"
        by_article: dict[str, list[EvalError]] = {}
        for error in self.errors:
            by_article.setdefault(error.article_id, []).append(error)
        blocks = []
        for article_id, errors in by_article.items():
            first = errors[0]
            lines = [f"{article_id} [{first.lang}, {first.conflict}]"]
            for error in errors:
                pair = f"{error.attacker_iso3 or '?'}->{error.target_iso3 or '?'}"
                label = _ERROR_LABELS.get(error.kind, error.kind.lower())
                lines.append(f"  {label:<9} {pair:<8} {error.detail}")
                if error.excerpt:
                    lines.append(f"            > {error.excerpt}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks)

    def format_table(self) -> str:
        """Return a readable plain-text table: overall, per language, per conflict."""
        header = f"{'group':<34} {'n':>3} {'TP':>4} {'FP':>4} {'FN':>4} {'P':>6} {'R':>6} {'F1':>6} {'loc161':>6}"
        lines = [header, "-" * len(header), _row("ALL", self.overall)]
        lines.append("")
        lines.extend(_row(f"lang={k}", v) for k, v in sorted(self.by_language.items()))
        lines.append("")
        lines.extend(_row(k, v) for k, v in sorted(self.by_conflict.items()))
        lines.append("")
        counts: dict[str, int] = {}
        for error in self.errors:
            counts[error.kind] = counts.get(error.kind, 0) + 1
        lines.append(
            f"no-strike articles: {self.n_no_strike}, false events: "
            f"{self.false_events_on_no_strike} on {self.false_event_articles} article(s) "
            f"(rate {_fmt(self.false_event_rate)}); median target error "
            f"{_fmt(self.median_km, '.0f')} km"
        )
        lines.append(
            "errors: " + (", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "none")
        )
        return "\n".join(lines)


_ERROR_LABELS = {"FN": "missed", "FP": "spurious", "LOC": "misplaced", "EXTRACT": "failed"}


def _row(name: str, score: GroupScore) -> str:
    return (
        f"{name[:34]:<34} {score.n_articles:>3} {score.tp:>4} {score.fp:>4} {score.fn:>4} "
        f"{score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f} {_fmt(score.loc161):>6}"
    )


def _fmt(value: float | None, spec: str = ".3f") -> str:
    return "n/a" if value is None else format(value, spec)


def _ratio(num: int, den: int, *, empty: float) -> float:
    return empty if den == 0 else num / den


# --- corpus -----------------------------------------------------------------------------------


def default_corpora() -> dict[str, Path]:
    """Return the corpora of :data:`CORPORA` whose file exists, by short name, in order.

    The development corpus is always listed (a missing one is reported by :func:`load_corpus`);
    the held-out sets under ``tests/data/strike_cases`` are skipped when absent, as in an
    installed package without the tests.
    """
    return {name: path for name, path in CORPORA.items() if name == "dev" or path.is_file()}


def load_corpus(path: str | Path = DEFAULT_CORPUS) -> list[CorpusArticle]:
    """Read and validate a labelled corpus (JSON Lines, one article per line).

    Parameters
    ----------
    path : str or Path
        The ``articles.jsonl`` file; see ``data/devcorpus/README.md`` for the schema.

    Returns
    -------
    list of CorpusArticle
        In file order.

    Raises
    ------
    InputError
        When the file is missing, a line is not JSON, a key is missing or has the wrong type,
        a coordinate is out of range, or an id repeats. The message names the line and field.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(
            f"corpus file {str(path)!r} does not exist; pass --corpus PATH or restore "
            f"{DEFAULT_CORPUS.relative_to(DATA_DIR.parent)} from git"
        )
    articles: list[CorpusArticle] = []
    seen: set[str] = set()
    with path.open(encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{where}: not valid JSON ({err.msg}); fix that line") from err
            article = _parse_article(record, where)
            if article.id in seen:
                raise InputError(f"{where}: duplicate id {article.id!r}; ids must be unique")
            seen.add(article.id)
            articles.append(article)
    if not articles:
        raise InputError(f"corpus file {str(path)!r} has no articles")
    return articles


def _parse_article(record: Any, where: str) -> CorpusArticle:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    missing = [k for k in _REQUIRED_ARTICLE_KEYS if k not in record]
    if missing:
        raise InputError(
            f"{where}: missing key(s) {missing}; every line needs {list(_REQUIRED_ARTICLE_KEYS)}"
        )
    for key in ("id", "lang", "conflict", "date", "title", "text"):
        if not isinstance(record[key], str) or not record[key].strip():
            raise InputError(f"{where}: {key!r} must be a non-empty string, got {record[key]!r}")
    if record["lang"] not in LANGUAGES:
        raise InputError(f"{where}: lang {record['lang']!r} is not one of {list(LANGUAGES)}")
    if not isinstance(record["strikes"], list):
        raise InputError(f"{where}: 'strikes' must be a list (use [] for no strike)")
    strikes = tuple(
        _parse_strike(s, f"{where} strikes[{i}]") for i, s in enumerate(record["strikes"])
    )
    return CorpusArticle(
        id=record["id"],
        lang=record["lang"],
        conflict=record["conflict"],
        date=record["date"],
        title=record["title"],
        text=record["text"],
        strikes=strikes,
    )


def _parse_strike(record: Any, where: str) -> GoldStrike:
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}")
    missing = [k for k in _REQUIRED_STRIKE_KEYS if k not in record]
    if missing:
        raise InputError(f"{where}: missing key(s) {missing}")
    for key in ("attacker_iso3", "target_iso3"):
        value = record[key]
        if value is not None and (
            not isinstance(value, str) or len(value) != 3 or not value.isupper()
        ):
            raise InputError(
                f"{where}: {key} must be an upper-case ISO 3166-1 alpha-3 code or null, got {value!r}"
            )
    lon, lat = record["target_lon"], record["target_lat"]
    if (
        not isinstance(lon, int | float)
        or not isinstance(lat, int | float)
        or isinstance(lon, bool)
        or isinstance(lat, bool)
    ):
        raise InputError(f"{where}: target_lon/target_lat must be numbers, got {lon!r}, {lat!r}")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise InputError(
            f"{where}: target lon/lat ({lon}, {lat}) out of range; lon is in [-180, 180], lat in [-90, 90]"
        )
    if not isinstance(record["cross_border"], bool):
        raise InputError(
            f"{where}: cross_border must be true or false, got {record['cross_border']!r}"
        )
    if record["cross_border"] and record["attacker_iso3"] is None and record["target_iso3"] is None:
        raise InputError(
            f"{where}: a cross-border strike needs attacker_iso3 or target_iso3 (both null would "
            "excuse every prediction on the article); set one, or cross_border to false"
        )
    note = record.get("note")
    return GoldStrike(
        attacker=str(record["attacker"]),
        attacker_iso3=record["attacker_iso3"],
        target_iso3=record["target_iso3"],
        target_name=str(record["target_name"]),
        target_lon=float(lon),
        target_lat=float(lat),
        cross_border=record["cross_border"],
        note=None if note is None else str(note),
    )


# --- extraction -------------------------------------------------------------------------------


def pipeline_extract(article: CorpusArticle) -> list[Any]:
    """Run the real pipeline on one corpus article and return its merged strikes.

    Each article runs on its own so that events are never merged across articles.
    """
    from geo.ingest import article_from_text
    from geo.pipeline import run_articles

    parsed = article_from_text(article.text, title=article.title, date=article.date, id=article.id)
    return list(run_articles([parsed]).strikes)


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class _Counts:
    n_articles: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    loc_correct: int = 0

    def add(self, other: _Counts) -> None:
        self.n_articles += other.n_articles
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.loc_correct += other.loc_correct

    def freeze(self) -> GroupScore:
        return GroupScore(self.n_articles, self.tp, self.fp, self.fn, self.loc_correct)


def evaluate(
    corpus_path: str | Path = DEFAULT_CORPUS,
    extract_fn: Callable[[CorpusArticle], Iterable[StrikeLike]] | None = None,
) -> EvalReport:
    """Score an extractor against a labelled corpus.

    Parameters
    ----------
    corpus_path : str or Path
        JSON Lines corpus (default: ``data/devcorpus/articles.jsonl``).
    extract_fn : callable, optional
        Called once per :class:`CorpusArticle`; returns the predicted strikes, each with
        ``attacker_iso3``, ``target_iso3``, ``target_lon``, ``target_lat`` (WGS84) and
        ``cross_border`` (``geo.models.Strike`` qualifies). Default: :func:`pipeline_extract`.
        A :class:`geo.errors.GeoError` raised for one article is recorded as an ``EXTRACT``
        error and that article scores as if nothing was predicted; a
        :class:`geo.errors.DataError` (broken bundled data, so every article would fail) and
        any other exception propagate.

    Returns
    -------
    EvalReport

    Raises
    ------
    InputError
        When the corpus cannot be read (see :func:`load_corpus`).
    DataError
        When the extractor finds the bundled data (gazetteer, boundaries, actors) broken.
    """
    articles = load_corpus(corpus_path)
    extract = extract_fn or pipeline_extract
    overall = _Counts()
    by_lang: dict[str, _Counts] = {}
    by_conflict: dict[str, _Counts] = {}
    errors: list[EvalError] = []
    distances: list[float] = []
    n_no_strike = false_events = false_event_articles = 0

    for article in articles:
        try:
            predicted = list(extract(article))
        except DataError:
            raise  # bundled data is broken: every article would fail the same way
        except GeoError as err:
            errors.append(_error("EXTRACT", article, (None, None), str(err), ""))
            predicted = []
        counts, article_distances, article_errors = _score_article(article, predicted)
        distances.extend(article_distances)
        errors.extend(article_errors)
        overall.add(counts)
        by_lang.setdefault(article.lang, _Counts()).add(counts)
        by_conflict.setdefault(article.conflict, _Counts()).add(counts)
        if not article.has_cross_border_strike:
            n_no_strike += 1
            n_false = sum(1 for p in predicted if p.cross_border)
            false_events += n_false
            false_event_articles += n_false > 0

    return EvalReport(
        corpus=str(corpus_path),
        overall=overall.freeze(),
        distances_km=tuple(distances),
        n_no_strike=n_no_strike,
        false_events_on_no_strike=false_events,
        false_event_articles=false_event_articles,
        by_language={k: v.freeze() for k, v in by_lang.items()},
        by_conflict={k: v.freeze() for k, v in by_conflict.items()},
        errors=tuple(errors),
    )


def _score_article(
    article: CorpusArticle, predicted: Sequence[StrikeLike]
) -> tuple[_Counts, list[float], list[EvalError]]:
    gold = article.gold_pairs()
    ignored = article.dont_care_pairs()
    cross = [p for p in predicted if p.cross_border]
    pred_pairs = {
        pair
        for pair in ((p.attacker_iso3, p.target_iso3) for p in cross)
        if pair in gold or not any(_wildcard_match(d, pair) for d in ignored)
    }
    matched = gold & pred_pairs
    counts = _Counts(
        n_articles=1, tp=len(matched), fp=len(pred_pairs - gold), fn=len(gold - pred_pairs)
    )
    distances: list[float] = []
    errors: list[EvalError] = []
    for pair in sorted(matched, key=_pair_key):
        best, gold_strike, pred = min(
            (
                (haversine_km(g.target_lon, g.target_lat, p.target_lon, p.target_lat), g, p)
                for g in article.strikes
                if g.is_scored and g.pair == pair
                for p in cross
                if (p.attacker_iso3, p.target_iso3) == pair
            ),
            key=lambda item: item[0],
        )
        distances.append(best)
        if best <= LOCATION_TOLERANCE_KM:
            counts.loc_correct += 1
        else:
            detail = (
                f"target {gold_strike.target_name!r} placed {best:.0f} km off "
                f"(predicted lon/lat {pred.target_lon:.3f}, {pred.target_lat:.3f})"
            )
            errors.append(_error("LOC", article, pair, detail, _predicted_excerpt(pred, article)))
    for pair in sorted(pred_pairs - gold, key=_pair_key):
        pred = next(p for p in cross if (p.attacker_iso3, p.target_iso3) == pair)
        name = getattr(pred, "target_name", "") or "?"
        detail = f"predicted {getattr(pred, 'attacker', '') or pair[0]} -> {name}"
        errors.append(_error("FP", article, pair, detail, _predicted_excerpt(pred, article)))
    for pair in sorted(gold - pred_pairs, key=_pair_key):
        g = next(s for s in article.strikes if s.is_scored and s.pair == pair)
        detail = f"missed {g.attacker} -> {g.target_name}" + (f" ({g.note})" if g.note else "")
        errors.append(_error("FN", article, pair, detail, _gold_excerpt(article.text, g)))
    return counts, distances, errors


def _wildcard_match(dont_care: Pair, pair: Pair) -> bool:
    """Return True when ``pair`` matches a don't-care pair, where null matches anything."""
    return all(d is None or d == p for d, p in zip(dont_care, pair, strict=True))


def _pair_key(pair: Pair) -> tuple[str, str]:
    return (pair[0] or "", pair[1] or "")


def _error(kind: str, article: CorpusArticle, pair: Pair, detail: str, excerpt: str) -> EvalError:
    return EvalError(
        kind, article.id, article.lang, article.conflict, pair[0], pair[1], detail, excerpt
    )


def _predicted_excerpt(pred: StrikeLike, article: CorpusArticle) -> str:
    excerpt = getattr(pred, "excerpt", "") or ""
    return excerpt or _excerpt_around(article.text, getattr(pred, "target_name", "") or "")


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9À-ÖØ-Þ])|\n\s*\n")
_MAX_EXCERPT = 400


def _gold_excerpt(text: str, strike: GoldStrike) -> str:
    """Return the sentence that best shows a missed gold strike.

    The first sentence that names the target and a word of the attacker wins (so "Turkey ->
    northern Iraq" shows the sentence about Turkey, not an earlier one about Iran that also says
    "northern Iraq"); otherwise the first sentence that names the target.
    """
    attacker_words = [w.casefold() for w in re.findall(r"\w{4,}", strike.attacker)]
    target_words = [
        w.strip().casefold() for w in strike.target_name.replace("/", ",").split(",") if w.strip()
    ]
    for sentence in _sentences(text):
        folded = sentence.casefold()
        if any(t in folded for t in target_words) and any(a in folded for a in attacker_words):
            return _excerpt_around(sentence, next(t for t in target_words if t in folded))
    return _excerpt_around(text, strike.target_name)


def _sentences(text: str) -> list[str]:
    bounds = [0, *(m.end() for m in _SENTENCE_END.finditer(text)), len(text)]
    return [
        text[a:b].strip() for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()
    ]


def _excerpt_around(text: str, needle: str, width: int = 120) -> str:
    """Return the sentence of ``text`` that first mentions ``needle``.

    ``needle`` is a gold target name such as ``"Sherpur, Kabul"``; when it is not in the text
    as a whole, each comma-separated part and then its longest word are tried. Without any
    match, the start of the text. Sentences longer than ``_MAX_EXCERPT`` characters are cut to
    about ``2 * width`` characters around the match.
    """
    folded = text.casefold()
    index = -1
    found = ""
    candidates = [needle, *needle.split(","), *sorted(needle.split(), key=len, reverse=True)]
    for candidate in (c.strip() for c in candidates if c and c.strip()):
        if len(candidate) < 4 and candidate != needle:
            continue
        index = folded.find(candidate.casefold())
        if index >= 0:
            found = candidate
            break
    if index < 0:
        return " ".join(text[: 2 * width].split())
    start = 0
    end = len(text)
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= index:
            start = match.end()
        elif match.start() >= index + len(found):
            end = match.start()
            break
    if end - start <= _MAX_EXCERPT:
        return " ".join(text[start:end].split())
    cut_start, cut_end = max(start, index - width), min(end, index + len(found) + width)
    snippet = " ".join(text[cut_start:cut_end].split())
    return ("…" if cut_start > start else "") + snippet + ("…" if cut_end < end else "")
