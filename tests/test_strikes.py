"""Strike extraction: rule tests on hand-built toponyms, then real articles through the gazetteer."""

from __future__ import annotations

import re

import pytest

from geo.ingest import article_from_text
from geo.models import Toponym
from geo.strikes import extract_strikes, find_casualties, find_weapons, sentence_date

# name -> (canonical, kind, iso3, lon, lat, admin1)
_HAND = {
    "Iran": ("Iran", "country", "IRN", 53.7, 32.4, None),
    "Iraanse": ("Iran", "demonym", "IRN", 53.7, 32.4, None),
    "Iranian": ("Iran", "demonym", "IRN", 53.7, 32.4, None),
    "Pakistan": ("Pakistan", "country", "PAK", 69.3, 30.4, None),
    "Pakistaanse": ("Pakistan", "demonym", "PAK", 69.3, 30.4, None),
    "Irak": ("Iraq", "country", "IRQ", 43.7, 33.2, None),
    "Iraq": ("Iraq", "country", "IRQ", 43.7, 33.2, None),
    "Iraqis": ("Iraq", "demonym", "IRQ", 43.7, 33.2, None),
    "Iraqi": ("Iraq", "demonym", "IRQ", 43.7, 33.2, None),
    "Syrië": ("Syria", "country", "SYR", 38.5, 35.0, None),
    "Syria": ("Syria", "country", "SYR", 38.5, 35.0, None),
    "Noord-Syrië": ("Northern Syria", "region", "SYR", 38.0, 36.3, None),
    "Israël": ("Israel", "country", "ISR", 34.9, 31.0, None),
    "Israel": ("Israel", "country", "ISR", 34.9, 31.0, None),
    "Israëlische": ("Israel", "demonym", "ISR", 34.9, 31.0, None),
    "Israeli": ("Israel", "demonym", "ISR", 34.9, 31.0, None),
    "Lebanon": ("Lebanon", "country", "LBN", 35.9, 33.9, None),
    "Libanon": ("Lebanon", "country", "LBN", 35.9, 33.9, None),
    "Gaza": ("Gaza Strip", "region", "PSE", 34.4, 31.4, None),
    "Turkey": ("Turkey", "country", "TUR", 35.2, 39.0, None),
    "Beloetsjistan": ("Balochistan", "admin1", "PAK", 65.1, 28.5, "Balochistan"),
    "Kerman": ("Kerman", "city", "IRN", 57.1, 30.3, "Kerman"),
    "Erbil": ("Erbil", "city", "IRQ", 44.0, 36.19, "Erbil"),
    "Beiroet": ("Beirut", "city", "LBN", 35.5, 33.89, "Beyrouth"),
    "Rusland": ("Russia", "country", "RUS", 37.6, 55.7, None),
    "Kyiv": ("Kyiv", "city", "UKR", 30.52, 50.45, "Kyiv City"),
    "Oekraïne": ("Ukraine", "country", "UKR", 31.2, 49.0, None),
    "Jemen": ("Yemen", "country", "YEM", 47.5, 15.5, None),
    "Yemen": ("Yemen", "country", "YEM", 47.5, 15.5, None),
    "Houthi": ("Yemen", "demonym", "YEM", 47.5, 15.5, None),
    "Rode Zee": ("Red Sea", "water", None, 38.0, 20.0, None),
    "Red Sea": ("Red Sea", "water", None, 38.0, 20.0, None),
    "American": ("United States", "demonym", "USA", -98.0, 39.0, None),
    "British": ("United Kingdom", "demonym", "GBR", -1.5, 52.5, None),
    "Noord-Irak": ("Northern Iraq", "region", "IRQ", 44.0, 36.5, None),
    "Ankara": ("Ankara", "city", "TUR", 32.85, 39.92, "Ankara"),
    "Iran's": ("Iran", "country", "IRN", 53.7, 32.4, None),
    "Sistan-Baluchestan": (
        "Sistan and Baluchestan",
        "admin1",
        "IRN",
        60.5,
        27.5,
        "Sistan and Baluchestan",
    ),
    "India": ("India", "country", "IND", 79.0, 22.0, None),
    "Indian": ("India", "demonym", "IND", 79.0, 22.0, None),
    "Pakistan's": ("Pakistan", "country", "PAK", 69.3, 30.4, None),
    "Khan Younis": ("Khan Yunis", "city", "PSE", 34.3, 31.35, "Gaza Strip"),
    "Azerbaijani": ("Azerbaijan", "demonym", "AZE", 47.5, 40.3, None),
    "Armenian": ("Armenia", "demonym", "ARM", 45.0, 40.2, None),
    "Armenia's": ("Armenia", "country", "ARM", 45.0, 40.2, None),
    "Jermuk": ("Jermuk", "city", "ARM", 45.67, 39.84, "Vayots Dzor"),
    "Baku": ("Baku", "city", "AZE", 49.89, 40.38, "Baku"),
    "Rwandan": ("Rwanda", "demonym", "RWA", 29.9, -2.0, None),
    "Goma": ("Goma", "city", "COD", 29.22, -1.68, "North Kivu"),
    "Congolese": ("DR Congo", "demonym", "COD", 23.6, -2.9, None),
    "Isfahan": ("Isfahan", "city", "IRN", 51.67, 32.65, "Isfahan"),
    "Islamabad": ("Islamabad", "city", "PAK", 73.04, 33.69, "Islamabad"),
    "Jordan": ("Jordan", "country", "JOR", 36.5, 31.0, None),
    "Bagdad": ("Baghdad", "city", "IRQ", 44.4, 33.34, "Baghdad"),
    "Sudanese": ("Sudan", "demonym", "SDN", 30.0, 15.0, None),
    "Khartoum": ("Khartoum", "city", "SDN", 32.53, 15.55, "Khartoum"),
    "Zuid-Libanon": ("South Lebanon", "region", "LBN", 35.4, 33.3, None),
    "Libanese": ("Lebanon", "demonym", "LBN", 35.9, 33.9, None),
    "southern Lebanon": ("South Lebanon", "region", "LBN", 35.4, 33.3, None),
    "northern Israel": ("Northern District", "admin1", "ISR", 35.4, 32.9, "Northern"),
    "Ukrainian": ("Ukraine", "demonym", "UKR", 31.2, 49.0, None),
    "Oekraïense": ("Ukraine", "demonym", "UKR", 31.2, 49.0, None),
    "Russia": ("Russia", "country", "RUS", 37.6, 55.7, None),
    "Ukraine": ("Ukraine", "country", "UKR", 31.2, 49.0, None),
    "Russian": ("Russia", "demonym", "RUS", 37.6, 55.7, None),
    "Russia's": ("Russia", "country", "RUS", 37.6, 55.7, None),
    "Ryazan": ("Ryazan Oblast", "admin1", "RUS", 40.5, 54.4, "Ryazan"),
    "Verenigde Staten": ("United States", "country", "USA", -98.0, 39.0, None),
    "United States": ("United States", "country", "USA", -98.0, 39.0, None),
    "Sistan": ("Sistan and Baluchestan", "admin1", "IRN", 60.5, 27.5, "Sistan and Baluchestan"),
    "Israelis": ("Israel", "demonym", "ISR", 34.9, 31.0, None),
    "Teheran": ("Tehran", "city", "IRN", 51.4, 35.7, "Tehran"),
    "Jeruzalem": ("Jerusalem", "city", "ISR", 35.2, 31.78, "Jerusalem"),
    "Turkse": ("Turkey", "demonym", "TUR", 35.2, 39.0, None),
    "Sanaa": ("Sanaa", "city", "YEM", 44.2, 15.35, "Sanaa"),
    "Oost-Oekraïne": ("Eastern Ukraine", "region", "UKR", 37.5, 48.5, None),
    "Haifa": ("Haifa", "city", "ISR", 34.99, 32.79, "Haifa"),
    "Gazastrook": ("Gaza Strip", "region", "PSE", 34.45, 31.5, None),
    "Gaza Strip": ("Gaza Strip", "region", "PSE", 34.45, 31.5, None),
    "Tel Aviv": ("Tel Aviv", "city", "ISR", 34.78, 32.08, "Tel Aviv"),
    "Netherlands": ("Netherlands", "country", "NLD", 5.3, 52.1, None),
    "Nederland": ("Netherlands", "country", "NLD", 5.3, 52.1, None),
    "Nederlandse": ("Netherlands", "demonym", "NLD", 5.3, 52.1, None),
    "Saudi Arabia": ("Saudi Arabia", "country", "SAU", 45.0, 24.0, None),
    "Saoedi-Arabië": ("Saudi Arabia", "country", "SAU", 45.0, 24.0, None),
    "Abqaiq": ("Abqaiq", "city", "SAU", 49.67, 25.94, "Eastern Province"),
    "Azerbeidzjan": ("Azerbaijan", "country", "AZE", 47.5, 40.3, None),
    "Armenië": ("Armenia", "country", "ARM", 45.0, 40.2, None),
    "Ganja": ("Ganja", "city", "AZE", 46.36, 40.68, "Ganja"),
    "Moskou": ("Moscow", "city", "RUS", 37.62, 55.75, "Moscow"),
    "Turken": ("Turkey", "demonym", "TUR", 35.2, 39.0, None),
    "Amerikaanse": ("United States", "demonym", "USA", -98.0, 39.0, None),
    "Middle East": ("Middle East", "region", None, 45.0, 29.0, None),
    "Qatar": ("Qatar", "country", "QAT", 51.2, 25.3, None),
    "Doha": ("Doha", "city", "QAT", 51.53, 25.29, "Baladiyat ad Dawhah"),
    "Taliban's": ("Afghanistan", "demonym", "AFG", 66.0, 34.0, None),
    "Jordanië": ("Jordan", "country", "JOR", 36.5, 31.0, None),
}
_HAND_RE = re.compile(
    r"(?<!\w)(" + "|".join(sorted(map(re.escape, _HAND), key=len, reverse=True)) + r")(?!\w)"
)


