"""Tests for geo/evaluate.py and geo/cmd_eval.py: the scorer on hand-computed cases, the
labelled corpora's validity, and the ``python -m geo eval`` command."""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pycountry
import pytest

import geo.evaluate as evaluation
from geo.cli import main
from geo.errors import DataError, GeoError, InputError
from geo.evaluate import (
    DEFAULT_CORPUS,
    CorpusArticle,
    evaluate,
    haversine_km,
    load_corpus,
)
from geo.paths import BOUNDARIES_DIR

STRIKE_CASES = Path(__file__).resolve().parent / "data" / "strike_cases"
CASES = STRIKE_CASES / "cases.jsonl"
WIRE = STRIKE_CASES / "wire.jsonl"
HELDOUT2 = STRIKE_CASES / "heldout2.jsonl"
HELDOUT3 = STRIKE_CASES / "heldout3.jsonl"
HELDOUT4 = STRIKE_CASES / "heldout4.jsonl"
HELDOUT5 = STRIKE_CASES / "heldout5.jsonl"
HELDOUT6 = STRIKE_CASES / "heldout6.jsonl"
HELDOUT7 = STRIKE_CASES / "heldout7.jsonl"
ALL_CORPORA = pytest.mark.parametrize(
    "path",
    [DEFAULT_CORPUS, CASES, WIRE, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5, HELDOUT6, HELDOUT7],
    ids=[
        "devcorpus",
        "strike_cases",
        "wire",
        "heldout2",
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
    ],
)

GAZA_CITY = (34.4668, 31.5017)  # lon, lat
TEL_AVIV = (34.7818, 32.0853)
PANJGUR = (64.0903, 26.9642)
TEHRAN = (51.3890, 35.6892)
KOBANI = (38.3560, 36.8800)
BEIRUT = (35.5018, 33.8938)


@dataclass(frozen=True)
class FakeStrike:
    """The attributes the scorer reads; ``geo.models.Strike`` has the same names."""

    attacker_iso3: str | None
    target_iso3: str | None
    target_lon: float
    target_lat: float
    cross_border: bool = True
    target_name: str = ""
    excerpt: str = ""


def _gold(attacker, target, name, lonlat, cross_border=True):
    return {
        "attacker": attacker or "unnamed",
        "attacker_iso3": attacker,
        "target_iso3": target,
        "target_name": name,
        "target_lon": lonlat[0],
        "target_lat": lonlat[1],
        "cross_border": cross_border,
    }


def _article(id_, lang, conflict, strikes, text="Filler text about the events."):
    return {
        "id": id_,
        "lang": lang,
        "conflict": conflict,
        "date": "2024-01-01",
        "title": id_,
        "text": text,
        "strikes": strikes,
    }


TOY = [
    _article(
        "a1",
        "en",
        "gaza",
        [
            _gold("ISR", "PSE", "Gaza City", GAZA_CITY),
            _gold("PSE", "ISR", "Tel Aviv", TEL_AVIV),
        ],
        text="Israeli jets struck Gaza City. Hamas fired rockets at Tel Aviv.",
    ),
    _article("a2", "en", "iran-pakistan", [_gold("IRN", "PAK", "Panjgur", PANJGUR)]),
    _article(
        "a3",
        "en",
        "tigray",
        [_gold("ETH", "ETH", "Mekelle", (39.4769, 13.4969), cross_border=False)],
    ),
    _article(
        "a4",
        "nl",
        "turkey",
        [_gold("TUR", "SYR", "Kobani", KOBANI), _gold(None, "TUR", "Akcakale", (38.9475, 36.7111))],
    ),
]


@pytest.fixture
def toy_corpus(tmp_path: Path) -> Path:
    path = tmp_path / "toy.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in TOY) + "\n", encoding="utf-8")
    return path


def _perfect(article: CorpusArticle) -> list[FakeStrike]:
    return [
        FakeStrike(s.attacker_iso3, s.target_iso3, s.target_lon, s.target_lat, s.cross_border)
        for s in article.strikes
        if s.is_scored
    ]


