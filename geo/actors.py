"""Named actors (states, state organs, armed groups, alliances) and a fast matcher for them.

The actors live in ``data/actors/actors.json`` (data, not code; see ``data/actors/README.md``).
Countries themselves are found by the gazetteer (``geo.toponyms``); this table adds what a
gazetteer does not know: "IRGC", "Pentagon", "Houthi's", "Jaish al-Adl", "Amerikaanse leger".

Matching rules
--------------
- An alias written without any lower-case letter ("IS", "US", "VS", "U.S.", "M23", "IRGC") is
  an acronym and matches **only as written**, so "is", "us" and "vs" in running text never match.
- Every other alias matches case- and accent-insensitively ("Israelische luchtmacht" matches
  "Israëlische luchtmacht").
- Matches start and end at word boundaries; the longest match wins, then the earliest.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from geo.errors import DataError
from geo.paths import DATA_DIR
from geo.wordscan import WordScanner

__all__ = [
    "ACTOR_KINDS",
    "Actor",
    "ActorMatcher",
    "ActorMention",
    "actors_path",
    "find_actors",
    "load_actors",
    "trie_pattern",
]

ACTOR_KINDS = ("state", "state_organ", "armed_group", "alliance")
_ISO3_RE = re.compile(r"^[A-Z]{3}$")


def actors_path() -> Path:
    """Return the path of the bundled actor table."""
    return DATA_DIR / "actors" / "actors.json"


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor of the table. ``countries`` are ISO3 base countries (several for cross-border
    groups such as Jaish al-Adl, none for NATO)."""

    id: str
    name: str
    kind: str
    countries: tuple[str, ...]
    aliases: tuple[str, ...]
    notes: str = ""

    @property
    def iso3(self) -> str | None:
        """The single base country, or None when there are several or none."""
        return self.countries[0] if len(self.countries) == 1 else None


@dataclass(frozen=True, slots=True)
class ActorMention:
    """An actor named in a text. Offsets index the searched text; ``end`` is exclusive."""

    start: int
    end: int
    text: str
    actor_id: str
    name: str
    countries: tuple[str, ...]
    kind: str = "armed_group"


def fold(text: str) -> str:
    """Return ``text`` lower-cased with accents dropped, **keeping its length** (offsets hold).

    >>> fold("Israëlische Oekraïne")
    'israelische oekraine'
    """
    if text.isascii():
        return text.lower()
    # Map only the non-ASCII characters (few in news text) and lower-case the rest in C;
    # ``str.translate`` over the whole text is the fallback when lower-casing changes a length.
    lowered = _NON_ASCII.sub(_fold_char, text).lower()
    if len(lowered) != len(text):
        return text.translate(_FOLD_TABLE)
    return lowered


def _fold_char(match: re.Match[str]) -> str:
    return _FOLD_TABLE[ord(match.group())]


class _FoldTable(dict[int, str]):
    """``str.translate`` table filled on first use: one character in, one character out."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        base = unicodedata.normalize("NFD", char)[0] if not char.isascii() else char
        low = base.lower()
        folded = low if len(low) == 1 else base
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_CHAR = re.compile(r"\w")


def _is_acronym(alias: str) -> bool:
    return not any(c.islower() for c in alias)


class ActorMatcher:
    """Find actor aliases in text: acronyms exactly (a regex), names in the folded text."""

    def __init__(self, actors: tuple[Actor, ...]) -> None:
        self.actors = actors
        self._by_exact: dict[str, Actor] = {}
        self._by_folded: dict[str, Actor] = {}
        for actor in actors:
            for alias in actor.aliases:
                if _is_acronym(alias):
                    self._by_exact.setdefault(alias, actor)
                else:
                    self._by_folded.setdefault(fold(alias), actor)
        self._exact_re = _alternation(self._by_exact, flags=0)
        # names are many and start with any letter: one Aho-Corasick pass over the folded text
        self._folded_scanner = WordScanner(self._by_folded, whole_words=True)
        # Acronyms start with a capital, rare in running text: a pattern that starts with the
        # prefix tree lets the engine skip to the capitals; the start boundary is then checked
        # here (the bounded pattern above re-searches inside a match that starts mid-word).
        self._exact_fast = (
            re.compile(rf"(?:{trie_pattern(self._by_exact)})(?!\w)") if self._by_exact else None
        )

    def find(self, text: str, folded: str | None = None) -> list[ActorMention]:
        """Return the non-overlapping actor mentions in ``text``, sorted by start.

        ``folded`` is ``fold(text)`` when the caller already has it (it is computed otherwise).
        """
        candidates: list[tuple[int, int, Actor]] = []
        if self._exact_re is not None and self._exact_fast is not None:
            for match in self._exact_fast.finditer(text):
                start = match.start()
                if start and _WORD_CHAR.match(text, start - 1):
                    inner = self._exact_re.search(text, start + 1)
                    if inner is None or inner.start() >= match.end():
                        continue
                    match = inner
                candidates.append((match.start(), match.end(), self._by_exact[match.group()]))
        for start, end, name in self._folded_scanner.finditer(
            fold(text) if folded is None else folded
        ):
            candidates.append((start, end, self._by_folded[name]))
        candidates.sort(key=lambda c: (-(c[1] - c[0]), c[0]))
        chosen: list[tuple[int, int, Actor]] = []
        for start, end, actor in candidates:
            if all(end <= s or start >= e for s, e, _ in chosen):
                chosen.append((start, end, actor))
        chosen.sort(key=lambda c: c[0])
        return [
            ActorMention(s, e, text[s:e], a.id, a.name, a.countries, a.kind) for s, e, a in chosen
        ]

    def get(self, actor_id: str) -> Actor | None:
        """Return the actor with this id, or None."""
        return next((a for a in self.actors if a.id == actor_id), None)

    def for_country(self, iso3: str) -> Actor | None:
        """Return the ``state`` actor whose only base country is ``iso3``, if the table has one."""
        return next((a for a in self.actors if a.kind == "state" and a.countries == (iso3,)), None)


def _alternation(table: dict[str, Actor], *, flags: int) -> re.Pattern[str] | None:
    """One regex for all aliases of ``table``, longest alias first at each position."""
    if not table:
        return None
    return re.compile(rf"(?<!\w)(?:{trie_pattern(table)})(?!\w)", flags)


def trie_pattern(words: Iterable[str]) -> str:
    """A regex matching exactly ``words``, written as a prefix tree ("hamas|hezbollah" becomes
    "h(?:amas|ezbollah)"): the engine follows one branch per character instead of trying every
    alias at every position. Longer continuations are tried before a word ends, so the longest
    word that matches wins, as with a longest-first alternation."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        if "" in node:
            return "(?:" + "|".join(branches) + ")?"
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(trie)


