"""Geocoders that speak geopy's interface: offline by default, Nominatim on request.

Both backends subclass :class:`geopy.geocoders.base.Geocoder`, keep its keyword-only
signature (``geocode(query, *, exactly_one=True, timeout=...)``, ``reverse(query, ...)``) and
return ``None``, one :class:`geopy.location.Location` or a list of them. ``Location.raw``
always carries the same keys, whichever backend answered::

    place_id, name, kind, country_iso3, admin1, admin1_code, geonames_id, population, source

``source`` is ``"offline"`` or ``"nominatim"``; an answer the offline gazetteer gave because
Nominatim failed also has ``fallback_reason``.

The online path is layered so that the usage policy of the public Nominatim server holds
(https://operations.osmfoundation.org/policies/nominatim/): a persistent SQLite cache sits in
front of a circuit breaker, which sits in front of one process-wide
:class:`geopy.extra.rate_limiter.RateLimiter` per service, which calls geopy's ``Nominatim``.
Cached answers therefore never sleep and never touch the network, and a dead service is
not hammered. Coordinates in ``Location`` are geopy's ``(lat, lon)``; everything else here
is ``lon, lat``.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import os
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any, ClassVar, NamedTuple, Protocol

import numpy as np
from geopy.adapters import RequestsAdapter
from geopy.exc import ConfigurationError, GeocoderRateLimited, GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from geopy.geocoders.base import DEFAULT_SENTINEL, Geocoder
from geopy.location import Location
from geopy.point import Point

from geo import __version__
from geo.distance import EARTH_RADIUS_KM
from geo.errors import GeocoderError
from geo.models import (
    KIND_ADMIN1,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_DEMONYM,
    KIND_REGION,
    KIND_WATER,
    Place,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_USER_AGENT",
    "PUBLIC_NOMINATIM_DOMAIN",
    "RAW_KEYS",
    "CircuitBreaker",
    "GeocodeCache",
    "GeocoderSettings",
    "NominatimGeocoder",
    "OfflineGeocoder",
    "make_geocoder",
    "shared_circuit_breaker",
    "shared_rate_limiter",
]

logger = logging.getLogger(__name__)

PUBLIC_NOMINATIM_DOMAIN = "nominatim.openstreetmap.org"
DEFAULT_USER_AGENT = f"strikemap/{__version__} (+contact)"
BACKENDS = ("offline", "nominatim")
RAW_KEYS = (
    "place_id",
    "name",
    "kind",
    "country_iso3",
    "admin1",
    "admin1_code",
    "geonames_id",
    "population",
    "source",
)

# geopy's structured-query keys, most specific first. Streets and postcodes cannot be resolved
# by a city-level gazetteer, so the offline backend reads only the named areas.
_STRUCTURED_KEYS = ("street", "city", "county", "state", "country", "postalcode")
_STRUCTURED_AREAS = ("city", "county", "state", "country")
# geopy/Nominatim `featuretype` values mapped to our place kinds.
_FEATURETYPE_KINDS = {
    "country": {KIND_COUNTRY},
    "state": {KIND_ADMIN1},
    "city": {KIND_CITY},
    "settlement": {KIND_CITY, KIND_ADMIN1, KIND_COUNTRY},
}


class _Admin(NamedTuple):
    """The fields of :class:`geo.boundaries.AdminLocation` (kept here so that geocoding by
    name never imports geopandas)."""

    country_iso3: str | None
    admin1: str | None
    admin1_code: str | None


Locate = Callable[[float, float], Any]  # (lon, lat) -> geo.boundaries.AdminLocation or alike


class GazetteerLike(Protocol):
    """The part of :class:`geo.gazetteer.Gazetteer` a geocoder needs."""

    def lookup(self, name: str) -> list[Place]: ...

    def get(self, place_id: str) -> Place | None: ...


# --------------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------------


def _fold(text: str) -> str:
    """Return `text` case- and accent-folded with collapsed whitespace, for comparisons."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())


def _normalise_query(query: str | Mapping[str, Any]) -> str:
    """Return the canonical text of a query, used as (part of) the cache key.

    >>> _normalise_query("  Kerman ,IRAN ")
    'kerman, iran'
    """
    if isinstance(query, Mapping):
        items = sorted((str(k).casefold(), _fold(str(v))) for k, v in query.items() if v)
        return json.dumps(items, ensure_ascii=False)
    text = unicodedata.normalize("NFKC", str(query))
    return ", ".join(" ".join(part.casefold().split()) for part in text.split(",") if part.strip())


@functools.cache
def _pycountry() -> Any:
    import pycountry

    return pycountry


def _iso2(iso3: str | None) -> str | None:
    if not iso3:
        return None
    country = _pycountry().countries.get(alpha_3=iso3)
    if country is not None:
        return str(country.alpha_2)
    return {"XKX": "XK", "PSE": "PS"}.get(iso3)


def _iso3_from_iso2(iso2: str) -> str | None:
    country = _pycountry().countries.get(alpha_2=iso2.upper())
    if country is not None:
        return str(country.alpha_3)
    return {"XK": "XKX"}.get(iso2.upper())


def _normalise_country_codes(country_codes: str | Iterable[str] | None) -> tuple[str, ...] | None:
    """Return ISO 3166-1 alpha-3 codes for `country_codes` (alpha-2 or alpha-3), sorted.

    Raises
    ------
    GeocoderError
        When a code is neither a known alpha-2 nor a three-letter code.
    """
    if country_codes is None:
        return None
    codes = [country_codes] if isinstance(country_codes, str) else list(country_codes)
    out: set[str] = set()
    for code in codes:
        text = str(code).strip().upper()
        iso3 = _iso3_from_iso2(text) if len(text) == 2 else None
        if len(text) == 3 and text.isalpha():
            iso3 = text  # also our own codes such as PSE and XKX
        if iso3 is None:
            raise GeocoderError(
                f"country_codes contains {code!r}, which is not an ISO 3166-1 alpha-2 or "
                "alpha-3 code; use codes such as 'IR' or 'IRN'"
            )
        out.add(iso3)
    return tuple(sorted(out))


@functools.cache
def _babel_country_names() -> dict[str, frozenset[str]]:
    """Map folded country names in every language babel knows to ISO alpha-2 codes.

    Built once on first use (about a second); only consulted when the gazetteer does not
    know a qualifier such as "Irak" or "Pakistán".
    """
    from babel import Locale, localedata

    names: dict[str, set[str]] = {}
    for ident in localedata.locale_identifiers():
        if "_" in ident:  # regional variants repeat their language's names
            continue
        try:
            territories = Locale.parse(ident).territories
        except (ValueError, LookupError):
            continue
        for code, name in territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(_fold(name), set()).add(code)
    return {name: frozenset(codes) for name, codes in names.items()}


