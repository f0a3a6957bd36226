"""Tests for geo.geocoders and geo.cmd_geocode.

The offline geocoder is tested twice: against a small hand-built gazetteer of real places
(so each rule is pinned independently of the full index) and against the real gazetteer.
The Nominatim backend talks HTTP to a real server on 127.0.0.1 (tests/nominatim_server.py);
geopy itself is never mocked.
"""

from __future__ import annotations

import io
import json
import sqlite3
import unicodedata
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from geopy.location import Location

from geo import cmd_geocode
from geo.boundaries import AdminLocation
from geo.errors import GeocoderError
from geo.geocoders import (
    DEFAULT_USER_AGENT,
    PUBLIC_NOMINATIM_DOMAIN,
    RAW_KEYS,
    CircuitBreaker,
    GeocodeCache,
    GeocoderSettings,
    NominatimGeocoder,
    OfflineGeocoder,
    make_geocoder,
    shared_rate_limiter,
)
from geo.models import Place
from tests.nominatim_server import FakeNominatim, closed_port

TEST_AGENT = "strikemap-test/0.1 (tests@example.org)"

# ------------------------------------------------------------------------------ a small gazetteer

_PLACES: list[tuple[Place, list[str]]] = [
    (Place("c:IRN", "Iran", "country", 54.3, 32.5, "IRN"), ["Iran", "Iraan", "ایران"]),
    (Place("c:IRQ", "Iraq", "country", 43.7, 33.0, "IRQ"), ["Iraq", "Irak"]),
    (
        Place("c:USA", "United States", "country", -98.6, 39.8, "USA"),
        ["United States", "USA", "Verenigde Staten"],
    ),
    (Place("c:ISR", "Israel", "country", 34.9, 31.5, "ISR"), ["Israel"]),
    (Place("c:PAK", "Pakistan", "country", 69.4, 29.9, "PAK"), ["Pakistan"]),
    (
        Place(
            "r:kurdistan",
            "Kurdistan",
            "region",
            44.0,
            36.5,
            "IRQ",
            countries=("IRQ", "IRN", "TUR", "SYR"),
        ),
        ["Kurdistan", "Koerdistan"],
    ),
    (
        Place("a1:IR-08", "Kerman", "admin1", 57.0, 29.6, "IRN", "Kerman", "IR-08"),
        ["Kerman", "Kerman Province"],
    ),
    (
        Place("a1:US-CA", "California", "admin1", -119.6, 37.2, "USA", "California", "US-CA"),
        ["California", "Californië"],
    ),
    (
        Place("a1:US-IL", "Illinois", "admin1", -89.2, 40.0, "USA", "Illinois", "US-IL"),
        ["Illinois"],
    ),
    (
        Place("a1:US-MO", "Missouri", "admin1", -92.5, 38.4, "USA", "Missouri", "US-MO"),
        ["Missouri"],
    ),
    (
        Place("a1:IQ-AR", "Arbil", "admin1", 44.3, 36.4, "IRQ", "Arbil", "IQ-AR"),
        ["Arbil", "Erbil"],
    ),
    (Place("d:IRN", "Iran", "demonym", 54.3, 32.5, "IRN"), ["Iranian", "Iraanse"]),
    (
        Place(
            "gn:128234",
            "Kerman",
            "city",
            57.07879,
            30.28321,
            "IRN",
            "Kerman",
            "IR-08",
            128234,
            577514,
        ),
        ["Kerman", "Kirman"],
    ),
    (
        Place(
            "gn:5356193",
            "Kerman",
            "city",
            -120.05991,
            36.72356,
            "USA",
            "California",
            "US-CA",
            5356193,
            13544,
        ),
        ["Kerman"],
    ),
    (
        Place(
            "gn:95446", "Erbil", "city", 44.00886, 36.19257, "IRQ", "Arbil", "IQ-AR", 95446, 932800
        ),
        ["Erbil", "Arbil", "Hawler"],
    ),
    (
        Place(
            "gn:4250542",
            "Springfield",
            "city",
            -89.64371,
            39.80172,
            "USA",
            "Illinois",
            "US-IL",
            4250542,
            116250,
        ),
        ["Springfield"],
    ),
    (
        Place(
            "gn:4409896",
            "Springfield",
            "city",
            -93.29824,
            37.21533,
            "USA",
            "Missouri",
            "US-MO",
            4409896,
            166810,
        ),
        ["Springfield"],
    ),
    (
        Place(
            "gn:1168226",
            "Panjgur",
            "city",
            64.09459,
            26.96438,
            "PAK",
            "Balochistan",
            "PK-BA",
            1168226,
            0,
        ),
        ["Panjgur"],
    ),
]
_RANK = {"country": 0, "region": 1, "water": 1, "admin1": 2, "demonym": 3, "city": 4}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", " ".join(text.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class SmallGazetteer:
    """Gazetteer-like: lookup/get over a handful of real places, ordered like the real one."""

    def __init__(self, entries: list[tuple[Place, list[str]]]) -> None:
        self.places = [place for place, _ in entries]
        self._by_id = {place.id: place for place in self.places}
        self._names: dict[str, list[Place]] = {}
        for place, names in entries:
            for name in {place.name, *names}:
                self._names.setdefault(_fold(name), []).append(place)

    def lookup(self, name: str) -> list[Place]:
        found = self._names.get(_fold(name), [])
        return sorted(found, key=lambda p: (_RANK[p.kind], -p.population))

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)


