"""Number words and digits in Dutch and English (geo.numbers)."""

from __future__ import annotations

import pytest

from geo.numbers import find_numbers, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dutch compounds, accents and capitals: the quick pre-match must keep every one
        ("drieëntwintig doden", [("drieëntwintig", 23)]),
        (
            "Tweeduizend soldaten en EENENTWINTIG tanks",
            [("Tweeduizend", 2000), ("EENENTWINTIG", 21)],
        ),
        ("driehonderdvijftig raketten", [("driehonderdvijftig", 350)]),
        ("Één dode, negenennegentig gewonden", [("Één", 1), ("negenennegentig", 99)]),
        # words made of number parts that are no number stay out
        ("entente, tienden, achttal, Zesdaagse", []),
        # English phrases, longest word first ("seventeen" is not "seven" + "teen")
        ("seventeen killed, eighty-eight hurt", [("seventeen", 17), ("eighty-eight", 88)]),
        ("Two Hundred And Five people", [("Two Hundred And Five", 205)]),
        ("a dozen drones and 1,200 shells", [("a dozen", 12), ("1,200", 1200)]),
    ],
)
def test_find_numbers(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(m.text, m.value) for m in find_numbers(text) if m.text.lower() != "een"] == expected


def test_offsets_index_the_text() -> None:
    text = "Bij de aanval vielen vierentwintig doden en 3 gewonden."
    found = find_numbers(text)
    assert [text[m.start : m.end] for m in found] == [m.text for m in found]
    assert [m.value for m in found] == [24, 3]


@pytest.mark.parametrize("phrase", ["dozens", "tientallen", "honderden", "several", "a", ""])
def test_vague_quantities_are_not_numbers(phrase: str) -> None:
    assert parse_number(phrase) is None