def _degraded(article: CorpusArticle) -> list[FakeStrike]:
    return {
        # one right, one invented (ISR->LBN), one missed (PSE->ISR)
        "a1": [FakeStrike("ISR", "PSE", *GAZA_CITY), FakeStrike("ISR", "LBN", *BEIRUT)],
        # right pair, wrong place (Tehran is ~1,200 km from Panjgur)
        "a2": [FakeStrike("IRN", "PAK", *TEHRAN)],
        # two false events on a no-strike article, one pair; a domestic prediction is ignored
        "a3": [
            FakeStrike("ETH", "ERI", 38.9251, 15.3229),
            FakeStrike("ETH", "ERI", 38.93, 15.33),
            FakeStrike("ETH", "ETH", 39.4769, 13.4969, cross_border=False),
        ],
        # right, plus a pair excused by the don't-care (None, TUR)
        "a4": [FakeStrike("TUR", "SYR", *KOBANI), FakeStrike("SYR", "TUR", 38.9475, 36.7111)],
    }[article.id]


# --- scorer -----------------------------------------------------------------------------------


def test_perfect_extractor_scores_one(toy_corpus: Path) -> None:
    report = evaluate(toy_corpus, _perfect)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (4, 0, 0)
    assert report.precision == report.recall == report.f1 == 1.0
    assert report.loc161 == 1.0
    assert report.median_km == 0.0
    assert report.n_no_strike == 1
    assert report.false_events_on_no_strike == 0
    assert report.false_event_rate == 0.0
    assert report.errors == ()
    assert report.summary_line() == (
        "strikes P=1.000 R=1.000 F1=1.000 loc161=1.000 false_events_on_no_strike=0"
    )


def test_known_degradations_give_hand_computed_scores(toy_corpus: Path) -> None:
    report = evaluate(toy_corpus, _degraded)
    # TP: a1 ISR-PSE, a2 IRN-PAK, a4 TUR-SYR; FP: a1 ISR-LBN, a3 ETH-ERI; FN: a1 PSE-ISR
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (3, 2, 1)
    assert report.precision == pytest.approx(3 / 5)
    assert report.recall == pytest.approx(3 / 4)
    assert report.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    assert report.loc161 == pytest.approx(2 / 3)
    assert report.false_events_on_no_strike == 2  # events as returned, before de-duplication
    assert report.false_event_articles == 1
    assert report.false_event_rate == 1.0

    en, nl = report.by_language["en"], report.by_language["nl"]
    assert (en.n_articles, en.tp, en.fp, en.fn) == (3, 2, 2, 1)
    assert (nl.n_articles, nl.tp, nl.fp, nl.fn, nl.f1) == (1, 1, 0, 0, 1.0)
    assert report.by_conflict["tigray"].precision == 0.0
    assert report.by_conflict["iran-pakistan"].loc161 == 0.0

    kinds = Counter((e.kind, e.article_id, e.attacker_iso3, e.target_iso3) for e in report.errors)
    assert kinds == Counter(
        {
            ("FP", "a1", "ISR", "LBN"): 1,
            ("FN", "a1", "PSE", "ISR"): 1,
            ("LOC", "a2", "IRN", "PAK"): 1,
            ("FP", "a3", "ETH", "ERI"): 1,
        }
    )
    missed = next(e for e in report.errors if e.kind == "FN")
    assert "Tel Aviv" in missed.excerpt
    located = next(e for e in report.errors if e.kind == "LOC")
    expected_km = haversine_km(*PANJGUR, *TEHRAN)
    assert f"{expected_km:.0f} km" in located.detail
    assert report.summary_line() == (
        "strikes P=0.600 R=0.750 F1=0.667 loc161=0.667 false_events_on_no_strike=2"
    )


def test_empty_predictions(toy_corpus: Path) -> None:
    report = evaluate(toy_corpus, lambda article: [])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 0, 4)
    assert (report.precision, report.recall, report.f1) == (0.0, 0.0, 0.0)
    assert report.loc161 is None and report.median_km is None
    assert report.false_events_on_no_strike == 0
    assert "loc161=n/a" in report.summary_line()
    assert [e.kind for e in report.errors] == ["FN"] * 4
    # A group with neither gold nor predictions is perfect, not undefined.
    assert report.by_conflict["tigray"].f1 == 1.0