def _small_locate(lon: float, lat: float) -> AdminLocation:
    """Stand-in for geo.boundaries.locate around the small gazetteer's cities (40 km)."""
    from geo.geocoders import _haversine_km

    for place, _ in _PLACES:
        if place.kind == "city" and _haversine_km(lon, lat, place.lon, place.lat) < 40:
            return AdminLocation(place.country_iso3, place.admin1, place.admin1_code)
    if 53.0 < lon < 60.0 and 27.0 < lat < 32.0:  # inside Kerman Province, far from the city
        return AdminLocation("IRN", "Kerman", "IR-08")
    return AdminLocation(None, None, None)


@pytest.fixture(scope="module")
def small() -> SmallGazetteer:
    return SmallGazetteer(_PLACES)


@pytest.fixture()
def offline(small: SmallGazetteer) -> OfflineGeocoder:
    return OfflineGeocoder(small, locate=_small_locate)


# ------------------------------------------------------------------------------ offline geocode


def test_geocode_returns_a_geopy_location_with_every_raw_key(offline: OfflineGeocoder) -> None:
    location = offline.geocode("Erbil")
    assert isinstance(location, Location)
    assert (location.latitude, location.longitude) == (36.19257, 44.00886)  # geopy: lat first
    assert set(RAW_KEYS) <= set(location.raw)
    assert location.raw["place_id"] == "gn:95446"
    assert location.raw["country_iso3"] == "IRQ"
    assert location.raw["admin1_code"] == "IQ-AR"
    assert location.raw["geonames_id"] == 95446
    assert location.raw["source"] == "offline"
    assert location.address == "Erbil, Arbil, Iraq"


def test_a_city_comes_before_the_province_named_after_it(offline: OfflineGeocoder) -> None:
    location = offline.geocode("Kerman")
    assert location.raw["kind"] == "city"
    assert location.raw["country_iso3"] == "IRN"  # the most populous Kerman
    everything = offline.geocode("Kerman", exactly_one=False)
    assert [loc.raw["place_id"] for loc in everything] == ["gn:128234", "a1:IR-08", "gn:5356193"]


@pytest.mark.parametrize(
    ("query", "place_id"),
    [
        ("Kerman, Iran", "gn:128234"),
        ("Kerman, California", "gn:5356193"),
        ("Kerman, CA, USA", "gn:5356193"),  # CA: Canada or California; USA decides
        ("kerman ,  verenigde staten", "gn:5356193"),  # a Dutch country name in the gazetteer
        ("Kerman, Vereinigte Staaten", "gn:5356193"),  # German: only CLDR (babel) knows it
        ("Kerman, US", "gn:5356193"),
        ("Kerman, IRN", "gn:128234"),
        ("Springfield, IL", "gn:4250542"),  # IL is also Israel; only Illinois has a Springfield
        ("Springfield, Missouri", "gn:4409896"),
        ("Erbil, Kurdistan", "gn:95446"),  # a region qualifier
        ("Hawler, Irak", "gn:95446"),
        ("Kerman, Fresno County, California", "gn:5356193"),  # unknown parts are skipped
    ],
)
def test_qualifiers_narrow_the_candidates(
    offline: OfflineGeocoder, query: str, place_id: str
) -> None:
    assert offline.geocode(query).raw["place_id"] == place_id