def hand_toponyms(text: str) -> list[Toponym]:
    found = []
    for match in _HAND_RE.finditer(text):
        name, kind, iso3, lon, lat, admin1 = _HAND[match.group()]
        place_id = f"c:{iso3}" if kind in ("country", "demonym") else f"t:{name}"
        found.append(
            Toponym(
                match.group(),
                match.start(),
                match.end(),
                name,
                lon,
                lat,
                iso3,
                admin1,
                None,
                kind,
                place_id,
            )
        )
    return found


_HAND_POINTS = {
    iso3: (lon, lat)
    for _, kind, iso3, lon, lat, _ in _HAND.values()
    if iso3 and kind in ("country", "demonym")
}
_HAND_POINTS["PSE"] = (34.45, 31.5)
_HAND_POINTS.update(
    {"USA": (-98.0, 39.0), "GBR": (-1.5, 52.5), "COD": (23.6, -2.9), "SDN": (30.0, 15.0)}
)


def hand_point(iso3: str) -> tuple[float, float] | None:
    return _HAND_POINTS.get(iso3)


def strikes_of(text: str, date: str | None = "2024-01-17"):
    article = article_from_text(text, title="t", date=date)
    return extract_strikes(article, hand_toponyms(article.text), country_point=hand_point)


def pairs(text: str) -> set[tuple[str | None, str | None]]:
    return {(s.attacker_iso3, s.target_iso3) for s in strikes_of(text)}


# --------------------------------------------------------------------------------------------
# Test articles (tests/data/strike_articles): expected cross-border pairs, exactly.
# --------------------------------------------------------------------------------------------

import json  # noqa: E402
from pathlib import Path  # noqa: E402

from geo.ingest import read_article  # noqa: E402

ARTICLES = Path(__file__).parent / "data" / "strike_articles"
EXPECTED = json.loads((ARTICLES / "expected.json").read_text(encoding="utf-8"))


def _check_article(name: str, strikes) -> None:
    case = EXPECTED[name]
    got = {(s.attacker_iso3, s.target_iso3) for s in strikes if s.cross_border}
    assert got == {tuple(p) for p in case["pairs"]}, case["explanation"]
    for pair in case.get("domestic", []):
        assert any(
            (s.attacker_iso3, s.target_iso3) == tuple(pair) and not s.cross_border for s in strikes
        )
    for name_ in case.get("not_targets", []):
        assert all(s.target_name != name_ for s in strikes)
    for check in case.get("checks", []):
        mine = [s for s in strikes if (s.attacker_iso3, s.target_iso3) == tuple(check["pair"])]
        assert mine, check
        if "target_name" in check:
            assert check["target_name"] in {s.target_name for s in mine}
        if "target_actor" in check:
            assert check["target_actor"] in {s.target_actor for s in mine}
        if "weapons" in check:
            assert set(check["weapons"]) <= {w for s in mine for w in s.weapons}
        if "killed" in check:
            values = {s.killed for s in mine if s.killed is not None}
            assert values == ({check["killed"]} if check["killed"] is not None else set())
        if "injured" in check:
            assert check["injured"] in {s.injured for s in mine}
        if "date" in check:
            assert check["date"] in {s.date for s in mine}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_article_with_hand_toponyms(name: str) -> None:
    article = read_article(ARTICLES / name)
    _check_article(
        name, extract_strikes(article, hand_toponyms(article.text), country_point=hand_point)
    )


# --------------------------------------------------------------------------------------------
# Rules, one sentence at a time.
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Israël bombardeerde Gaza.", {("ISR", "PSE")}),
        ("Gisteren bombardeerde Israël Gaza.", {("ISR", "PSE")}),
        ("Gaza werd gebombardeerd door Israël.", {("ISR", "PSE")}),
        (
            "Turkey and Iran attacking targets in Iraq & Syria.",
            {("TUR", "IRQ"), ("TUR", "SYR"), ("IRN", "IRQ"), ("IRN", "SYR")},
        ),
        ("nooit eerder vuurde Iran raketten af op buurland Pakistan.", {("IRN", "PAK")}),
        ("Iran vuurde geen raketten af op Pakistan.", set()),
        ("Iran dreigt Pakistan aan te vallen.", set()),
        ("Iran threatens to strike Pakistan.", set()),
        ("Iran could strike Pakistan.", set()),
        ("Pakistan warned of consequences after Iran struck Pakistan.", {("IRN", "PAK")}),
        ("Israel denied that it attacked Syria.", set()),
        ("Did Iran attack Pakistan?", set()),
        ("Iran overweegt een aanval op Pakistan.", set()),
        ("Het is onduidelijk of Pakistan een aanval op Iran overweegt.", set()),
        ("Iran-backed militias attacked bases in Syria.", set()),
        ("Hezbollah fired rockets at Israel from Lebanon.", {("LBN", "ISR")}),
        ("Iran attacked Iraq in retaliation for the attack in Kerman.", {("IRN", "IRQ")}),
        # a clause with a verb of its own is no gapped second strike
        (
            'The State Department called it "an unjustified attack", and the U.S. consulate '
            "in Erbil said no American personnel were hurt.",
            set(),
        ),
        ("Israel struck Syria, and Turkey targets in Iraq.", {("ISR", "SYR"), ("TUR", "IRQ")}),
    ],
)
def test_sentence_rules(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


def test_passive_agent_and_target_actor() -> None:
    (strike,) = strikes_of(
        "Bases van Jaish al-Adl in Pakistan werden getroffen door Iraanse raketten."
    )
    assert (strike.attacker_iso3, strike.target_iso3, strike.target_actor) == (
        "IRN",
        "PAK",
        "Jaish al-Adl",
    )
    assert strike.weapons == ("missiles",)


def test_launch_site_is_the_origin() -> None:
    (strike,) = strikes_of("Hezbollah fired rockets at Israel from Lebanon.")
    assert strike.origin_kind == "launch_site" and strike.origin_name == "Lebanon"
    (strike,) = strikes_of("Israel bombed Gaza.")
    assert strike.origin_kind == "country_point" and (strike.origin_lon, strike.origin_lat) == (
        34.9,
        31.0,
    )


def test_multi_country_attacker_has_no_single_iso3() -> None:
    strikes = strikes_of("Jaish al-Adl attacked a border post in Syria.")
    assert [(s.attacker, s.attacker_iso3, s.cross_border) for s in strikes] == [
        ("Jaish al-Adl", None, True)
    ]


def test_kerman_cause_is_not_a_target() -> None:
    text = "De nieuwe aanvallen zijn een reactie op de gebeurtenissen in Kerman en de liquidatie van een Iraanse commandant in Syrië."
    assert strikes_of(text) == []


def test_coreference_takes_the_previous_attacker_and_counts_follow() -> None:
    strikes = strikes_of(
        "Iran heeft doelen in Irak aangevallen. De aanval in Erbil doodde vier mensen. Bij de aanval raakten zes mensen gewond."
    )
    assert [(s.attacker_iso3, s.target_name) for s in strikes] == [
        ("IRN", "Iraq"),
        ("IRN", "Erbil"),
    ]
    assert (strikes[1].killed, strikes[1].injured) == (4, 6)
    assert strikes[1].confidence < strikes[0].confidence


def test_hedged_claims_score_lower_and_ids_are_deterministic() -> None:
    plain = strikes_of("Iran heeft doelen in Syrië aangevallen.")[0]
    hedged = strikes_of("Iran zou doelen in Syrië hebben aangevallen.")[0]
    assert 0 < hedged.confidence < plain.confidence <= 1
    assert strikes_of("Iran heeft doelen in Syrië aangevallen.")[0].id == plain.id


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Volgens de verklaring werden twee kinderen gedood en raakten drie meisjes gewond.",
            (2, 3),
        ),
        ("At least 12 people were killed and dozens wounded.", (12, None)),
        ("Ruim negentig mensen kwamen om het leven.", (90, None)),
        ("The strike killed 7 and injured 15.", (7, 15)),
        ("In 24 uur tijd vielen 300 raketten.", (None, None)),
        ("Tientallen mensen raakten gewond.", (None, None)),
        ("Eenentwintig soldaten werden gedood.", (21, None)),
    ],
)
def test_casualties(text: str, expected: tuple[int | None, int | None]) -> None:
    assert find_casualties(text) == expected


def test_weapons_and_dates() -> None:
    assert find_weapons("ballistische raketten en kamikazedrones") == (
        "ballistic missiles",
        "drones",
    )
    assert sentence_date("on January 16, 2024 Iran struck", None) == "2024-01-16"
    assert sentence_date("gisteravond", "2024-01-17") == "2024-01-17"


@pytest.mark.parametrize("name", ["seed_000_nl_en_mixed.txt", "seed_001_nl_iran_pakistan.txt"])
def test_seed_articles_through_the_gazetteer(name: str) -> None:
    """The seeds through the real toponym finder and boundaries (runs once both are installed)."""
    pytest.importorskip("geo.boundaries", reason="geo.boundaries (polygons) is not in the tree yet")
    from geo.toponyms import find_toponyms

    article = read_article(ARTICLES / name)
    _check_article(
        name, extract_strikes(article, find_toponyms(article.text, language=article.language))
    )