@functools.cache
def _top_subdivisions() -> dict[str, tuple[tuple[str, str], ...]]:
    """Map the local part of ISO 3166-2 codes ("IL" of US-IL) to (country ISO3, code)."""
    found: dict[str, list[tuple[str, str]]] = {}
    for sub in _pycountry().subdivisions:
        if sub.parent_code is not None:
            continue
        iso3 = _iso3_from_iso2(sub.country_code)
        if iso3:
            found.setdefault(sub.code.split("-", 1)[1], []).append((iso3, sub.code))
    return {suffix: tuple(pairs) for suffix, pairs in found.items()}


@functools.cache
def _babel_locale(language: str) -> Any:
    from babel import Locale, UnknownLocaleError

    tag = language.split(",")[0].split(";")[0].strip().replace("-", "_")
    try:
        return Locale.parse(tag)
    except (ValueError, UnknownLocaleError):
        return None


def _haversine_km(lon1: Any, lat1: Any, lon2: Any, lat2: Any) -> Any:
    """Great-circle distance in km; broadcasts over numpy arrays (degrees in)."""
    lon1, lat1, lon2, lat2 = map(np.radians, (lon1, lat1, lon2, lat2))
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def _default_locate() -> Locate:
    """Return :func:`geo.boundaries.locate`, or a stand-in answering nothing if it is absent."""
    try:
        from geo.boundaries import locate
    except ImportError:  # pragma: no cover - only while geo.boundaries is being written
        logger.warning("geo.boundaries is unavailable; reverse geocoding uses cities only")
        return lambda lon, lat: _Admin(None, None, None)
    return locate  # type: ignore[no-any-return]


def _admin(locate: Locate, lon: float, lat: float) -> _Admin:
    found = locate(lon, lat)
    if found is None:
        return _Admin(None, None, None)
    return _Admin(
        getattr(found, "country_iso3", None),
        getattr(found, "admin1", None),
        getattr(found, "admin1_code", None),
    )


# --------------------------------------------------------------------------------------------
# Offline backend
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scope:
    """Where a qualifier such as "Iran", "IL" or "Kurdistan" says a place must lie."""

    countries: frozenset[str]
    admin1_code: str | None = None
    admin1: str | None = None  # folded name, when no code is known
    place_id: str | None = None  # the qualifier's own gazetteer entry

    def contains(self, place: Place) -> bool:
        if place.id == self.place_id:
            return False
        place_countries = {place.country_iso3, *place.countries} - {None}
        if not place_countries & self.countries:
            return False
        if self.admin1_code is None and self.admin1 is None:
            return True
        if self.admin1_code and place.admin1_code:
            if _codes_equal(place.admin1_code, self.admin1_code):
                return True
        return bool(place.admin1) and _fold(place.admin1 or "") == self.admin1


def _codes_equal(a: str, b: str) -> bool:
    return a.strip().upper() == b.strip().upper()


class _CityIndex:
    """Nearest-city search over every city point of the gazetteer, with numpy only.

    Points are sorted by latitude; a query slices the latitude band its radius allows
    (``np.searchsorted``) and computes haversine distances for that band alone, so a query
    over ~200 000 GeoNames cities costs a few thousand distance evaluations.

    Parameters
    ----------
    lon, lat : array of float
        City points (degrees, WGS84).
    iso3 : sequence of str or None
        Each city's country.
    resolve : callable
        ``resolve(i) -> Place`` for the i-th input point (made on demand).
    """

    def __init__(
        self,
        lon: Sequence[float] | np.ndarray,
        lat: Sequence[float] | np.ndarray,
        iso3: Sequence[str | None],
        resolve: Callable[[int], Place],
    ) -> None:
        lat_arr = np.asarray(lat, dtype=float)
        self._order = np.argsort(lat_arr, kind="stable")
        self.lat = lat_arr[self._order]
        self.lon = np.asarray(lon, dtype=float)[self._order]
        self.iso3 = np.array([c or "" for c in iso3], dtype=object)[self._order]
        self._resolve = resolve

    def __len__(self) -> int:
        return len(self.lat)

    def nearest(
        self, lon: float, lat: float, *, k: int, max_km: float, country_iso3: str | None
    ) -> list[tuple[Place, float]]:
        band_deg = max_km / 111.0 + 1e-9  # a degree of latitude is at least 110.57 km
        lo = int(np.searchsorted(self.lat, lat - band_deg, side="left"))
        hi = int(np.searchsorted(self.lat, lat + band_deg, side="right"))
        if hi <= lo:
            return []
        dist = _haversine_km(lon, lat, self.lon[lo:hi], self.lat[lo:hi])
        mask = dist <= max_km
        if country_iso3:
            mask &= self.iso3[lo:hi] == country_iso3
        hits = np.flatnonzero(mask)
        best = hits[np.argsort(dist[hits], kind="stable")][:k]
        return [(self._resolve(int(self._order[lo + i])), float(dist[i])) for i in best]


def _city_index(gazetteer: GazetteerLike) -> _CityIndex:
    """Index the cities of `gazetteer`.

    Reads the column arrays of :class:`geo.gazetteer.Gazetteer` when present (no Place is
    made until it is an answer); otherwise a ``places`` iterable of Place objects.
    """
    kinds = getattr(gazetteer, "kinds", None)
    place_at = getattr(gazetteer, "place", None)
    if kinds is not None and callable(place_at):
        from geo.gazetteer import KINDS

        rows = np.flatnonzero(np.asarray(kinds) == KINDS.index(KIND_CITY))
        # The per-entry country column; fall back to making Places if it is not a list.
        columns = getattr(gazetteer, "__dict__", {})
        column = columns.get("iso3", columns.get("country"))
        if isinstance(column, list | tuple):
            iso3 = [column[i] for i in rows]
        else:
            iso3 = [place_at(int(i)).country_iso3 for i in rows]
        return _CityIndex(
            np.asarray(getattr(gazetteer, "lon"))[rows],  # noqa: B009
            np.asarray(getattr(gazetteer, "lat"))[rows],  # noqa: B009
            iso3,
            lambda i: place_at(int(rows[i])),
        )
    places = [p for p in getattr(gazetteer, "places", ()) if p.kind == KIND_CITY]
    return _CityIndex(
        [p.lon for p in places],
        [p.lat for p in places],
        [p.country_iso3 for p in places],
        places.__getitem__,
    )


