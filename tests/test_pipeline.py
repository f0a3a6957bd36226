"""The pipeline's frames, built from hand-made articles, toponyms and strikes, then end to end."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString

from geo.errors import GeoError
from geo.models import Article, Sentence, Source, Strike, Toponym
from geo.pipeline import PLACE_COLUMNS, STRIKE_COLUMNS, Extraction, excerpt_around, run_paths

TEXT = (
    "date 2024-01-16\n"
    "Iran heeft luchtaanvallen uitgevoerd op Panjgur in Pakistan. "
    "De Iraanse staatsmedia meldden dat ook Erbil werd geraakt. "
    "In Panjgur kwamen twee kinderen om het leven."
)


def _span(text: str, word: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def _toponym(text: str, word: str, nth: int = 0, **kw: object) -> Toponym:
    start, end = _span(text, word, nth)
    values: dict[str, object] = {
        "text": word,
        "start": start,
        "end": end,
        "name": word,
        "lon": None,
        "lat": None,
        "country_iso3": None,
        "admin1": None,
        "geonames_id": None,
        "kind": "city",
        "place_id": f"x:{word}",
    }
    values.update(kw)
    return Toponym(**values)  # type: ignore[arg-type]


@pytest.fixture()
def article() -> Article:
    first = TEXT.index("Iran")
    ends = [TEXT.index(".", first) + 1]
    ends.append(TEXT.index(".", ends[0] + 1) + 1)
    ends.append(len(TEXT))
    sentences = (
        Sentence(first, ends[0]),
        Sentence(ends[0] + 1, ends[1]),
        Sentence(ends[1] + 1, ends[2]),
    )
    return Article(
        id="a1",
        title="Iran valt Pakistan aan",
        date="2024-01-16",
        text=TEXT,
        path="news/iran.txt",
        language="nl",
        sentences=sentences,
    )


PANJGUR = dict(
    name="Panjgur",
    lon=64.09,
    lat=26.96,
    country_iso3="PAK",
    admin1="Balochistan",
    geonames_id=1168718,
    kind="city",
    place_id="gn:1168718",
)
ERBIL = dict(
    name="Erbil",
    lon=44.01,
    lat=36.19,
    country_iso3="IRQ",
    admin1="Erbil",
    geonames_id=95446,
    kind="city",
    place_id="gn:95446",
)


@pytest.fixture()
def extraction(article: Article) -> Extraction:
    toponyms = [
        _toponym(
            TEXT,
            "Iran",
            name="Iran",
            lon=53.7,
            lat=32.4,
            country_iso3="IRN",
            kind="country",
            place_id="c:IRN",
        ),
        _toponym(TEXT, "Panjgur", **PANJGUR),
        _toponym(
            TEXT,
            "Pakistan",
            name="Pakistan",
            lon=69.3,
            lat=30.0,
            country_iso3="PAK",
            kind="country",
            place_id="c:PAK",
        ),
        _toponym(
            TEXT,
            "Iraanse",
            name="Iran",
            lon=53.7,
            lat=32.4,
            country_iso3="IRN",
            kind="demonym",
            place_id="c:IRN",
        ),
        _toponym(TEXT, "Erbil", **ERBIL),
        _toponym(TEXT, "Panjgur", 1, **PANJGUR),
        _toponym(TEXT, "Nowhere", lon=None, lat=None) if "Nowhere" in TEXT else None,
    ]
    start, end = _span(TEXT, "Iran heeft")
    sentence = article.sentences[0]
    source = Source(
        article="news/iran.txt",
        article_id="a1",
        title=article.title,
        date=article.date,
        excerpt=TEXT[sentence.start : sentence.end],
        start=sentence.start,
        end=sentence.end,
    )
    strike = Strike(
        id="s1",
        attacker="Iran",
        attacker_iso3="IRN",
        target_name="Panjgur",
        target_iso3="PAK",
        target_admin1="Balochistan",
        target_lon=64.09,
        target_lat=26.96,
        geo_precision="place",
        origin_lon=53.7,
        origin_lat=32.4,
        origin_kind="country",
        cross_border=True,
        date="2024-01-16",
        target_place_id="gn:1168718",
        weapons=("missile", "drone"),
        killed=2,
        confidence=0.8,
        article="news/iran.txt",
        excerpt=source.excerpt,
        start=sentence.start,
        end=sentence.end,
        sources=(source,),
    )
    return Extraction(
        articles=[article],
        toponyms={"a1": [t for t in toponyms if t is not None]},
        strikes=[strike],
    )


def test_places_frame_one_row_per_place(extraction: Extraction) -> None:
    places = extraction.places_frame()
    assert list(places.columns) == [*PLACE_COLUMNS, "geometry"]
    assert places.crs.to_epsg() == 4326
    assert sorted(places["place_id"]) == ["c:IRN", "c:PAK", "gn:1168718", "gn:95446"]
    iran = places.set_index("place_id").loc["c:IRN"]
    # a demonym mention counts as a mention of the country, which stays a country
    assert iran["kind"] == "country"
    assert [m["text"] for m in iran["mentions"]] == ["Iran", "Iraanse"]
    assert iran["admin1"] is None  # a country's point is only representative


def test_places_frame_mentions_and_excerpts(extraction: Extraction) -> None:
    places = extraction.places_frame().set_index("place_id")
    panjgur = places.loc["gn:1168718"]
    assert panjgur["n_mentions"] == 2 and panjgur["n_articles"] == 1
    first, second = panjgur["mentions"]
    assert first["article"] == "news/iran.txt" and first["article_id"] == "a1"
    assert first["title"] == "Iran valt Pakistan aan" and first["date"] == "2024-01-16"
    assert TEXT[first["start"] : first["end"]] == "Panjgur"
    assert first["excerpt"] == "Iran heeft luchtaanvallen uitgevoerd op Panjgur in Pakistan."
    assert second["excerpt"] == "In Panjgur kwamen twee kinderen om het leven."
    assert panjgur.geometry.x == pytest.approx(64.09) and panjgur.geometry.y == pytest.approx(26.96)


def test_places_frame_is_target(extraction: Extraction) -> None:
    places = extraction.places_frame().set_index("place_id")
    assert bool(places.loc["gn:1168718", "is_target"]) is True
    assert bool(places.loc["gn:95446", "is_target"]) is False
    assert bool(places.loc["c:PAK", "is_target"]) is False


def test_places_frame_admin1_of_city(extraction: Extraction) -> None:
    places = extraction.places_frame().set_index("place_id")
    assert places.loc["gn:1168718", "admin1"] == "Balochistan"
    assert places.loc["gn:95446", "country_iso3"] == "IRQ"


def test_strikes_frame_columns_and_geometry(extraction: Extraction) -> None:
    strikes = extraction.strikes_frame()
    assert list(strikes.columns) == [*STRIKE_COLUMNS, "n_sources", "geometry"]
    assert strikes.crs.to_epsg() == 4326
    row = strikes.iloc[0]
    assert row["weapons"] == ["missile", "drone"]
    assert row["sources"][0]["article"] == "news/iran.txt"
    assert row["n_sources"] == 1
    assert isinstance(row.geometry, LineString)
    assert row.geometry.coords[0] == (53.7, 32.4)
    assert row.geometry.coords[-1] == (64.09, 26.96)
    # densified great circle, not a straight segment: inner vertices on the geodesic
    coords = np.array(row.geometry.coords)
    assert len(coords) > 2
    inner = Geod(ellps="WGS84").npts(53.7, 32.4, 64.09, 26.96, len(coords) - 2)
    assert np.allclose(coords[1:-1], np.array(inner))


def test_empty_extraction_has_columns() -> None:
    empty = Extraction()
    places, strikes = empty.places_frame(), empty.strikes_frame()
    assert places.empty and strikes.empty
    assert "mentions" in places.columns and "weapons" in strikes.columns
    assert places.crs.to_epsg() == 4326 and strikes.crs.to_epsg() == 4326


def test_toponym_without_coordinates_is_not_a_place(article: Article) -> None:
    unresolved = _toponym(TEXT, "Erbil", place_id="x:erbil")
    places = Extraction(articles=[article], toponyms={"a1": [unresolved]}).places_frame()
    assert places.empty


def test_jsonl_articles_are_named_by_id(article: Article, extraction: Extraction) -> None:
    second = dataclasses.replace(article, id="a2", path="feed.jsonl")
    first = dataclasses.replace(article, path="feed.jsonl")
    tops = extraction.toponyms["a1"]
    places = Extraction(articles=[first, second], toponyms={"a1": tops, "a2": tops}).places_frame()
    panjgur = places.set_index("place_id").loc["gn:1168718"]
    assert [m["article"] for m in panjgur["mentions"]] == ["a1", "a1", "a2", "a2"]
    assert panjgur["n_articles"] == 2


def test_duplicate_and_colliding_article_ids(article: Article) -> None:
    from geo.pipeline import _unique_ids

    again = dataclasses.replace(article, path="copy/iran.txt")
    other = dataclasses.replace(article, text=article.text + " Meer.", path="other.txt")
    unique = _unique_ids([article, again, other])
    assert [a.id for a in unique] == ["a1", "a1#2"]
    assert [a.path for a in unique] == ["news/iran.txt", "other.txt"]


def test_article_labels(article: Article) -> None:
    from geo.pipeline import article_label

    assert article_label(article) == "news/iran.txt"
    assert article_label(article, shared_path=True) == "a1"
    assert article_label(dataclasses.replace(article, path="feed.JSONL")) == "a1"
    assert article_label(dataclasses.replace(article, path="-")) == "a1"
    assert article_label(dataclasses.replace(article, path=None)) == "a1"


def test_excerpt_is_cut_around_the_mention_in_long_sentences() -> None:
    text = "woord " * 200 + "Quetta " + "woord " * 200
    start = text.index("Quetta")
    excerpt = excerpt_around(text, start, start + 6, max_chars=100)
    assert "Quetta" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= 102
    assert "  " not in excerpt and " woor…" not in excerpt


# --------------------------------------------------------------------------------------------
# End to end on the bundled articles: real ingest, gazetteer, toponyms, strikes, boundaries.


PROJECT = Path(__file__).resolve().parent.parent
ARTICLES = sorted(str(p) for p in (PROJECT / "data" / "articles").glob("*.txt"))
INGEST = PROJECT / "tests" / "data" / "ingest"


@pytest.fixture(scope="module")
def bundled() -> Extraction:
    return run_paths(ARTICLES)


def _iran_pakistan(strikes) -> list[Strike]:
    return [s for s in strikes if s.attacker_iso3 == "IRN" and s.target_iso3 == "PAK"]


def test_bundled_articles_give_one_iran_pakistan_event(bundled: Extraction) -> None:
    assert bundled.errors == []
    assert len(bundled.articles) == 2
    events = _iran_pakistan(bundled.strikes)
    # both articles report the one January 2024 strike: one event, sources from both
    assert len(events) == 1
    [event] = events
    assert event.cross_border is True
    assert {s.article for s in event.sources} == set(ARTICLES)
    assert event.confidence >= max(0.0, *(s.confidence for s in bundled.strikes))  # corroborated
    targets = {s.target_iso3 for s in bundled.strikes if s.attacker_iso3 == "IRN"}
    assert {"PAK", "IRQ", "SYR"} <= targets


def test_bundled_frames(bundled: Extraction) -> None:
    places = bundled.places_frame().set_index("place_id")
    assert {"c:PAK", "c:IRN", "c:IRQ"} <= set(places.index)
    pakistan = places.loc["c:PAK"]
    assert pakistan["n_articles"] == 2
    # the merged event keeps its most specific target; that place is the target on the map
    [event] = _iran_pakistan(bundled.strikes)
    assert bool(places.loc[event.target_place_id, "is_target"]) is True
    assert places["is_target"].sum() == len({s.target_place_id for s in bundled.strikes})
    for mention in pakistan["mentions"]:
        text = Path(mention["article"]).read_text(encoding="utf-8")
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert mention["text"] in mention["excerpt"]
    strikes = bundled.strikes_frame()
    assert len(strikes) == len(bundled.strikes)
    for row in strikes.itertuples():
        last = (
            row.geometry.coords[-1]
            if row.geometry.geom_type == "LineString"
            else row.geometry.geoms[-1].coords[-1]
        )
        assert last == (row.target_lon, row.target_lat)


def test_unreadable_inputs_are_reported_and_skipped(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.txt")
    result = run_paths([ARTICLES[0], missing, str(INGEST / "image.png"), str(INGEST / "empty.txt")])
    assert [a.path for a in result.articles] == [ARTICLES[0]]
    assert len(result.errors) == 3
    assert result.errors[0].startswith(f"{missing}: ")
    assert result.errors[1].startswith(f"{INGEST / 'image.png'}: ")
    assert _iran_pakistan(result.strikes)


def test_jsonl_records_are_named_by_id_and_bad_lines_reported() -> None:
    result = run_paths([str(INGEST / "articles.jsonl")])
    assert result.errors and all(
        e.startswith(str(INGEST / "articles.jsonl")) for e in result.errors
    )
    mentioned = {m["article"] for mentions in result.places_frame()["mentions"] for m in mentions}
    assert "a1" in mentioned and str(INGEST / "articles.jsonl") not in mentioned
    assert all(s.article != str(INGEST / "articles.jsonl") for s in result.strikes)


def test_progress_is_called_for_every_path_and_article() -> None:
    calls: list[tuple[int, int]] = []
    run_paths(ARTICLES, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(1, 2), (2, 2), (1, 2), (2, 2)]


# --------------------------------------------------------------------------------------------
# The command line and the notebook API


def _cli(*args: str, cwd: Path = PROJECT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "geo", "extract", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=cwd,
    )


def test_cli_writes_geojson_to_stdout() -> None:
    result = _cli(*ARTICLES)
    assert result.returncode == 0, result.stderr
    collection = json.loads(result.stdout)
    strikes = [f for f in collection["features"] if f["properties"]["feature_type"] == "strike"]
    assert strikes and all(f["properties"]["cross_border"] for f in strikes)
    assert {f["properties"]["article"] for f in strikes} <= set(ARTICLES)
    places = [f for f in collection["features"] if f["properties"]["feature_type"] == "place"]
    assert any(f["id"] == "c:PAK" for f in places)


def test_cli_output_file_and_relative_paths(tmp_path: Path) -> None:
    out = tmp_path / "out.geojson"
    result = _cli("data/articles", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stderr and result.stdout == ""
    collection = json.loads(out.read_text(encoding="utf-8"))
    articles = {
        m["article"]
        for f in collection["features"]
        if f["properties"]["feature_type"] == "place"
        for m in f["properties"]["mentions"]
    }
    # the folder was expanded; each article is named by its path relative to the folder given
    assert articles == {f"data/articles/{Path(p).name}" for p in ARTICLES}


def test_cli_bad_file_among_good_ones(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    bad = str(INGEST / "image.png")
    result = _cli(ARTICLES[0], bad, ARTICLES[1], "-o", str(out))
    assert result.returncode == 1
    assert bad in result.stderr and "error:" in result.stderr
    text = out.read_text(encoding="utf-8")  # the .csv suffix chose the format
    assert text.startswith("event_id,event_date,actor1,actor2,country,")
    assert "Iran" in text and "Pakistan" in text


def test_cli_refuses_an_output_folder_that_does_not_exist(tmp_path: Path) -> None:
    result = _cli(ARTICLES[0], "-o", str(tmp_path / "no" / "out.geojson"))
    assert result.returncode == 1
    assert "does not exist" in result.stderr and not (tmp_path / "no").exists()


def test_cli_all_strikes_includes_domestic() -> None:
    cross = _cli(*ARTICLES, "--format", "csv")
    every = _cli(*ARTICLES, "--format", "csv", "--all-strikes")
    assert cross.returncode == every.returncode == 0
    assert len(every.stdout.splitlines()) >= len(cross.stdout.splitlines()) > 1
    assert all(",true," in line for line in cross.stdout.splitlines()[1:])


def test_cli_help_explains_the_schema() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "geo", "extract", "--help"], capture_output=True, text=True
    )
    assert result.returncode == 0
    assert "feature_type" in result.stdout and "--all-strikes" in result.stdout


def test_api_reads_paths_and_texts(tmp_path: Path) -> None:
    from geo.api import extract

    text = "date 2024-01-17\nIran fired missiles and drones at targets in Erbil in northern Iraq."
    places, strikes = extract([ARTICLES[0], text])
    assert places.crs.to_epsg() == 4326 and strikes.crs.to_epsg() == 4326
    assert {"IRQ", "PAK"} <= set(strikes["target_iso3"])
    assert set(strikes["article"]) >= {ARTICLES[0]}
    with pytest.raises(GeoError, match="missing.txt"):
        extract([ARTICLES[0], Path(tmp_path / "missing.txt")])
    with pytest.warns(UserWarning, match="skipped 1 input"):
        places, _ = extract([ARTICLES[0], Path(tmp_path / "missing.txt")], on_error="warn")
    assert len(places)
    with pytest.raises(ValueError, match="on_error"):
        extract(text, on_error="skip")


def test_folders_expand_to_article_files_in_name_order(tmp_path: Path) -> None:
    from geo.cmd_extract import expand_paths

    for name in ("b.txt", "a.jsonl", "notes.md", ".hidden/c.txt", "sub/d.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    folder = str(tmp_path)
    assert expand_paths([folder, "missing.txt"]) == [
        f"{folder}/a.jsonl",
        f"{folder}/b.txt",
        f"{folder}/sub/d.html",
        "missing.txt",
    ]


def test_progress_bar_draws_both_phases_and_clears() -> None:
    import io

    from geo.cmd_extract import _ProgressBar

    stream = io.StringIO()
    bar = _ProgressBar(stream, width=10)
    for done in (1, 2):
        bar(done, 2)
    bar(1, 4)
    bar.close()
    text = stream.getvalue()
    assert "reading    [#####.....] 1/2" in text and "[##########] 2/2" in text
    assert "extracting [##........] 1/4" in text
    assert text.endswith("\r")


def test_jobs_give_the_same_extraction_in_input_order() -> None:
    paths = [*ARTICLES, str(PROJECT / "data" / "devcorpus" / "articles.jsonl")]
    one = run_paths(paths)
    calls: list[tuple[int, int]] = []
    two = run_paths(paths, jobs=2, progress=lambda done, total: calls.append((done, total)))
    assert len(one.articles) > 40  # several batches per worker
    assert [a.id for a in two.articles] == [a.id for a in one.articles]
    assert two.toponyms == one.toponyms
    assert two.strikes == one.strikes
    assert two.errors == one.errors
    assert calls[-1] == (len(one.articles), len(one.articles))


def test_cli_jobs(tmp_path: Path) -> None:
    refused = _cli(*ARTICLES, "--jobs", "many")
    assert refused.returncode == 2 and "--jobs 4" in refused.stderr
    out = tmp_path / "jobs.geojson"
    assert _cli(*ARTICLES, "--jobs", "2", "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(_cli(*ARTICLES).stdout)