# --------------------------------------------------------------------------------------------
# Clause structure, cue choice and coreference (table-driven, Dutch and English).
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a temporal subordinate clause is an event of its own
        ("The attack came a day after Iran fired missiles at Erbil.", {("IRN", "IRQ")}),
        ("De aanval kwam een dag nadat Iran raketten had afgevuurd op Erbil.", {("IRN", "IRQ")}),
        ("Pakistan protested when Iran struck Pakistan.", {("IRN", "PAK")}),
        # "..., and at X": a second object of the same verb
        (
            "Iran fired missiles at Erbil, and at Islamic State targets in Syria.",
            {("IRN", "IRQ"), ("IRN", "SYR")},
        ),
        (
            "Iran vuurde raketten af op Erbil, en op doelen in Syrië.",
            {("IRN", "IRQ"), ("IRN", "SYR")},
        ),
        # a noun after a determiner has no objects: bare names after it are not targets
        ("Israel said the strikes Iran condemned were legal.", set()),
    ],
)
def test_clause_rules(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


def test_weak_participle_clause_borrows_the_sentence_weapon() -> None:
    strikes = strikes_of("Israel launched air strikes across Iran, hitting the plant at Isfahan.")
    assert {(s.attacker_iso3, s.target_name) for s in strikes} >= {("ISR", "Isfahan")}


def test_coreference_keeps_coordinated_attackers() -> None:
    strikes = strikes_of(
        "The United States and Britain launched air strikes on Yemen. The strikes hit Sanaa."
    )
    assert {(s.attacker_iso3, s.target_name) for s in strikes if s.target_name == "Sanaa"} == {
        ("USA", "Sanaa"),
        ("GBR", "Sanaa"),
    }


def test_coreference_to_an_attacker_named_without_target() -> None:
    strikes = strikes_of(
        "Pakistan recalled its envoy after an Iranian strike on its territory. "
        "The strike hit a village near Islamabad."
    )
    assert [(s.attacker_iso3, s.target_name) for s in strikes] == [("IRN", "Islamabad")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # sport: the vocabulary of attack without a weapon
        ("In de slotminuten bestookten de Turken het Nederlandse doel met voorzetten.", set()),
        ("Turkey attacked relentlessly but the Netherlands goalkeeper held firm.", set()),
        ("Iran beat Israel 2-1 in the semi-final after Iran struck twice.", set()),
        # ... but a weapon keeps a real strike in a sentence that mentions a match
        (
            "The match was cancelled after Israel struck Gaza with missiles.",
            {("ISR", "PSE")},
        ),
        # markets and politics next to the cue
        ("Falling oil prices struck Iran's economy.", set()),
        ("Turkey attacked Israel's policy in a televised debate.", set()),
        ("Israel struck Gaza on Monday.", {("ISR", "PSE")}),
        # exercises, even with weapons
        ("Iran fired missiles at mock targets in Iraq during naval drills.", set()),
        ("Iran vuurde tijdens een militaire oefening raketten af op Irak.", set()),
        # threats, plans, deliberation, hypotheticals the modal list misses
        ("De Houthi's hadden gedreigd de aanvallen op Israël te hervatten.", set()),
        (
            "Kataib Hezbollah heeft besloten de aanvallen op doelen in Jordanië op te schorten.",
            set(),
        ),
        ("Tehran was weighing options ranging from a strike on Israel to a raid.", set()),
        ("Gallant said any direct attack by Iran on Israel requires a response.", set()),
        ("The Pentagon said the strike was meant to deter future Iranian attack plans.", set()),
        ("Israel suspended its strikes on Gaza.", set()),
    ],
)
def test_non_event_and_context_guards(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the launch site's country fires when nobody else is named
        (
            "Sirens sounded in Tel Aviv as rockets launched from Gaza flew further.",
            {("PSE", "ISR")},
        ),
        ("Vanuit de Gazastrook werden zondag raketten afgevuurd op Haifa.", {("PSE", "ISR")}),
        (
            "Drones were launched at Israel from Iraq and Yemen by Iran-aligned groups.",
            {("IRQ", "ISR"), ("YEM", "ISR")},
        ),
        # ... but not when it is the target's own country
        ("Raketten vanuit Israël troffen Haifa.", set()),
        # an unnamed group is placed by its base
        (
            "The drone that hit Jordan was launched by Iran-backed militias in Iraq.",
            {("IRQ", "JOR")},
        ),
        ("Militanten in de Gazastrook vuurden raketten af op Tel Aviv.", {("PSE", "ISR")}),
        # the owner of the weapon fires it
        ("Een raket van Hezbollah heeft een depot in Haifa getroffen.", {("LBN", "ISR")}),
        ("Hezbollah rockets hit Haifa.", {("LBN", "ISR")}),
        # a temporal clause after the cue is another event
        ("De aanval komt terwijl Russische troepen in Oost-Oekraïne oprukken.", set()),
        # impact verbs with a weapon subject continue the previous strike
        ("Hezbollah fired rockets at Israel. Two rockets landed in Haifa.", {("LBN", "ISR")}),
        (
            "Hezbollah vuurde raketten af op Israël. Twee raketten sloegen in Haifa in.",
            {("LBN", "ISR")},
        ),
    ],
)
def test_attacker_rules(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


def test_agent_of_another_participle_is_not_the_attacker() -> None:
    strikes = strikes_of(
        "US bombers hit command centres used by the Revolutionary Guards in Syria."
    )
    assert {(s.attacker_iso3, s.target_iso3) for s in strikes} == {("USA", "SYR")}
    strikes = strikes_of(
        "Bij Amerikaanse luchtaanvallen in Jemen vielen doden, melden de door de Houthi's "
        "bestuurde autoriteiten."
    )
    assert {(s.attacker_iso3, s.target_iso3) for s in strikes} == {("USA", "YEM")}


def test_landing_places_refine_the_strike() -> None:
    strikes = strikes_of("Hezbollah fired rockets at Israel. Two rockets landed in Haifa.")
    assert {s.target_name for s in strikes} == {"Israel", "Haifa"}
    strikes = strikes_of("US jets hit seven sites, including Erbil in Iraq.")
    assert {s.target_name for s in strikes} == {"Erbil"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a reaction to "the strike" does not make its subject the attacker
        ("Turkey condemned the strike on Iraq.", set()),
        ("Iran veroordeelde de luchtaanval op Syrië.", set()),
        ("Israel reageerde met een aanval op Syrië.", {("ISR", "SYR")}),
        # a source is not a claimant-attacker; a party can be
        ("Drones hit Israel, according to US officials.", set()),
        ("Drones hit Israel, according to Iran.", {("IRN", "ISR")}),
        # an owner's country before a facility abroad is not the place struck
        ("Iran fired missiles at US bases.", set()),
        (
            "Iran fired missiles at an air base in Qatar, the largest US facility in the Middle East.",
            {("IRN", "QAT")},
        ),
        # a region without a country places nothing
        ("Iran fired missiles across the Middle East.", set()),
    ],
)
def test_party_and_target_guards(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


def test_misread_places_are_not_targets() -> None:
    text = "Israel struck the Shati camp. Israel struck Bani in northwest Yemen."
    article = article_from_text(text, title="t", date="2024-01-17")
    toponyms = hand_toponyms(article.text)
    shati, bani = text.index("Shati"), text.index("Bani")
    toponyms += [
        Toponym(
            "Shati",
            shati,
            shati + 5,
            "Ash Shati",
            12.8,
            27.9,
            "LBY",
            "Ash Shati",
            None,
            "admin1",
            "a1:LY-WS",
            None,
            0.778,
        ),
        Toponym(
            "Bani",
            bani,
            bani + 4,
            "Baneh",
            45.9,
            35.99,
            "IRN",
            "Kurdistan",
            None,
            "city",
            "t:baneh",
            None,
            0.9,
        ),
    ]
    toponyms.sort(key=lambda t: t.start)
    strikes = extract_strikes(article, toponyms, country_point=hand_point)
    assert {(s.attacker_iso3, s.target_iso3) for s in strikes} == {("ISR", "YEM")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "de coalitie", "the group", "De Libanese beweging": the latest named group/alliance
        (
            "De door Saudi-Arabië geleide coalitie vecht in Jemen. "
            "De coalitie reageerde met zware bombardementen op Sanaa.",
            {("SAU", "YEM")},
        ),
        (
            "Hezbollah vowed revenge. The group fired rockets at Haifa.",
            {("LBN", "ISR")},
        ),
        (
            "Hamas fired rockets at Tel Aviv. The peace movement condemned the attacks on Gaza.",
            {("PSE", "ISR")},  # "the peace movement" is not a reference to Hamas
        ),
        (
            "Hezbollah dreigde met wraak. De Libanese beweging vuurde raketten af op Haifa.",
            {("LBN", "ISR")},
        ),
        # responsibility and accusation name the attacker of an open strike
        (
            "Drones hit Abqaiq in Saudi Arabia. The Houthis claimed responsibility.",
            {("YEM", "SAU")},
        ),
        (
            "Bij een raketaanval op Ganja in Azerbeidzjan vielen doden. "
            "Azerbeidzjan beschuldigt Armenië van de aanval.",
            {("ARM", "AZE")},
        ),
        (
            "Drones hit Abqaiq in Saudi Arabia. Iran denied responsibility.",
            set(),
        ),
        # a pronoun subject: the party named before it
        (
            "Iran kondigde vergelding aan. Kort daarop vuurde het raketten af op Israël.",
            {("IRN", "ISR")},
        ),
        (
            "Israel does not comment on foreign strikes, but it has hit targets in Syria.",
            {("ISR", "SYR")},
        ),
        # gunmen and hostage takers attack, but do not strike
        ("Gunmen opened fire at a concert hall in Moskou in the deadliest attack in years.", set()),
    ],
)
def test_reference_and_responsibility(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


def test_cue_hints_never_skip_a_match() -> None:
    """Every cue match contains one of its pattern's literal hints (the scan-skipping filter)."""
    from geo.actors import fold
    from geo.strikes import _CUE_HINTS, _CUE_RES

    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    texts.append(
        "Iran vielen gisteren Pakistan aan; raketten sloegen in Quetta in. Israël vuurde "
        "drones af, landed, crashed into, rained down, airstrikes, air raids, invading."
    )
    matched = 0
    for text in map(fold, texts):
        for (_, regex), hints in zip(_CUE_RES, _CUE_HINTS, strict=True):
            for match in regex.finditer(text):
                matched += 1
                assert not hints or any(h in match.group() for h in hints), (match, hints)
    assert matched > 50


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "X-led coalition", "de door X geleide coalitie": an alliance based in X
        ("The Saudi Arabia-led coalition struck Sanaa.", {("SAU", "YEM")}),
        (
            "De door Saoedi-Arabië geleide coalitie vecht in Jemen. De coalitie bombardeerde Sanaa.",
            {("SAU", "YEM")},
        ),
        # a weapon aimed at a place is a (weak) strike noun
        ("Hezbollah answered with a barrage of rockets on Haifa.", {("LBN", "ISR")}),
        ("Israel intercepted rockets over Haifa.", set()),
    ],
)
def test_coalitions_and_aimed_weapons(text: str, expected: set[tuple[str, str]]) -> None:
    assert {
        (s.attacker_iso3, s.target_iso3) for s in strikes_of(text) if s.cross_border
    } == expected


