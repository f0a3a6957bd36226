"""Toponym finding and resolution on real text with the real gazetteer."""

from __future__ import annotations

import pytest

from geo.gazetteer import fold_name, inflect_dutch_adjective, load_gazetteer, normalize_name
from geo.toponyms import find_toponyms

SEED_NL = (
    "date 2024-01 Iran heeft luchtaanvallen uitgevoerd op een militie in Pakistan. "
    "Ook vanuit Pakistan werd er verbolgen gereageerd. Deze beweging strijdt voor de "
    "onafhankelijkheid van Beloetsjistan in Pakistan en Sistan in Iran. In 24 uur tijd werden er "
    "ook doelwitten aangevallen in Irak en Noord-Syrië. Van de VS tot China en de paus: allen "
    "roepen op tot kalmte. Een reactie op de gebeurtenissen in Kerman. Teheran vestigt nu de "
    "aandacht op zich. Het regime wil een vuist maken. Wat dit betekent is onduidelijk. Met "
    "nieuwe luchtaanvallen voert Iran de druk op. Er is veel armoede. 'Grove schending' zei de "
    "minister. Er staat niets over de Revolutionaire Garde. Iraanse staatsmedia melden het."
)


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer()


def by_text(toponyms):
    return {t.text: t for t in toponyms}


def test_gazetteer_lookup_is_case_and_accent_insensitive(gaz) -> None:
    assert gaz.lookup("kerman")[0].country_iso3 == "IRN"
    assert gaz.lookup("SYRIE")[0].country_iso3 == "SYR"
    assert gaz.country("irn").name == "Iran"
    assert gaz.get("gn:128234").name == "Kerman"
    assert gaz.lookup("Nowhere-Land-Xyz") == []


def test_name_helpers() -> None:
    assert normalize_name(" Sistan \n en  Beloetsjistan ") == "Sistan en Beloetsjistan"
    assert fold_name("Noord-Syrië") == "noord-syrie"
    assert inflect_dutch_adjective("Chinees") == "Chinese"
    assert inflect_dutch_adjective("Pakistaans") == "Pakistaanse"


def test_seed_like_dutch_text(gaz) -> None:
    found = by_text(find_toponyms(SEED_NL, gaz))
    assert found["Pakistan"].country_iso3 == "PAK" and found["Pakistan"].kind == "country"
    assert found["Beloetsjistan"].admin1_code == "PK-BA"
    assert found["Sistan"].country_iso3 == "IRN"
    assert found["Irak"].country_iso3 == "IRQ"
    north_syria = found["Noord-Syrië"]
    assert north_syria.kind == "region" and north_syria.country_iso3 == "SYR"
    assert north_syria.lat > 35.0  # in the northern part of Syria
    assert found["VS"].country_iso3 == "USA"
    assert found["China"].country_iso3 == "CHN"
    kerman = found["Kerman"]
    assert kerman.country_iso3 == "IRN" and kerman.kind == "city"
    assert abs(kerman.lat - 30.28) < 0.1 and abs(kerman.lon - 57.08) < 0.1
    assert found["Teheran"].country_iso3 == "IRN"
    assert found["Iraanse"].kind == "demonym" and found["Iraanse"].country_iso3 == "IRN"


@pytest.mark.parametrize(
    "word", ["In", "Van", "Een", "Ook", "Er", "Het", "Met", "Garde", "Grove", "Wat"]
)
def test_common_words_are_not_places(gaz, word: str) -> None:
    assert word not in by_text(find_toponyms(SEED_NL, gaz))


def test_offsets_index_the_text(gaz) -> None:
    for toponym in find_toponyms(SEED_NL, gaz):
        assert SEED_NL[toponym.start : toponym.end] == toponym.text


def test_english_text_with_multiword_names_and_possessives(gaz) -> None:
    text = (
        "Israel bombing Gaza, Lebanon launching missiles on Israel, Iraqis attacking U.S. bases "
        "in Iraq and Syria. Iran's Revolutionary Guards struck Erbil. Officials in Islamabad "
        "Capital Territory and in the Red Sea region reacted."
    )
    found = by_text(find_toponyms(text, gaz))
    assert found["Gaza"].country_iso3 == "PSE"
    assert found["U.S."].country_iso3 == "USA"
    assert found["Iran"].country_iso3 == "IRN"  # from "Iran's"
    assert found["Erbil"].country_iso3 == "IRQ" and found["Erbil"].kind == "city"
    assert found["Islamabad Capital Territory"].admin1_code == "PK-IS"
    assert found["Red Sea"].kind == "water"
    assert found["Iraqis"].kind == "demonym"