class OfflineGeocoder(Geocoder):  # type: ignore[misc]
    """Geocode with the bundled gazetteer: no network, deterministic, the default backend.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Anything with ``lookup(name) -> list[Place]`` (most important first) and
        ``get(place_id)`` (countries are ``c:<ISO3>``). Default: :func:`geo.gazetteer.load_gazetteer`,
        loaded on first use.
    locate : callable, optional
        ``locate(lon, lat)`` answering ``country_iso3, admin1, admin1_code`` for a point.
        Default: :func:`geo.boundaries.locate`.
    reverse_max_km : float
        How far (km) ``reverse`` looks for the nearest city before answering with the
        province or country that contains the point.

    Examples
    --------
    >>> geocoder = OfflineGeocoder()  # doctest: +SKIP
    >>> geocoder.geocode("Kerman, Iran").raw["country_iso3"]  # doctest: +SKIP
    'IRN'
    """

    def __init__(
        self,
        gazetteer: GazetteerLike | None = None,
        *,
        locate: Locate | None = None,
        reverse_max_km: float = 50.0,
        user_agent: str | None = None,
        timeout: Any = DEFAULT_SENTINEL,
    ) -> None:
        super().__init__(user_agent=user_agent or DEFAULT_USER_AGENT, timeout=timeout)
        self._gazetteer = gazetteer
        self._locate = locate
        self.reverse_max_km = float(reverse_max_km)
        self._lock = threading.Lock()
        self._city_index: _CityIndex | None = None

    @property
    def gazetteer(self) -> GazetteerLike:
        """The gazetteer, loaded on first use."""
        if self._gazetteer is None:
            from geo.gazetteer import load_gazetteer

            self._gazetteer = load_gazetteer()
        return self._gazetteer

    @property
    def locate(self) -> Locate:
        if self._locate is None:
            self._locate = _default_locate()
        return self._locate

    # -- geocode ----------------------------------------------------------------------------

    def geocode(
        self,
        query: str | Mapping[str, Any],
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        limit: int | None = None,
        country_codes: str | Iterable[str] | None = None,
        language: str | None = None,
        featuretype: str | None = None,
        **_ignored: Any,
    ) -> Location | list[Location] | None:
        """Return the gazetteer place(s) that `query` names.

        Parameters
        ----------
        query : str or dict
            A name ("Erbil"), a name with qualifiers ("Kerman, Iran", "Springfield, IL",
            "Erbil, Kurdistan": each later part that names a known country, province or region
            must contain the place; unknown parts are skipped, but at least one must be
            known), or geopy's structured
            query (``{"city": "Kerman", "country": "Iran"}``; street and postcode are ignored).
            Country qualifiers may be ISO codes or country names in any language.
        exactly_one : bool
            Return the most important match, or a list of all matches.
        timeout : ignored
            Kept for geopy compatibility; nothing here waits.
        limit : int, optional
            Most matches to return when ``exactly_one`` is false.
        country_codes : str or list of str, optional
            Keep only places in these countries (ISO 3166-1 alpha-2 or alpha-3).
        language : str, optional
            Language of the country name in ``Location.address`` ("nl", "de").
        featuretype : {"country", "state", "city", "settlement"}, optional
            Keep only places of this type, as Nominatim's parameter does.

        Returns
        -------
        Location, list of Location or None
            ``None`` when nothing matches (also for ``exactly_one=False``, as in geopy).

        Raises
        ------
        GeocoderError
            For an empty or malformed query or an unknown country code / featuretype.
        """
        places = self._resolve(query)
        wanted = _normalise_country_codes(country_codes)
        if wanted is not None:
            keep = set(wanted)
            places = [p for p in places if {p.country_iso3, *p.countries} & keep]
        if featuretype is not None:
            kinds = _FEATURETYPE_KINDS.get(str(featuretype).lower())
            if kinds is None:
                raise GeocoderError(
                    f"featuretype {featuretype!r} is not one of {sorted(_FEATURETYPE_KINDS)}"
                )
            places = [p for p in places if p.kind in kinds]
        if not places:
            return None
        if exactly_one:
            return self._location(places[0], language)
        if limit is not None:
            places = places[: max(int(limit), 0)]
        return [self._location(p, language) for p in places] or None

    def _resolve(self, query: str | Mapping[str, Any]) -> list[Place]:
        parts = _query_parts(query)
        gazetteer = self.gazetteer
        if isinstance(query, str) and len(parts) > 1:
            # "Washington, D.C." may be a name in its own right: try it whole first.
            whole = _rank(gazetteer.lookup(", ".join(parts)))
            if whole:
                return whole
        candidates = _rank(gazetteer.lookup(parts[0]))
        understood = 0
        for qualifier in parts[1:]:
            if not candidates:
                break
            scopes = self._scopes(qualifier)
            if not scopes:
                continue  # "Fresno County" in "Kerman, Fresno County, California": skip it
            understood += 1
            candidates = [p for p in candidates if any(s.contains(p) for s in scopes)]
        if len(parts) > 1 and not understood:
            return []  # "Kerman, Atlantis": a qualifier we cannot check is not ignored
        return candidates

    def _scopes(self, qualifier: str) -> list[_Scope]:
        """Return every reading of a qualifier: a country, province or region; codes included.

        Readings are unioned ("IL" is Israel and Illinois): the candidates decide which one
        the writer meant, which is how people read "Springfield, IL".
        """
        scopes: list[_Scope] = []
        text = qualifier.strip()
        upper = text.upper()
        if text.isalpha() and len(text) in (2, 3) and text.isascii():
            iso3 = _iso3_from_iso2(upper) if len(upper) == 2 else upper
            if iso3 and (len(upper) == 2 or _iso2(iso3) or _country_place(self.gazetteer, iso3)):
                scopes.append(_Scope(frozenset({iso3})))
            for iso3_sub, code in _top_subdivisions().get(upper, ()):
                scopes.append(_Scope(frozenset({iso3_sub}), admin1_code=code))
        for place in self.gazetteer.lookup(text):
            scope = _scope_of(place)
            if scope is not None:
                scopes.append(scope)
        if not scopes:
            for iso2 in _babel_country_names().get(_fold(text), ()):
                iso3 = _iso3_from_iso2(iso2)
                if iso3:
                    scopes.append(_Scope(frozenset({iso3})))
        if not scopes:
            try:
                country = _pycountry().countries.lookup(text)
            except LookupError:
                country = None
            if country is not None:
                scopes.append(_Scope(frozenset({str(country.alpha_3)})))
        return scopes

    def _location(self, place: Place, language: str | None, **extra: Any) -> Location:
        raw: dict[str, Any] = {
            "place_id": place.id,
            "name": place.name,
            "kind": place.kind,
            "country_iso3": place.country_iso3,
            "admin1": place.admin1,
            "admin1_code": place.admin1_code,
            "geonames_id": place.geonames_id,
            "population": place.population,
            "source": "offline",
        }
        raw.update(extra)
        return Location(self._address(place, language), (place.lat, place.lon), raw)

    def _address(self, place: Place, language: str | None) -> str:
        parts = [place.name]
        if place.admin1 and place.kind not in (KIND_ADMIN1, KIND_COUNTRY):
            if _fold(place.admin1) != _fold(place.name):
                parts.append(place.admin1)
        if place.country_iso3 and place.kind != KIND_COUNTRY:
            parts.append(self._country_name(place.country_iso3, language))
        return ", ".join(parts)

    def _country_name(self, iso3: str, language: str | None) -> str:
        if language:
            locale = _babel_locale(language)
            iso2 = _iso2(iso3)
            if locale is not None and iso2 and iso2 in locale.territories:
                return str(locale.territories[iso2])
        country = _country_place(self.gazetteer, iso3)
        if country is not None:
            return country.name
        found = _pycountry().countries.get(alpha_3=iso3)
        return str(found.name) if found is not None else iso3

    # -- reverse ----------------------------------------------------------------------------

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        language: str | None = None,
        max_km: float | None = None,
        **_ignored: Any,
    ) -> Location | list[Location] | None:
        """Return the nearest city to a point, else the province or country containing it.

        Parameters
        ----------
        query : geopy.point.Point, (lat, lon) tuple or "lat, lon" string
            geopy's order: latitude first.
        exactly_one : bool
            One answer, or a list (up to five nearest cities, or the containing area).
        language : str, optional
            Language of the country name in ``Location.address``.
        max_km : float, optional
            Search radius for cities (km); default ``reverse_max_km``.

        Returns
        -------
        Location, list of Location or None
            A city's own point and ``raw["distance_km"]``; for a province or country the
            queried point itself (it lies inside). ``None`` at sea far from any city.
        """
        try:
            point = Point(query)
        except (ValueError, TypeError) as err:
            raise GeocoderError(
                f"reverse() needs a point as (lat, lon), 'lat, lon' or geopy Point; got {query!r}"
            ) from err
        lat, lon = float(point.latitude), float(point.longitude)
        admin = _admin(self.locate, lon, lat)
        radius = self.reverse_max_km if max_km is None else float(max_km)
        near = self._cities().nearest(
            lon, lat, k=1 if exactly_one else 5, max_km=radius, country_iso3=admin.country_iso3
        )
        locations = [
            self._location(place, language, distance_km=round(dist, 3)) for place, dist in near
        ]
        if not locations:
            area = self._area(lon, lat, admin, language)
            locations = [area] if area is not None else []
        if not locations:
            return None
        return locations[0] if exactly_one else locations

    def _area(self, lon: float, lat: float, admin: _Admin, language: str | None) -> Location | None:
        if admin.country_iso3 is None:
            return None
        place: Place | None = None
        if admin.admin1_code:
            place = self.gazetteer.get(f"a1:{admin.admin1_code}")
        if place is None and admin.admin1 is None:
            place = _country_place(self.gazetteer, admin.country_iso3)
        if place is None:
            kind = KIND_ADMIN1 if admin.admin1 else KIND_COUNTRY
            name = admin.admin1 or self._country_name(admin.country_iso3, None)
            place_id = f"a1:{admin.admin1_code}" if admin.admin1_code else f"c:{admin.country_iso3}"
            place = Place(place_id, name, kind, lon, lat, admin.country_iso3)
        place = replace(
            place,
            lon=lon,
            lat=lat,
            country_iso3=admin.country_iso3,
            admin1=admin.admin1,
            admin1_code=admin.admin1_code,
        )
        return self._location(place, language, distance_km=0.0)

    def _cities(self) -> _CityIndex:
        with self._lock:
            if self._city_index is None:
                self._city_index = _city_index(self.gazetteer)
            return self._city_index