def test_country_target_placed_at_the_one_town_named() -> None:
    strikes = strikes_of("Russia struck Ukraine overnight. Air raid sirens sounded in Kyiv.")
    assert [(s.attacker_iso3, s.target_name, s.geo_precision) for s in strikes] == [
        ("RUS", "Kyiv", "place")
    ]
    # ... but not when the attacker's strikes already name a place in it
    strikes = strikes_of("Russia struck Ukraine. Russian missiles hit Kyiv.")
    assert {s.target_name for s in strikes} == {"Ukraine", "Kyiv"}


# --------------------------------------------------------------------------------------------
# Through the real gazetteer: clause attachment, non-reports and places that are no targets.
# --------------------------------------------------------------------------------------------


def real_strikes(text: str) -> list:
    """The strikes of ``text`` as one article, with toponyms from the real gazetteer."""
    from geo.toponyms import find_toponyms

    article = article_from_text(text, title="t", date="2024-05-01")
    return extract_strikes(article, find_toponyms(article.text, language=article.language))


def real_pairs(text: str) -> set[tuple[str | None, str | None]]:
    """Cross-border (attacker, target) country pairs with toponyms from the real gazetteer."""
    return {(s.attacker_iso3, s.target_iso3) for s in real_strikes(text) if s.cross_border}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a strike told in a temporal clause is placed where the main clause reports its damage
        (
            "Fire broke out at a fuel depot in Novorossiysk in southern Russia after an attack "
            "by Ukrainian drones.",
            {("UKR", "RUS")},
        ),
        (
            "Er ontstond brand in een raffinaderij in Rostov nadat Oekraïense drones de stad "
            "aanvielen.",
            {("UKR", "RUS")},
        ),
        # ... but not where people merely met, and not without an attacker
        ("Ministers met in Brussels after an attack by Russian missiles.", set()),
        ("A drone strike killed three people in Kharkiv on Monday, officials said.", set()),
        ("Bij een drone-aanval in Marib kwamen vier mensen om het leven.", set()),
        # "since <attack>" dates something else; a quoted condition is no report
        (
            "Air defence batteries have been sent to the region since Hezbollah's October "
            "attack on Israel.",
            set(),
        ),
        (
            '"If attacks by Iranian proxies against American forces continue, we will respond," '
            "the minister said.",
            set(),
        ),
        # the owner of a site abroad is not the place struck
        ("Russian missiles hit an area near the US embassy in Kyiv.", {("RUS", "UKR")}),
        # the party an attack is attributed to strikes; a victim's affiliation does not
        (
            "A Hezbollah commander was killed in Beirut in a strike attributed to Israel.",
            {("ISR", "LBN")},
        ),
        (
            "Een Hamas-leider werd in Beiroet gedood bij een aanval die aan Israël wordt "
            "toegeschreven.",
            {("ISR", "LBN")},
        ),
        # visits, allies and talks name places that are not struck
        (
            "Russia struck Odesa while the Ukrainian foreign minister was on a visit to India.",
            {("RUS", "UKR")},
        ),
        (
            "Pakistan voerde luchtaanvallen uit in Afghanistan terwijl de Afghaanse minister op "
            "bezoek was in India.",
            {("PAK", "AFG")},
        ),
        (
            "Israel struck Doha, the capital of Qatar, an ally of the United States that mediates "
            "in talks on a truce in Gaza.",
            {("ISR", "QAT")},
        ),
        (
            "Officials said the strikes were not meant to signal a change in policy towards the "
            "Ukraine war.",
            set(),
        ),
        ("The Saudi-led coalition's war in Yemen was discussed in Geneva.", set()),
        # troops opening fire across a border strike; gunmen do not
        (
            "Indian troops opened fire on Pakistani posts along the Line of Control, the Pakistani "
            "army said.",
            {("IND", "PAK")},
        ),
        (
            "Thaise soldaten openden het vuur op Cambodjaanse stellingen bij de grens.",
            {("THA", "KHM")},
        ),
        ("Gunmen opened fire at a wedding in Kabul.", set()),
        # cricket
        (
            "India's batsmen bombarded the boundary ropes as the Pakistan attack wilted in Dubai.",
            set(),
        ),
        # a strike named as the cause of another is reported too, when it names its attacker
        (
            "Iran launched missiles at a base in Qatar in retaliation for American strikes on "
            "Iran.",
            {("IRN", "QAT"), ("USA", "IRN")},
        ),
        (
            "Iran vuurde raketten af op Israël als vergelding voor de Israëlische aanval op het "
            "consulaat in Damascus.",
            {("IRN", "ISR"), ("ISR", "SYR")},
        ),
        ("Russia struck Kharkiv in retaliation for the attack, officials said.", {("RUS", "UKR")}),
        ("Protests erupted in Tehran in response to the sanctions.", set()),
    ],
)
def test_attachment_and_non_targets_through_the_gazetteer(
    text: str, expected: set[tuple[str, str]]
) -> None:
    assert real_pairs(text) == expected


def test_fast_paths_keep_results() -> None:
    """The per-article scans (weapons, cue hints, clause cuts) answer as the direct searches do."""
    from geo.actors import fold
    from geo.models import Sentence
    from geo.strikes import _scan_lexicon, _segments, _Weapons

    text = (
        "Israël vuurde drones en ballistische raketten af; Hezbollah answered with rockets, "
        "mortars - and 1,200 shells… Cruise missiles and warplanes: air strikes at 10:30."
    )
    folded = fold(text)
    flags, cues = _scan_lexicon(folded, [0])
    assert cues  # the cue hints of "vuurde ... af", "strikes"
    scan = _Weapons(folded, [Sentence(0, len(text))], [0], flags)
    for start in range(0, len(text), 7):
        for end in range(start, len(text) + 1, 11):
            if (start == 0 or not text[start - 1].isalnum()) and (
                end == len(text) or not text[end].isalnum()
            ):
                assert scan.between(start, end) == find_weapons(text[start:end])
    cuts = [b for _, b in _segments(folded, 0, len(folded))]
    assert [folded[b - 2 : b] for b in cuts[:-1]] == ["f;", "s,", "- ", "s…", "s:"]


def test_counts_stay_with_the_main_strike_not_its_cause() -> None:
    from geo.toponyms import find_toponyms

    text = (
        "Iran launched missiles at a base in Qatar, killing two people, in retaliation for "
        "American strikes on Iran. The attack also damaged a runway."
    )
    article = article_from_text(text, title="t", date="2025-06-23")
    strikes = extract_strikes(article, find_toponyms(article.text, language=article.language))
    by_pair = {(s.attacker_iso3, s.target_iso3): s for s in strikes}
    assert by_pair[("IRN", "QAT")].killed == 2
    assert by_pair[("USA", "IRN")].killed is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the place of an aftermath the sentence before reports, for an attacker without target
        (
            "Explosions were heard near an air base in Isfahan overnight. US officials said it "
            "was an Israeli strike.",
            {("ISR", "IRN")},
        ),
        (
            "Een grote brand woedde vannacht in een olieopslag in Belgorod in Rusland. Volgens "
            "Russische bronnen ging het om een Oekraïense drone-aanval.",
            {("UKR", "RUS")},
        ),
        # ... not for a possible attack, and not for a threat
        (
            "Explosions were heard in Tehran overnight. Officials discussed the possibility of "
            "a US attack.",
            set(),
        ),
        ("Large crowds gathered in Tehran on Friday. Israel said it would strike back.", set()),
        # Dutch separable "kwamen ... neer" with a weapon takes the previous attacker
        (
            "Iran vuurde ruim driehonderd drones en raketten af op Israël. Een paar raketten "
            "kwamen neer op een luchtmachtbasis bij Beersheba.",
            {("IRN", "ISR")},
        ),
        # who says that a strike happened is a source; who gets the blame is the attacker
        (
            "De Houthi-rebellen zeggen dat een luchtaanval op een gevangenis in Saada in Jemen "
            "tientallen doden eiste. Zij geven de coalitie onder leiding van Saoedi-Arabië de "
            "schuld.",
            {("SAU", "YEM")},
        ),
        ("Een bom ontplofte in een markt in Kabul. De regering gaf de Taliban de schuld.", set()),
        # a coreferent attacker of the target's own country yields to the party the next
        # sentence says fired
        (
            "Israeli jets struck Rafah in Gaza overnight. Two people were killed when a rocket "
            "hit the Israeli town of Sderot. Islamic Jihad said it had fired dozens of rockets.",
            {("ISR", "PSE"), ("PSE", "ISR")},
        ),
        # a cause without attacker, attributed in the next sentence
        (
            "Teheran noemde de aanval een vergelding voor de aanval op het Iraanse consulaat in "
            "Damascus. Die aanval wordt algemeen aan Israël toegeschreven.",
            {("ISR", "SYR")},
        ),
    ],
)
def test_attackers_and_places_across_sentences(text: str, expected: set[tuple[str, str]]) -> None:
    assert real_pairs(text) == expected