def test_context_disambiguates_kerman(gaz) -> None:
    iran = find_toponyms("Protests spread from Tehran to Kerman.", gaz)
    assert by_text(iran)["Kerman"].country_iso3 == "IRN"
    california = find_toponyms("Farmers near Fresno, California and Kerman, California", gaz)
    assert by_text(california)["Kerman"].country_iso3 == "USA"


def test_person_names_are_not_places(gaz) -> None:
    text = "Coach Phil Jackson met President Lincoln and Mr. Kerman yesterday."
    names = by_text(find_toponyms(text, gaz))
    assert "Jackson" not in names and "Lincoln" not in names and "Kerman" not in names


def test_english_directional_region(gaz) -> None:
    found = by_text(find_toponyms("Turkish jets hit targets in northern Iraq.", gaz))
    region = found["northern Iraq"]
    assert region.kind == "region" and region.country_iso3 == "IRQ" and region.lat > 35.0


def test_us_state_beats_same_named_country_in_a_us_article(gaz) -> None:
    text = "Officials in Nashville, Tennessee and Memphis said storms moved east into Georgia."
    assert by_text(find_toponyms(text, gaz))["Georgia"].country_iso3 == "USA"
    world = "Russia and Georgia fought a war in 2008; Tbilisi accused Moscow."
    assert by_text(find_toponyms(world, gaz))["Georgia"].country_iso3 == "GEO"


def test_all_caps_dateline(gaz) -> None:
    found = by_text(find_toponyms("CHARLESTON, W.Va. - The governor of West Virginia said", gaz))
    assert found["CHARLESTON"].country_iso3 == "USA"


def test_province_inside_an_organisation_name_still_counts(gaz) -> None:
    found = by_text(find_toponyms("A spokesman for the Texas Department of Health spoke.", gaz))
    assert found["Texas"].admin1_code == "US-TX"


def test_a_surname_stays_a_person_through_the_article(gaz) -> None:
    text = "Sheriff Tom Baker arrived at noon. Later Baker said the road was closed."
    assert "Baker" not in by_text(find_toponyms(text, gaz))


def test_false_friend_list(gaz) -> None:
    text = "The White House said the Central Bank would act. Western leaders agreed."
    names = by_text(find_toponyms(text, gaz))
    assert not {"White House", "Central", "Western"} & set(names)


def test_the_gulf_is_the_gulf_region(gaz) -> None:
    found = by_text(find_toponyms("Tankers in the Gulf were attacked near Idlib province.", gaz))
    assert found["Gulf"].place_id == "r:gulf-region"
    assert found["Idlib province"].admin1_code == "SY-ID"


def test_common_word_filter_follows_the_language(gaz) -> None:
    # "Engels" is Dutch for "English" but, in English news, a Russian city with an air base.
    english = by_text(find_toponyms("Drones hit an airfield near Engels overnight.", gaz))
    assert english["Engels"].country_iso3 == "RUS"
    dutch = "De minister sprak Engels met de pers over de onderhandelingen in Brussel."
    assert "Engels" not in by_text(find_toponyms(dutch, gaz))


def test_an_alternate_name_that_is_a_common_word_does_not_carry_the_place(gaz) -> None:
    text = "Hamas said its fighters had fired rockets; Hamas leaders met in Doha."
    assert [t.text for t in find_toponyms(text, gaz)] == ["Doha"]


def test_country_is_not_replaced_by_a_town_that_once_had_its_name(gaz) -> None:
    # One US city in the text must not turn "Egypt" into Goodyear, Arizona (alias "Egypt").
    text = "Wheat went mostly to Egypt, Turkey and China, traders in Chicago said."
    found = by_text(find_toponyms(text, gaz))
    assert found["Egypt"].place_id == "c:EGY"
    assert found["Turkey"].place_id == "c:TUR"


