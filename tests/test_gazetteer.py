"""The curated part of the gazetteer (data/gazetteer/sites.json) on the real boundaries."""

from __future__ import annotations

import json
import re

import pytest

from geo import boundaries
from geo.errors import DataError, GeoError
from geo.gazetteer import (
    GAZETTEER_DIR,
    KIND_CITY,
    KIND_SITE,
    _curated_place,
    load_gazetteer,
    normalize_name,
)
from geo.toponyms import find_toponyms


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


@pytest.fixture(scope="module")
def curated() -> dict:
    with (GAZETTEER_DIR / "sites.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def _entries(curated: dict) -> list[tuple[str, dict]]:
    return [("site", e) for e in curated["sites"]] + [("town", e) for e in curated["towns"]]


def test_the_file_holds_many_sites_and_towns(curated) -> None:
    assert len(curated["sites"]) >= 120
    assert len(curated["towns"]) >= 40
    for group, entry in _entries(curated):
        prefix = "s:" if group == "site" else "t:"
        assert entry["id"].startswith(prefix), entry["id"]
        assert entry["names"], entry["id"]
        assert set(entry) <= {"id", "name", "country_iso3", "lon", "lat", "names", "population"}


def test_every_site_and_town_lies_in_its_country(curated) -> None:
    wrong = []
    for _, entry in _entries(curated):
        found = boundaries.locate(entry["lon"], entry["lat"]).country_iso3
        if found != entry["country_iso3"]:
            wrong.append((entry["id"], entry["country_iso3"], found))
    assert wrong == []


def test_ids_and_names_belong_to_one_entry(curated) -> None:
    entries = [e for _, e in _entries(curated)]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    owner: dict[str, str] = {}
    clashes = []
    for entry in entries:
        for name in {normalize_name(n) for n in [entry["name"], *entry["names"]]}:
            if owner.setdefault(name, entry["id"]) != entry["id"]:
                clashes.append((name, owner[name], entry["id"]))
    assert clashes == []


def test_names_are_not_ordinary_words(curated) -> None:
    from wordfreq import zipf_frequency

    with (GAZETTEER_DIR / "not_places.json").open(encoding="utf-8") as handle:
        not_places = {normalize_name(n) for n in json.load(handle)["names"]}
    common = []
    for _, entry in _entries(curated):
        for name in entry["names"]:
            assert normalize_name(name) not in not_places, name
            if re.fullmatch(r"[A-Za-z]+", name):
                zipf = max(zipf_frequency(name.lower(), lang) for lang in ("en", "nl"))
                if zipf >= 3.5:
                    common.append((name, zipf))
    assert common == []


def test_city_aliases_name_real_places(gaz, curated) -> None:
    for place_id, names in curated["city_aliases"].items():
        if place_id.startswith("_"):
            continue
        place = gaz.get(place_id)
        assert place is not None and place.kind == KIND_CITY, place_id
        for name in names:
            assert place_id in {p.id for p in gaz.lookup(name)}, (place_id, name)


def test_towns_are_cities_and_sites_get_their_province(gaz) -> None:
    rubkona = gaz.lookup("Rubkona")
    assert [p.id for p in rubkona] == ["t:rubkona"]
    assert rubkona[0].kind == KIND_CITY
    assert rubkona[0].country_iso3 == "SSD"
    assert rubkona[0].population > 0
    assert rubkona[0].admin1 is not None
    watiya = gaz.lookup("Al-Watiya")[0]
    assert (watiya.id, watiya.kind, watiya.country_iso3) == ("s:al-watiya", KIND_SITE, "LBY")
    assert watiya.admin1 is not None
    assert gaz.lookup("Tal Abyad")[0].id == gaz.lookup("Tell Abyad")[0].id == "gn:163750"
    assert gaz.get("gn:163750").population > 0  # city_populations fills GeoNames' zero
    assert gaz.get("gn:281129").population == 168568  # ...and leaves GeoNames' figures alone
    # A bare name the base shares with a nearby village: the base is listed first.
    assert gaz.lookup("Nevatim")[0].id == "s:nevatim"


@pytest.mark.parametrize(
    ("text", "surface", "place_id"),
    [
        ("Sudanese warplanes bombed Rubkona on Monday.", "Rubkona", "t:rubkona"),
        ("Jihadists seized Konna before French jets struck.", "Konna", "t:konna"),
        (
            "Drones hit the Al-Watiya air base in western Libya.",
            "Al-Watiya air base",
            "s:al-watiya",
        ),
        ("Drones hit Al-Watiya in western Libya.", "Al-Watiya", "s:al-watiya"),
        # GeoNames gives Tell Abyad no population: like any small town it needs its country.
        ("Turkish artillery shelled Tal Abyad in northern Syria.", "Tal Abyad", "gn:163750"),
        ("Iran fired missiles at Nevatim Airbase in the Negev.", "Nevatim Airbase", "s:nevatim"),
        ("Israëlische straaljagers bombardeerden Natanz en Isfahan.", "Natanz", "s:natanz"),
        ("Oekraïense drones troffen de vliegbasis Olenya bij Moermansk.", "Olenya", "s:olenya"),
        (
            "An Israeli strike on Tal al-Sultan in Rafah killed 45 people.",
            "Tal al-Sultan",
            "t:tal-al-sultan",
        ),
        ("Een Israëlische aanval op de wijk Dahiyeh in Beiroet.", "Dahiyeh", "t:dahiyeh"),
        ("RSF fighters shelled Zamzam camp near El Fasher.", "Zamzam camp", "s:zamzam-camp"),
    ],
)
def test_find_toponyms_resolves_curated_places(gaz, text: str, surface: str, place_id: str) -> None:
    found = {t.text: t for t in find_toponyms(text, gaz)}
    assert surface in found, [t.text for t in found.values()]
    assert found[surface].place_id == place_id


def test_a_broken_entry_is_a_clear_data_error() -> None:
    with pytest.raises(DataError, match="needs id, name, country_iso3, lon, lat") as info:
        _curated_place({"id": "s:x", "name": "X", "country_iso3": "LBY", "lat": 30.0}, KIND_SITE)
    assert isinstance(info.value, GeoError)
    assert "'s:x'" in str(info.value)