def test_landing_sentence_places_the_previous_strike() -> None:
    from geo.toponyms import find_toponyms

    text = (
        "Iran vuurde ruim driehonderd drones en raketten af op Israël. Een paar raketten "
        "kwamen neer op een luchtmachtbasis bij Beersheba."
    )
    article = article_from_text(text, title="t", date="2024-04-14")
    strikes = extract_strikes(article, find_toponyms(article.text, language=article.language))
    assert {s.target_name for s in strikes} >= {"Beersheba"}


def test_flag_words_never_skip_a_match() -> None:
    """Each gated pattern's matches hold one of its flag's words (the sentence-skipping filter)."""
    from geo import strikes as S
    from geo.actors import fold

    gated = {
        S._FLAG_CASUALTY: [S._CASUALTY_HINT],
        S._FLAG_ANAPHOR: [S._ANAPHOR],
        S._FLAG_LED: [S._LED_COALITION],
        S._FLAG_WEAPON: [S._WEAPON_RE],
        S._FLAG_CAUSE: [S._CAUSE],
        S._FLAG_ATTRIBUTION: [S._ATTRIBUTION_NP, S._ATTRIBUTION_VERB, S._SAID_THAT],
        S._FLAG_HEDGE: [S._HEDGE],
    }
    texts = [p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))]
    texts.append(
        "In reactie op de aanval, volgens Reuters, per AP: the group claimed the strike in "
        "retaliation for killings; de door Riyad geleide coalitie; Iraanse kruisraketten, "
        "artilleriebeschietingen, bommenwerpers en een Shahed; naar verluidt zouden zeker twee "
        "doden zijn gevallen, zei hij dat; the Saudi-led coalition came after the blasts."
    )
    matched = 0
    for text in map(fold, texts):
        for flag, patterns in gated.items():
            words = S._FLAG_WORDS[flag].split()
            for pattern in patterns:
                for match in pattern.finditer(text):
                    matched += 1
                    assert any(w in match.group() for w in words), (match, flag)
    assert matched > 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a demonym before a place noun is the place's country, not the attacker
        (
            "Een golf van raketten uit de Gazastrook heeft dinsdag de Israëlische kuststad "
            "Sderot getroffen.",
            {("PSE", "ISR")},
        ),
        ("Israeli jets struck the Lebanese city of Tyre on Monday.", {("ISR", "LBN")}),
        (
            "In de Iraanse provincie Kerman zijn explosies gehoord bij een luchtmachtbasis. "
            "Volgens Amerikaanse bronnen ging het om een Israëlische aanval.",
            {("ISR", "IRN")},
        ),
        # the subject before a relative clause fires
        (
            "The Houthis, which have attacked shipping since November, fired missiles at the "
            "Israeli port city of Eilat.",
            {("YEM", "ISR")},
        ),
        (
            "Iran, dat sinds april dreigt met vergelding, vuurde raketten af op Israël.",
            {("IRN", "ISR")},
        ),
        ("The Houthis, who control Sanaa, said the attack was a success.", set()),
        # a Dutch verb after an apposition; a bearing's reference point is no second target
        (
            "Een raket van de Houthi's heeft maandag een haven bij Eilat in Israël, ten noorden "
            "van Aqaba, getroffen.",
            {("YEM", "ISR")},
        ),
        ("Russian drones struck a depot 20 km north of Kharkiv, officials said.", {("RUS", "UKR")}),
        ("De minister bezocht Kyiv, ten noorden van Odesa, gisteren.", set()),
        # "in het noordwesten van Syrië" is inside Syria, not a reference point
        (
            "Iran vuurde raketten af op doelen in Erbil in Irak en in het noordwesten van Syrië.",
            {("IRN", "IRQ"), ("IRN", "SYR")},
        ),
        # a weekday after "on" dates the strike; the party after it still attacks
        (
            "The raid follows a week of escalation: on Sunday US jets bombed bases of the "
            "militia in western Iraq and eastern Syria.",
            {("USA", "IRQ"), ("USA", "SYR")},
        ),
        # Dutch: the source ends at the finite verb; the second party before the verb is
        # its object, also after a time phrase
        (
            "Volgens het leger heeft Rusland op zondag Kyiv bestookt met drones.",
            {("RUS", "UKR")},
        ),
        # "het doelwit" is no pronoun subject; a later clause striking nothing keeps the
        # attacker for the next sentence
        (
            "De Turkse luchtmacht bombardeerde doelen in Noord-Irak, stelt het ministerie - een "
            "claim die Irak tegenspreekt. In Syrië zou de PKK het doelwit zijn geweest.",
            {("TUR", "IRQ"), ("TUR", "SYR")},
        ),
        # relative clauses and asides: the party they follow fires
        (
            "Baku said it had responded to provocations by Armenian forces, who it said had "
            "fired at its positions near Kalbajar in Azerbaijan.",
            {("ARM", "AZE")},
        ),
        ("Iran, meanwhile, fired missiles at Erbil in Iraq.", {("IRN", "IRQ")}),
        ("Iran, the minister said in Paris, is a threat.", set()),
        (
            "Israel thanked the United States, which fired missiles at Houthi sites in Yemen.",
            {("USA", "YEM")},
        ),
        # an air campaign is a strike, not an election campaign
        (
            "Turkey launched an air campaign on Sunday against Kurdish militants in northern "
            "Iraq, which it blames for a bombing in Ankara.",
            {("TUR", "IRQ")},
        ),
        ("The president launched his campaign in Ohio, attacking his rival.", set()),
        # the agent of a weapon's participle, past a proxy modifier
        (
            "Israeli jets struck the port of Hodeidah in Yemen, two days after a missile fired by "
            "the Iran-backed Houthis landed near an airport in Israel.",
            {("ISR", "YEM"), ("YEM", "ISR")},
        ),
        # the owner of the weapons after "van de"
        (
            "Drones van de Verenigde Staten troffen zaterdag een militiebasis bij Mosul in Irak.",
            {("USA", "IRQ")},
        ),
        # a border names no target country; border forces still attack
        (
            "US jets struck targets near the Iraqi border in Syria, officials said.",
            {("USA", "SYR")},
        ),
        (
            "Afghan border forces opened fire on Pakistani posts in Khyber Pakhtunkhwa.",
            {("AFG", "PAK")},
        ),
        # a capital speaking for its government is no target
        (
            "Kabul bevestigde de aanvallen niet officieel, maar bronnen zeiden dat Pakistan doelen "
            "in Khost had gebombardeerd.",
            {("PAK", "AFG")},
        ),
        ("Washington agreed a truce with the group in May.", set()),
        # football
        (
            "Nederland bestookte in de slotfase het Franse doel, maar de gelijkmaker bleef uit.",
            set(),
        ),
    ],
)
def test_place_modifiers_subjects_and_metonyms(text: str, expected: set[tuple[str, str]]) -> None:
    assert real_pairs(text) == expected


def test_the_place_named_after_a_container_is_struck_and_counted() -> None:
    from geo.toponyms import find_toponyms

    for text, name, killed in [
        ("Russia struck the Kyiv suburb of Irpin, killing three people.", "Irpin", 3),
        (
            "Rusland bestookte de Oekraïense havenstad Odesa met drones, waarbij twee doden "
            "vielen.",
            "Odesa",
            2,
        ),
    ]:
        article = article_from_text(text, title="t", date="2024-05-01")
        strikes = extract_strikes(article, find_toponyms(article.text, language=article.language))
        assert [(s.target_name, s.killed) for s in strikes] == [(name, killed)]


def test_a_sentence_after_a_cause_strike_tells_more_about_it() -> None:
    from geo.toponyms import find_toponyms

    text = (
        "Israël voerde luchtaanvallen uit op Beiroet in Libanon. De aanvallen volgen op een "
        "aanval van Hezbollah op Israël, zondag. Raketten troffen toen huizen in Haifa."
    )
    article = article_from_text(text, title="t", date="2024-10-14")
    strikes = extract_strikes(article, find_toponyms(article.text, language=article.language))
    assert {(s.attacker_iso3, s.target_name) for s in strikes} == {
        ("ISR", "Beirut"),
        ("LBN", "Israel"),
        ("LBN", "Haifa"),
    }


