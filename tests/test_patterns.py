"""compile_skipping: the same matches as re.compile, found faster."""

from __future__ import annotations

import re

import pytest

from geo import numbers, strikes
from geo.patterns import PatternGate, compile_skipping, first_characters, required_substrings

TEXTS = [
    "Iran launched missile strikes on Panjgur in Pakistan on January 16, killing 2 children.",
    "Bij een raketaanval van Iran op doelen in Erbil kwamen vier mensen om het leven, "
    "meldt persbureau Reuters; de VS zeggen dat 1.200 militairen paraat staan.",
    "A spokesman said on Monday that the strikes, reportedly by Israel, hit Damascus airport.",
    "DE HOUTHI'S EISTEN DE AANVAL OP — 3 DODEN, Twaalf gewonden, twenty-one wounded",
    "",
    "x",
]


@pytest.mark.parametrize(
    ("pattern", "flags", "expected"),
    [
        (r"(?<![\w-])(?:de|het)\s+", 0, "[dh]"),
        (r"(?:\d+\s+)?(?:killed|dead)", 0, r"[\ddk]"),
        (r"\b(?:a|an)?\s*x", 0, r"[\sax]"),  # everything before "x" may be empty
        (r"[^a]b", 0, None),  # a negated class can be almost anything
        (r".+", 0, None),
        (r"(?:a)?", 0, None),  # matches the empty string: no first character
        (r"(?i:a)b|c", 0, None),  # case rules change inside the pattern
        (r"(\w)\1", 0, r"[\w]"),
    ],
)
def test_first_characters(pattern: str, flags: int, expected: str | None) -> None:
    assert first_characters(pattern, flags) == expected


@pytest.mark.parametrize(
    ("pattern", "flags"),
    [
        (r"(?<![\w-])(?:strike|aanval|attack)(?:s|en)?(?![\w-])", 0),
        (r"(?<!\w)(de|het|the)\s+(\w+)", 0),
        (r"\b(?:twee|drie|three)\b", re.IGNORECASE),
        (r"(?i)(?<!\w)(?:kill\w*|gedood)", 0),
        (r"(?P<n>\d+)\s+(?:doden|dead)", 0),
        (r"^\s*said", re.MULTILINE),
    ],
)
def test_same_matches_and_groups(pattern: str, flags: int) -> None:
    plain, skipping = re.compile(pattern, flags), compile_skipping(pattern, flags)
    assert skipping.groups == plain.groups and skipping.groupindex == plain.groupindex
    for text in TEXTS:
        assert [m.span() for m in skipping.finditer(text)] == [
            m.span() for m in plain.finditer(text)
        ]
        assert [m.groups() for m in skipping.finditer(text)] == [
            m.groups() for m in plain.finditer(text)
        ]
        for pos in range(len(text)):
            a, b = plain.match(text, pos), skipping.match(text, pos)
            assert (a and a.span()) == (b and b.span())


def test_ignorecase_class_matches_every_case() -> None:
    # the Kelvin sign folds to "k" under IGNORECASE: the look-ahead must fold the same way
    pattern = compile_skipping(r"(?<!\w)kill", re.IGNORECASE)
    assert pattern.search("\u212aILL") is not None
    assert pattern.search("KILL") is not None


def test_the_project_patterns_it_speeds_up_find_what_they_found() -> None:
    used = [
        strikes._DATE_MDY,
        strikes._CASUALTY_HINT,
        strikes._WEAPON_RE,
        strikes._TEMPORAL_SUB,
        numbers._NL_WORD_RE,
        numbers._EN_PHRASE_RE,
    ]
    for skipping in used:
        assert skipping.pattern.startswith("(?=[")  # the look-ahead is really there
        inner = skipping.pattern[skipping.pattern.index(")(?:") + 4 : -1]
        plain = re.compile(inner, skipping.flags)
        for text in TEXTS:
            folded = strikes.fold(text)
            assert [m.span() for m in skipping.finditer(folded)] == [
                m.span() for m in plain.finditer(folded)
            ]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"(?<![\w-])(?:drills?|oefening\w*|war\s*games?)(?![\w-])", ("drill", "game", "oefening")),
        (r"(?:\d+\s+)?(?:killed|dead)", ("dead", "killed")),  # the optional part holds none
        (r"ab(?=cd)", ("ab",)),  # a look-ahead's text is not part of the match
        (r"x|\d+", None),  # one alternative needs no literal
        (r"(?:a)?b*", None),
        (r"(?i)strike", None),  # case rules: not told
        (r"", None),
    ],
)
def test_required_substrings(pattern: str, expected: tuple[str, ...] | None) -> None:
    assert required_substrings(pattern) == expected