@pytest.mark.parametrize("query", ["Kerman, Pakistan", "Kerman, Atlantis", "Atlantis", "Iranian"])
def test_no_match_is_none(offline: OfflineGeocoder, query: str) -> None:
    assert offline.geocode(query) is None
    assert offline.geocode(query, exactly_one=False) is None


def test_structured_queries_like_geopy(offline: OfflineGeocoder) -> None:
    assert offline.geocode({"city": "Kerman", "state": "California"}).raw["country_iso3"] == "USA"
    assert offline.geocode({"city": "Kerman", "country": "Iran"}).raw["place_id"] == "gn:128234"
    assert offline.geocode({"country": "Iraq"}).raw["kind"] == "country"
    with pytest.raises(GeocoderError, match="unknown keys"):
        offline.geocode({"town": "Kerman"})


def test_country_codes_filter_accepts_iso2_and_iso3(offline: OfflineGeocoder) -> None:
    assert offline.geocode("Kerman", country_codes="us").raw["place_id"] == "gn:5356193"
    assert offline.geocode("Kerman", country_codes=["USA"]).raw["place_id"] == "gn:5356193"
    assert offline.geocode("Kerman", country_codes=["PK", "IQ"]) is None
    with pytest.raises(GeocoderError, match="not an ISO 3166-1"):
        offline.geocode("Kerman", country_codes=["Iran"])


def test_list_answers_honour_limit_and_featuretype(offline: OfflineGeocoder) -> None:
    assert len(offline.geocode("Springfield", exactly_one=False)) == 2
    assert len(offline.geocode("Springfield", exactly_one=False, limit=1)) == 1
    assert offline.geocode("Kerman", featuretype="state").raw["kind"] == "admin1"


def test_language_names_the_country_in_the_address(offline: OfflineGeocoder) -> None:
    assert offline.geocode("Erbil", language="nl").address.endswith(", Irak")
    assert offline.geocode("Erbil", language="de-DE").address.endswith(", Irak")
    assert offline.geocode("Erbil", language="fr").address.endswith(", Irak")


@pytest.mark.parametrize("query", ["", " , ", 42])
def test_bad_queries_raise_actionable_errors(offline: OfflineGeocoder, query: Any) -> None:
    with pytest.raises(GeocoderError, match="query"):
        offline.geocode(query)


# ------------------------------------------------------------------------------ offline reverse


def test_reverse_finds_the_nearest_city(offline: OfflineGeocoder) -> None:
    location = offline.reverse((30.30, 57.10))  # geopy order: lat, lon; ~3 km from Kerman
    assert location.raw["place_id"] == "gn:128234"
    assert 2.0 < location.raw["distance_km"] < 4.0
    assert offline.reverse("30.30, 57.10").raw["place_id"] == "gn:128234"


def test_reverse_far_from_cities_answers_the_province(offline: OfflineGeocoder) -> None:
    location = offline.reverse((28.0, 58.5))
    assert location.raw["kind"] == "admin1"
    assert location.raw["admin1_code"] == "IR-08"
    assert (location.latitude, location.longitude) == (28.0, 58.5)


def test_reverse_at_sea_is_none(offline: OfflineGeocoder) -> None:
    assert offline.reverse((-30.0, -20.0)) is None
    with pytest.raises(GeocoderError, match="lat, lon"):
        offline.reverse("somewhere")


# ------------------------------------------------------------------------------ real gazetteer


@pytest.fixture(scope="module")
def real() -> OfflineGeocoder:
    from geo.gazetteer import load_gazetteer

    return OfflineGeocoder(load_gazetteer())


@pytest.mark.parametrize(
    ("query", "iso3", "kind"),
    [
        ("Kerman", "IRN", "city"),
        ("Kerman, California", "USA", "city"),
        ("Kerman, Verenigde Staten", "USA", "city"),
        ("Erbil", "IRQ", "city"),
        ("Springfield, IL", "USA", "city"),
        ("Panjgur", "PAK", "city"),
        ("Irak", "IRQ", "country"),
    ],
)
def test_real_gazetteer(real: OfflineGeocoder, query: str, iso3: str, kind: str) -> None:
    location = real.geocode(query)
    assert location is not None
    assert location.raw["country_iso3"] == iso3
    assert location.raw["kind"] == kind