@pytest.mark.parametrize(
    "text",
    [
        "Germany launched a campaign to attract Indian engineers, the labour minister said.",
        "Oil prices hit a record in London after OPEC cut output, traders said.",
        "France fired its coach after the defeat against Spain in Paris.",
        "The Dutch government targets a budget surplus, the finance minister told parliament.",
        "Brazil struck a trade deal with China in Beijing on Monday.",
        "De Belgische premier viel zijn Franse collega aan over het migratiebeleid in Brussel.",
        "Japan fired warning shots at a drone over the Sea of Japan during a joint exercise.",
        "A wildfire hit villages near Athens in Greece, firefighters said.",
        "Nvidia shares were hit hard in New York as China targeted US chip exports.",
        "Ukraine's foreign minister attacked Hungary's stance on sanctions in Budapest.",
        "Hackers from North Korea attacked banks in South Korea, police said.",
    ],
)
def test_figurative_and_other_attacks_are_no_strikes(text: str) -> None:
    from geo.toponyms import find_toponyms

    article = article_from_text(text, title="t", date="2024-05-01")
    assert extract_strikes(article, find_toponyms(article.text, language=article.language)) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dutch subordinate clause: subject, then the object with its article, then the verb
        (
            "Moskou stelt echter dat Oekraïense troepen de Russische stellingen bij Belgorod met "
            "raketten hebben beschoten.",
            {("UKR", "RUS")},
        ),
        # a strong participle without ge- is also the finite past plural ("beschoten")
        (
            "Het ministerie zegt dat Thaise eenheden een grenspost aanvielen en Cambodjaanse "
            "stellingen beschoten bij Preah Vihear.",
            {("THA", "KHM")},
        ),
        # "begon ... te beschieten" with a comma list between subject and verb
        (
            "Volgens het leger begon Rusland vannacht met raketten, drones en artillerie de "
            "Oekraïense steden Charkiv, Soemy en Poltava te beschieten.",
            {("RUS", "UKR")},
        ),
        # a place after "samenvalt met" / "amid" belongs to that phrase, not to the attack
        (
            "Israël voerde luchtaanvallen uit op Beiroet. Analisten zeggen dat de aanval samenvalt "
            "met de onderhandelingen in Qatar.",
            {("ISR", "LBN")},
        ),
    ],
)
def test_dutch_word_order_and_noun_attachment(text: str, expected: set[tuple[str, str]]) -> None:
    assert real_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the party an attack is blamed on strikes, not the victim's movement named first
        (
            "Hezbollah military chief Fuad Shukr was killed in Beirut in a strike that Lebanon "
            "blamed on Israel.",
            {("ISR", "LBN")},
        ),
        # a responsibility sentence with two coordinated parties; the denial in a trailing
        # comment leaves the attribution standing
        (
            "Vorig jaar bombardeerden onbekende gevechtsvliegtuigen een militiebasis bij "
            "Benghazi in Libië. Westerse diplomaten zeiden later dat Egypte en de Verenigde "
            "Arabische Emiraten achter die aanvallen zaten, wat beide landen ontkenden.",
            {("EGY", "LBY"), ("ARE", "LBY")},
        ),
        # a Dutch relative clause whose verb carries out the strike noun
        (
            "Turkije, dat al jaren luchtaanvallen uitvoert op Koerdische strijders in Irak, "
            "sloot een akkoord met Bagdad.",
            {("TUR", "IRQ")},
        ),
        # a coalition led by a country is no place struck
        (
            "Iran fired missiles at Israel on Tuesday. Most were intercepted by Israel and a "
            "U.S.-led coalition, the Israeli military said.",
            {("IRN", "ISR")},
        ),
    ],
)
def test_attribution_relatives_and_coalitions(text: str, expected: set[tuple[str, str]]) -> None:
    assert real_pairs(text) == expected


def test_weak_passive_after_a_strike_takes_its_attacker() -> None:
    # "werden ... geraakt" right after a strike report: the same attacker, a new place
    text = (
        "Israël voerde maandag luchtaanvallen uit op Damascus, meldt het leger. In de havenstad "
        "Tartus werden in de nacht van maandag op dinsdag schepen van de Syrische marine "
        "geraakt, meldde een waarnemer."
    )
    assert real_pairs(text) == {("ISR", "SYR")}
    article = article_from_text(text, title="t", date="2024-05-01")
    from geo.toponyms import find_toponyms

    strikes = extract_strikes(article, find_toponyms(article.text, language=article.language))
    assert any("Tartus" in s.sources[0].excerpt for s in strikes if s.target_iso3 == "SYR")
    # collateral debris is no strike on the place where it fell; "gewond geraakt" is no cue
    assert real_pairs(
        "Iran vuurde dinsdag raketten af op Israël, meldt het leger. In Jericho op de Westelijke "
        "Jordaanoever kwam een man om het leven toen hij werd geraakt door brokstukken."
    ) == {("IRN", "ISR")}
    assert real_pairs(
        "Rusland bestookte Charkiv met drones. In Kyiv zijn twee mensen gewond geraakt bij een "
        "verkeersongeluk."
    ) == {("RUS", "UKR")}


@pytest.mark.parametrize(
    "text",
    [
        # a judgement of how likely an attack is
        "Analisten achten een Russische aanval op Finland onwaarschijnlijk.",
        "Diplomats said an Iranian attack on Bahrain was unlikely before the summit.",
        # missiles flown over a country and falling into the sea off another
        "Het leger vuurde raketten af over Japan, die in de economische zone van Rusland in "
        "zee terechtkwamen.",
        "North Korea fired two missiles over Japan on Tuesday, the defence ministry in Seoul said.",
        # no sign of an attack
        "The president said there was no indication it was an intentional attack on Poland.",
        "Volgens Den Haag is er geen aanwijzing dat Rusland Nederland heeft aangevallen.",
    ],
)
def test_unlikely_attacks_and_overflights_are_no_strikes(text: str) -> None:
    assert real_pairs(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the accuser is no attacker; the accused is
        (
            "Washington blamed Iran for the drone strikes on Saudi oil facilities at Abqaiq.",
            {("IRN", "SAU")},
        ),
        # Dutch plural "houden ... verantwoordelijk" names the responsible party
        (
            "Bij een luchtaanval op een markt in Sanaa in Jemen kwamen zaterdag veertig mensen "
            "om. De Houthi-rebellen houden Saoedi-Arabië verantwoordelijk.",
            {("SAU", "YEM")},
        ),
        # a coalition named before, then "coalition jets" without an article
        (
            "The Saudi-led coalition has fought the Houthis in Yemen since 2015. On Saturday, "
            "coalition jets carried out air strikes on Sanaa.",
            {("SAU", "YEM")},
        ),
        # the victims' nationality and the source of the report are no targets
        (
            "Al Shabaab militants attacked a base in Lamu county in Kenya on Sunday, killing one "
            "U.S. soldier and two American contractors, the U.S. military said.",
            {("SOM", "KEN")},
        ),
        (
            "Bij de aanval van Hezbollah op een basis in Noord-Israël doodde de groep twee "
            "Amerikaanse militairen, meldde het leger.",
            {("LBN", "ISR")},
        ),
        # a strike over a country still counts when its place is struck, not flown over
        (
            "Russia fired missiles at Kyiv in Ukraine overnight, officials said.",
            {("RUS", "UKR")},
        ),
    ],
)
def test_accusations_and_responsibility(text: str, expected: set[tuple[str, str]]) -> None:
    assert real_pairs(text) == expected


