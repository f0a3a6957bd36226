"""Deterministic news-like text for benchmarks: Dutch and English, strikes and no strikes.

Templates mix real place names (from the gazetteer), demonyms, actors, numbers and plain
sentences in roughly the proportions of wire reports, so matching and resolution see realistic
candidate densities. Nothing here is used by tests.
"""

from __future__ import annotations

import random

PLACES = [
    "Pakistan",
    "Iran",
    "Iraq",
    "Syria",
    "Israel",
    "Gaza",
    "Lebanon",
    "Yemen",
    "Turkey",
    "Erbil",
    "Baghdad",
    "Damascus",
    "Aleppo",
    "Kerman",
    "Tehran",
    "Quetta",
    "Balochistan",
    "Kyiv",
    "Kharkiv",
    "Belgorod",
    "Moscow",
    "Odesa",
    "Sanaa",
    "Hodeidah",
    "Beirut",
    "Tyre",
    "Idlib",
    "Mosul",
    "Kirkuk",
    "Islamabad",
    "Karachi",
    "Kabul",
    "Mogadishu",
    "Goma",
    "Khartoum",
    "Washington",
    "London",
    "Paris",
    "Berlin",
    "Amsterdam",
    "Rotterdam",
    "Utrecht",
    "Texas",
    "California",
    "Ohio",
    "Springfield",
    "Portland",
    "Manchester",
    "Lyon",
    "Milan",
]
PLACES_NL = [
    "Irak",
    "Syrië",
    "Libanon",
    "Jemen",
    "Turkije",
    "Teheran",
    "Noord-Syrië",
    "Beloetsjistan",
    "Oekraïne",
    "Rusland",
    "Israël",
    "Gazastrook",
    "de VS",
]
ACTORS = [
    "Iran",
    "Israel",
    "the United States",
    "Turkey",
    "Russia",
    "Ukraine",
    "Hezbollah",
    "the Houthis",
    "the IRGC",
    "Pakistan",
    "India",
]
DEMONYMS_EN = ["Iranian", "Israeli", "American", "Turkish", "Russian", "Ukrainian", "Pakistani"]
DEMONYMS_NL = ["Iraanse", "Israëlische", "Amerikaanse", "Turkse", "Russische", "Oekraïense"]

EN = [
    "{actor} launched missiles and drones at targets in {place} on Tuesday, officials said.",
    "At least {n} people were killed and {m} injured when an air strike hit a building in {place}.",
    "The {demonym} foreign ministry condemned the attack and summoned the ambassador in {place2}.",
    "Markets in {place} were calm as traders waited for news from {place2}.",
    "Residents of {place} said they heard explosions late at night near the airport.",
    "The government in {place} denied any involvement and warned of serious consequences.",
    "Analysts in {place2} said the escalation could draw in more countries in the region.",
    "Aid agencies said roads between {place} and {place2} were closed for a third day.",
    "The mayor of {place} met business leaders to discuss the budget and new housing plans.",
    "It is unclear whether {actor} will respond, a spokesman in {place2} said on Wednesday.",
]
NL = [
    "{actor} heeft luchtaanvallen uitgevoerd op doelwitten in {place_nl}, meldt persbureau Reuters.",
    "Bij de aanval kwamen {n_word} mensen om het leven en raakten er {m_word} gewond.",
    "De {demonym_nl} regering waarschuwt voor ernstige gevolgen van de actie in {place_nl}.",
    "Volgens de autoriteiten in {place_nl} is de situatie rustig, maar de spanning blijft hoog.",
    "Het is onduidelijk of {place_nl} verdere actie overweegt, zeggen diplomaten in {place}.",
    "De minister van Buitenlandse Zaken noemde de aanval een schending van de soevereiniteit.",
    "Inwoners van {place} hoorden explosies in de buurt van het vliegveld.",
    "Er is een politieke en economische crisis, met enorme inflatie en veel armoede.",
]
NUMBER_WORDS = ["twee", "drie", "vier", "vijf", "tien", "twaalf", "twintig", "dertig"]


def generate(target_bytes: int, seed: int = 20240117) -> list[str]:
    """Return articles (each 1-3 kB) totalling at least ``target_bytes`` of UTF-8 text."""
    rng = random.Random(seed)
    articles: list[str] = []
    total = 0
    while total < target_bytes:
        dutch = rng.random() < 0.5
        templates = NL if dutch else EN
        sentences = []
        for _ in range(rng.randint(8, 20)):
            sentences.append(
                rng.choice(templates).format(
                    actor=rng.choice(ACTORS),
                    place=rng.choice(PLACES),
                    place2=rng.choice(PLACES),
                    place_nl=rng.choice(PLACES_NL),
                    demonym=rng.choice(DEMONYMS_EN),
                    demonym_nl=rng.choice(DEMONYMS_NL),
                    n=rng.randint(1, 90),
                    m=rng.randint(1, 200),
                    n_word=rng.choice(NUMBER_WORDS),
                    m_word=rng.choice(NUMBER_WORDS),
                )
            )
        date = f"date 2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
        text = date + " ".join(sentences)
        articles.append(text)
        total += len(text.encode("utf-8"))
    return articles
