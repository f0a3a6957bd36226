"""Frozen data classes that cross module boundaries. Coordinates are WGS84 (EPSG:4326), lon/lat."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# Place kinds used across the package (gazetteer entries and toponyms).
KIND_CITY = "city"
KIND_ADMIN1 = "admin1"
KIND_COUNTRY = "country"
KIND_REGION = "region"  # not an administrative unit: Kurdistan, northern Syria, Gaza, Balochistan
KIND_WATER = "water"  # seas, gulfs, straits: Red Sea, Persian Gulf
KIND_DEMONYM = "demonym"  # "Iraanse", "Pakistani": names a country through an adjective
KIND_SITE = "site"  # a named facility: air base, port, nuclear site, bridge, dam


@dataclass(frozen=True, slots=True)
class Place:
    """One gazetteer entry: a place that names can point to.

    ``id`` is stable across builds: ``gn:<geonameid>`` for GeoNames cities, ``a1:<iso_3166_2 or
    adm1_code>`` for Natural Earth provinces, ``c:<ISO3>`` for countries, ``r:<slug>`` for regions
    and water bodies.
    """

    id: str
    name: str  # canonical English name
    kind: str
    lon: float
    lat: float
    country_iso3: str | None  # None for places that span several countries (Red Sea)
    admin1: str | None = None  # English name of the province, when known
    admin1_code: str | None = None  # ISO 3166-2 when known (PK-BA)
    geonames_id: int | None = None
    population: int = 0
    countries: tuple[str, ...] = ()  # every country a region touches (Balochistan: PAK, IRN, AFG)


@dataclass(frozen=True, slots=True)
class Toponym:
    """A place mention found in a text, resolved to a place. Offsets index the decoded text."""

    text: str  # exactly as written
    start: int
    end: int  # exclusive
    name: str
    lon: float | None
    lat: float | None
    country_iso3: str | None
    admin1: str | None
    geonames_id: int | None
    kind: str
    place_id: str
    admin1_code: str | None = None
    score: float = 1.0  # resolution confidence in [0, 1]

    def to_json(self) -> dict[str, Any]:
        """Return the CLI's JSON object (the documented keys first)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence as character offsets into ``Article.text``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, decoded and split into sentences."""

    id: str  # stable: derived from the content (or given by a JSONL line)
    title: str
    date: str | None  # ISO 8601, partial allowed: "2024", "2024-01", "2024-01-16"
    text: str
    url: str | None = None
    path: str | None = None  # the input path exactly as given, when read from a file
    language: str | None = None  # "nl", "en", ... (built-in detector)
    sentences: tuple[Sentence, ...] = ()

    def sentence_text(self, sentence: Sentence) -> str:
        return self.text[sentence.start : sentence.end]


@dataclass(frozen=True, slots=True)
class Source:
    """Where a strike was reported: one sentence of one article."""

    article: str  # the input path exactly as given, or the article id
    article_id: str
    title: str
    date: str | None
    excerpt: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Strike:
    """A strike the text reports as having happened: attacker -> target.

    ``origin_*`` is the launch site when the text names one, else a representative point of the
    attacker's country (``origin_kind`` says which). ``geo_precision`` of the target is one of
    ``place``, ``admin1``, ``region``, ``country``.
    """

    id: str
    attacker: str
    attacker_iso3: str | None
    target_name: str
    target_iso3: str | None
    target_admin1: str | None
    target_lon: float
    target_lat: float
    geo_precision: str
    origin_lon: float
    origin_lat: float
    origin_kind: str
    cross_border: bool
    date: str | None
    target_actor: str | None = None
    target_place_id: str | None = None
    origin_name: str | None = None
    weapons: tuple[str, ...] = ()
    killed: int | None = None
    injured: int | None = None
    confidence: float = 0.5
    article: str = ""  # the input path exactly as given, or the article id
    excerpt: str = ""
    start: int = 0
    end: int = 0
    sources: tuple[Source, ...] = field(default_factory=tuple)
    edited: bool = False  # set when an analyst corrected it in the app