def all_pairs(text: str) -> set[tuple[str | None, str | None]]:
    """(attacker, target) country pairs, domestic strikes included, real gazetteer."""
    return {(s.attacker_iso3, s.target_iso3) for s in real_strikes(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the victims of a passive killing verb are not the attackers; "by ..." is
        (
            "The war in Syria goes on. Three Turkish soldiers were killed in an air strike by "
            "Russian jets in Idlib, a Turkish official said.",
            {("RUS", "SYR")},
        ),
        (
            "De oorlog in Syrië duurt voort. Drie Turkse militairen kwamen om bij een "
            "luchtaanval van Russische straaljagers in Idlib.",
            {("RUS", "SYR")},
        ),
        # a government named by no country is the struck country's own: a domestic strike,
        # and the strike the next sentence reports is its too, not the foreign party's
        (
            "Eritrean troops captured the town of Shire in Ethiopia in October, and government "
            "drone strikes have hit Mekelle several times. In August, an air strike on a "
            "school in Mekelle killed children.",
            {("ETH", "ETH")},
        ),
        (
            "De oorlog in Syrië duurt voort. Regeringstroepen bestookten dinsdag stellingen "
            "van rebellen rond Idlib.",
            {("SYR", "SYR")},
        ),
        # ... but not when the text says the strike crossed a border
        (
            "Pakistan said government jets struck militant hideouts across the border in "
            "Afghanistan's Khost province.",
            {("PAK", "AFG")},
        ),
        # "around" places a strike
        ("Russian jets struck around Kharkiv in Ukraine overnight.", {("RUS", "UKR")}),
        # the places of what an attack follows are not where it struck
        (
            "Een Rwandese drone viel zaterdag het vliegveld van Goma in Congo aan. De aanval "
            "volgt op dagen van gevechten rond Sake tussen het Congolese leger en rebellen.",
            {("RWA", "COD")},
        ),
    ],
)
def test_victims_own_governments_and_follow_ups(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a compass part of a country places the strike in it
        (
            "Franse straaljagers hebben zondag doelen in het noorden van Mali gebombardeerd.",
            {("FRA", "MLI")},
        ),
        # Dutch fire idioms: "onder vuur nemen", "vuren op" without "af", an impact verb with a
        # mortar shell, "troffen" with an aircraft type, "luchtoffensief"
        (
            "Het Turkse leger heeft stellingen van de YPG in Syrië onder vuur genomen.",
            {("TUR", "SYR")},
        ),
        (
            "Het Turkse leger nam dinsdag stellingen van de YPG in Syrië onder vuur.",
            {("TUR", "SYR")},
        ),
        (
            "Turkse artillerie vuurde dinsdag op Koerdische posities bij Kobani in Syrië.",
            {("TUR", "SYR")},
        ),
        (
            "Een Syrische mortiergranaat sloeg woensdag in in een huis in Akçakale in Turkije.",
            {("SYR", "TUR")},
        ),
        (
            "Vier Franse Rafales troffen zondag kampen van rebellen bij Gao in Mali.",
            {("FRA", "MLI")},
        ),
        (
            "Het Turkse leger is een luchtoffensief begonnen tegen de PKK in Noord-Irak.",
            {("TUR", "IRQ")},
        ),
        # English: bombs falling on a place, return fire, a market struck is a place
        ("Two Sudanese bombs fell on a village in South Sudan on Monday.", {("SDN", "SSD")}),
        ("South Korean howitzers returned fire at North Korean gun positions.", {("KOR", "PRK")}),
        (
            "Sudanese warplanes bombed a market in Bentiu in South Sudan on Monday.",
            {("SDN", "SSD")},
        ),
        # a destination, the country holding a launch base and a weapon named after a town
        # are no targets
        (
            "Franse gevechtsvliegtuigen hadden eerder doelen in Mali gebombardeerd. Na de aanval "
            "vlogen de Franse toestellen door naar N'Djamena in Tsjaad.",
            {("FRA", "MLI")},
        ),
        (
            "Israëlische vliegtuigen hebben een wapenkonvooi op weg naar Libanon in Syrië "
            "gebombardeerd.",
            {("ISR", "SYR")},
        ),
        (
            "British jets took off from RAF Akrotiri in Cyprus and fired missiles at a site in "
            "Syria.",
            {("GBR", "SYR")},
        ),
        ("The U.S. fired Tomahawk missiles at the Shayrat air base in Syria.", {("USA", "SYR")}),
        # the maker of the weapon fired is not struck; the agent of "an attack by" attacks
        (
            "Het Russische leger vuurde volgens de Oekraïense luchtmacht ruim dertig Iraanse "
            "Shahed-drones af op Kyiv in Oekraïne.",
            {("RUS", "UKR")},
        ),
        (
            "Fire broke out at a refinery in Tuapse in Russia after an attack by Ukrainian drones.",
            {("UKR", "RUS")},
        ),
        # claims and accusations with a Dutch perfect infinitive
        (
            "De Houthi's eisten de verantwoordelijkheid op voor een raketaanval op Eilat in "
            "Israël.",
            {("YEM", "ISR")},
        ),
        (
            "De regering beschuldigt de Verenigde Arabische Emiraten ervan luchtaanvallen te "
            "hebben uitgevoerd op Aden in Jemen.",
            {("ARE", "YEM")},
        ),
        # football
        (
            "Norway bombarded the Israeli goal in the closing stages, and Haaland scored twice.",
            set(),
        ),
        # "in the province", "in de regio": the province or region named last
        (
            "Nearly a million people have fled the fighting in Idlib in Syria since December. "
            "Russian air strikes have hit hospitals, schools and markets in the province.",
            {("RUS", "SYR")},
        ),
        (
            "De PKK pleegde in 2016 een aanslag in Istanbul. Het Turkse leger is in 2019 "
            "begonnen de PKK-stellingen in de bergen van Noord-Irak te beschieten en heeft "
            "sindsdien tientallen bases in de regio ingericht.",
            {("TUR", "IRQ")},
        ),
        # a strike by unknown jets, attributed in the next sentence
        (
            "Unidentified jets bombed the air base near Misrata in Libya on Sunday. Diplomats "
            "attributed the strike to the United Arab Emirates.",
            {("ARE", "LBY")},
        ),
        (
            "Onbekende gevechtsvliegtuigen bombardeerden zondag de luchtmachtbasis bij Misrata "
            "in Libië. Diplomaten schrijven het bombardement toe aan de Verenigde Arabische "
            "Emiraten.",
            {("ARE", "LBY")},
        ),
        # weapons deployed against a target; a missile falling into the sea off a country
        (
            "Thailand zette diezelfde dag F-16's in tegen Cambodjaanse militaire doelen in de "
            "provincie Oddar Meanchey.",
            {("THA", "KHM")},
        ),
        (
            "North Korea fired an intercontinental ballistic missile that landed in the sea off "
            "Japan's Hokkaido island.",
            set(),
        ),
        # the base a jet took off from is no target
        (
            "Nederlandse F-16's bombardeerden doelen van IS in Irak. Het toestel was opgestegen "
            "van de basis in Jordanië.",
            {("NLD", "IRQ")},
        ),
        # whom a cargo was for is not struck
        (
            "Israëlische vliegtuigen bombardeerden een opslagplaats bij Damascus in Syrië. Het "
            "doelwit was een lading raketten die bestemd was voor Hezbollah in Libanon.",
            {("ISR", "SYR")},
        ),
        # a country's policy is no target
        (
            "U.S. special forces raided a compound in Abbottabad in Pakistan under the declared "
            "policy of the United States.",
            {("USA", "PAK")},
        ),
    ],
)
def test_fire_idioms_destinations_and_weapon_names(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


def test_every_weapon_word_flags_its_sentence() -> None:
    """The weapon scan only looks at sentences the lexicon flagged: each weapon name must
    contain one of the weapon flag words."""
    from geo.strikes import _FLAG_WEAPON, _FLAG_WORDS, find_weapons

    flag_words = _FLAG_WORDS[_FLAG_WEAPON].split()
    samples = [
        *"F-16's F-35s Rafales Su-34s MiG-29 B-52s Tomahawks Kh-101 HIMARS Bayraktar TB2".split(),
        *"MQ-9 Geran Scud Iskander Kinzhal Kalibr ATACMS Katyusha gevechtshelikopters".split(),
        *"gunships mortiergranaat granaten shells drones raketten".split(),
        *"middellangeafstandsraketten aanvalsdrones clusterbommen artilleriegranaten".split(),
        "Storm Shadow",
        "loitering munitions",
    ]
    for word in samples:
        assert find_weapons(word), word
        assert any(flag in word.lower() for flag in flag_words), word


def _triples(text: str) -> set[tuple[str | None, str | None, str]]:
    """(attacker, target country, target name), real gazetteer."""
    return {(s.attacker_iso3, s.target_iso3, s.target_name) for s in real_strikes(text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the subject before an apposition is the struck place of the predicate after it
        (
            "Mosul, the second city of Iraq, was hit by Turkish drones on Monday.",
            {("TUR", "IRQ", "Mosul")},
        ),
        (
            "Odesa, de grootste haven van Oekraïne, werd zondag getroffen door Russische drones.",
            {("RUS", "UKR", "Odesa")},
        ),
        # a later claim of "the rockets" names the attacker of a strike told without one
        (
            "Kirkuk was hit by six rockets before dawn, police said. Nobody was hurt. Later on "
            "Tuesday, the Islamic Revolutionary Guard Corps said it had fired the rockets at a "
            "spy base.",
            {("IRN", "IRQ", "Kirkuk")},
        ),
        (
            "Kirkuk werd voor zonsopgang getroffen door zes raketten, meldde de politie. Niemand "
            "raakte gewond. De Iraanse Revolutionaire Garde verklaarde later dat zij de raketten "
            "had afgevuurd.",
            {("IRN", "IRQ", "Kirkuk")},
        ),
        # ... but not the struck country's own army
        (
            "Kirkuk was hit by six rockets before dawn, police said. Later on Tuesday, the Iraqi "
            "army said it had fired the rockets at a smuggling route.",
            set(),
        ),
        # an earlier strike in an "after" clause does not become the one later sentences go on
        # with
        (
            "Hezbollah fired rockets at Kiryat Shmona on Sunday, two days after an Israeli strike "
            "on Tyre. Later, more rockets hit Safed.",
            {("ISR", "LBN", "Tyre"), ("LBN", "ISR", "Qiryat Shmona"), ("LBN", "ISR", "Safed")},
        ),
    ],
)
def test_appositions_later_claims_and_earlier_events(text: str, expected: set) -> None:
    assert _triples(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "and" before a second subject with a strike verb of its own starts a second clause
        (
            "Israeli jets struck Gaza and Hamas fired rockets at Tel Aviv.",
            {("ISR", "PSE"), ("PSE", "ISR")},
        ),
        (
            "Israëlische straaljagers bombardeerden Gaza en Hamas vuurde raketten af op Tel Aviv.",
            {("ISR", "PSE"), ("PSE", "ISR")},
        ),
        (
            "U.S. warships fired cruise missiles at Libyan air defences and French jets bombed "
            "tanks outside Benghazi.",
            {("USA", "LBY"), ("FRA", "LBY")},
        ),
        # a crowd or a team is no party to a war
        ("Serbian fans stormed the pitch and attacked Albanian players.", set()),
        (
            "Servische supporters bestormden het veld en vielen Albanese spelers aan met een stoel.",
            set(),
        ),
    ],
)
def test_coordinated_clauses_and_crowds(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a passive with the struck place named before and an indefinite agent: "door een
        # Russische raket" is the attacker, not the weapon's maker
        (
            "Bij een raketaanval op het busstation van Sloviansk in Oekraïne zijn vrijdag twaalf "
            "mensen om het leven gekomen. Volgens de politie werd het station getroffen door een "
            "Russische raket.",
            {("RUS", "UKR", "Sloviansk")},
        ),
        (
            "A bus station in Kherson, Ukraine, was shelled on Sunday, killing six people. "
            "Officials said the station was hit by a Russian rocket.",
            {("RUS", "UKR", "Kherson")},
        ),
        # a Dutch weapon compound makes the weak cue "afgevuurd" a strike
        (
            "Iran heeft zondag middellangeafstandsraketten afgevuurd op doelen in Syrië.",
            {("IRN", "SYR", "Syria")},
        ),
        # a Dutch "X-geleide coalitie" is one token: its leader is looked up by name
        (
            "De Saudisch-geleide coalitie onderschepte twaalf drones. Enkele uren eerder had de "
            "coalitie luchtaanvallen uitgevoerd op Sanaa in Jemen.",
            {("SAU", "YEM", "Sanaa")},
        ),
        (
            "De Amerikaans-geleide coalitie bombardeerde zondag Mosul in Irak.",
            {("USA", "IRQ", "Mosul")},
        ),
    ],
)
def test_passive_claims_and_weapon_compounds(text: str, expected: set) -> None:
    assert _triples(text) == expected


