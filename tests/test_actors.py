"""Actor table and matcher: the bundled data is valid, acronyms are case-exact, longest wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.actors import ACTOR_KINDS, actors_path, find_actors, fold, load_actors
from geo.errors import DataError
from geo.numbers import find_numbers, parse_number


def test_bundled_table_is_valid_and_aliases_are_unambiguous() -> None:
    matcher = load_actors()
    assert len(matcher.actors) >= 30
    owners: dict[str, str] = {}
    for actor in matcher.actors:
        assert actor.kind in ACTOR_KINDS
        for alias in actor.aliases:
            key = alias if alias == alias.upper() else fold(alias)
            assert owners.setdefault(key, actor.id) == actor.id, f"{alias!r} claimed twice"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "stelt de Iraanse Revolutionaire Garde",
            [("Iraanse Revolutionaire Garde", "irgc", ("IRN",))],
        ),
        (
            "the IRGC and the Quds Force",
            [("IRGC", "irgc", ("IRN",)), ("Quds Force", "irgc", ("IRN",))],
        ),
        ("de Israelische luchtmacht", [("Israelische luchtmacht", "idf", ("ISR",))]),
        (
            "Houthi's en Ansar Allah",
            [("Houthi's", "houthis", ("YEM",)), ("Ansar Allah", "houthis", ("YEM",))],
        ),
        ("militie Jaish al-Adl", [("Jaish al-Adl", "jaish_al_adl", ("IRN", "PAK"))]),
        (
            "IS-strijders en ISIS",
            [
                ("IS-strijders", "islamic_state", ("IRQ", "SYR")),
                ("ISIS", "islamic_state", ("IRQ", "SYR")),
            ],
        ),
        ("this is what us and vs mean", []),
        (
            "het Amerikaanse leger en CENTCOM",
            [("Amerikaanse leger", "usa", ("USA",)), ("CENTCOM", "usa", ("USA",))],
        ),
        (
            "Hashd al-Shaabi, Kataib Hezbollah",
            [
                ("Hashd al-Shaabi", "pmf", ("IRQ",)),
                ("Kataib Hezbollah", "kataib_hezbollah", ("IRQ",)),
            ],
        ),
        (
            "the Kurdish PKK and YPG",
            [("Kurdish PKK", "pkk", ("TUR", "IRQ")), ("YPG", "ypg", ("SYR",))],
        ),
        (
            "the Pentagon said; ISPR said",
            [("Pentagon", "usa", ("USA",)), ("ISPR", "pak", ("PAK",))],
        ),
        ("Thisis Mossadegh", []),
    ],
)
def test_find_actors(text: str, expected: list[tuple[str, str, tuple[str, ...]]]) -> None:
    assert [(m.text, m.actor_id, m.countries) for m in find_actors(text)] == expected


def test_offsets_index_the_text() -> None:
    text = "Aanval door de Revolutionaire Garde op IS in Syrië"
    for mention in find_actors(text):
        assert text[mention.start : mention.end] == mention.text


def test_multi_country_actor_has_no_single_iso3() -> None:
    matcher = load_actors()
    assert matcher.get("jaish_al_adl").iso3 is None  # type: ignore[union-attr]
    assert matcher.get("hezbollah").iso3 == "LBN"  # type: ignore[union-attr]
    assert matcher.for_country("USA").id == "usa"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid UTF-8 JSON"),
        ('{"actors": {}}', 'an "actors" list'),
        (
            '{"actors": [{"id": "x", "name": "X", "kind": "gang", "countries": [], "aliases": ["X"]}]}',
            "kind 'gang'",
        ),
        (
            '{"actors": [{"id": "x", "name": "X", "kind": "state", "countries": ["Iran"], "aliases": ["X"]}]}',
            "ISO3",
        ),
        ('{"actors": [{"id": "x", "name": "X", "kind": "state", "countries": []}]}', "aliases"),
        (
            '{"actors": [{"id": "x", "name": "X", "kind": "state", "countries": [], "aliases": ["X"]}, {"id": "x", "name": "Y", "kind": "state", "countries": [], "aliases": ["Y"]}]}',
            "duplicate id",
        ),
    ],
)
def test_bad_table_raises_data_error(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "actors.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        load_actors(path)


def test_missing_table_raises_data_error(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="missing"):
        load_actors(tmp_path / "nope.json")


def test_bundled_file_is_plain_json() -> None:
    raw = json.loads(actors_path().read_text(encoding="utf-8"))
    assert {a["id"] for a in raw["actors"]} >= {
        "irgc",
        "mossad",
        "idf",
        "hezbollah",
        "houthis",
        "pmf",
        "jaish_al_adl",
        "islamic_state",
        "pkk",
        "hamas",
        "usa",
        "nato",
        "m23",
        "al_shabaab",
        "taliban",
        "ttp",
    }


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("twee", 2),
        ("eenentwintig", 21),
        ("tweeëntwintig", 22),
        ("negentig", 90),
        ("honderd", 100),
        ("driehonderdvijftig", 350),
        ("duizend", 1000),
        ("twaalf", 12),
        ("zeventien", 17),
        ("ninety-nine", 99),
        ("one hundred and five", 105),
        ("a dozen", 12),
        ("two thousand", 2000),
        ("1,200", 1200),
        ("12", 12),
        ("tientallen", None),
        ("dozens", None),
        ("several", None),
        ("", None),
    ],
)
def test_parse_number(text: str, value: int | None) -> None:
    assert parse_number(text) == value


def test_find_numbers_skips_articles() -> None:
    assert [(m.text, m.value) for m in find_numbers("a man and an army, thirty-one dead")] == [
        ("thirty-one", 31)
    ]
