"""Parse cardinal numbers written as digits or words, in Dutch and English.

Casualty counts in news text come as "12", "1,200", "twee", "eenentwintig", "twenty-one",
"a dozen" or "two hundred and five". :func:`parse_number` turns one such phrase into an int;
:func:`find_numbers` finds them in running text with their character offsets.

Vague quantities ("dozens", "tientallen", "honderden", "several") are **not** numbers: they
return ``None``, so a casualty count is left unknown rather than guessed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from geo.actors import trie_pattern
from geo.patterns import compile_skipping

__all__ = ["NumberMention", "find_numbers", "parse_number"]

_NL_UNITS = {
    "nul": 0,
    "een": 1,
    "één": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "elf": 11,
    "twaalf": 12,
    "dertien": 13,
    "veertien": 14,
    "vijftien": 15,
    "zestien": 16,
    "zeventien": 17,
    "achttien": 18,
    "negentien": 19,
}
_NL_TENS = {
    "twintig": 20,
    "dertig": 30,
    "veertig": 40,
    "vijftig": 50,
    "zestig": 60,
    "zeventig": 70,
    "tachtig": 80,
    "negentig": 90,
}
_EN_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_EN_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "honderd": 100, "thousand": 1000, "duizend": 1000}
_DOZEN = {"dozen": 12, "dozijn": 12}


def _fold(text: str) -> str:
    """Lower-case and drop accents ("tweeëntwintig" -> "tweeentwintig")."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_NL_UNITS_FOLDED = {_fold(k): v for k, v in _NL_UNITS.items()}


def _parse_nl_below_100(word: str) -> int | None:
    if word in _NL_UNITS_FOLDED:
        return _NL_UNITS_FOLDED[word]
    if word in _NL_TENS:
        return _NL_TENS[word]
    # Dutch writes units first: "eenentwintig" (21), "tweeentwintig" (22, accent folded).
    for tens_word, tens in _NL_TENS.items():
        if word.endswith("en" + tens_word):
            unit = _NL_UNITS_FOLDED.get(word[: -len("en" + tens_word)])
            if unit is not None and 1 <= unit <= 9:
                return tens + unit
    return None


def _parse_nl_word(word: str) -> int | None:
    """Parse one Dutch number word, compounds included ("driehonderdvijftig", "tweeduizend")."""
    if not word:
        return None
    for scale_word, scale in (("duizend", 1000), ("honderd", 100)):
        head, sep, tail = word.partition(scale_word)
        if sep:
            multiplier = 1 if head in ("", "een") else _parse_nl_word(head)
            if multiplier is None:
                return None
            rest = 0 if tail == "" else _parse_nl_word(tail.removeprefix("en"))
            if rest is None:
                return None
            return multiplier * scale + rest
    return _parse_nl_below_100(word)


def _parse_en_tokens(tokens: list[str]) -> int | None:
    total = 0
    current = 0
    seen = False
    for token in tokens:
        if token in ("and", "a", "an"):
            continue
        if token in _EN_UNITS:
            current += _EN_UNITS[token]
        elif token in _EN_TENS:
            current += _EN_TENS[token]
        elif token in _DOZEN:
            current = (current or 1) * 12
        elif token in ("hundred", "honderd"):
            current = (current or 1) * 100
        elif token in ("thousand", "duizend"):
            total += (current or 1) * 1000
            current = 0
        else:
            return None
        seen = True
    return total + current if seen else None


_DIGIT_NUMBER = re.compile(r"\d{1,3}(?:[.,]\d{3})+|\d+")
_DIGIT_SEPARATOR = re.compile(r"[.,]")
_TOKEN_SEPARATOR = re.compile(r"[\s\-]+")