def test_real_gazetteer_details(real: OfflineGeocoder) -> None:
    springfield = real.geocode("Springfield, IL")
    assert springfield.raw["admin1_code"] == "US-IL"
    assert real.geocode("Qwxzyvillé") is None
    assert real.geocode("Kerman, Pakistan") is None
    erbil = real.reverse((36.19, 44.01))
    assert erbil.raw["country_iso3"] == "IRQ"
    assert erbil.raw["distance_km"] < 10


# ------------------------------------------------------------------------------ Nominatim


@pytest.fixture()
def cache(tmp_path: Path) -> GeocodeCache:
    return GeocodeCache(tmp_path / "geocoder.sqlite")


def _online(
    server_domain: str,
    cache: GeocodeCache,
    offline: OfflineGeocoder,
    **options: Any,
) -> NominatimGeocoder:
    options.setdefault("timeout_s", 2.0)
    options.setdefault("min_delay_s", 0.0)
    options.setdefault("breaker", CircuitBreaker(failure_threshold=100))
    return NominatimGeocoder(
        domain=server_domain,
        scheme="http",
        user_agent=TEST_AGENT,
        cache=cache,
        fallback=offline,
        locate=_small_locate,
        **options,
    )


def test_nominatim_answer_has_our_raw_keys(cache: GeocodeCache, offline: OfflineGeocoder) -> None:
    with FakeNominatim() as server:
        geocoder = _online(server.domain, cache, offline)
        location = geocoder.geocode("Kerman, Iran")
        everything = geocoder.geocode("Kerman", exactly_one=False)
    assert location.raw["source"] == "nominatim"
    assert location.raw["place_id"] == "osm:relation:6384934"
    assert location.raw["country_iso3"] == "IRN"
    assert location.raw["admin1_code"] == "IR-08"  # from locate(), not Nominatim's text
    assert set(RAW_KEYS) <= set(location.raw)
    assert (location.latitude, location.longitude) == (30.2832, 57.0788)
    assert [loc.raw["country_iso3"] for loc in everything] == ["IRN", "USA"]
    request = server.requests[0]
    assert request.path == "/search"
    assert request.user_agent == TEST_AGENT
    assert request.params["limit"] == "1"
    assert request.params["format"] == "json"


def test_nominatim_reverse(cache: GeocodeCache, offline: OfflineGeocoder) -> None:
    with FakeNominatim() as server:
        geocoder = _online(server.domain, cache, offline)
        location = geocoder.reverse((36.19, 44.01))
        nothing = geocoder.reverse((-30.0, -20.0))
    assert location.raw["name"] == "Erbil"
    assert location.raw["country_iso3"] == "IRQ"
    assert nothing is None
    assert server.count("/reverse") == 2


def test_rate_limiter_spaces_uncached_requests_by_a_second(
    cache: GeocodeCache, offline: OfflineGeocoder
) -> None:
    with FakeNominatim() as server:
        geocoder = _online(server.domain, cache, offline, min_delay_s=1.0)
        geocoder.geocode("Kerman")
        geocoder.geocode("Erbil")
        geocoder.reverse((36.19, 44.01))  # reverse shares the same limiter
    times = [r.at for r in server.requests]
    assert len(times) == 3
    # Server-side arrival times; 20 ms of slack for the request's own trip.
    assert all(later - earlier >= 0.98 for earlier, later in pairwise(times))


def test_one_limiter_per_service_never_relaxed() -> None:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    first = shared_rate_limiter(endpoint, 1.0)
    assert shared_rate_limiter(endpoint, 0.1) is first
    assert first.min_delay_seconds == 1.0
    assert shared_rate_limiter(endpoint, 2.0).min_delay_seconds == 2.0