def _validate(raw: object, path: Path) -> tuple[Actor, ...]:
    def bad(message: str) -> DataError:
        return DataError(f"{path}: {message}; fix the file (see data/actors/README.md)")

    if not isinstance(raw, dict) or not isinstance(raw.get("actors"), list):
        raise bad('expected an object with an "actors" list')
    actors: list[Actor] = []
    seen_ids: set[str] = set()
    for index, entry in enumerate(raw["actors"]):
        where = f"actors[{index}]"
        if not isinstance(entry, dict):
            raise bad(f"{where} is {type(entry).__name__}, expected an object")
        for key in ("id", "name", "kind", "countries", "aliases"):
            if key not in entry:
                raise bad(f"{where} ({entry.get('id', '?')}) lacks the required key {key!r}")
        actor_id, name, kind = entry["id"], entry["name"], entry["kind"]
        if not isinstance(actor_id, str) or not re.fullmatch(r"[a-z0-9_]+", actor_id):
            raise bad(f"{where}: id {actor_id!r} must be lower-case letters, digits, underscores")
        if actor_id in seen_ids:
            raise bad(f"{where}: duplicate id {actor_id!r}")
        seen_ids.add(actor_id)
        if not isinstance(name, str) or not name.strip():
            raise bad(f"{where} ({actor_id}): name must be a non-empty string")
        if kind not in ACTOR_KINDS:
            raise bad(f"{where} ({actor_id}): kind {kind!r} is not one of {list(ACTOR_KINDS)}")
        countries = entry["countries"]
        if not isinstance(countries, list) or not all(
            isinstance(c, str) and _ISO3_RE.match(c) for c in countries
        ):
            raise bad(
                f"{where} ({actor_id}): countries {countries!r} must be ISO3 codes like 'IRN'"
            )
        aliases = entry["aliases"]
        if (
            not isinstance(aliases, list)
            or not aliases
            or not all(isinstance(a, str) and a.strip() for a in aliases)
        ):
            raise bad(f"{where} ({actor_id}): aliases must be a non-empty list of strings")
        notes = entry.get("notes", "")
        if not isinstance(notes, str):
            raise bad(f"{where} ({actor_id}): notes must be a string")
        actors.append(
            Actor(
                actor_id,
                name.strip(),
                kind,
                tuple(countries),
                tuple(a.strip() for a in aliases),
                notes,
            )
        )
    return tuple(actors)


def load_actors(path: str | Path | None = None) -> ActorMatcher:
    """Load and validate the actor table and return a matcher over it.

    Parameters
    ----------
    path : str or Path, optional
        A JSON file in the format of ``data/actors/actors.json``; the bundled table by default
        (cached per process).

    Raises
    ------
    DataError
        The file is missing, not JSON, or an entry is malformed; the message names the entry.
    """
    if path is None:
        return _load_default()
    return _load(Path(path))


@cache
def _load_default() -> ActorMatcher:
    return _load(actors_path())


def _load(path: Path) -> ActorMatcher:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as err:
        raise DataError(f"actor table {path} is missing; restore data/actors/actors.json") from err
    except (json.JSONDecodeError, UnicodeDecodeError) as err:
        raise DataError(f"actor table {path} is not valid UTF-8 JSON: {err}") from err
    return ActorMatcher(_validate(raw, path))


def find_actors(text: str) -> list[ActorMention]:
    """Return the actor mentions in ``text`` using the bundled table.

    >>> [(m.text, m.actor_id) for m in find_actors("De Houthi's en IS; this is US policy")]
    [("Houthi's", 'houthis'), ('IS', 'islamic_state'), ('US', 'usa')]
    """
    return load_actors().find(text)