def _query_parts(query: str | Mapping[str, Any]) -> list[str]:
    if isinstance(query, Mapping):
        unknown = sorted(set(map(str, query)) - set(_STRUCTURED_KEYS))
        if unknown:
            raise GeocoderError(
                f"structured query has unknown keys {unknown}; use {list(_STRUCTURED_KEYS)}"
            )
        parts = [str(query[k]).strip() for k in _STRUCTURED_AREAS if query.get(k)]
        parts = [p for p in parts if p]
        if not parts:
            raise GeocoderError(
                f"structured query {dict(query)!r} names no city, county, state or country"
            )
        return parts
    if not isinstance(query, str):
        raise GeocoderError(
            f"query must be a string or a dict of {list(_STRUCTURED_KEYS)}, "
            f"not {type(query).__name__}"
        )
    parts = [" ".join(p.split()) for p in query.split(",")]
    parts = [p for p in parts if p]
    if not parts:
        raise GeocoderError("query is empty; give a place name such as 'Erbil' or 'Kerman, Iran'")
    return parts


def _country_place(gazetteer: GazetteerLike, iso3: str) -> Place | None:
    """Return the country entry ``c:<ISO3>`` (by id, as every gazetteer names countries)."""
    return gazetteer.get(f"c:{iso3.upper()}")


def _rank(places: Iterable[Place]) -> list[Place]:
    """Return geocodable candidates in the gazetteer's order, namesake capitals first.

    Demonyms ("Iranian") name a country only as an adjective, so they are not answers. A
    province is mostly named after its capital (Kerman, Erbil, New York): when a city found
    under the same name lies in that province, the city comes first, as in Nominatim.
    """
    seen: set[str] = set()
    out: list[Place] = []
    for place in places:
        if place.id not in seen and place.kind != KIND_DEMONYM:
            seen.add(place.id)
            out.append(place)
    for i, province in enumerate(out):
        if province.kind != KIND_ADMIN1:
            continue
        for j in range(i + 1, len(out)):
            city = out[j]
            if city.kind == KIND_CITY and _in_province(city, province):
                out.insert(i, out.pop(j))
                break
    return out


def _in_province(city: Place, province: Place) -> bool:
    if city.country_iso3 != province.country_iso3:
        return False
    if city.admin1_code and province.admin1_code:
        return _codes_equal(city.admin1_code, province.admin1_code)
    return bool(city.admin1) and _fold(city.admin1 or "") == _fold(province.admin1 or province.name)