def test_a_country_named_among_other_countries_is_not_a_town_of_the_article_country(gaz) -> None:
    # The US is named often, but so are other countries: "Nederland" stays the Netherlands,
    # not Nederland, Texas; a local Texas story keeps its town of Palestine.
    text = (
        "Amerikaanse marineschepen schoten Houthi-drones neer boven de Rode Zee. De VS en "
        "Groot-Brittannie voerden aanvallen uit in Jemen. Nederland doet niet mee."
    )
    assert by_text(find_toponyms(text, gaz))["Nederland"].place_id == "c:NLD"
    local = (
        "Indicted were John Smith, 22, of Tyler, Texas; Ann Lee, 37, of Houston; and Bob Ray, "
        "44, of Palestine. The grand jury met in Dallas, Texas."
    )
    assert by_text(find_toponyms(local, gaz))["Palestine"].country_iso3 == "USA"


def test_a_pronoun_before_an_apostrophe_is_no_place(gaz) -> None:
    # "She’s" is "she is" (She is also a county of China); "Mexico's" is still Mexico
    found = by_text(
        find_toponyms("Wright said. “She’s known for her voice in Mexico's north.", gaz)
    )
    assert "She" not in found and found["Mexico"].place_id == "c:MEX"


def test_a_sea_is_not_the_province_named_after_it(gaz) -> None:
    text = "Het schip zonk in de Rode Zee, meldde de Egyptische kustwacht in Hurghada."
    assert by_text(find_toponyms(text, gaz))["Rode Zee"].kind == "water"


def test_a_town_of_a_named_country_beats_a_province_of_an_unnamed_one(gaz) -> None:
    text = (
        "Indian troops crossed the Line of Control after militants stormed an army camp in "
        "Uri, India said. Pakistan denied it; India and Pakistan both claim Kashmir."
    )
    assert by_text(find_toponyms(text, gaz))["Uri"].country_iso3 == "IND"
    swiss = "The canton of Uri lies south of Lucerne; Altdorf is the capital of Uri."
    assert by_text(find_toponyms(swiss, gaz))["Uri"].country_iso3 == "CHE"


def test_a_province_without_its_arabic_article(gaz) -> None:
    found = by_text(find_toponyms("US jets struck a border district in Anbar province.", gaz))
    assert found["Anbar"].kind == "admin1" and found["Anbar"].country_iso3 == "IRQ"


def test_congo_follows_the_article_and_defaults_to_the_drc(gaz) -> None:
    drc = by_text(find_toponyms("M23 rebels advanced on Goma in eastern Congo.", gaz))
    assert drc["eastern Congo"].country_iso3 == "COD"
    cog = by_text(find_toponyms("In Brazzaville, Congo's president spoke.", gaz))
    assert cog["Congo"].country_iso3 == "COG"


def test_arabic_article_spellings_and_sites(gaz) -> None:
    text = (
        "Drones struck Ain al-Asad air base, and US jets hit al-Mayadin and Al-Bukamal; "
        "the Houthis fired at Hodeidah and the port of Ras Isa. Khalil al-Hayya spoke."
    )
    found = by_text(find_toponyms(text, gaz))
    assert found["Ain al-Asad"].kind == "site"
    assert found["Ain al-Asad"].country_iso3 == "IRQ"
    assert found["al-Mayadin"].country_iso3 == "SYR"
    assert found["Al-Bukamal"].country_iso3 == "SYR"
    assert abs(found["Hodeidah"].lat - 14.8) < 0.1  # the port city, not the governorate
    assert found["Ras Isa"].kind == "site"
    assert "Khalil" not in found  # a person: the name goes on with "al-Hayya"
    assert found["Ain al-Asad"].admin1 is not None  # sites get their province from polygons


def test_a_province_word_picks_the_province_reading(gaz) -> None:
    text = "Rusland bestookte de provincie Kherson. Kherson zelf bleef gespaard."
    first, second = [t for t in find_toponyms(text, gaz) if t.text == "Kherson"]
    assert first.kind == "admin1"
    assert second.kind == "city"  # the bare name keeps its own sense
    english = by_text(find_toponyms("Ukrainian drones hit the Kursk region overnight.", gaz))
    assert english["Kursk"].kind == "admin1"
    assert english["Kursk"].country_iso3 == "RUS"