def test_every_match_of_the_gated_patterns_holds_a_required_substring() -> None:
    """The off-topic gate may only skip a search that would find nothing."""
    texts = [strikes.fold(t) for t in TEXTS] + [
        "the gunmen stormed the stadium during the world cup semi-final, 2-1 win",
        "naval drills with simulated missile launches; de voetbalwedstrijd werd gestaakt",
        "hackers claimed a ransomware attack; the goalkeeper scored in extra time",
    ]
    patterns = [strikes._EXERCISE, strikes._TERROR, strikes._SPORT]
    for bit, pattern in enumerate(patterns):
        required = required_substrings(pattern.pattern)
        assert required is not None
        for text in texts:
            for match in pattern.finditer(text):
                assert any(word in match.group() for word in required), match.group()
            if pattern.search(text):
                assert strikes._OFF_TOPIC_GATE.possible(text) & 1 << bit
    assert strikes._OFF_TOPIC_GATE.possible("de premier sprak met zijn collega") == 0


GATED = [
    r"(?<![\w-])(?:war|oorlog|strikes?)(?![\w-])",
    r"(?:\d+\s+)?(?:killed|dead)",
    r"^\s*(?:said|zei)(?!\w)",
    r"(?:de|het)\s+\w+$",
    r"(?<!\w)(?:ten\s+(?:noorden|zuiden)\s+van|north\s+of)\s+(?:the\s+)?$",
]


def _span(match: re.Match[str] | None) -> tuple[int, int] | None:
    return match.span() if match else None


@pytest.mark.parametrize("pattern", GATED)
def test_gated_patterns_find_what_the_regex_finds(pattern: str) -> None:
    gate = PatternGate()
    gated, plain = gate.compile(pattern), re.compile(pattern)
    for text in [strikes.fold(t) for t in TEXTS] + [
        "said the war, 3 killed north of the dead; zei de oorlog het strikes",
        " said: de oorlog",
    ]:
        gate.index(text)
        # every span, bounds past either end and negative ones included
        for a in range(-2, len(text) + 2):
            for b in range(a - 1, len(text) + 3):
                assert _span(gated.search(text, a, b)) == _span(plain.search(text, a, b))
                assert _span(gated.match(text, a, b)) == _span(plain.match(text, a, b))
                assert [m.span() for m in gated.finditer(text, a, b)] == [
                    m.span() for m in plain.finditer(text, a, b)
                ]
                part = text[a:b]
                assert _span(gated.search_in(text, a, b)) == _span(plain.search(part))
                assert _span(gated.match_in(text, a, b)) == _span(plain.match(part))
                assert [m.span() for m in gated.finditer_in(text, a, b)] == [
                    m.span() for m in plain.finditer(part)
                ]
        # another text, even an equal one, is searched ungated
        other = "".join(list(text))
        assert other is not text or not text
        assert gated.possible(other) or not text
        assert [m.span() for m in gated.finditer(other)] == [
            m.span() for m in plain.finditer(other)
        ]


def test_the_gate_skips_spans_without_a_required_string() -> None:
    gate = PatternGate()
    war = gate.compile(r"(?<![\w-])(?:war|oorlog)(?![\w-])")
    text = "de oorlog in het noorden; vrede in het zuiden"
    gate.index(text)
    assert war.possible(text, 0, 9) and not war.possible(text, 0, 5)  # "oor" cannot hold "war"
    assert not war.possible(text, 4)  # "oorlog" starts before 4
    assert war.possible(text[:9])  # not the indexed text: always run


def test_a_pattern_without_required_strings_cannot_be_gated() -> None:
    with pytest.raises(ValueError, match="no string is required"):
        PatternGate().compile(r"\d+")