def test_duplicate_predictions_count_once(toy_corpus: Path) -> None:
    report = evaluate(toy_corpus, lambda article: _perfect(article) * 3)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (4, 0, 0)
    assert report.f1 == 1.0


def test_best_matching_point_is_used_for_location(tmp_path: Path) -> None:
    # Gold lists the same pair at two places; the prediction is near the second one only.
    corpus = tmp_path / "two.jsonl"
    article = _article(
        "b1",
        "en",
        "lebanon",
        [
            _gold("ISR", "LBN", "Beirut", BEIRUT),
            _gold("ISR", "LBN", "Bint Jbeil", (35.4331, 33.1192)),
        ],
    )
    corpus.write_text(json.dumps(article) + "\n", encoding="utf-8")
    near_bint_jbeil = FakeStrike("ISR", "LBN", 35.45, 33.13)
    report = evaluate(corpus, lambda a: [FakeStrike("ISR", "LBN", 45.0, 30.0), near_bint_jbeil])
    assert report.overall.tp == 1
    assert report.loc161 == 1.0
    assert report.distances_km[0] < 5


def test_extractor_geo_error_is_recorded_and_scored_as_empty(toy_corpus: Path) -> None:
    def flaky(article: CorpusArticle) -> list[FakeStrike]:
        if article.id == "a2":
            raise GeoError("gazetteer index is corrupt")
        return _perfect(article)

    report = evaluate(toy_corpus, flaky)
    assert (report.overall.tp, report.overall.fn) == (3, 1)
    extract_errors = [e for e in report.errors if e.kind == "EXTRACT"]
    assert [(e.article_id, e.detail) for e in extract_errors] == [
        ("a2", "gazetteer index is corrupt")
    ]


def test_broken_bundled_data_stops_the_evaluation(toy_corpus: Path) -> None:
    def broken(article: CorpusArticle) -> list[FakeStrike]:
        raise DataError("boundary file admin1.parquet cannot be read")

    with pytest.raises(DataError, match="admin1"):
        evaluate(toy_corpus, broken)


def test_haversine_known_distance() -> None:
    # Amsterdam - Rotterdam is about 57 km.
    assert haversine_km(4.9041, 52.3676, 4.4777, 51.9244) == pytest.approx(57.3, abs=1.0)
    assert haversine_km(*BEIRUT, *BEIRUT) == 0.0