def parse_number(text: str) -> int | None:
    """Return the integer a number phrase denotes, or None when it is not a definite number.

    Parameters
    ----------
    text : str
        Digits ("12", "1,200", "1.200") or number words in Dutch or English, case and accents
        ignored.

    Examples
    --------
    >>> parse_number("eenentwintig"), parse_number("tweeëntwintig"), parse_number("Twenty-one")
    (21, 22, 21)
    >>> parse_number("a dozen"), parse_number("two hundred and five"), parse_number("1,200")
    (12, 205, 1200)
    >>> parse_number("dozens") is None, parse_number("tientallen") is None
    (True, True)
    """
    folded = _fold(text).strip()
    if not folded:
        return None
    if _DIGIT_NUMBER.fullmatch(folded):
        return int(_DIGIT_SEPARATOR.sub("", folded))
    tokens = [t for t in _TOKEN_SEPARATOR.split(folded) if t]
    if len(tokens) == 1:
        value = _parse_nl_word(tokens[0])
        if value is not None:
            return value
    if tokens in (["a"], ["an"]):
        return None
    return _parse_en_tokens(tokens)


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A definite number found in text; offsets index the text that was searched."""

    start: int
    end: int
    text: str
    value: int


# A Dutch number word is a run of these parts ("drie", "en", "twintig", "honderd"); only such
# words are parsed (a run of letters that is not one cannot be a number).
_NL_PARTS = sorted(
    {*_NL_UNITS, *(_fold(k) for k in _NL_UNITS), *_NL_TENS, "en", "ën", "honderd", "duizend"},
    key=len,
    reverse=True,
)


# The word patterns start their search only where a number word can begin (compile_skipping);
# the digits pattern tests its look-behind after the first digit, not at every position.
_NL_WORD_RE = compile_skipping(
    rf"(?<![^\W\d_])(?:{'|'.join(map(re.escape, _NL_PARTS))})+(?![^\W\d_])",
    re.IGNORECASE,
)
_DIGITS_RE = re.compile(r"\d(?<![\w.,]\d)\d{0,2}(?:[.,]\d{3})+(?!\w)|\d(?<![\w.,]\d)\d*(?!\w)")
# The number words as a prefix tree (longest word first at each place, like the sorted list).
_EN_WORD_TREE = trie_pattern([*_EN_UNITS, *_EN_TENS, "hundred", "thousand", "dozen"])
_EN_PHRASE_RE = compile_skipping(
    rf"\b(?:(?:a|an)\s+)?(?:(?:{_EN_WORD_TREE})(?:[\s\-]+(?:and\s+)?)?)+\b",
    re.IGNORECASE,
)


_TRAILING_AND = re.compile(r"\s+and$")


def find_numbers(text: str) -> list[NumberMention]:
    """Return the definite numbers in ``text`` (digits and Dutch/English words), by position.

    The bare article "a"/"an" is never a number on its own; "a dozen" is 12. Dutch "een" is
    returned (value 1) because it is also the number one; callers that need certainty should
    check ``mention.text``.

    Examples
    --------
    >>> [(m.text, m.value) for m in find_numbers("twee kinderen en drie meisjes")]
    [('twee', 2), ('drie', 3)]
    >>> [(m.text, m.value) for m in find_numbers("at least twenty-one people, a dozen hurt")]
    [('twenty-one', 21), ('a dozen', 12)]
    """
    found: list[NumberMention] = []
    taken: list[tuple[int, int]] = []
    for match in _DIGITS_RE.finditer(text):
        found.append(
            NumberMention(
                match.start(), match.end(), match.group(), parse_number(match.group()) or 0
            )
        )
        taken.append(match.span())
    for match in _EN_PHRASE_RE.finditer(text):
        phrase = match.group().rstrip(" -")
        phrase = _TRAILING_AND.sub("", phrase)
        value = parse_number(phrase)
        if value is None or any(s < match.end() and match.start() < e for s, e in taken):
            continue
        found.append(NumberMention(match.start(), match.start() + len(phrase), phrase, value))
        taken.append((match.start(), match.start() + len(phrase)))
    for match in _NL_WORD_RE.finditer(text):
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        folded = _fold(match.group())
        if folded in ("a", "an"):
            continue
        value = _parse_nl_word(folded)
        if value is None:
            continue
        found.append(NumberMention(match.start(), match.end(), match.group(), value))
    return sorted(found, key=lambda m: m.start)