def _scope_of(place: Place) -> _Scope | None:
    countries = frozenset(c for c in (place.country_iso3, *place.countries) if c)
    if not countries:
        return None
    if place.kind == KIND_COUNTRY or place.kind == KIND_REGION or place.kind == KIND_WATER:
        return _Scope(countries, place_id=place.id)
    if place.kind == KIND_ADMIN1:
        return _Scope(
            countries,
            admin1_code=place.admin1_code,
            admin1=_fold(place.admin1 or place.name),
            place_id=place.id,
        )
    if place.admin1_code or place.admin1:  # a city as qualifier: "Brooklyn, New York"
        return _Scope(
            countries,
            admin1_code=place.admin1_code,
            admin1=_fold(place.admin1) if place.admin1 else None,
            place_id=place.id,
        )
    return _Scope(countries, place_id=place.id)


# --------------------------------------------------------------------------------------------
# Cache, rate limiter, circuit breaker
# --------------------------------------------------------------------------------------------


class GeocodeCache:
    """A persistent answer cache in SQLite, safe across threads and processes.

    Every write is one transaction, so a crash never leaves a half-written answer. Empty
    ("not found") answers are kept for ``negative_ttl_s``, real ones for ``ttl_s``. A file
    SQLite cannot read is moved aside (``*.corrupt-<time>``), never deleted, and a new one
    started.

    Parameters
    ----------
    path : str or Path
        The database file; ``":memory:"`` for a cache that dies with the object.
    ttl_s, negative_ttl_s : float
        Lifetimes in seconds of answers with and without results.
    """

    _SCHEMA = (
        "CREATE TABLE IF NOT EXISTS answers ("
        " key TEXT PRIMARY KEY, query TEXT NOT NULL, value TEXT NOT NULL,"
        " created REAL NOT NULL, expires REAL NOT NULL)"
    )

    def __init__(
        self,
        path: str | Path,
        *,
        ttl_s: float = 30 * 86400.0,
        negative_ttl_s: float = 86400.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.path = str(path)
        self.ttl_s = float(ttl_s)
        self.negative_ttl_s = float(negative_ttl_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._conn = self._open()

    def _open(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect()
        except sqlite3.DatabaseError as err:
            if self.path == ":memory:":
                raise
            aside = f"{self.path}.corrupt-{int(time.time())}"
            os.replace(self.path, aside)
            logger.warning(
                "geocoder cache %s was unreadable (%s); moved to %s", self.path, err, aside
            )
            return self._connect()

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
        try:
            if self.path != ":memory:":
                conn.execute("PRAGMA journal_mode=WAL")
            with conn:
                conn.execute(self._SCHEMA)
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    @staticmethod
    def key(operation: str, endpoint: str, query: str, params: Mapping[str, Any]) -> str:
        """Return the cache key of one request: a hash of everything that shapes the answer."""
        payload = json.dumps(
            [operation, endpoint, query, sorted((k, v) for k, v in params.items())],
            ensure_ascii=False,
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        """Return the cached answer (possibly ``[]``: known not found), or None on a miss."""
        try:
            with self._lock:
                row = self._conn.execute(
                    "SELECT value, expires FROM answers WHERE key = ?", (key,)
                ).fetchone()
            if row is None or row[1] < self._clock():
                return None
            value = json.loads(row[0])
        except (sqlite3.Error, ValueError) as err:
            # The cache only saves requests: a broken one must not stop geocoding.
            logger.warning("geocoder cache %s unreadable (%s); treating as a miss", self.path, err)
            return None
        return value if isinstance(value, list) else None

    def put(self, key: str, records: list[dict[str, Any]], *, query: str = "") -> None:
        """Store an answer; an empty list is a negative answer with the shorter lifetime."""
        now = self._clock()
        ttl = self.ttl_s if records else self.negative_ttl_s
        value = json.dumps(records, ensure_ascii=False, allow_nan=False)
        try:
            with self._lock, self._conn:
                self._conn.execute(
                    "INSERT OR REPLACE INTO answers (key, query, value, created, expires)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (key, query, value, now, now + ttl),
                )
        except sqlite3.Error as err:  # disk full, read-only file: the answer is still returned
            logger.warning("could not write geocoder cache %s (%s)", self.path, err)

    def __len__(self) -> int:
        with self._lock:
            return int(self._conn.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class CircuitBreaker:
    """Stop calling a failing service for a while, then let one trial request through.

    After ``failure_threshold`` consecutive failures the breaker *opens* for
    ``reset_after_s`` seconds (or the service's ``Retry-After`` if longer): :meth:`allow`
    answers False and callers fall back at once. Then one call is let through
    (*half-open*); success closes the breaker, failure opens it again. Thread-safe.
    """

    def __init__(
        self,
        *,
        failure_threshold: int = 3,
        reset_after_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failure_threshold < 1:
            raise GeocoderError(f"failure_threshold must be at least 1, not {failure_threshold}")
        self.failure_threshold = int(failure_threshold)
        self.reset_after_s = float(reset_after_s)
        self._clock = clock
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> str:
        """``"closed"``, ``"open"`` or ``"half-open"``."""
        with self._lock:
            if self._open_until is None:
                return "closed"
            return "open" if self._clock() < self._open_until else "half-open"

    def seconds_left(self) -> float:
        """Seconds until the next trial request is allowed (0 when closed)."""
        with self._lock:
            if self._open_until is None:
                return 0.0
            return max(0.0, self._open_until - self._clock())

    def allow(self) -> bool:
        """Return whether a request may go out now."""
        with self._lock:
            if self._open_until is None:
                return True
            if self._clock() < self._open_until or self._trial_in_flight:
                return False
            self._trial_in_flight = True  # half-open: exactly one trial
            return True

    def record_success(self) -> None:
        with self._lock:
            self._failures = 0
            self._open_until = None
            self._trial_in_flight = False

    def record_failure(self, *, retry_after_s: float | None = None) -> None:
        with self._lock:
            self._failures += 1
            was_trial = self._trial_in_flight
            self._trial_in_flight = False
            if was_trial or self._failures >= self.failure_threshold or retry_after_s:
                wait = max(self.reset_after_s, float(retry_after_s or 0.0))
                self._open_until = self._clock() + wait


_SHARED_LOCK = threading.Lock()
_LIMITERS: dict[str, RateLimiter] = {}
_BREAKERS: dict[str, CircuitBreaker] = {}


def _invoke(func: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
    return func(*args, **kwargs)


def shared_rate_limiter(endpoint: str, min_delay_s: float = 1.0) -> RateLimiter:
    """Return the one process-wide rate limiter of a service (thread-safe).

    The limiter wraps ``_invoke(func, *args)``, so ``geocode`` and ``reverse`` share one
    request rate. Asking again with a longer delay makes the shared limiter stricter; a
    shorter one never relaxes it. It neither retries nor swallows errors: callers fall back.

    Parameters
    ----------
    endpoint : str
        ``scheme://domain`` of the service.
    min_delay_s : float
        Minimum seconds between two requests to the service.
    """
    with _SHARED_LOCK:
        limiter = _LIMITERS.get(endpoint)
        if limiter is None:
            limiter = RateLimiter(
                _invoke,
                min_delay_seconds=float(min_delay_s),
                max_retries=0,
                error_wait_seconds=float(min_delay_s),
                swallow_exceptions=False,
            )
            _LIMITERS[endpoint] = limiter
        elif min_delay_s > limiter.min_delay_seconds:
            limiter.min_delay_seconds = float(min_delay_s)
            limiter.error_wait_seconds = max(limiter.error_wait_seconds, float(min_delay_s))
        return limiter


def shared_circuit_breaker(endpoint: str, **options: Any) -> CircuitBreaker:
    """Return the process-wide circuit breaker of a service (created with `options`)."""
    with _SHARED_LOCK:
        breaker = _BREAKERS.get(endpoint)
        if breaker is None:
            breaker = _BREAKERS[endpoint] = CircuitBreaker(**options)
        return breaker


# --------------------------------------------------------------------------------------------
# Online backend
# --------------------------------------------------------------------------------------------

# Nominatim `addresstype`/`type` values mapped to our place kinds.
_SETTLEMENT_TYPES = {
    "city",
    "town",
    "village",
    "hamlet",
    "suburb",
    "quarter",
    "neighbourhood",
    "borough",
    "city_district",
    "municipality",
    "locality",
    "isolated_dwelling",
}
_ADMIN1_TYPES = {"state", "province", "state_district"}
_WATER_TYPES = {"sea", "bay", "strait", "water", "ocean", "river", "lake", "gulf"}


def _nominatim_kind(raw: Mapping[str, Any]) -> str:
    kind = str(raw.get("addresstype") or raw.get("type") or "")
    if kind == "country":
        return KIND_COUNTRY
    if kind in _ADMIN1_TYPES:
        return KIND_ADMIN1
    if kind in _SETTLEMENT_TYPES:
        return KIND_CITY
    if kind in _WATER_TYPES or raw.get("class") in ("waterway", "water"):
        return KIND_WATER
    return KIND_REGION


class _Unusable(Exception):
    """Nominatim answered something we cannot read (wrong JSON shape)."""


class NominatimGeocoder(Geocoder):  # type: ignore[misc]
    """Nominatim through geopy, politely: cache → circuit breaker → rate limiter → network.

    Any failure of the service (timeout, refused connection, HTTP 4xx/5xx including 429 and
    503, unreadable JSON) is answered by the offline geocoder instead; such a
    ``Location.raw`` says ``source="offline"`` and ``fallback_reason``, and
    :attr:`last_fallback_reason` keeps the latest reason. Failures are never cached.

    Parameters
    ----------
    domain, scheme : str
        The service, e.g. ``"nominatim.openstreetmap.org"``/``"https"`` or a local
        ``"127.0.0.1:8080"``/``"http"``.
    user_agent : str
        Must identify this application and a contact; geopy refuses stock agents on the
        public server.
    timeout_s : float
        Per-request timeout in seconds.
    min_delay_s : float
        Minimum seconds between requests to this service, for the whole process; the
        public server needs at least 1.
    cache : GeocodeCache, optional
        Default: ``geocoder.sqlite`` in :func:`geo.paths.cache_dir`.
    fallback : Geocoder, optional
        Default: an :class:`OfflineGeocoder`.
    breaker : CircuitBreaker, optional
        Default: the process-wide breaker of this service (3 failures → 60 s pause).
    locate : callable, optional
        ``locate(lon, lat)`` used to give Nominatim's answers our country/province keys.
        Default: :func:`geo.boundaries.locate`.
    max_requests : int, optional
        Uncached requests this object may send before it answers offline only; the public
        server forbids bulk geocoding. Default: 500 for the public server, unlimited else.

    Raises
    ------
    GeocoderError
        For a stock user agent or a delay below 1 s on the public server, or a bad scheme.
    """

    def __init__(
        self,
        *,
        domain: str = PUBLIC_NOMINATIM_DOMAIN,
        scheme: str = "https",
        user_agent: str = DEFAULT_USER_AGENT,
        timeout_s: float = 5.0,
        min_delay_s: float = 1.0,
        cache: GeocodeCache | None = None,
        fallback: Geocoder | None = None,
        breaker: CircuitBreaker | None = None,
        locate: Locate | None = None,
        max_requests: int | None = None,
    ) -> None:
        is_public = domain.strip().lower().rstrip("/") == PUBLIC_NOMINATIM_DOMAIN
        if is_public and min_delay_s < 1.0:
            raise GeocoderError(
                f"min_delay_s={min_delay_s} breaks the public Nominatim policy (at most one "
                "request per second); use 1 or more, or run your own Nominatim"
            )
        try:
            super().__init__(scheme=scheme, timeout=timeout_s, user_agent=user_agent)
            self._nominatim = Nominatim(
                domain=domain,
                scheme=scheme,
                user_agent=user_agent,
                timeout=timeout_s,
                # One attempt per request: our breaker and fallback decide what happens next,
                # so urllib3 must not quietly retry against a struggling server.
                adapter_factory=functools.partial(RequestsAdapter, max_retries=0),
            )
        except ConfigurationError as err:
            raise GeocoderError(
                f"Nominatim refused the configuration ({err}). Set STRIKEMAP_USER_AGENT to "
                "something that names your app and a contact, e.g. "
                "'strikemap/0.1 (you@example.org)', and STRIKEMAP_NOMINATIM_SCHEME to http "
                "or https"
            ) from err
        if is_public and user_agent == DEFAULT_USER_AGENT:
            logger.warning(
                "using the public Nominatim server with the placeholder user agent %r; set "
                "STRIKEMAP_USER_AGENT to include a contact address",
                user_agent,
            )
        self.domain = domain
        self.endpoint = f"{scheme}://{domain}"
        self.timeout_s = float(timeout_s)
        self.cache = cache if cache is not None else GeocodeCache(_default_cache_path())
        self.fallback = fallback if fallback is not None else OfflineGeocoder(locate=locate)
        self.breaker = breaker if breaker is not None else shared_circuit_breaker(self.endpoint)
        self.limiter = shared_rate_limiter(self.endpoint, min_delay_s)
        self._locate = locate
        self.max_requests = (
            max_requests if max_requests is not None else (500 if is_public else None)
        )
        self._lock = threading.Lock()
        self.requests_sent = 0
        self.cache_hits = 0
        self.fallbacks = 0
        self.last_fallback_reason: str | None = None

    @property
    def locate(self) -> Locate:
        if self._locate is None:
            self._locate = _default_locate()
        return self._locate

    def geocode(
        self,
        query: str | Mapping[str, Any],
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        limit: int | None = None,
        country_codes: str | Iterable[str] | None = None,
        language: str | None = None,
        featuretype: str | None = None,
        **_ignored: Any,
    ) -> Location | list[Location] | None:
        """Geocode with Nominatim (same parameters and answer as :meth:`OfflineGeocoder.geocode`)."""
        _query_parts(query)  # refuse empty or malformed queries before anything else
        iso3 = _normalise_country_codes(country_codes)
        params: dict[str, Any] = {
            "limit": 1 if exactly_one else limit,
            "country_codes": list(iso3) if iso3 else None,
            "language": language,
            "featuretype": featuretype,
        }
        nominatim_kwargs = {
            "exactly_one": False,
            "limit": params["limit"],
            "addressdetails": True,
            "country_codes": [c for c in (_iso2(x) for x in iso3 or ()) if c] or None,
            "language": language or False,
            "featuretype": featuretype,
            "timeout": timeout,
        }
        fallback_kwargs = {
            "exactly_one": exactly_one,
            "limit": limit,
            "country_codes": country_codes,
            "language": language,
            "featuretype": featuretype,
        }
        return self._answer(
            "geocode",
            query,
            _normalise_query(query),
            params,
            nominatim_kwargs,
            fallback_kwargs,
            exactly_one,
        )

    def reverse(
        self,
        query: Any,
        *,
        exactly_one: bool = True,
        timeout: Any = DEFAULT_SENTINEL,
        language: str | None = None,
        zoom: int | None = None,
        **_ignored: Any,
    ) -> Location | list[Location] | None:
        """Reverse-geocode a ``(lat, lon)`` point with Nominatim, falling back to offline."""
        try:
            point = Point(query)
        except (ValueError, TypeError) as err:
            raise GeocoderError(
                f"reverse() needs a point as (lat, lon), 'lat, lon' or geopy Point; got {query!r}"
            ) from err
        text = f"{point.latitude:.6f},{point.longitude:.6f}"
        params = {"language": language, "zoom": zoom}
        nominatim_kwargs = {
            "exactly_one": True,
            "addressdetails": True,
            "language": language or False,
            "zoom": zoom,
            "timeout": timeout,
        }
        fallback_kwargs = {"exactly_one": exactly_one, "language": language}
        return self._answer(
            "reverse", (point.latitude, point.longitude), text, params, nominatim_kwargs,
            fallback_kwargs, exactly_one,
        )  # fmt: skip

    # -- the layered call -------------------------------------------------------------------

    def _answer(
        self,
        operation: str,
        query: Any,
        normalised: str,
        params: Mapping[str, Any],
        nominatim_kwargs: dict[str, Any],
        fallback_kwargs: dict[str, Any],
        exactly_one: bool,
    ) -> Location | list[Location] | None:
        key = GeocodeCache.key(operation, self.endpoint, normalised, params)
        cached = self.cache.get(key)
        if cached is not None:
            with self._lock:
                self.cache_hits += 1
            return _from_records(cached, exactly_one)

        reason = self._refusal()
        if reason is not None:
            return self._fall_back(operation, query, fallback_kwargs, reason)
        method = getattr(self._nominatim, operation)
        try:
            with self._lock:
                self.requests_sent += 1
            answer = self.limiter(method, query, **nominatim_kwargs)
            records = [self._record(loc) for loc in _as_list(answer)]
        except ConfigurationError:
            raise
        except GeopyError as err:
            retry_after = (
                getattr(err, "retry_after", None) if isinstance(err, GeocoderRateLimited) else None
            )
            self.breaker.record_failure(retry_after_s=retry_after)
            return self._fall_back(operation, query, fallback_kwargs, _describe(err))
        except (_Unusable, KeyError, TypeError, ValueError, AttributeError) as err:
            # Valid JSON of the wrong shape: geopy's parser trips on it.
            self.breaker.record_failure()
            return self._fall_back(
                operation, query, fallback_kwargs, f"unreadable answer from Nominatim: {err!r}"
            )
        self.breaker.record_success()
        self.cache.put(key, records, query=f"{operation}:{normalised}")
        return _from_records(records, exactly_one)

    def _refusal(self) -> str | None:
        with self._lock:
            if self.max_requests is not None and self.requests_sent >= self.max_requests:
                return (
                    f"request budget of {self.max_requests} exhausted: Nominatim's policy "
                    "forbids bulk geocoding"
                )
        if not self.breaker.allow():
            return (
                f"circuit open after repeated failures of {self.endpoint}; next try in "
                f"{self.breaker.seconds_left():.0f} s"
            )
        return None

    def _fall_back(
        self, operation: str, query: Any, kwargs: dict[str, Any], reason: str
    ) -> Location | list[Location] | None:
        with self._lock:
            self.fallbacks += 1
            last = self.last_fallback_reason or ""
            is_new = reason.split(";")[0] != last.split(";")[0]
            self.last_fallback_reason = reason
        # Warn once per distinct reason; an open circuit would otherwise warn per query.
        logger.log(
            logging.WARNING if is_new else logging.DEBUG,
            "Nominatim %s(%r) not answered (%s); answering offline",
            operation,
            query,
            reason,
        )
        answer = getattr(self.fallback, operation)(query, **kwargs)
        marked = [
            Location(
                loc.address,
                (loc.latitude, loc.longitude),
                {**loc.raw, "source": "offline", "fallback_reason": reason},
            )
            for loc in _as_list(answer)
        ]
        if not marked:
            return None
        return marked if isinstance(answer, list) else marked[0]

    def _record(self, location: Location) -> dict[str, Any]:
        """Turn one Nominatim answer into a cacheable record with our raw keys."""
        raw = location.raw
        if not isinstance(raw, Mapping):
            raise _Unusable(f"a result is {type(raw).__name__}, not an object")
        # geopy turns a result without coordinates into (0, 0); read the service's own values.
        try:
            lon, lat = float(raw["lon"]), float(raw["lat"])
        except (KeyError, TypeError, ValueError) as err:
            raise _Unusable(f"a result has no usable coordinates: {raw!r}"[:300]) from err
        if not (math.isfinite(lon) and math.isfinite(lat) and -90 <= lat <= 90):
            raise _Unusable(f"a result has no usable coordinates: {raw!r}")
        address: Mapping[str, Any] = (
            raw["address"] if isinstance(raw.get("address"), Mapping) else {}
        )
        admin = _admin(self.locate, lon, lat)
        iso3 = admin.country_iso3
        if iso3 is None and address.get("country_code"):
            iso3 = _iso3_from_iso2(str(address["country_code"]))
        osm = (raw.get("osm_type"), raw.get("osm_id"))
        place_id = f"osm:{osm[0]}:{osm[1]}" if all(osm) else f"nominatim:{raw.get('place_id')}"
        display = str(raw.get("display_name") or location.address or "")
        extratags: Mapping[str, Any] = (
            raw["extratags"] if isinstance(raw.get("extratags"), Mapping) else {}
        )
        try:
            population = int(str(extratags.get("population", "0")).replace(",", ""))
        except ValueError:
            population = 0
        ours = {
            "place_id": place_id,
            "name": str(raw.get("name") or display.split(",")[0]).strip(),
            "kind": _nominatim_kind(raw),
            "country_iso3": iso3,
            "admin1": admin.admin1 or address.get("state") or address.get("province"),
            "admin1_code": admin.admin1_code,
            "geonames_id": None,
            "population": population,
            "source": "nominatim",
            "nominatim": dict(raw),
        }
        return {"address": display, "lat": lat, "lon": lon, "raw": ours}


def _as_list(answer: Any) -> list[Location]:
    if answer is None:
        return []
    if isinstance(answer, Location):
        return [answer]
    if isinstance(answer, list):
        return answer
    raise _Unusable(f"geopy returned {type(answer).__name__}")


def _from_records(
    records: list[dict[str, Any]], exactly_one: bool
) -> Location | list[Location] | None:
    locations = [Location(r["address"], (r["lat"], r["lon"]), r["raw"]) for r in records]
    if not locations:
        return None
    return locations[0] if exactly_one else locations


def _describe(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {text}"[:300] if text else type(err).__name__


def _default_cache_path() -> Path:
    from geo.paths import cache_dir

    return cache_dir() / "geocoder.sqlite"


# --------------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GeocoderSettings:
    """How :func:`make_geocoder` builds a geocoder; :meth:`from_env` reads ``STRIKEMAP_*``."""

    backend: str = "offline"
    nominatim_domain: str = PUBLIC_NOMINATIM_DOMAIN
    nominatim_scheme: str = "https"
    user_agent: str = DEFAULT_USER_AGENT
    timeout_s: float = 5.0
    min_delay_s: float = 1.0
    cache_path: str | None = None  # default: geocoder.sqlite in geo.paths.cache_dir()

    ENV: ClassVar[dict[str, str]] = {
        "backend": "STRIKEMAP_GEOCODER",
        "nominatim_domain": "STRIKEMAP_NOMINATIM_DOMAIN",
        "nominatim_scheme": "STRIKEMAP_NOMINATIM_SCHEME",
        "user_agent": "STRIKEMAP_USER_AGENT",
        "timeout_s": "STRIKEMAP_GEOCODER_TIMEOUT",
        "min_delay_s": "STRIKEMAP_NOMINATIM_MIN_DELAY",
        "cache_path": "STRIKEMAP_GEOCODER_CACHE",
    }

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> GeocoderSettings:
        """Read settings from `env` (default ``os.environ``); unset or empty keys keep defaults.

        Raises
        ------
        GeocoderError
            When a value is invalid; the message names the variable and the valid values.
        """
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in fields(cls):
            name = cls.ENV[f.name]
            text = str(env.get(name, "") or "").strip()
            if not text:
                continue
            if f.name in ("timeout_s", "min_delay_s"):
                try:
                    number = float(text)
                except ValueError:
                    number = float("nan")
                if not math.isfinite(number) or number < 0:
                    raise GeocoderError(f"{name}={text!r} is not a number of seconds >= 0")
                values[f.name] = number
            else:
                values[f.name] = text
        return cls(**values).validated()

    def validated(self) -> GeocoderSettings:
        backend = self.backend.strip().lower()
        if backend not in BACKENDS:
            raise GeocoderError(
                f"geocoder backend {self.backend!r} is unknown; set STRIKEMAP_GEOCODER to one "
                f"of {list(BACKENDS)}"
            )
        scheme = self.nominatim_scheme.strip().lower()
        if scheme not in ("http", "https"):
            raise GeocoderError(
                f"STRIKEMAP_NOMINATIM_SCHEME={self.nominatim_scheme!r}; use 'https' or 'http'"
            )
        return replace(self, backend=backend, nominatim_scheme=scheme)


def make_geocoder(
    settings: GeocoderSettings | Mapping[str, str] | None = None,
    *,
    gazetteer: GazetteerLike | None = None,
    locate: Locate | None = None,
) -> Geocoder:
    """Return the configured geocoder: offline by default, Nominatim when asked.

    Parameters
    ----------
    settings : GeocoderSettings or mapping, optional
        Settings, or an environment-like mapping of ``STRIKEMAP_*`` variables
        (``STRIKEMAP_GEOCODER`` = offline|nominatim, ``STRIKEMAP_NOMINATIM_DOMAIN``,
        ``STRIKEMAP_NOMINATIM_SCHEME``, ``STRIKEMAP_USER_AGENT``,
        ``STRIKEMAP_GEOCODER_TIMEOUT``, ``STRIKEMAP_NOMINATIM_MIN_DELAY``,
        ``STRIKEMAP_GEOCODER_CACHE``). Default: ``os.environ``.
    gazetteer, locate
        Passed to the offline geocoder (also the online one's fall-back).

    Raises
    ------
    GeocoderError
        For an unknown backend or invalid settings.
    """
    if settings is None or not isinstance(settings, GeocoderSettings):
        settings = GeocoderSettings.from_env(settings)
    else:
        settings = settings.validated()
    offline = OfflineGeocoder(gazetteer, locate=locate, user_agent=settings.user_agent)
    if settings.backend == "offline":
        return offline
    cache = GeocodeCache(settings.cache_path or _default_cache_path())
    return NominatimGeocoder(
        domain=settings.nominatim_domain,
        scheme=settings.nominatim_scheme,
        user_agent=settings.user_agent,
        timeout_s=settings.timeout_s,
        min_delay_s=settings.min_delay_s,
        cache=cache,
        fallback=offline,
        locate=locate,
    )
