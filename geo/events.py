"""Merge repeated reports of one strike into a single event with several sources.

``geo.strikes`` returns one :class:`~geo.models.Strike` per sentence that reports a strike, so
one attack told in three sentences of two articles arrives three times. Two reports are the
same event when all of these hold:

- **attacker**: same attacker country (``attacker_iso3``), or the same actor name;
- **target**: same target country (or, without one, the same target actor/name);
- **place**: the same gazetteer place; or two named places at most :data:`MERGE_KM` apart; or
  an area report (admin1, region, country) that contains the other one (a place in that
  province / within :data:`REGION_KM` of the region point / anywhere in that country);
- **date**: the (possibly partial) dates are at most :data:`DATE_TOLERANCE_DAYS` apart, a
  partial date being the whole interval it names ("2024-01" is Jan 1–31); an unknown date
  contradicts nothing;
- two reports from one sentence that name different places are never merged (the sentence
  enumerates distinct targets).

Linkage is complete: a report joins an event only when it is compatible with every report
already in it, so events do not chain across weeks or provinces. Reports are processed in input
order; the output keeps the order in which events first appear.

The merged event keeps:

- the most specific target (place > admin1 > region > country; ties: higher confidence, then
  input order), with its article, excerpt and offsets;
- a launch site named by any report over the attacker's representative point;
- the most precise date (day > month > year; the earliest among equals);
- the **maximum** killed/injured any report gives: later reports revise counts upwards and
  adding counts from several reports of one attack would double count;
- the union of the weapons, in order of first mention;
- every distinct source (one per article sentence);
- confidence ``1 - Π_a (1 - c_a)`` over the distinct articles ``a``, where the per-article
  value ``c_a = 1 - Π_i (1 - w_i c_i)`` gives full weight (``w = 1``) to that article's
  strongest report and :data:`SAME_ARTICLE_WEIGHT` to its other reports, because sentences of
  one article repeat one source rather than corroborate it. The result grows with
  independent corroboration, is at least the best single confidence and is capped at 1.
"""

from __future__ import annotations

import calendar
import dataclasses
import functools
import hashlib
import operator
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from geo.distance import haversine_km
from geo.models import Source, Strike

__all__ = [
    "DATE_TOLERANCE_DAYS",
    "MERGE_KM",
    "REGION_KM",
    "SAME_ARTICLE_WEIGHT",
    "combined_confidence",
    "date_interval",
    "merge_strikes",
]

MERGE_KM = 100.0  # two named target places this close are one target area
REGION_KM = 300.0  # a region's point stands for an area of about this radius
DATE_TOLERANCE_DAYS = 3  # a strike is often reported a day or two later
SAME_ARTICLE_WEIGHT = 0.25  # weight of an article's second, third... report of one strike

_PRECISION_RANK = {"place": 0, "admin1": 1, "region": 2, "country": 3}
_ORIGIN_RANK = {"launch_site": 0, "country_point": 1, "unknown": 2}
_TOLERANCE = timedelta(days=DATE_TOLERANCE_DAYS)
_DATE_RE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@functools.lru_cache(maxsize=4096)  # reports repeat their dates; the result is immutable
def date_interval(value: str | None) -> tuple[date, date] | None:
    """Return the first and last day a partial ISO date can mean, or None when unknown.

    >>> date_interval("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> date_interval("2024-01-16T08:00:00Z")
    (datetime.date(2024, 1, 16), datetime.date(2024, 1, 16))
    >>> date_interval("gisteren") is None
    True
    """
    if not value:
        return None
    match = _DATE_RE.match(value)
    if not match:
        return None
    year = int(match.group(1))
    try:
        if match.group(3):
            day = date(year, int(match.group(2)), int(match.group(3)))
            return day, day
        if match.group(2):
            month = int(match.group(2))
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:  # month 13, Feb 30: treat as unknown rather than guess
        return None