def test_a_capitalised_province_word_picks_the_province(gaz) -> None:
    oaxaca = by_text(find_toponyms("Migrants camped in Matias Romero, Oaxaca State, Mexico.", gaz))
    assert oaxaca["Oaxaca"].kind == "admin1"  # the state, not its capital city
    assert oaxaca["Oaxaca"].admin1_code == "MX-OAX"
    panama = by_text(find_toponyms("The fungus will spread into Tortí (Panamá Province).", gaz))
    assert panama["Panamá"].kind == "admin1"


def test_a_name_after_a_quote_and_comma_is_mid_sentence(gaz) -> None:
    # 'afternoon," Sharon Ware said': the sentence goes on, so "Sharon Ware" is a person's name.
    text = 'He said: "We saw a slowdown this afternoon," Sharon Ware, a polling manager, said.'
    assert "Ware" not in by_text(find_toponyms(text, gaz))
    # A place right after the quote is still a place.
    assert "Kharkiv" in by_text(find_toponyms('"It was quiet," Kharkiv residents said.', gaz))


def test_an_ambiguous_province_name_does_not_vote_for_its_own_country(gaz) -> None:
    # "Montana" is a US state and a Bulgarian province: the article's other places decide,
    # not whichever reading the gazetteer happens to list first.
    crash = by_text(find_toponyms("The plane crashed in Montana on Sunday.", gaz))
    assert crash["Montana"].admin1_code == "US-MT"
    # A province named like a big city elsewhere in the country is the province ("Wyoming",
    # not Wyoming, Michigan); a province named after its own capital is still the city.
    snow = by_text(find_toponyms("Snow fell across Montana and Wyoming.", gaz))
    assert snow["Wyoming"].admin1_code == "US-WY"
    kerman = by_text(find_toponyms("Iran fired missiles from Kerman.", gaz))
    assert kerman["Kerman"].kind == "city"


def test_a_capital_that_speaks_is_still_a_place(gaz) -> None:
    # "Damascus said" speaks for a government; it must not turn every Damascus into a person.
    text = "Israeli jets struck Damascus overnight. Damascus said three soldiers were killed."
    assert [t.name for t in find_toponyms(text, gaz) if t.text == "Damascus"] == ["Damascus"] * 2
    assert "Punjab" in by_text(find_toponyms("Punjab said it would appeal the ruling.", gaz))
    # a surname that is only a small town still is a person, everywhere in the article
    text = "Baker said the plan works. Baker added that talks would go on."
    assert "Baker" not in by_text(find_toponyms(text, gaz))


def test_union_enclave_and_state_aliases(gaz) -> None:
    found = by_text(
        find_toponyms(
            "The EU condemned the shelling of eastern Ghouta, while the DPRK tested missiles "
            "on the Korean Peninsula.",
            gaz,
        )
    )
    assert found["EU"].name == "European Union"
    assert found["eastern Ghouta"].name == "Eastern Ghouta"  # not "eastern Eastern Ghouta"
    assert found["eastern Ghouta"].country_iso3 == "SYR"
    assert found["DPRK"].country_iso3 == "PRK"
    assert found["Korean Peninsula"].kind == "region"


def test_datelines_in_capitals_and_state_abbreviations(gaz) -> None:
    def names(text: str) -> list[str]:
        return [t.name for t in find_toponyms(text, gaz, "en")]

    assert names("NEW YORK (Reuters) - Stocks fell.") == ["New York City"]
    assert names("BATON ROUGE, La. (AP) - Police said.") == ["Baton Rouge", "Louisiana"]
    assert names("ST. LOUIS - Police said.") == ["St. Louis"]
    # the stop belongs to the abbreviation: "Mont." is Montana, not Mons
    assert names("HELENA, Mont. (AP) - The state said.") == ["Helena", "Montana"]
    assert names("He was born in Chicago, Ill., in 1960.") == ["Chicago", "Illinois"]
    # a town that is also a common name or word is a place when its state follows
    assert names("The mayor of Jackson, Miss., said.") == ["Jackson", "Mississippi"]


