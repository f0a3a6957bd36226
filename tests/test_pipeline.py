"""The pipeline's frames, built from hand-made articles, toponyms and strikes, then end to end."""

from __future__ import annotations

import dataclasses

import pytest
from shapely.geometry import LineString

from geo.models import Article, Sentence, Source, Strike, Toponym
from geo.pipeline import PLACE_COLUMNS, STRIKE_COLUMNS, Extraction, excerpt_around

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
    assert len(row.geometry.coords) > 10  # densified great circle, not a straight segment


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


def test_excerpt_is_cut_around_the_mention_in_long_sentences() -> None:
    text = "woord " * 200 + "Quetta " + "woord " * 200
    start = text.index("Quetta")
    excerpt = excerpt_around(text, start, start + 6, max_chars=100)
    assert "Quetta" in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")
    assert len(excerpt) <= 102
    assert "  " not in excerpt and " woor…" not in excerpt