def combined_confidence(reports: Iterable[tuple[str, float]]) -> float:
    """Return the event confidence from ``(article_id, confidence)`` pairs (see module doc).

    >>> combined_confidence([("a", 0.6)])
    0.6
    >>> round(combined_confidence([("a", 0.6), ("b", 0.6)]), 2)  # two independent articles
    0.84
    >>> round(combined_confidence([("a", 0.6), ("a", 0.6)]), 2)  # one article, said twice
    0.66
    """
    by_article: dict[str, list[float]] = {}
    for article_id, confidence in reports:
        c = min(1.0, max(0.0, float(confidence)))
        by_article.setdefault(article_id, []).append(c)
    miss = 1.0
    for values in by_article.values():
        values.sort(reverse=True)
        article_miss = 1.0 - values[0]
        for c in values[1:]:
            article_miss *= 1.0 - SAME_ARTICLE_WEIGHT * c
        miss *= article_miss
    return min(1.0, 1.0 - miss)


# --------------------------------------------------------------------------------------------


def _rank(strike: Strike) -> int:
    return _PRECISION_RANK.get(strike.geo_precision, 3)


def _same_place(a: Strike, b: Strike) -> bool:
    """Return True when the two targets can be the same spot (see module doc)."""
    if a.target_place_id and a.target_place_id == b.target_place_id:
        return True
    fine, coarse = (a, b) if _rank(a) <= _rank(b) else (b, a)
    level = coarse.geo_precision
    if level == "country" or _rank(coarse) == 3:
        return True  # same target country was checked by the caller
    if level == "region":
        return (
            haversine_km(fine.target_lon, fine.target_lat, coarse.target_lon, coarse.target_lat)
            <= REGION_KM
        )
    if level == "admin1":
        return bool(coarse.target_admin1) and coarse.target_admin1 == fine.target_admin1
    return haversine_km(a.target_lon, a.target_lat, b.target_lon, b.target_lat) <= MERGE_KM


def _sentence_keys(strike: Strike) -> set[tuple[str, int, int]]:
    return {(s.article_id, s.start, s.end) for s in strike.sources} or {
        (strike.article, strike.start, strike.end)
    }


def _block_key(strike: Strike) -> tuple[str, str]:
    target = strike.target_iso3 or f"~{(strike.target_actor or strike.target_name).casefold()}"
    return strike.attacker_iso3 or "", target


def _same_attacker(a: Strike, b: Strike) -> bool:
    if a.attacker_iso3 and b.attacker_iso3:
        return a.attacker_iso3 == b.attacker_iso3
    return a.attacker.casefold() == b.attacker.casefold()


def _target_signature(strike: Strike) -> tuple[object, ...]:
    """What the place and attacker checks look at: members equal here need one check only."""
    return (
        strike.attacker_iso3,
        strike.attacker.casefold(),
        strike.target_place_id,
        strike.geo_precision,
        strike.target_admin1,
        strike.target_lon,
        strike.target_lat,
    )


@dataclass
class _Event:
    index: int
    members: list[Strike] = field(default_factory=list)
    # one representative per distinct target/attacker signature (see _target_signature)
    targets: dict[tuple[object, ...], Strike] = field(default_factory=dict)
    # sentence (article_id, start, end) → target place ids already taken from it
    sentences: dict[tuple[str, int, int], set[str | None]] = field(default_factory=dict)
    # For complete linkage on dates: a report fits every member iff its interval overlaps
    # [latest start - tol, earliest end + tol].
    latest_lo: date | None = None
    earliest_hi: date | None = None

    def accepts(self, strike: Strike, interval: tuple[date, date] | None) -> bool:
        if interval is not None and self.latest_lo is not None and self.earliest_hi is not None:
            lo, hi = interval
            if lo > self.earliest_hi + _TOLERANCE or hi < self.latest_lo - _TOLERANCE:
                return False
        for key in _sentence_keys(strike):
            if self.sentences.get(key, {strike.target_place_id}) != {strike.target_place_id}:
                return False  # the sentence names another place: a distinct target
        return all(
            _same_attacker(m, strike) and _same_place(m, strike) for m in self.targets.values()
        )

    def add(self, strike: Strike, interval: tuple[date, date] | None) -> None:
        self.members.append(strike)
        self.targets.setdefault(_target_signature(strike), strike)
        for key in _sentence_keys(strike):
            self.sentences.setdefault(key, set()).add(strike.target_place_id)
        if interval is not None:
            lo, hi = interval
            self.latest_lo = lo if self.latest_lo is None else max(self.latest_lo, lo)
            self.earliest_hi = hi if self.earliest_hi is None else min(self.earliest_hi, hi)


