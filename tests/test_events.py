"""Merging repeated strike reports into events."""

from __future__ import annotations

import dataclasses

import pytest

from geo.events import combined_confidence, date_interval, merge_strikes
from geo.models import Source, Strike

# (lon, lat) of real places
PANJGUR = (64.0900, 26.9642)
GICHK = (64.55, 26.62)  # ~55 km from Panjgur
QUETTA = (66.9750, 30.1870)  # ~450 km from Panjgur
ERBIL = (44.0091, 36.1911)
IRAN = (53.68, 32.43)


def report(
    article: str,
    start: int,
    *,
    target: tuple[float, float] = PANJGUR,
    name: str = "Panjgur",
    place_id: str | None = "gn:1168718",
    precision: str = "place",
    iso3: str = "PAK",
    admin1: str | None = "Balochistan",
    attacker: str = "Iran",
    attacker_iso3: str | None = "IRN",
    date: str | None = "2024-01-16",
    confidence: float = 0.6,
    **kw: object,
) -> Strike:
    source = Source(
        article=f"{article}.txt",
        article_id=article,
        title=f"title {article}",
        date=date,
        excerpt=f"sentence {start} of {article}",
        start=start,
        end=start + 10,
    )
    return Strike(
        id=f"{article}:{start}:{name}",
        attacker=attacker,
        attacker_iso3=attacker_iso3,
        target_name=name,
        target_iso3=iso3,
        target_admin1=admin1,
        target_lon=target[0],
        target_lat=target[1],
        geo_precision=precision,
        origin_lon=IRAN[0],
        origin_lat=IRAN[1],
        origin_kind="country_point",
        cross_border=attacker_iso3 != iso3,
        date=date,
        target_place_id=place_id,
        confidence=confidence,
        article=source.article,
        excerpt=source.excerpt,
        start=start,
        end=start + 10,
        sources=(source,),
        **kw,  # type: ignore[arg-type]
    )


def test_same_strike_in_two_articles_is_one_event() -> None:
    a = report("a", 0, killed=1, weapons=("missile",))
    b = report("b", 50, killed=2, injured=3, weapons=("drone", "missile"))
    [event] = merge_strikes([a, b])
    assert len(event.sources) == 2
    assert {s.article for s in event.sources} == {"a.txt", "b.txt"}
    assert event.killed == 2 and event.injured == 3  # the highest count any report gives
    assert event.weapons == ("missile", "drone")
    assert event.confidence == pytest.approx(1 - 0.4 * 0.4)


def test_most_specific_target_wins() -> None:
    country = report(
        "a", 0, target=(69.3, 30.0), name="Pakistan", place_id="c:PAK", precision="country",
        admin1=None, date="2024-01",
    )  # fmt: skip
    province = report(
        "b", 0, target=(65.0, 28.0), name="Balochistan", place_id="a1:PK-BA", precision="admin1"
    )
    place = report("c", 0)
    [event] = merge_strikes([country, province, place])
    assert event.target_name == "Panjgur" and event.geo_precision == "place"
    assert (event.target_lon, event.target_lat) == PANJGUR
    assert event.date == "2024-01-16"  # the most precise date
    assert event.article == "c.txt"  # the report that named the place
    assert len(event.sources) == 3


def test_nearby_places_merge_far_places_do_not() -> None:
    panjgur, gichk = report("a", 0), report("b", 0, target=GICHK, name="Gichk", place_id="gn:2")
    quetta = report("c", 0, target=QUETTA, name="Quetta", place_id="gn:3")
    events = merge_strikes([panjgur, gichk, quetta])
    assert [len(e.sources) for e in events] == [2, 1]
    assert events[1].target_name == "Quetta"


def test_admin1_report_merges_only_with_places_in_that_province() -> None:
    province = report(
        "a", 0, target=(65.0, 28.0), name="Balochistan", place_id="a1:PK-BA", precision="admin1"
    )
    punjab = report("b", 0, target=(74.3, 31.5), name="Lahore", place_id="gn:4", admin1="Punjab")
    events = merge_strikes([province, punjab])
    assert len(events) == 2


@pytest.mark.parametrize(
    ("first", "second", "merged"),
    [
        ("2024-01-16", "2024-01-17", True),  # reported the next day
        ("2024-01-16", "2024-01-19", True),
        ("2024-01-16", "2024-01-25", False),
        ("2024-01", "2024-01-16", True),  # a month contains the day
        ("2024-01", "2024-03-02", False),
        ("2024", "2024-06-01", True),
        ("2023-12-31", "2024-01-02", True),
        (None, "2024-01-16", True),  # an unknown date contradicts nothing
    ],
)
def test_dates_must_be_compatible(first: str | None, second: str | None, merged: bool) -> None:
    events = merge_strikes([report("a", 0, date=first), report("b", 0, date=second)])
    assert (len(events) == 1) is merged


