"""geo.filtering: consistent filters over the places and strikes frames."""

from __future__ import annotations

from datetime import date

import pytest

from geo.errors import InputError
from geo.filtering import Filters, apply_filters, date_period, filter_options
from geo.models import Article, Source, Strike, Toponym
from geo.pipeline import Extraction

ARTICLES = [
    Article("nl1", "Iran valt Pakistan aan", "2024-01-17", "Iran viel Panjgur in Pakistan aan."),
    Article("nl2", "Aanval op Erbil", "2024-01", "Iran viel Erbil in Irak aan."),
    Article("en1", "Strike in Idlib", "2024-01-15", "Iran struck Idlib in Syria."),
    Article("x", "Undated", None, "Pakistan struck Saravan in Iran."),
]

PLACES = {  # place id: (name, kind, iso3, lon, lat)
    "gn:panjgur": ("Panjgur", "city", "PAK", 64.1, 26.97),
    "gn:erbil": ("Erbil", "city", "IRQ", 44.01, 36.19),
    "gn:idlib": ("Idlib", "city", "SYR", 36.63, 35.93),
    "gn:saravan": ("Saravan", "city", "IRN", 62.33, 27.37),
    "c:IRN": ("Iran", "country", "IRN", 53.7, 32.4),
}


def _toponym(article: Article, place_id: str) -> Toponym:
    name, kind, iso3, lon, lat = PLACES[place_id]
    word = name if name in article.text else article.text.split()[0]
    start = article.text.index(word)
    return Toponym(word, start, start + len(word), name, lon, lat, iso3, None, None, kind, place_id)


def _strike(sid, article, attacker, attacker_iso3, place_id, confidence=0.8, date_=None):
    name, _, iso3, lon, lat = PLACES[place_id]
    source = Source(article.id, article.id, article.title, article.date, article.text, 0, 5)
    return Strike(
        id=sid,
        attacker=attacker,
        attacker_iso3=attacker_iso3,
        target_name=name,
        target_iso3=iso3,
        target_admin1=None,
        target_lon=lon,
        target_lat=lat,
        geo_precision="place",
        origin_lon=53.7,
        origin_lat=32.4,
        origin_kind="country",
        cross_border=attacker_iso3 != iso3,
        date=date_ if date_ is not None else article.date,
        target_place_id=place_id,
        confidence=confidence,
        sources=(source,),
    )


@pytest.fixture(scope="module")
def frames():
    a = {x.id: x for x in ARTICLES}
    toponyms = {
        "nl1": [_toponym(a["nl1"], "c:IRN"), _toponym(a["nl1"], "gn:panjgur")],
        "nl2": [_toponym(a["nl2"], "c:IRN"), _toponym(a["nl2"], "gn:erbil")],
        "en1": [_toponym(a["en1"], "c:IRN"), _toponym(a["en1"], "gn:idlib")],
        "x": [_toponym(a["x"], "gn:saravan")],
    }
    strikes = [
        _strike("s-pak", a["nl1"], "Iran", "IRN", "gn:panjgur", 0.9),
        _strike("s-irq", a["nl2"], "Iran", "IRN", "gn:erbil", 0.6),
        _strike("s-syr", a["en1"], "Iran", "IRN", "gn:idlib", 0.4),
        _strike("s-irn", a["x"], "Pakistan", "PAK", "gn:saravan", 0.7),
        _strike("s-home", a["nl1"], "Iran", "IRN", "gn:saravan", 0.9, "2024-01-18"),
    ]
    extraction = Extraction(articles=ARTICLES, toponyms=toponyms, strikes=strikes)
    return extraction.places_frame(), extraction.strikes_frame()


def test_date_period_partial_dates():
    assert date_period("2024") == (date(2024, 1, 1), date(2024, 12, 31))
    assert date_period("2023-02") == (date(2023, 2, 1), date(2023, 2, 28))
    assert date_period("2024-01-16") == (date(2024, 1, 16),) * 2
    assert date_period(date(2024, 1, 2)) == (date(2024, 1, 2),) * 2
    for bad in (None, "", "2024-13", "2024-02-30", float("nan"), "januari"):
        assert date_period(bad) is None