def test_cache_answers_without_the_network_and_persists(
    tmp_path: Path, offline: OfflineGeocoder
) -> None:
    path = tmp_path / "geocoder.sqlite"
    with FakeNominatim() as server:
        geocoder = _online(server.domain, GeocodeCache(path), offline, min_delay_s=30.0)
        first = geocoder.geocode("Erbil")
        slot = geocoder.limiter._last_call
        second = geocoder.geocode("  ERBIL ")  # same query once normalised
        assert server.count() == 1
        assert geocoder.limiter._last_call == slot  # a hit never takes a rate-limit slot
        assert geocoder.cache_hits == 1
        again = _online(server.domain, GeocodeCache(path), offline, min_delay_s=30.0)
        third = again.geocode("Erbil")
        assert server.count() == 1
    assert first.raw == second.raw == third.raw
    assert third.raw["source"] == "nominatim"


def test_negative_answers_are_cached_for_a_shorter_time(
    tmp_path: Path, offline: OfflineGeocoder
) -> None:
    now = [1_000_000.0]
    cache = GeocodeCache(tmp_path / "c.sqlite", ttl_s=1000, negative_ttl_s=10, clock=lambda: now[0])
    with FakeNominatim() as server:
        geocoder = _online(server.domain, cache, offline)
        assert geocoder.geocode("Qwxzyville") is None
        assert geocoder.geocode("Erbil") is not None
        assert geocoder.geocode("Qwxzyville") is None
        assert server.count() == 2
        now[0] += 60  # past the negative lifetime, within the positive one
        geocoder.geocode("Qwxzyville")
        geocoder.geocode("Erbil")
        assert server.count() == 3
    assert [r.params["q"] for r in server.requests] == ["Qwxzyville", "Erbil", "Qwxzyville"]


def test_a_corrupt_cache_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "geocoder.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    cache = GeocodeCache(path)
    cache.put("k", [{"address": "x", "lat": 1.0, "lon": 2.0, "raw": {}}])
    assert cache.get("k")[0]["lat"] == 1.0
    aside = list(tmp_path.glob("geocoder.sqlite.corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes().startswith(b"this is not")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(aside[0]).execute("SELECT 1 FROM answers").fetchall()


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("slow", "GeocoderTimedOut"),
        ("429", "GeocoderRateLimited"),
        ("503", "GeocoderTimedOut"),  # geopy maps 503 to a timeout
        ("malformed", "GeocoderParseError"),
        ("wrong-shape", "unreadable answer"),
    ],
)
def test_service_failures_fall_back_to_offline(
    cache: GeocodeCache, offline: OfflineGeocoder, mode: str, reason: str
) -> None:
    with FakeNominatim(mode, delay_s=1.0) as server:
        geocoder = _online(server.domain, cache, offline, timeout_s=0.2)
        location = geocoder.geocode("Erbil")
        assert server.count() == 1
        assert location.raw["source"] == "offline"
        assert reason in location.raw["fallback_reason"]
        assert geocoder.last_fallback_reason == location.raw["fallback_reason"]
        assert location.raw["place_id"] == "gn:95446"
        # Failures are not cached: once the service recovers it is asked again.
        server.mode = "ok"
        assert geocoder.geocode("Erbil").raw["source"] == "nominatim"
        assert server.count() == 2


def test_connection_refused_falls_back(cache: GeocodeCache, offline: OfflineGeocoder) -> None:
    geocoder = _online(f"127.0.0.1:{closed_port()}", cache, offline)
    location = geocoder.geocode("Kerman, California")
    assert location.raw["source"] == "offline"
    assert location.raw["country_iso3"] == "USA"
    assert "GeocoderUnavailable" in location.raw["fallback_reason"]
    assert geocoder.reverse((36.19, 44.01)).raw["source"] == "offline"
    assert len(cache) == 0


def test_circuit_breaker_stops_calling_a_dead_service(
    cache: GeocodeCache, offline: OfflineGeocoder
) -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=2, reset_after_s=30, clock=lambda: now[0])
    with FakeNominatim("503") as server:
        geocoder = _online(server.domain, cache, offline, breaker=breaker)
        for query in ("Erbil", "Kerman", "Panjgur", "Springfield"):
            assert geocoder.geocode(query).raw["source"] == "offline"
        assert server.count() == 2  # the third and fourth never left the process
        assert breaker.state == "open"
        assert "circuit open" in geocoder.last_fallback_reason
        now[0] += 31  # half-open: one trial, which fails and re-opens at once
        geocoder.geocode("Erbil")
        geocoder.geocode("Erbil")
        assert server.count() == 3
        now[0] += 31
        server.mode = "ok"
        assert geocoder.geocode("Erbil").raw["source"] == "nominatim"
        assert breaker.state == "closed"
        assert geocoder.geocode("Panjgur").raw["source"] == "nominatim"
        assert server.count() == 5