_MAX_INDEXED_DAYS = 62  # longer windows (a year-only date) scan every event of the block
_SCAN_ALL_UNDER = 8  # blocks this small are scanned whole: quicker than the day index


def _days(lo: date, hi: date) -> range:
    """Day ordinals that [lo - tol, hi + tol] touches."""
    return range((lo - _TOLERANCE).toordinal(), (hi + _TOLERANCE).toordinal() + 1)


@dataclass
class _Block:
    """Events of one (attacker, target country) pair, indexed by day for dated reports."""

    events: list[_Event] = field(default_factory=list)
    by_day: dict[int, list[_Event]] = field(default_factory=dict)
    unindexed: list[_Event] = field(default_factory=list)  # undated or year-only events
    first_intervals: list[tuple[date, date] | None] = field(default_factory=list)

    def candidates(self, interval: tuple[date, date] | None) -> list[_Event]:
        if len(self.events) <= _SCAN_ALL_UNDER:
            # The same answer: an event outside the day index is one Event.accepts turns down
            # on its dates, and both lists are newest first.
            return self.events[::-1]
        days = _days(*interval) if interval is not None else None
        if days is None or len(days) > _MAX_INDEXED_DAYS:
            return self.events[::-1]
        found = {e.index: e for e in self.unindexed}
        for day in days:
            for event in self.by_day.get(day, ()):
                found[event.index] = event
        # newest first: a report most likely belongs with the reports just before it
        return [found[i] for i in sorted(found, reverse=True)]

    def new_event(self, index: int, interval: tuple[date, date] | None) -> _Event:
        event = _Event(index)
        self.events.append(event)
        # The day index only serves blocks too large to scan whole: it is built when the block
        # outgrows _SCAN_ALL_UNDER, from each event's first interval.
        self.first_intervals.append(interval)
        if len(self.events) == _SCAN_ALL_UNDER + 1:
            for old, first in zip(self.events, self.first_intervals, strict=True):
                self._index(old, first)
        elif len(self.events) > _SCAN_ALL_UNDER:
            self._index(event, interval)
        return event

    def _index(self, event: _Event, interval: tuple[date, date] | None) -> None:
        days = _days(*interval) if interval is not None else None
        if days is None or len(days) > _MAX_INDEXED_DAYS:
            self.unindexed.append(event)
        else:
            # the window only narrows as reports join, so the first interval covers it
            for day in days:
                self.by_day.setdefault(day, []).append(event)


def merge_strikes(strikes: Sequence[Strike]) -> list[Strike]:
    """Merge reports of the same strike into events with several sources.

    Parameters
    ----------
    strikes : sequence of Strike
        Unmerged reports, typically one per sentence (``geo.strikes.extract_strikes``).

    Returns
    -------
    list of Strike
        One Strike per event, in order of first appearance, each with the union of its
        reports' sources, a deterministic id (``ev-`` + hash of its reports' source keys) and the
        combined confidence. The rules are in the module docstring.

    Examples
    --------
    >>> from geo.models import Strike
    >>> a = Strike(id="s1", attacker="Iran", attacker_iso3="IRN", target_name="Panjgur",
    ...            target_iso3="PAK", target_admin1="Balochistan", target_lon=64.1,
    ...            target_lat=26.97, geo_precision="place", origin_lon=53.7, origin_lat=32.4,
    ...            origin_kind="country_point", cross_border=True, date="2024-01-16",
    ...            confidence=0.6, article="a.txt")
    >>> b = dataclasses.replace(a, id="s2", target_name="Pakistan", geo_precision="country",
    ...                         target_lon=69.3, target_lat=30.0, date="2024-01",
    ...                         killed=2, article="b.txt")
    >>> [event] = merge_strikes([a, b])
    >>> event.target_name, event.killed, round(event.confidence, 2), len(event.sources)
    ('Panjgur', 2, 0.84, 2)
    """
    blocks: dict[tuple[str, str], _Block] = {}
    order: list[_Event] = []
    for strike in strikes:
        strike = _with_sources(strike)
        interval = date_interval(strike.date)
        block = blocks.setdefault(_block_key(strike), _Block())
        for event in block.candidates(interval):
            if event.accepts(strike, interval):
                break
        else:
            event = block.new_event(len(order), interval)
            order.append(event)
        event.add(strike, interval)
    return [_combine(event.members) for event in order]