def test_empty_filters_keep_everything(frames):
    places, strikes = frames
    p, s = apply_filters(places, strikes, Filters())
    assert len(p) == len(places) and len(s) == len(strikes)
    assert p is not places and s is not strikes


def test_date_range_with_partial_dates(frames):
    places, strikes = frames
    # "2024-01" (the Erbil article) overlaps the 16th-17th; the 15th and 18th do not
    _, s = apply_filters(places, strikes, Filters(date(2024, 1, 16), date(2024, 1, 17)))
    assert set(s["id"]) == {"s-pak", "s-irq", "s-irn"}  # s-irn is undated: kept by default
    _, s = apply_filters(
        places, strikes, Filters(date(2024, 1, 16), date(2024, 1, 17), include_undated=False)
    )
    assert set(s["id"]) == {"s-pak", "s-irq"}
    _, s = apply_filters(places, strikes, Filters(date_from=date(2024, 2, 1)))
    assert set(s["id"]) == {"s-irn"}


def test_strike_criteria(frames):
    places, strikes = frames
    _, s = apply_filters(places, strikes, Filters(attackers=("Pakistan",)))
    assert list(s["id"]) == ["s-irn"]
    _, s = apply_filters(places, strikes, Filters(target_countries=("IRQ", "SYR")))
    assert set(s["id"]) == {"s-irq", "s-syr"}
    _, s = apply_filters(places, strikes, Filters(cross_border_only=True))
    assert "s-home" not in set(s["id"]) and len(s) == 4
    _, s = apply_filters(places, strikes, Filters(min_confidence=0.65))
    assert set(s["id"]) == {"s-pak", "s-irn", "s-home"}


def test_article_selection_filters_both_frames(frames):
    places, strikes = frames
    p, s = apply_filters(places, strikes, Filters(article_ids=("nl2",)))
    assert list(s["id"]) == ["s-irq"]
    assert set(p["place_id"]) == {"c:IRN", "gn:erbil"}
    iran = p[p["place_id"] == "c:IRN"].iloc[0]
    assert iran["n_mentions"] == 1 and [m["article_id"] for m in iran["mentions"]] == ["nl2"]
    # the unfiltered frame still has all mentions
    assert places.loc[places["place_id"] == "c:IRN", "n_mentions"].item() == 3


def test_places_follow_dates_and_targets_follow_strikes(frames):
    places, strikes = frames
    p, s = apply_filters(places, strikes, Filters(date_to=date(2024, 1, 15), include_undated=False))
    assert set(p["place_id"]) == {"c:IRN", "gn:idlib", "gn:erbil"}  # 2024-01 overlaps
    p, s = apply_filters(places, strikes, Filters(attackers=("Pakistan",)))
    targets = set(p.loc[p["is_target"], "place_id"])
    assert targets == {"gn:saravan"}
    assert len(p) == len(places)  # strike criteria do not hide places


def test_filters_validate():
    with pytest.raises(InputError, match="swap"):
        Filters(date(2024, 2, 1), date(2024, 1, 1))
    with pytest.raises(InputError, match="min_confidence"):
        Filters(min_confidence=1.5)
    with pytest.raises(InputError, match="tuple of strings"):
        Filters(attackers="Iran")  # type: ignore[arg-type]
    assert Filters().is_empty and not Filters(cross_border_only=True).is_empty


def test_filter_options(frames):
    _, strikes = frames
    options = filter_options(strikes, ARTICLES)
    assert options.attackers == ("Iran", "Pakistan")
    assert options.target_countries == ("IRN", "IRQ", "PAK", "SYR")
    assert options.date_min == date(2024, 1, 1)  # "2024-01" starts on the 1st
    assert options.date_max == date(2024, 1, 31)
    assert [i for i, _ in options.articles] == ["nl1", "nl2", "en1", "x"]
    assert options.articles[0][1].startswith("2024-01-17 · Iran valt")


def test_empty_frames(frames):
    places, strikes = frames
    p, s = apply_filters(places.iloc[0:0], strikes.iloc[0:0], Filters(cross_border_only=True))
    assert p.empty and s.empty
    options = filter_options(strikes.iloc[0:0])
    assert options.attackers == () and options.date_min is None