def test_retry_after_keeps_the_breaker_open_longer() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=5, reset_after_s=10, clock=lambda: now[0])
    breaker.record_failure(retry_after_s=120)
    assert not breaker.allow()
    now[0] = 100
    assert not breaker.allow()
    now[0] = 121
    assert breaker.allow()
    assert not breaker.allow()  # only one trial while half-open


# ------------------------------------------------------------------------------ configuration


def test_make_geocoder_is_offline_by_default(small: SmallGazetteer) -> None:
    assert isinstance(make_geocoder({}, gazetteer=small), OfflineGeocoder)
    settings = GeocoderSettings.from_env({})
    assert settings.user_agent == DEFAULT_USER_AGENT
    assert settings.timeout_s == 5.0
    assert DEFAULT_USER_AGENT.startswith("strikemap/")


def test_make_geocoder_builds_nominatim_from_settings(
    tmp_path: Path, small: SmallGazetteer
) -> None:
    env = {
        "STRIKEMAP_GEOCODER": "Nominatim",
        "STRIKEMAP_NOMINATIM_DOMAIN": "127.0.0.1:1",
        "STRIKEMAP_NOMINATIM_SCHEME": "http",
        "STRIKEMAP_USER_AGENT": TEST_AGENT,
        "STRIKEMAP_GEOCODER_TIMEOUT": "0.5",
        "STRIKEMAP_GEOCODER_CACHE": str(tmp_path / "g.sqlite"),
    }
    geocoder = make_geocoder(env, gazetteer=small, locate=_small_locate)
    assert isinstance(geocoder, NominatimGeocoder)
    assert geocoder.endpoint == "http://127.0.0.1:1"
    assert geocoder.timeout_s == 0.5
    assert geocoder.limiter.min_delay_seconds >= 1.0
    assert isinstance(geocoder.fallback, OfflineGeocoder)
    assert (tmp_path / "g.sqlite").exists()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"STRIKEMAP_GEOCODER": "google"}, r"one of \['offline', 'nominatim'\]"),
        ({"STRIKEMAP_NOMINATIM_SCHEME": "ftp"}, "use 'https' or 'http'"),
        ({"STRIKEMAP_GEOCODER_TIMEOUT": "soon"}, "STRIKEMAP_GEOCODER_TIMEOUT='soon'"),
    ],
)
def test_bad_settings_are_refused(env: dict[str, str], message: str) -> None:
    with pytest.raises(GeocoderError, match=message):
        make_geocoder(env)


def test_public_server_policy_is_enforced_at_construction(tmp_path: Path) -> None:
    cache = GeocodeCache(tmp_path / "c.sqlite")
    with pytest.raises(GeocoderError, match="STRIKEMAP_USER_AGENT"):
        NominatimGeocoder(user_agent="my-application", cache=cache)  # a stock agent
    with pytest.raises(GeocoderError, match="one request per second"):
        NominatimGeocoder(user_agent=TEST_AGENT, min_delay_s=0.5, cache=cache)
    polite = NominatimGeocoder(user_agent=TEST_AGENT, cache=cache)
    assert polite.domain == PUBLIC_NOMINATIM_DOMAIN
    assert polite.max_requests == 500  # no bulk geocoding on the public server


def test_request_budget_falls_back_instead_of_bulk_geocoding(
    cache: GeocodeCache, offline: OfflineGeocoder
) -> None:
    with FakeNominatim() as server:
        geocoder = _online(server.domain, cache, offline, max_requests=1)
        assert geocoder.geocode("Kerman").raw["source"] == "nominatim"
        assert geocoder.geocode("Kerman").raw["source"] == "nominatim"  # cached: free
        location = geocoder.geocode("Erbil")
        assert server.count() == 1
    assert "budget" in location.raw["fallback_reason"]


# ------------------------------------------------------------------------------ CLI