def test_different_attacker_or_target_country_never_merge() -> None:
    iran = report("a", 0)
    usa = report("b", 0, attacker="United States", attacker_iso3="USA")
    iraq = report("c", 0, target=ERBIL, name="Erbil", place_id="gn:5", iso3="IRQ", admin1="Erbil")
    assert len(merge_strikes([iran, usa, iraq])) == 3


def test_armed_groups_match_by_name() -> None:
    a = report("a", 0, attacker="Houthis", attacker_iso3=None)
    b = report("b", 0, attacker="houthis", attacker_iso3=None)
    c = report("c", 0, attacker="Hezbollah", attacker_iso3=None)
    assert [len(e.sources) for e in merge_strikes([a, b, c])] == [2, 1]


def test_one_sentence_naming_two_places_gives_two_events() -> None:
    a = report("a", 0)
    b = dataclasses.replace(report("a", 0, target=GICHK, name="Gichk", place_id="gn:2"))
    assert len(merge_strikes([a, b])) == 2


def test_linkage_is_complete_no_chaining_over_days() -> None:
    days = [report(str(i), 0, date=f"2024-01-{d:02d}") for i, d in enumerate([10, 13, 16, 19])]
    events = merge_strikes(days)
    assert all(len(e.sources) <= 2 for e in events)
    assert sum(len(e.sources) for e in events) == 4


def test_event_ids_are_deterministic_and_order_kept() -> None:
    reports = [
        report("a", 0),
        report("b", 9),
        report("c", 0, target=QUETTA, name="Quetta", place_id="gn:3"),
    ]
    first = merge_strikes(reports)
    again = merge_strikes(list(reports))
    assert [e.id for e in first] == [e.id for e in again]
    assert len({e.id for e in first}) == 2
    assert first[0].target_name == "Panjgur" and first[1].target_name == "Quetta"
    assert all(e.id.startswith("ev-") for e in first)


def test_confidence_grows_with_independent_articles_only() -> None:
    one = combined_confidence([("a", 0.5)])
    same_article = combined_confidence([("a", 0.5), ("a", 0.5), ("a", 0.5)])
    two_articles = combined_confidence([("a", 0.5), ("b", 0.5)])
    five = combined_confidence([(str(i), 0.9) for i in range(5)])
    assert one == 0.5
    assert one < same_article < two_articles < five <= 1.0
    assert combined_confidence([("a", 1.0), ("b", 1.0)]) == 1.0
    assert combined_confidence([("a", 1.7)]) == 1.0  # out-of-range input is clamped


def test_named_launch_site_is_kept() -> None:
    a = report("a", 0)
    b = report("b", 0, origin_name="Zahedan")
    b = dataclasses.replace(b, origin_kind="launch_site", origin_lon=60.86, origin_lat=29.5)
    [event] = merge_strikes([a, b])
    assert event.origin_name == "Zahedan" and event.origin_kind == "launch_site"


def test_partial_dates() -> None:
    assert date_interval("2024-02-30") is None
    assert date_interval("2023")[1].isoformat() == "2023-12-31"  # type: ignore[index]
    assert date_interval(None) is None


def test_empty_input() -> None:
    assert merge_strikes([]) == []


@pytest.mark.parametrize("later", ["2024-02-02", "2024-01", None])
def test_a_block_of_many_events_finds_the_right_one(later: str | None) -> None:
    # One attacker, one target country, a strike every 8 days: small blocks are scanned whole,
    # larger ones through a day index. Either way a late report joins the event of its date.
    dates = [f"2024-{1 + (8 * i) // 31:02d}-{1 + (8 * i) % 31:02d}" for i in range(20)]
    reports = [report(f"day{i}", 0, date=d) for i, d in enumerate(dates)]
    events = merge_strikes([*reports, report("late", 5, date=later)])
    joined = [e for e in events if any(s.article_id == "late" for s in e.sources)]
    assert len(joined) == 1 and len(events) == 20
    # 2024-02-02 is day4's date; January (± 3 days) last fits day4's; no date fits every event
    # and the newest takes it
    expected = "day19" if later is None else "day4"
    assert {s.article_id for s in joined[0].sources} == {expected, "late"}