# --- corpus loading errors --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", r"toy\.jsonl:1: not valid JSON"),
        (json.dumps({"id": "x"}), r"missing key\(s\)"),
        (json.dumps(_article("x", "fr", "c", [])), r"lang 'fr' is not one of"),
        (
            json.dumps(_article("x", "en", "c", [_gold("ISR", "LBN", "Nowhere", (200.0, 33.0))])),
            r"out of range",
        ),
        (
            json.dumps(_article("x", "en", "c", [_gold("isr", "LBN", "Beirut", BEIRUT)])),
            r"upper-case ISO 3166-1 alpha-3",
        ),
        (
            json.dumps(_article("x", "en", "c", [_gold(None, None, "Somewhere", BEIRUT)])),
            r"needs attacker_iso3 or target_iso3",
        ),
    ],
)
def test_load_corpus_rejects_bad_lines(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "toy.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message):
        load_corpus(path)


def test_load_corpus_rejects_duplicate_ids_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "dup.jsonl"
    path.write_text(json.dumps(TOY[1]) + "\n" + json.dumps(TOY[1]) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"dup\.jsonl:2: duplicate id 'a2'"):
        load_corpus(path)
    with pytest.raises(InputError, match=r"does not exist; pass --corpus PATH"):
        load_corpus(tmp_path / "missing.jsonl")


# --- the labelled corpora ---------------------------------------------------------------------


def _valid_iso3(code: str) -> bool:
    return code in {"PSE", "XKX"} or pycountry.countries.get(alpha_3=code) is not None


@ALL_CORPORA
def test_corpus_labels_are_well_formed(path: Path) -> None:
    articles = load_corpus(path)
    for article in articles:
        for strike in article.strikes:
            for code in (strike.attacker_iso3, strike.target_iso3):
                assert code is None or _valid_iso3(code), (article.id, code)
            assert -180 <= strike.target_lon <= 180 and -90 <= strike.target_lat <= 90
            if strike.is_scored:
                assert strike.attacker_iso3 != strike.target_iso3, article.id
            assert strike.target_name.strip()


def test_devcorpus_meets_its_brief() -> None:
    articles = load_corpus(DEFAULT_CORPUS)
    assert len(articles) >= 48
    no_strike = [a for a in articles if not a.has_cross_border_strike]
    assert len(no_strike) >= 12
    langs = Counter(a.lang for a in articles)
    assert set(langs) == {"nl", "en"}
    assert min(langs.values()) >= 0.4 * len(articles)
    assert len({a.conflict for a in articles}) >= 12
    for article in articles:
        # short hand-written items (80-300 words) and wire-style reports (250-700 words)
        assert 80 <= len(article.text.split()) <= 700, article.id


def test_wire_held_out_set_is_realistic_and_separate() -> None:
    wire = load_corpus(WIRE)
    assert len(wire) >= 20
    langs = Counter(a.lang for a in wire)
    assert set(langs) == {"nl", "en"} and min(langs.values()) >= 0.4 * len(wire)
    assert len({a.conflict for a in wire}) >= 10
    assert sum(not a.has_cross_border_strike for a in wire) >= 0.25 * len(wire)
    for article in wire:
        # wire/newspaper length, not one-paragraph items
        assert 250 <= len(article.text.split()) <= 700, article.id
    dev = load_corpus(DEFAULT_CORPUS)
    assert not {a.id for a in wire} & {a.id for a in dev}
    dev_sentences = {s.strip() for a in dev for s in a.text.split(". ") if len(s) > 40}
    for article in wire:
        assert not {s.strip() for s in article.text.split(". ")} & dev_sentences, article.id


def test_default_corpora_are_scored_separately() -> None:
    corpora = evaluation.default_corpora()
    assert list(corpora) == [
        "dev",
        "cases",
        "wire",
        "heldout2",
        "heldout3",
        "heldout4",
        "heldout5",
        "heldout6",
        "heldout7",
    ]
    assert corpora["dev"] == DEFAULT_CORPUS and corpora["wire"] == WIRE
    assert corpora["heldout2"] == HELDOUT2 and corpora["heldout3"] == HELDOUT3
    assert corpora["heldout4"] == HELDOUT4 and corpora["heldout5"] == HELDOUT5
    assert corpora["heldout6"] == HELDOUT6 and corpora["heldout7"] == HELDOUT7


def test_heldout2_covers_other_conflicts_and_look_alikes() -> None:
    heldout2 = load_corpus(HELDOUT2)
    assert len(heldout2) >= 15
    langs = Counter(a.lang for a in heldout2)
    assert set(langs) == {"nl", "en"} and min(langs.values()) >= 0.4 * len(heldout2)
    # look-alike topics with no cross-border strike: exercises, arms sales, trials, sport, cyber
    assert sum(not a.has_cross_border_strike for a in heldout2) >= 5
    for article in heldout2:
        assert 200 <= len(article.text.split()) <= 450, article.id
    others = [*load_corpus(DEFAULT_CORPUS), *load_corpus(CASES), *load_corpus(WIRE)]
    assert not {a.id for a in heldout2} & {a.id for a in others}
    # every (conflict, date) pair is new: no event already in the other corpora
    assert not {(a.conflict, a.date) for a in heldout2} & {(a.conflict, a.date) for a in others}


@pytest.mark.parametrize(
    ("path", "size", "earlier"),
    [
        (HELDOUT3, 24, [DEFAULT_CORPUS, CASES, WIRE, HELDOUT2]),
        (HELDOUT4, 28, [DEFAULT_CORPUS, CASES, WIRE, HELDOUT2, HELDOUT3]),
        (HELDOUT5, 24, [DEFAULT_CORPUS, CASES, WIRE, HELDOUT2, HELDOUT3, HELDOUT4]),
        (HELDOUT6, 30, [DEFAULT_CORPUS, CASES, WIRE, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5]),
        (
            HELDOUT7,
            30,
            [DEFAULT_CORPUS, CASES, WIRE, HELDOUT2, HELDOUT3, HELDOUT4, HELDOUT5, HELDOUT6],
        ),
    ],
    ids=["heldout3", "heldout4", "heldout5", "heldout6", "heldout7"],
)
def test_later_heldout_sets_are_new_balanced_and_have_look_alikes(
    path: Path, size: int, earlier: list[Path]
) -> None:
    heldout = load_corpus(path)
    assert len(heldout) == size
    assert Counter(a.lang for a in heldout) == {"en": size // 2, "nl": size // 2}
    assert len({a.conflict for a in heldout}) >= 10
    # threats, drills, test launches, a domestic bombing, a truce, sport, an anniversary
    assert sum(not a.has_cross_border_strike for a in heldout) >= 6
    for article in heldout:
        assert 120 <= len(article.text.split()) <= 400, article.id
    others = [article for corpus in earlier for article in load_corpus(corpus)]
    assert not {a.id for a in heldout} & {a.id for a in others}
    assert not {(a.conflict, a.date) for a in heldout} & {(a.conflict, a.date) for a in others}
    sentences = {s.strip() for a in others for s in a.text.split(". ") if len(s) > 40}
    for article in heldout:
        assert not {s.strip() for s in article.text.split(". ")} & sentences, article.id


def test_format_errors_lists_each_pair_with_its_sentence(toy_corpus: Path) -> None:
    report = evaluate(toy_corpus, _degraded)
    listing = report.format_errors()
    blocks = listing.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        "a1 [en, gaza]",
        "a2 [en, iran-pakistan]",
        "a3 [en, tigray]",
    ]
    a1 = blocks[0]
    assert "spurious  ISR->LBN" in a1
    assert "missed    PSE->ISR" in a1
    # the sentence of the missed strike, not the whole article
    assert "> Hamas fired rockets at Tel Aviv." in a1
    assert "Israeli jets struck" not in a1.split("missed")[1]
    assert "misplaced IRN->PAK" in blocks[1]
    assert evaluate(toy_corpus, _perfect).format_errors() == "no errors"


def test_strike_cases_are_separate_from_the_devcorpus() -> None:
    cases = load_corpus(CASES)
    assert len(cases) == 12
    assert {c.lang for c in cases} == {"nl", "en"}
    dev = load_corpus(DEFAULT_CORPUS)
    assert not {c.id for c in cases} & {a.id for a in dev}
    dev_sentences = {s.strip() for a in dev for s in a.text.split(". ") if len(s) > 40}
    for case in cases:
        assert not {s.strip() for s in case.text.split(". ")} & dev_sentences, case.id


@ALL_CORPORA
def test_gold_targets_lie_in_their_target_country(path: Path) -> None:
    admin0 = BOUNDARIES_DIR / "admin0.parquet"
    if not admin0.is_file():
        pytest.skip("data/boundaries/admin0.parquet is not built")
    import geopandas as gpd
    from shapely.geometry import Point

    countries = gpd.read_parquet(admin0)
    wrong = []
    for article in load_corpus(path):
        for strike in article.strikes:
            if strike.target_iso3 is None:
                continue
            inside = countries[countries.contains(Point(strike.target_lon, strike.target_lat))]
            if inside["country_iso3"].tolist() != [strike.target_iso3]:
                wrong.append((article.id, strike.target_name, inside["country_iso3"].tolist()))
    assert wrong == []


# --- the command ------------------------------------------------------------------------------


def test_cli_prints_table_and_summary_and_enforces_thresholds(
    toy_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(evaluation, "pipeline_extract", _degraded)
    dump = tmp_path / "errors.jsonl"
    assert main(["eval", "--corpus", str(toy_corpus), "--dump", str(dump), "--min-f1", "0.6"]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().splitlines()[-1] == (
        "strikes P=0.600 R=0.750 F1=0.667 loc161=0.667 false_events_on_no_strike=2"
    )
    assert "lang=nl" in out and "iran-pakistan" in out
    dumped = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert sorted(d["kind"] for d in dumped) == ["FN", "FP", "FP", "LOC"]
    assert all(d["excerpt"] for d in dumped)

    assert main(["eval", "--corpus", str(toy_corpus), "--min-f1", "0.7"]) == 1
    assert "threshold missed: f1=0.667 < 0.7" in capsys.readouterr().err
    assert main(["eval", "--corpus", str(toy_corpus), "--min-recall", "0.75"]) == 0
    assert main(["eval", "--corpus", str(toy_corpus), "--min-precision", "0.61"]) == 1


def test_cli_scores_each_default_corpus_and_lists_errors(
    toy_corpus: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    other = toy_corpus.with_name("other.jsonl")
    other.write_text(json.dumps(TOY[1]) + "\n", encoding="utf-8")
    monkeypatch.setattr(evaluation, "CORPORA", {"dev": toy_corpus, "wire": other})
    monkeypatch.setattr(evaluation, "pipeline_extract", _degraded)
    assert main(["eval", "--errors", "--brief", "--min-f1", "0.6"]) == 0
    captured = capsys.readouterr()
    lines = captured.out.rstrip().splitlines()
    assert lines[-2] == (
        "dev   strikes P=0.600 R=0.750 F1=0.667 loc161=0.667 false_events_on_no_strike=2"
    )
    # a2 alone: the pair is right (F1 1.0) but placed 1,200 km off
    assert lines[-1].startswith("wire  strikes P=1.000 R=1.000 F1=1.000 loc161=0.000")
    assert "-- errors in dev --" in captured.out and "-- errors in wire --" in captured.out
    assert "> Hamas fired rockets at Tel Aviv." in captured.out
    assert "threshold missed" not in captured.err  # F1 0.667 and 1.0 both pass 0.6
    assert main(["eval", "--brief", "--min-loc161", "0.5"]) == 1
    assert "loc161=0.000 < 0.5 (wire)" in capsys.readouterr().err


def test_cli_json_and_bad_corpus(
    toy_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(evaluation, "pipeline_extract", _perfect)
    assert main(["eval", "--corpus", str(toy_corpus), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["f1"] == 1.0 and data["tp"] == 4 and data["by_language"]["nl"]["tp"] == 1
    assert main(["eval", "--corpus", str(tmp_path / "nope.jsonl")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_merges_summary_scores_into_the_metrics_file(
    toy_corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluation, "pipeline_extract", _degraded)
    metrics = tmp_path / "docs" / "metrics.json"
    metrics.parent.mkdir()
    metrics.write_text(json.dumps({"toponyms · GeoWebNews": {"f1": 0.82}}), encoding="utf-8")
    assert main(["eval", "--corpus", str(toy_corpus), "--brief", "--metrics", str(metrics)]) == 0
    data = json.loads(metrics.read_text(encoding="utf-8"))
    assert data["toponyms · GeoWebNews"] == {"f1": 0.82}  # other entries are kept
    scores = data[f"strikes · {toy_corpus.stem}"]
    assert (scores["precision"], scores["recall"], scores["f1"]) == (0.6, 0.75, 0.667)
    assert scores["false events on no-strike articles"] == 2
    metrics.write_text("{not json", encoding="utf-8")  # a corrupt file is replaced
    assert main(["eval", "--corpus", str(toy_corpus), "--brief", "--metrics", str(metrics)]) == 0
    assert list(json.loads(metrics.read_text(encoding="utf-8"))) == [f"strikes · {toy_corpus.stem}"]


# --- the real pipeline ------------------------------------------------------------------------


def test_real_pipeline_runs_on_the_corpus() -> None:
    pytest.importorskip("geo.pipeline")
    report = evaluate(DEFAULT_CORPUS)
    # No minimum score: the extractor is developed blind to these labels. Only sanity.
    for value in (report.precision, report.recall, report.f1):
        assert 0.0 <= value <= 1.0
    assert report.loc161 is None or 0.0 <= report.loc161 <= 1.0
    assert report.overall.n_articles == len(load_corpus(DEFAULT_CORPUS))
    assert report.overall.tp + report.overall.fn == sum(
        len(a.gold_pairs()) for a in load_corpus(DEFAULT_CORPUS)
    )
    assert report.false_events_on_no_strike >= 0
    assert all(e.kind != "EXTRACT" for e in report.errors), report.errors
    assert not math.isnan(report.f1)
