"""Filter the places and strikes frames consistently (pure functions, no streamlit).

Dates in articles and strikes may be partial ("2024", "2024-01", "2024-01-16"). A partial date
is the whole period it names, and it passes a date filter when that period overlaps the
filter's range: "2024-01" passes ``date_from=2024-01-16``. Undated items pass unless
``include_undated`` is False.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from geo.errors import InputError

if TYPE_CHECKING:
    from geopandas import GeoDataFrame

    from geo.models import Article

__all__ = ["FilterOptions", "Filters", "apply_filters", "date_period", "filter_options"]

_DATE = re.compile(r"^\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def date_period(value: Any) -> tuple[date, date] | None:
    """Return the first and last day a (possibly partial) ISO date names, or None.

    >>> date_period("2024-02")
    (datetime.date(2024, 2, 1), datetime.date(2024, 2, 29))
    >>> date_period("2024-01-16T10:00:00")
    (datetime.date(2024, 1, 16), datetime.date(2024, 1, 16))
    >>> date_period("gisteren") is None
    True
    """
    if isinstance(value, date):
        return value, value
    if not isinstance(value, str):
        return None
    match = _DATE.match(value)
    if match is None:
        return None
    year = int(match[1])
    try:
        if match[2] is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(match[2])
        if match[3] is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1), date(year, month, last)
        day = date(year, month, int(match[3]))
        return day, day
    except ValueError:  # month 13, 30 February: not a date
        return None


@dataclass(frozen=True, slots=True)
class Filters:
    """What to show. Empty tuples and None mean "no restriction".

    Attributes
    ----------
    date_from, date_to : date, optional
        Inclusive range; partial dates pass when their period overlaps it.
    attackers : tuple of str
        Attacker names (``Strike.attacker``).
    target_countries : tuple of str
        ISO 3166-1 alpha-3 codes of target countries.
    cross_border_only : bool
        Keep only strikes whose attacker and target are in different countries.
    min_confidence : float
        Keep strikes with ``confidence >= min_confidence`` (0 to 1).
    article_ids : tuple of str
        Keep strikes reported by, and places mentioned in, these articles.
    include_undated : bool
        Keep strikes and mentions without a date when a date range is set.
    """

    date_from: date | None = None
    date_to: date | None = None
    attackers: tuple[str, ...] = ()
    target_countries: tuple[str, ...] = ()
    cross_border_only: bool = False
    min_confidence: float = 0.0
    article_ids: tuple[str, ...] = ()
    include_undated: bool = True

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise InputError(
                f"the date range starts after it ends ({self.date_from} > {self.date_to}); "
                "swap the two dates"
            )
        if not 0.0 <= float(self.min_confidence) <= 1.0:
            raise InputError(f"min_confidence must be in [0, 1], got {self.min_confidence}")
        for name in ("attackers", "target_countries", "article_ids"):
            if isinstance(getattr(self, name), str):
                raise InputError(f"{name} must be a tuple of strings, not one string")

    @property
    def is_empty(self) -> bool:
        """True when the filters let everything through."""
        return self == Filters()


@dataclass(frozen=True, slots=True)
class FilterOptions:
    """Choices for filter widgets, computed from the data."""

    attackers: tuple[str, ...]
    target_countries: tuple[str, ...]
    date_min: date | None
    date_max: date | None
    articles: tuple[tuple[str, str], ...]  # (article id, label)


def _passes_dates(value: Any, filters: Filters) -> bool:
    if filters.date_from is None and filters.date_to is None:
        return True
    period = date_period(value)
    if period is None:
        return filters.include_undated
    first, last = period
    if filters.date_from is not None and last < filters.date_from:
        return False
    return not (filters.date_to is not None and first > filters.date_to)


def _source_article_ids(sources: Any) -> set[str]:
    if not isinstance(sources, list | tuple):
        return set()
    ids = set()
    for source in sources:
        article_id = source.get("article_id") if isinstance(source, dict) else source.article_id
        if article_id:
            ids.add(str(article_id))
    return ids


def _strike_mask(strikes: GeoDataFrame, filters: Filters) -> list[bool]:
    attackers = set(filters.attackers)
    countries = set(filters.target_countries)
    articles = set(filters.article_ids)
    mask = []
    for row in strikes.itertuples(index=False):
        keep = _passes_dates(row.date, filters)
        keep = keep and (not attackers or row.attacker in attackers)
        keep = keep and (not countries or row.target_iso3 in countries)
        keep = keep and (not filters.cross_border_only or bool(row.cross_border))
        confidence = row.confidence if row.confidence == row.confidence else 0.0  # NaN
        keep = keep and float(confidence) >= filters.min_confidence
        keep = keep and (not articles or bool(_source_article_ids(row.sources) & articles))
        mask.append(bool(keep))
    return mask


def _kept_mentions(mentions: Any, filters: Filters) -> list[dict[str, Any]]:
    articles = set(filters.article_ids)
    kept = []
    for mention in mentions if isinstance(mentions, list | tuple) else ():
        if articles and mention.get("article_id") not in articles:
            continue
        if not _passes_dates(mention.get("date"), filters):
            continue
        kept.append(mention)
    return kept


def apply_filters(
    places: GeoDataFrame, strikes: GeoDataFrame, filters: Filters
) -> tuple[GeoDataFrame, GeoDataFrame]:
    """Return the places and strikes that pass `filters` (new frames; inputs unchanged).

    Strikes pass every criterion. Places pass when at least one of their mentions is in a
    selected article (``article_ids``) dated within the range; their ``mentions`` list and
    ``n_mentions``/``n_articles`` then count only those mentions. Strike criteria (attacker,
    target country, cross-border, confidence) do not remove places, except that
    ``is_target`` is recomputed from the strikes that remain. Both frames stay EPSG:4326.

    Parameters
    ----------
    places : GeoDataFrame
        As ``Extraction.places_frame()`` (needs ``mentions``).
    strikes : GeoDataFrame
        As ``Extraction.strikes_frame()`` (needs ``date, attacker, target_iso3,
        cross_border, confidence, sources``).
    filters : Filters
    """
    if filters.is_empty:
        return places.copy(), strikes.copy()
    kept_strikes = (
        strikes[_strike_mask(strikes, filters)].copy() if len(strikes) else strikes.copy()
    )

    if len(places) == 0 or "mentions" not in places.columns:
        return places.copy(), kept_strikes
    mentions = [_kept_mentions(m, filters) for m in places["mentions"]]
    out = places.copy()
    out["mentions"] = mentions
    if "n_mentions" in out.columns:
        out["n_mentions"] = [len(m) for m in mentions]
    if "n_articles" in out.columns:
        out["n_articles"] = [len({m.get("article_id") for m in ms}) for ms in mentions]
    if "is_target" in out.columns and "target_place_id" in kept_strikes.columns:
        targets = {t for t in kept_strikes["target_place_id"] if isinstance(t, str)}
        points = {
            (round(float(lon), 4), round(float(lat), 4))
            for lon, lat, pid in zip(
                kept_strikes["target_lon"],
                kept_strikes["target_lat"],
                kept_strikes["target_place_id"],
                strict=True,
            )
            if not isinstance(pid, str)
        }
        out["is_target"] = [
            pid in targets or (round(geom.x, 4), round(geom.y, 4)) in points
            for pid, geom in zip(out["place_id"], out.geometry, strict=True)
        ]
    out = out[[len(m) > 0 for m in mentions]]
    return out, kept_strikes


def filter_options(strikes: GeoDataFrame, articles: Iterable[Article] = ()) -> FilterOptions:
    """Return the values filter widgets can offer for these strikes (and articles).

    Dates span the strikes' and the articles' dates (partial dates by their whole period).
    """
    articles = list(articles)
    attackers = sorted({a for a in strikes.get("attacker", ()) if isinstance(a, str) and a})
    countries = sorted({c for c in strikes.get("target_iso3", ()) if isinstance(c, str) and c})
    periods = [date_period(d) for d in strikes.get("date", ())]
    periods += [date_period(a.date) for a in articles]
    found = [p for p in periods if p is not None]
    return FilterOptions(
        attackers=tuple(attackers),
        target_countries=tuple(countries),
        date_min=min(p[0] for p in found) if found else None,
        date_max=max(p[1] for p in found) if found else None,
        articles=tuple((a.id, _article_label(a)) for a in articles),
    )


def _article_label(article: Article) -> str:
    title = " ".join((article.title or article.id).split())
    if len(title) > 70:
        title = title[:69] + "…"
    return f"{article.date} · {title}" if article.date else title