def _with_sources(strike: Strike) -> Strike:
    if strike.sources:
        return strike
    source = Source(
        article=strike.article,
        article_id=strike.article,
        title="",
        date=strike.date,
        excerpt=strike.excerpt,
        start=strike.start,
        end=strike.end,
    )
    return dataclasses.replace(strike, sources=(source,))


def _date_key(value: str | None) -> tuple[int, str]:
    interval = date_interval(value)
    if interval is None:
        return (4, "")
    lo, hi = interval
    span = 0 if lo == hi else (1 if lo.month == hi.month else 2)
    return (span, lo.isoformat())


def _event_id(members: list[Strike]) -> str:
    keys = sorted(
        {f"{s.article_id}\x1f{s.start}\x1f{s.end}" for m in members for s in m.sources}
        | {f"{m.id}\x1f{m.target_place_id or m.target_name}" for m in members}
    )
    digest = hashlib.sha1("\x1e".join(keys).encode("utf-8")).hexdigest()[:16]
    return f"ev-{digest}"


def _combine(members: list[Strike]) -> Strike:
    if len(members) == 1:
        return _with_id(members[0], _event_id(members))
    indexed = list(enumerate(members))
    best = min(indexed, key=lambda p: (_rank(p[1]), -p[1].confidence, p[0]))[1]
    # a launch site named by any report beats the attacker's country point, which beats none
    origin = min(indexed, key=lambda p: (_ORIGIN_RANK.get(p[1].origin_kind, 1), p[0]))[1]
    dated = min(members, key=lambda m: _date_key(m.date))

    sources: list[Source] = []
    seen: set[tuple[str, int, int]] = set()
    for member in members:
        for source in member.sources:
            key = (source.article_id, source.start, source.end)
            if key not in seen:
                seen.add(key)
                sources.append(source)
    weapons: list[str] = []
    for member in members:
        weapons.extend(w for w in member.weapons if w not in weapons)
    confidence = combined_confidence(
        (m.sources[0].article_id if m.sources else m.article, m.confidence) for m in members
    )
    return dataclasses.replace(
        best,
        id=_event_id(members),
        attacker_iso3=best.attacker_iso3
        or next((m.attacker_iso3 for m in members if m.attacker_iso3), None),
        target_actor=best.target_actor
        or next((m.target_actor for m in members if m.target_actor), None),
        target_admin1=best.target_admin1
        or next(
            (m.target_admin1 for m in members if m.target_admin1 and _rank(m) <= _rank(best)), None
        ),
        origin_lon=origin.origin_lon,
        origin_lat=origin.origin_lat,
        origin_kind=origin.origin_kind,
        origin_name=origin.origin_name,
        cross_border=any(m.cross_border for m in members),
        date=dated.date,
        weapons=tuple(weapons),
        killed=_max_count(m.killed for m in members),
        injured=_max_count(m.injured for m in members),
        confidence=confidence,
        sources=tuple(sources),
        edited=any(m.edited for m in members),
    )


_STRIKE_FIELDS = tuple(f.name for f in dataclasses.fields(Strike))
_STRIKE_VALUES = operator.attrgetter(*_STRIKE_FIELDS)
_ID_POSITION = _STRIKE_FIELDS.index("id")


def _with_id(strike: Strike, event_id: str) -> Strike:
    """``dataclasses.replace(strike, id=event_id)``, at a third of its cost (most events)."""
    values = list(_STRIKE_VALUES(strike))
    values[_ID_POSITION] = event_id
    return Strike(*values)


def _max_count(values: Iterable[int | None]) -> int | None:
    known = [v for v in values if v is not None]
    return max(known) if known else None