def test_a_site_drops_the_town_beside_it_but_not_a_town_elsewhere() -> None:
    """A list of a site and a distant town keeps both; "the air base near Erbil" is the base."""
    targets = {
        name
        for _, _, name in _triples(
            "Israeli jets struck the heavy-water reactor near Arak, in central Iran, and a site "
            "at Natanz."
        )
    }
    assert "Arāk" in targets and len(targets) == 2
    assert {name for _, _, name in _triples("Iran fired missiles at Erbil air base in Iraq.")} == {
        "Erbil International Airport"
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a claim and a blame on each side of "but": both parties are held responsible
        (
            "In 2019 drones and cruise missiles hit the Abqaiq plant in Saudi Arabia. The Houthis "
            "claimed the attack, but Washington blamed Iran.",
            {("YEM", "SAU"), ("IRN", "SAU")},
        ),
        # a town before a Dutch final verb is its object, also as the owner of what is struck;
        # "Saudi-Arabië" is the common Dutch press spelling beside CLDR's "Saoedi-Arabië"
        (
            "De aanval doet denken aan 2019, toen drones de installaties van Abqaiq in "
            "Saudi-Arabië troffen. De Houthi's eisten die aanval op, maar Washington gaf Iran de "
            "schuld.",
            {("YEM", "SAU"), ("IRN", "SAU")},
        ),
        ("Het was 2019 toen Jemenitische drones Abqaiq in Saudi-Arabië troffen.", {("YEM", "SAU")}),
    ],
)
def test_contrasted_claims_and_dutch_verb_final_objects(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


def test_a_province_after_its_countrys_possessive_is_the_target() -> None:
    """ "in Russia's Saratov region" is Saratov, even when the article names other provinces
    of Russia (the country is then not narrowed to a single named province)."""
    text = (
        "Russia said it downed drones over the Kursk region and the Voronezh region. Earlier, a "
        "Ukrainian drone attack set fire to an oil depot in Russia's Saratov region."
    )
    assert {name for _, _, name in _triples(text)} == {"Saratov"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a party that "took part" is responsible for the strike the text told without one,
        # also four sentences later
        (
            "Warplanes pounded the town of Saraqeb in Syria on Friday, killing 20 people, "
            "rescuers said. Residents said the raids began before dawn. Some bombs collapsed "
            'basements. "We pull out one family and the planes come back," a rescuer said. A '
            "monitoring group said Russian jets had taken part.",
            {("RUS", "SYR")},
        ),
        (
            "Gevechtsvliegtuigen bombardeerden vrijdag het stadje Saraqeb in Syrië. Volgens een "
            "waarnemer namen ook Russische toestellen deel aan de aanvallen.",
            {("RUS", "SYR")},
        ),
    ],
)
def test_parties_that_took_part(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "destroyed" is a strike with an aircraft or a weapon as its subject ...
        (
            "U.S. warships fired cruise missiles at Libyan air defences and French jets destroyed "
            "armoured vehicles outside Benghazi.",
            {("USA", "LBY"), ("FRA", "LBY")},
        ),
        (
            "Franse straaljagers vernietigden zondag pantservoertuigen bij Benghazi in Libië.",
            {("FRA", "LBY")},
        ),
        # ... not with air defences or ground troops
        ("Russian air defences destroyed 30 Ukrainian drones over the Belgorod region.", set()),
        ("Ukrainian forces destroyed a Russian tank near Bakhmut.", set()),
    ],
)
def test_destroyed_by_aircraft_and_weapons(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the accuser makes the claim, the accused attacks, "the town of X" is the town
        ("Armenia accused Azerbaijan of shelling the town of Jermuk.", {("AZE", "ARM")}),
        (
            "Georgië beschuldigde Rusland ervan dorpen bij Kutaisi in Georgië te hebben "
            "gebombardeerd.",
            {("RUS", "GEO")},
        ),
    ],
)
def test_accusations(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an air defence's missile is no strike on the country it falls in
        (
            "Russia fired 90 missiles at Ukraine. A missile that killed two men in a Polish "
            "village was probably fired by Ukraine's air defences, Poland said.",
            {("RUS", "UKR")},
        ),
        # the war's theatre is not the target of the attack the sentence names
        (
            "Een Israëlische drone trof dinsdag een gebouw in Beiroet in Libanon. Het was de "
            "eerste aanval op de Libanese hoofdstad sinds de oorlog in Gaza begon.",
            {("ISR", "LBN")},
        ),
    ],
)
def test_air_defences_and_the_war_in(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


def test_instrument_nouns_and_speaking_capitals() -> None:
    """ "with glide bombs" is the instrument of "pounded", not a verb that leaves Kharkiv
    aside; a capital that speaks ("..., Yerevan said") is not where a country-level strike
    lands."""
    assert _triples("Russia pounded Kharkiv with glide bombs, killing five.") == {
        ("RUS", "UKR", "Kharkiv")
    }
    assert _triples(
        "Azerbaijani forces opened fire on Armenian positions near the border, Yerevan said."
    ) == {("AZE", "ARM", "Armenia")}


def test_a_big_city_is_a_target_without_its_country_named() -> None:
    """ "Charkiv" (the Dutch name of Kharkiv) resolves with a lower score than "Kharkiv" does,
    but a city of a million is no misread word: it stays a target with Ukraine unnamed."""
    assert _triples("Rusland beschoot opnieuw Charkiv.") == {("RUS", "UKR", "Kharkiv")}


def test_gaza_city_is_a_target_with_only_the_attacker_named() -> None:
    assert all_pairs("An Israeli strike on a school in Gaza City killed 15, medics said.") == {
        ("ISR", "PSE")
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Russia and Ukraine traded drone attacks overnight.",
            {("RUS", "UKR"), ("UKR", "RUS")},
        ),
        (
            "Israel has traded fire with Hezbollah almost daily since October.",
            {("ISR", "LBN"), ("LBN", "ISR")},
        ),
        (
            "India and Pakistan exchanged artillery fire along the Line of Control.",
            {("IND", "PAK"), ("PAK", "IND")},
        ),
        (
            "Armenië en Azerbeidzjan bestookten elkaar met artillerie.",
            {("ARM", "AZE"), ("AZE", "ARM")},
        ),
        ("Russia and Belarus held joint drills near the Polish border.", set()),
    ],
)
def test_exchanges_of_fire_strike_both_ways(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Dutch separable verbs with the subject between: "openden ... troepen het vuur",
        # "vielen ... (a long adverbial) ... aan"
        (
            "Volgens de Tadzjiekse autoriteiten openden Kirgizische troepen het vuur op het dorp "
            "bij de stad Isfara.",
            {("KGZ", "TJK")},
        ),
        (
            "Eind juli vielen Mauritaanse en Franse commando's in de woestijn van Noord-Mali een "
            "kamp van AQIM aan.",
            {("MRT", "MLI"), ("FRA", "MLI")},
        ),
        # a missile over the north of a country flies over it
        (
            "Noord-Korea heeft dinsdagochtend een ballistische raket afgevuurd die over het "
            "noorden van Japan vloog.",
            set(),
        ),
    ],
)
def test_dutch_separable_fire_verbs_and_overflights(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


def test_a_raid_to_free_a_hostage_is_a_strike() -> None:
    """Hostage-taking is terror, not a strike; a commando raid to free the hostage is one."""
    text = (
        "Eind juli vielen Mauritaanse en Franse commando's in de woestijn van Noord-Mali een kamp "
        "van AQIM aan, in een vergeefse poging de Franse gijzelaar te bevrijden."
    )
    assert all_pairs(text) == {("MRT", "MLI"), ("FRA", "MLI")}
    assert all_pairs("Gunmen took 40 hostages at a gas plant in Algeria.") == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "als vergelding" is a role, not a condition ("als" = "if")
        (
            "Israël heeft als vergelding een luchtmachtbasis bij Isfahan in Iran bestookt.",
            {("ISR", "IRN")},
        ),
        # after the subject and its auxiliary, a second demonym is the object
        (
            "Azerbeidzjaanse troepen hebben Armeense grensposten onder vuur genomen.",
            {("AZE", "ARM")},
        ),
        (
            "Hezbollah zegt een Israëlische militaire basis bij Haifa met raketten te hebben "
            "bestookt.",
            {("LBN", "ISR")},
        ),
        # "staken de grens over" crossed the border; it did not stop anything
        (
            "Rwandese troepen staken de grens over en vielen Congolese stellingen bij Goma aan.",
            {("RWA", "COD")},
        ),
        ("Rusland zegt de aanvallen op Kyiv te staken.", set()),
    ],
)
def test_dutch_roles_conditions_and_false_friends(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a coalition led by a state, named after it
        (
            "The coalition led by Saudi Arabia bombed a funeral hall in Sanaa, killing 140 people.",
            {("SAU", "YEM")},
        ),
        (
            "De coalitie onder leiding van de Verenigde Staten bombardeerde Raqqa in Syrië.",
            {("USA", "SYR")},
        ),
        # an air operation strikes; a ground operation alone does not
        (
            "Turkey launched a ground and air operation against Kurdish militants in northern Iraq.",
            {("TUR", "IRQ")},
        ),
        ("Turkije begon een lucht- en grondoperatie tegen de PKK in Noord-Irak.", {("TUR", "IRQ")}),
        ("Turkey launched a ground operation in northern Iraq.", set()),
    ],
)
def test_led_coalitions_after_the_noun_and_air_operations(text: str, expected: set) -> None:
    assert all_pairs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Analysts said a Turkish air operation in northern Iraq was likely in the coming weeks.",
        "De Verenigde Staten overwegen luchtaanvallen op Iran.",
        "India and Pakistan agreed to stop exchanging fire along the Line of Control.",
        "Colombia and Venezuela traded accusations over the border closure.",
        "Israel and Hamas exchanged hostages and prisoners under the truce.",
    ],
)
def test_expected_considered_and_stopped_attacks_are_no_events(text: str) -> None:
    assert all_pairs(text) == set()


def test_the_guards_named_before_by_their_short_name() -> None:
    text = (
        "De Iraanse Revolutionaire Garde heeft dinsdag doelen in Irak beschoten. In juni vorig "
        "jaar vuurde de Garde raketten af op stellingen bij Deir ez-Zor in Syrië."
    )
    assert all_pairs(text) == {("IRN", "IRQ"), ("IRN", "SYR")}