def test_cli_prints_json_lines_and_fails_on_unknown(offline: OfflineGeocoder) -> None:
    out, err = io.StringIO(), io.StringIO()
    status = cmd_geocode.run(["Kerman, California", "Atlantis"], offline, out=out, err=err)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == 1
    assert lines[0]["query"] == "Kerman, California"
    assert lines[0]["country_iso3"] == "USA"
    assert lines[0]["geonames_id"] == 5356193
    assert (lines[0]["lat"], lines[0]["lon"]) == (36.72356, -120.05991)
    assert lines[0]["source"] == "offline"
    assert lines[1] == dict.fromkeys(cmd_geocode.FIELDS) | {"query": "Atlantis"}
    assert "Atlantis" in err.getvalue()


def test_cli_all_lists_every_candidate(offline: OfflineGeocoder) -> None:
    out = io.StringIO()
    status = cmd_geocode.run(
        ["Springfield"], offline, all_candidates=True, out=out, err=io.StringIO()
    )
    assert status == 0
    assert [json.loads(x)["admin1"] for x in out.getvalue().splitlines()] == [
        "Missouri",
        "Illinois",
    ]


def test_threads_and_instances_share_one_limiter(tmp_path: Path, offline: OfflineGeocoder) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with FakeNominatim() as server:
        geocoders = [
            _online(
                server.domain, GeocodeCache(tmp_path / f"c{i}.sqlite"), offline, min_delay_s=0.5
            )
            for i in range(2)
        ]
        assert geocoders[0].limiter is geocoders[1].limiter
        jobs = [(g, q) for g in geocoders for q in ("Kerman", "Erbil")]
        with ThreadPoolExecutor(max_workers=4) as pool:
            answers = list(pool.map(lambda job: job[0].geocode(job[1]), jobs))
    assert all(a.raw["source"] == "nominatim" for a in answers)
    times = sorted(r.at for r in server.requests)
    assert len(times) == 4
    # Arrival times at the server jitter on a loaded machine; the spacing is sent at 0.5 s.
    assert all(later - earlier >= 0.35 for earlier, later in pairwise(times))


def test_an_unwritable_cache_does_not_lose_the_answer(
    tmp_path: Path, offline: OfflineGeocoder
) -> None:
    cache = GeocodeCache(tmp_path / "c.sqlite")
    cache.close()  # every later read or write fails
    with FakeNominatim() as server:
        geocoder = _online(server.domain, cache, offline)
        assert geocoder.geocode("Erbil").raw["source"] == "nominatim"
        assert geocoder.geocode("Erbil").raw["source"] == "nominatim"
        assert server.count() == 2


def _geo_cli(*args: str, env: dict[str, str] | None = None) -> Any:
    import os
    import subprocess
    import sys

    project = Path(__file__).resolve().parent.parent
    return subprocess.run(
        [sys.executable, "-m", "geo", "geocode", *args],
        cwd=project,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )


def test_cli_end_to_end_with_the_real_gazetteer(real: OfflineGeocoder) -> None:
    done = _geo_cli("Kerman, California", "Qwxzyvillé", "--offline")
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1
    assert lines[0]["country_iso3"] == "USA" and lines[0]["source"] == "offline"
    assert lines[1]["name"] is None and lines[1]["query"] == "Qwxzyvillé"
    assert "Qwxzyvillé" in done.stderr


def test_cli_online_asks_the_configured_server(tmp_path: Path, real: OfflineGeocoder) -> None:
    with FakeNominatim() as server:
        env = {
            "STRIKEMAP_NOMINATIM_DOMAIN": server.domain,
            "STRIKEMAP_NOMINATIM_SCHEME": "http",
            "STRIKEMAP_USER_AGENT": TEST_AGENT,
            "STRIKEMAP_GEOCODER_CACHE": str(tmp_path / "g.sqlite"),
        }
        done = _geo_cli("--online", "--all", "Kerman", env=env)
        assert server.count("/search") == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 0, done.stderr
    assert [(x["source"], x["country_iso3"]) for x in lines] == [
        ("nominatim", "IRN"),
        ("nominatim", "USA"),
    ]
    assert lines[0]["admin1"] == "Kerman"  # from the real boundaries, not the server's text