@pytest.mark.parametrize(
    "text",
    [
        "anti-U.S. sentiment, 'U.S. forces and -U.N. staff; U.S.-led, xU.S. and éU.S.A. too",
        "O'Brien in d'Iran, Foo’Bar, _Iran, 9Iran, Tehran's Noord-Syrië and Iran-",
        "Ünter ÉtatsÉ ΑΘΗΝΑ αθηνα I. A.B US- Al-Qaeda and Bush",
        SEED_NL,
    ],
)
def test_the_plain_scan_finds_what_the_full_scan_finds(text: str) -> None:
    from geo.toponyms import _CAPITALISED, _CAPITALISED_PLAIN, _MAY_HAVE_ARTICLE

    assert not _MAY_HAVE_ARTICLE.search(text)
    full = [m.span() for m in _CAPITALISED.finditer(text)]
    assert [m.span() for m in _CAPITALISED_PLAIN.finditer(text)] == full
    assert len(full) >= 5


def test_a_lower_case_arabic_article_takes_the_full_scan() -> None:
    from geo.toponyms import _capitalised_words

    words = [m.group() for m in _capitalised_words("Strikes hit al-Mayadin and ash-Shifa, Syria")]
    assert words == ["Strikes", "al-Mayadin", "ash-Shifa", "Syria"]


def test_a_toponym_carries_its_place_fields(gaz) -> None:
    from geo.models import Toponym

    # find_toponyms builds Toponyms positionally from cached place fields: pin the order.
    found = find_toponyms("Kerman, Iran and the Kursk region. 'Grove schending', zei Teheran.", gaz)
    assert len(found) >= 3
    for t in found:
        place = gaz.get(t.place_id)
        assert t == Toponym(
            text=t.text,
            start=t.start,
            end=t.end,
            name=place.name,
            lon=place.lon,
            lat=place.lat,
            country_iso3=place.country_iso3,
            admin1=place.admin1,
            geonames_id=place.geonames_id,
            kind=place.kind,
            place_id=place.id,
            admin1_code=place.admin1_code,
            score=t.score,
        )


def test_words_are_looked_up_in_the_gazetteer_given(gaz) -> None:
    # find_toponyms keeps recent words' lookups; a gazetteer with other names must not see them.
    text = "Troops moved from Zorblatt to Kerman."
    aliased = gaz.with_aliases({"Zorblatt": "c:IRN"})
    for _ in range(2):
        assert [t.text for t in find_toponyms(text, gaz)] == ["Kerman"]
        assert [t.text for t in find_toponyms(text, aliased)] == ["Zorblatt", "Kerman"]


def demonyms(text: str, gaz, language: str | None = None) -> dict[str, str | None]:
    return {
        t.text: t.country_iso3 for t in find_toponyms(text, gaz, language) if t.kind == "demonym"
    }


def test_demonyms_of_smaller_countries_name_attackers_and_targets(gaz) -> None:
    text = (
        "Kyrgyz troops opened fire on a Tajik border post. Angolan, Ivorian and Honduran "
        "officials met Kosovar, Montenegrin and Laotian envoys; Fijian and Tongan soldiers "
        "joined Burundian and Malawian peacekeepers."
    )
    assert demonyms(text, gaz, "en") == {
        "Kyrgyz": "KGZ",
        "Tajik": "TJK",
        "Angolan": "AGO",
        "Ivorian": "CIV",
        "Honduran": "HND",
        "Kosovar": "XKX",
        "Montenegrin": "MNE",
        "Laotian": "LAO",
        "Fijian": "FJI",
        "Tongan": "TON",
        "Burundian": "BDI",
        "Malawian": "MWI",
    }
    dutch = (
        "Kirgizische troepen beschoten een Tadzjiekse grenspost. Emiratische drones en "
        "Emiraatse straaljagers vielen aan. Ivoriaanse, Liberiaanse en Curaçaose functionarissen "
        "spraken met Kirgiezen, Kosovaren en Montenegrijnen."
    )
    assert demonyms(dutch, gaz, "nl") == {
        "Kirgizische": "KGZ",
        "Tadzjiekse": "TJK",
        "Emiratische": "ARE",
        "Emiraatse": "ARE",
        "Ivoriaanse": "CIV",
        "Liberiaanse": "LBR",
        "Curaçaose": "CUW",
        "Kirgiezen": "KGZ",
        "Kosovaren": "XKX",
        "Montenegrijnen": "MNE",
    }
    kyrgyz = by_text(find_toponyms("Kyrgyz troops opened fire.", gaz))["Kyrgyz"]
    assert kyrgyz.name == "Kyrgyzstan" and kyrgyz.place_id == "d:KGZ"
    assert 69.0 < kyrgyz.lon < 80.5 and 39.0 < kyrgyz.lat < 43.5


def test_demonyms_shared_by_countries_go_to_one_country(gaz) -> None:
    # The bare form names the bigger country ("Congolese" the DRC, as "Congo" does); the
    # longer forms of the others win as the longer match.
    text = (
        "Sudanese and South Sudanese troops clashed. Guinean, Equatorial Guinean, "
        "Bissau-Guinean and Papua New Guinean delegates met Samoan and American Samoan "
        "officials, and Congolese soldiers crossed the river."
    )
    assert demonyms(text, gaz, "en") == {
        "Sudanese": "SDN",
        "South Sudanese": "SSD",
        "Guinean": "GIN",
        "Equatorial Guinean": "GNQ",
        "Bissau-Guinean": "GNB",
        "Papua New Guinean": "PNG",
        "Samoan": "WSM",
        "American Samoan": "ASM",
        "Congolese": "COD",
    }
    dutch = "Guinese, Equatoriaal-Guinese en Papoea-Nieuw-Guinese militairen; Zuid-Soedanezen."
    assert demonyms(dutch, gaz, "nl") == {
        "Guinese": "GIN",
        "Equatoriaal-Guinese": "GNQ",
        "Papoea-Nieuw-Guinese": "PNG",
        "Zuid-Soedanezen": "SSD",
    }


@pytest.mark.parametrize(
    "text",
    [
        "Dominican friars ran the hospital.",  # the Catholic order, not the Dominican Republic
        "St. Rose Dominican Hospital said he was stable.",
        "Korean food is popular.",  # North or South: left out
        "Central African states met in Libreville.",  # the region, not the CAR
        "Vincentian priests run the parish.",
        "Bajan rum and Lao noodles were served.",
    ],
)
def test_ambiguous_forms_left_out_are_no_demonyms(gaz, text: str) -> None:
    assert demonyms(text, gaz, "en") == {}


def test_every_country_has_demonyms_but_documented_exceptions(gaz) -> None:
    from geo.boundaries import load_admin0

    missing = {iso3 for iso3 in load_admin0()["country_iso3"] if gaz.get(f"d:{iso3}") is None}
    # no demonym of their own (COG, CAF, DMA, VCT: see demonyms.json "_notes"), no
    # demonym in news use, or no people
    assert missing == {
        "COG", "CAF", "DMA", "VCT", "ALA", "ATA", "ATF", "BLM", "GGY", "HMD", "IMN", "IOT",
        "JEY", "MAF", "MNP", "NFK", "PCN", "SGS", "SHN", "SPM", "TCA", "TKL", "UMI", "VGB",
        "VIR", "WLF",
    }  # fmt: skip


def test_demonym_file_gives_each_form_to_one_known_country(gaz) -> None:
    import json

    from geo.gazetteer import GAZETTEER_DIR

    data = json.loads((GAZETTEER_DIR / "demonyms.json").read_text(encoding="utf-8"))
    owner: dict[str, str] = {}
    for iso3, forms in data.items():
        if iso3.startswith("_"):
            continue
        assert gaz.country(iso3) is not None, f"{iso3}: no such country, the loader skips it"
        surface = list(forms["en"]) + list(forms["nl"])
        surface += [f(base) for base in forms["nl_adj"] for f in (str, inflect_dutch_adjective)]
        assert surface, iso3
        for form in surface:
            key = fold_name(form)
            assert owner.setdefault(key, iso3) == iso3, f"{form!r}: {owner[key]} and {iso3}"
            readings = gaz.lookup(form)  # "Polen", "Zweden": the country and its people
            assert any(p.kind == "demonym" and p.country_iso3 == iso3 for p in readings), form
            assert {p.country_iso3 for p in readings if p.kind in ("country", "demonym")} == {
                iso3
            }, form


def test_dutch_exonyms_of_conflict_places() -> None:
    found = {
        t.text: (t.name, t.country_iso3)
        for t in find_toponyms(
            "Bij beschietingen in Gaza-Stad, op de Golanhoogten en bij Avdiejevka vielen doden.",
            language="nl",
        )
    }
    assert found["Gaza-Stad"] == ("Gaza", "PSE")
    assert found["Golanhoogten"][0] == "Golan Heights"
    assert found["Avdiejevka"] == ("Avdiivka", "UKR")


def test_a_province_after_its_countrys_possessive_is_found() -> None:
    """ "Syria's Idlib" is no first and last name; "Chile's Ripley" (a store) stays out."""
    found = {
        t.text: t.country_iso3
        for t in find_toponyms(
            "Drones hit Russia's Kursk region, and jets struck Syria's Idlib province, while "
            "Ethiopia's Tigray region was quiet.",
            language="en",
        )
    }
    assert found.get("Kursk") == "RUS"
    assert found.get("Idlib province") == "SYR"
    assert found.get("Tigray") == "ETH"
    assert "Ripley" not in {
        t.text for t in find_toponyms("Sales grew at Chile's Ripley department store chain.")
    }


def test_a_place_after_an_owners_possessive_and_before_a_facility_is_found() -> None:
    """ "Rosneft's Saratov oil depot": a company's possessive is no first name; without a
    facility noun after it the name after a possessive may still be a person's."""
    found = {
        t.text: t.country_iso3
        for t in find_toponyms(
            "A fire broke out at Rosneft's Saratov oil depot, and drones hit Lukoil's "
            "Volgograd refinery.",
            language="en",
        )
    }
    assert found == {"Saratov": "RUS", "Volgograd": "RUS"}
    assert find_toponyms("Obama's Clinton said so.", language="en") == []


def test_a_place_before_a_dutch_inverted_speech_verb_is_no_speaker() -> None:
    """ "Over Kramatorsk zei ze": the pronoun after the verb speaks; without the inversion the
    name before "zei" is a speaker (and every mention of it goes), as "Baker said" is."""
    text = "Een raket trof Kramatorsk. Over Kramatorsk zei ze: 'Dit is een misdaad.'"
    assert [t.text for t in find_toponyms(text, language="nl")] == ["Kramatorsk"] * 2
    text = "Een raket trof Kramatorsk. In Kramatorsk zegt de burgemeester dat niemand vluchtte."
    assert [t.text for t in find_toponyms(text, language="nl")] == ["Kramatorsk"] * 2
    assert find_toponyms("Een raket trof Kramatorsk. Kramatorsk zei: nee.", language="nl") == []


def test_a_plural_admin_word_makes_the_next_name_a_province() -> None:
    """ "in de provincies Teheran, Khuzestan en Ilam", "the Voronezh regions": provinces; an
    English plural before a name is no admin word ("four regions Moscow claims")."""
    found = find_toponyms(
        "Er is beperkte schade in de provincies Teheran, Khuzestan en Ilam.", language="nl"
    )
    assert (found[0].text, found[0].kind) == ("Teheran", "admin1")
    assert [(t.text, t.kind) for t in find_toponyms("Drones hit Teheran.")] == [("Teheran", "city")]
    found = find_toponyms(
        "Drones were downed over the Kursk, Belgorod and Voronezh regions, and Kyiv must "
        "withdraw from four regions Moscow claims.",
        language="en",
    )
    kinds = {t.text: t.kind for t in found}
    assert kinds["Voronezh"] == "admin1" and kinds["Moscow"] == "city"


def test_a_city_named_like_a_river_after_in_is_the_city() -> None:
    def kind(text: str) -> str:
        return next(t.kind for t in find_toponyms(text) if t.text == "Dnipro")

    assert kind("Explosions were heard in Dnipro on Monday.") == "city"
    assert kind("Russian troops crossed the Dnipro river.") == "water"
