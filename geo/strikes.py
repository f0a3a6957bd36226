"""Extract strikes (attacker -> target) from the sentences of an article, Dutch and English.

The rules are linguistic and general; nothing here knows a particular conflict. Per sentence:

1. **Mentions.** Actors from ``data/actors/actors.json`` (:mod:`geo.actors`) and the toponyms
   the gazetteer found (countries and demonyms are actors too; cities, provinces and regions are
   places). An actor overlapping a toponym keeps both: the actor says *who*, the toponym *where*.
2. **Cues.** Verbs and nouns of attack, inflected ("bestookt", "vielen ... aan", "luchtaanval",
   "shelled", "air strikes"). Weak cues ("getroffen", "hit", "launched", "fired") count only
   next to a weapon word or another cue. Terror bombings ("aanslag", "terrorist attack"),
   cyber attacks, heart attacks and labour strikes are not cues.
3. **Clauses.** The sentence is cut at , ; : and dashes; a piece without a cue joins the
   previous piece, except a gapped piece ("..., and Iran in Pakistan") that repeats the
   previous cue with a new attacker and place. Each clause yields at most one strike per
   attacker x target.
4. **Non-events.** A clause is dropped when the cue is negated ("niet", "geen", "not", "no";
   but "nooit eerder"/"never before" is an event), when a threat, warning, denial, plan,
   condition or modal governs it ("dreigt", "waarschuwt", "zou kunnen", "overweegt", "wil",
   "threatens", "warned", "vowed", "could", "would", "may", "will", "plans to", "denied", "if"),
   unless a subordinator ("nadat", "after", "toen", "when", "because") sits between the two,
   and when the sentence is a question; also a quoted condition ('"If attacks ... continue'),
   "the possibility of", "whether", and a strike noun dating something else ("since Hamas'
   attack on Israel"). Causes ("als reactie op ...", "in retaliation for ...") are background
   for the main strike; a strike noun in them with its own party ("in retaliation for American
   strikes on Iran", "volgt op de Indiase luchtaanval bij Balakot") is an event of its own
   (without counts), and one without a party waits for a later attribution.
5. **Roles.** By the nearest preposition before a mention: ``door``/``by`` mark the attacker
   (passive agent; also "aanval van X" right after a cue noun); ``vanuit``/``vanaf``/``from``
   the launch site; ``op``/``tegen``/``in``/``naar``/``on``/``at``/``against``/``into`` the
   target. Bare mentions before the cue are attackers in the active voice and targets in the
   passive voice or with a "doelwit"/"target" copula; after a verb cue they are objects
   (targets), except the first actor after a Dutch verb when none precedes (verb-second:
   "nooit eerder vuurde Iran raketten af op Pakistan"). Coordinated mentions share a role
   ("Turkey and Iran attacking targets in Iraq & Syria" gives 2 x 2 strikes). Attribution
   ("volgens X", "according to X", ", stelt X", ", aldus X", "X zeggen dat") names a claimant,
   which becomes the attacker only when nothing else does and it is not of the target's
   country. "attributed to X", "aan X toegeschreven" name the attacker. Never attackers or
   targets: a person's affiliation ("Hamas-leider", "a Hezbollah commander"), a place naming a
   war, talks, a truce or a deal ("the Gaza war", "the Doha agreement", "een bestand in Gaza"),
   a place visited or met in, a party related to a place ("an ally of the United States"), a
   "<demonym> border", a city speaking for its government ("Kabul bevestigde", "Washington
   agreed"), a "U.S.-led coalition". Dutch verb-final clauses: after the subject, a demonym
   after an article or after a second verb phrase is the object ("dat Armeense troepen de
   Azerbeidzjaanse posities ... hebben beschoten"), and a strong participle without ge- with a
   party before it is the finite past plural ("eenheden ... beschoten"); a comma list before
   the verb stays in its clause ("begon ... met artillerie, mortieren en drones ... te
   beschieten"). A place after "samenvalt met"/"amid" belongs to that phrase, not to a strike
   noun before it. A demonym before a place noun is that place's country ("de Israëlische kuststad
   Sderot"); in "the Kyiv suburb of Irpin" the second place is struck.
6. **Coreference.** A clause with a cue and a target but no attacker ("De aanval in Irak was
   gericht tegen ...", a passive without agent, "the strikes on ...") takes the attacker of the
   most recent strike in the same article, or the article's most frequent explicit attacker.
   An explicit but unknown agent ("aanvallen van militanten") blocks this.
7. **Target.** Places with a target role; per target country the most specific one
   (city > province > region > country); a demonym ("targeting Iraqi groups") or a target
   actor's single base country when no place is named. A country-level target is refined to the
   one province/region of that country the article names, when it names exactly one.
8. **Context guards.** Sentences about sport (no weapon named) or military exercises, about
   gunmen and hostage takers, and cues next to market or election words ("oil prices hit",
   "attacked his rival") report no strike; nor do cues after "any", "future", deliberation
   ("weighing options") or suspension ("op te schorten", "suspended its strikes").
9. **More attackers.** The launch site's country ("rockets launched from Gaza"), an unnamed
   group's base ("militias in Iraq"), the owner of the weapon ("een raket van Hezbollah"),
   "X-led coalition", a pronoun subject ("vuurde het ... af": the previous sentence's subject),
   group anaphora ("de coalitie", "the group": the latest named group or alliance) and
   responsibility ("X claimed responsibility", "beschuldigt X van de aanval", "dat X en Y
   achter die aanvallen zaten": every coordinated party) for the latest strike the text left
   without attacker, also blame ("geven X de schuld") and attribution; the party an attack is
   attributed or blamed on outranks any other party of its clause ("killed in an attack that
   Iran blamed on Israel"). A Dutch relative clause strikes for its antecedent ("Israël, dat
   ... luchtaanvallen uitvoert op ..."). Within two sentences of a strike, a weak verb ("werden
   ... geraakt", "was hit") reports more of it.
   Temporal subordinate clauses ("after Iran fired ...") are events of their own; without a
   place they strike where the main clause reports damage ("A fire broke out at a depot in
   Tuapse after an attack by Ukrainian drones"); an attacker without a target takes the place
   of the damage the previous sentence reports ("Explosions were heard near Isfahan. ... an
   Israeli strike"). The subject before a relative clause fires ("Hezbollah, which ...,
   fired"). A coreferent attacker that would strike its own country yields to the party the
   next sentence says fired. Reaction verbs ("condemned the strike") and agents of other
   participles ("sites used by the IRGC") do not make attackers.
10. **Misread places.** A target place in a country the article never names, read with a low
   gazetteer score, or followed by "in <place of another country>", is dropped; a country of
   a facility's owner ("US bases in Iraq") or a region without a country is no target. A
   country-level strike is placed at the one town of that country the article names when the
   attacker has no more precise strike on it.
11. **Counts, weapons, date.** "twee kinderen gedood", "at least 12 people were killed",
   "drie meisjes gewond" (digits or words, :mod:`geo.numbers`); vague counts ("dozens",
   "tientallen") stay ``None``. A later sentence that refers back to the attack ("Bij de aanval
   kwamen twee kinderen om het leven") or only reports casualties within two sentences of the
   last strike sentence adds its counts (the maximum wins), weapons and target actor to the most
   recent strike. The date is the article's unless the sentence names a day ("op 16 januari").

Speed: per article, one prefix-tree regex scan finds every cue hint and the words that gate
the costlier searches (casualties, anaphors, coalitions, weapons, causes, attribution, hedges),
per sentence; cue patterns then run only on the sentences holding their hints, actors come from
one prefix-tree regex (:mod:`geo.actors`), and a sentence without a cue costs a few list
slices. A test checks that every gated pattern's matches hold one of its gate words. The
clause checks' patterns whose every match holds a rare word are compiled by ``_GATE``
(:class:`geo.patterns.PatternGate`): those words are found in the article in one pass, and a
check runs its regex only when one of them lies in the span it looks at.

Confidence (documented in :func:`_confidence`) grows with cue strength, attacker explicitness
(named actor > country/demonym > claimant > coreference) and target precision, and shrinks for
hedged reports ("zou ... zijn geweest", "reportedly", claims).
"""

from __future__ import annotations

import bisect
import hashlib
import math
import operator
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import TypeVar

import ahocorasick

from geo.actors import ActorMatcher, ActorMention, fold, load_actors
from geo.countries import country_name
from geo.errors import GeoError
from geo.models import (
    KIND_ADMIN1,
    KIND_CITY,
    KIND_COUNTRY,
    KIND_DEMONYM,
    KIND_REGION,
    KIND_SITE,
    KIND_WATER,
    Article,
    Sentence,
    Source,
    Strike,
    Toponym,
)
from geo.numbers import find_numbers
from geo.patterns import PatternGate, compile_skipping, required_substrings
from geo.wordscan import WordScanner

CountryPoint = Callable[[str], "tuple[float, float] | None"]
"""Return a (lon, lat) inside a country given its ISO3 code, or None when unknown."""

__all__ = [
    "CountryPoint",
    "default_country_point",
    "extract_strikes",
    "find_casualties",
    "find_weapons",
    "sentence_date",
]

# Patterns compiled by _GATE run only where one of the strings every match holds occurs:
# extract_strikes finds those strings in the article once (geo.patterns.PatternGate), and each
# search of the article's folded text looks there first. Worth it only for patterns whose
# strings are rare ("en", "de" occur everywhere).
_GATE = PatternGate()

# --------------------------------------------------------------------------------------------
# Lexicons (matched on accent-folded, lower-cased text; offsets are preserved by `fold`).
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CueSpec:
    pattern: str
    strength: float
    lang: str
    noun: bool = False
    participle: bool = False  # a form that can be passive ("aangevallen", "attacked")
    weak: bool = False  # needs a weapon or another cue in the clause
    target_noun: bool = False  # "doelwit", "target": bare mentions around it are targets
    hints: tuple[str, ...] = ()  # substrings every match contains (else from the pattern)


_CUES: tuple[_CueSpec, ...] = (
    # Dutch nouns
    _CueSpec(
        r"(?:lucht|raket|drone|bom|artillerie|tegen|vergeldings|grond|lucht-|raket-|drone-|"
        r"militaire\s)?aanval(?:len)?",
        0.6,
        "nl",
        noun=True,
    ),
    _CueSpec(r"(?:lucht)?bombardement(?:en)?", 0.7, "nl", noun=True),
    _CueSpec(r"(?:artillerie)?beschieting(?:en)?", 0.7, "nl", noun=True),
    _CueSpec(r"raketinslag(?:en)?|inslagen", 0.5, "nl", noun=True),
    _CueSpec(r"liquidatie", 0.45, "nl", noun=True),
    _CueSpec(r"doelwit(?:ten)?", 0.4, "nl", noun=True, target_noun=True),
    # Dutch verbs
    _CueSpec(r"aangevallen", 0.7, "nl", participle=True),
    _CueSpec(r"aanvalt|aanvielen|aanviel", 0.7, "nl"),
    _CueSpec(
        r"(?P<head>valt|vallen|viel|vielen)(?:,?\s+[\w'-]+){0,14}?\s+aan",
        0.7,
        "nl",
        hints=("valt", "vallen", "viel"),
    ),
    _CueSpec(r"gebombardeerd", 0.8, "nl", participle=True),
    _CueSpec(r"bombardeer(?:t|de|den)|bombarderen", 0.8, "nl"),
    _CueSpec(r"beschoten", 0.7, "nl", participle=True),
    _CueSpec(r"beschiet|beschoot|beschieten", 0.7, "nl"),
    _CueSpec(r"bestookt|bestookte|bestookten|bestoken", 0.7, "nl"),
    # "onder vuur genomen", "nam de posities onder vuur"
    _CueSpec(
        r"onder\s+vuur\s+(?:genomen|nemen|neemt|nam|namen)|"
        r"(?P<head>nam|namen|neemt|nemen)(?:\s+[\w'-]+){0,8}?\s+onder\s+vuur",
        0.7,
        "nl",
        hints=("onder", "nam", "neemt", "nemen"),
    ),
    # "vuurde op militaire posities" (no "af"): aimed fire
    _CueSpec(
        r"(?:vuurt|vuurde|vuurden)(?!(?:,?\s+[\w'-]+){0,10}?\s+af(?![\w-]))",
        0.6,
        "nl",
        hints=("vuurt", "vuurde"),
    ),
    _CueSpec(r"luchtoffensief|luchtcampagne", 0.6, "nl", noun=True),
    _CueSpec(r"getroffen", 0.4, "nl", participle=True, weak=True),
    # "werden schepen geraakt"; not "raken" as "become" ("gewond geraakt", "in paniek geraakt")
    _CueSpec(
        r"(?<!gewond )(?<!paniek )(?<!bekend )(?<!betrokken )(?<!verzeild )(?<!kwijt )geraakt",
        0.4,
        "nl",
        participle=True,
        weak=True,
        hints=("geraakt",),
    ),
    _CueSpec(r"trof|troffen|treft", 0.4, "nl", weak=True),
    _CueSpec(
        r"insloeg|insloegen|ingeslagen|(?P<head>sloeg|sloegen|slaat)(?:\s+[\w'-]+){0,6}?\s+in|"
        r"landde|landden|neerkwam|neerkwamen|neergekomen",
        0.4,
        "nl",
        weak=True,
        hints=("sloeg", "slaat", "ingeslagen", "landde", "neerkwam", "neergekomen"),
    ),
    # "raketten kwamen neer op de basis" (separable; needs a weapon like the other landings)
    _CueSpec(
        r"(?P<head>kwam|kwamen|komt|komen)(?:\s+[\w'-]+){0,6}?\s+neer",
        0.4,
        "nl",
        weak=True,
        hints=("kwam", "komt", "komen"),
    ),
    _CueSpec(
        r"(?P<head>vuurt|vuurde|vuurden)(?:,?\s+[\w'-]+){0,10}?\s+af",
        0.7,
        "nl",
        hints=("vuurt", "vuurde"),
    ),
    _CueSpec(r"afgevuurd", 0.6, "nl", participle=True, weak=True),
    _CueSpec(r"lanceert|lanceerde|lanceerden", 0.6, "nl", weak=True),
    _CueSpec(r"gelanceerd", 0.6, "nl", participle=True, weak=True),
    _CueSpec(r"uitgeschakeld|geliquideerd", 0.45, "nl", participle=True),
    # a weapon or aircraft that destroys: "Franse straaljagers vernietigden pantservoertuigen"
    _CueSpec(
        r"(?:(?<=straaljagers )|(?<=gevechtsvliegtuigen )|(?<=bommenwerpers )|(?<=drones )|(?<=raketten )|(?<=artillerie )|(?<=helikopters )|(?<=gevechtshelikopters ))(?:vernietigden|verwoestten|vernielden)",
        0.5,
        "nl",
        hints=("vernietigden", "verwoestten", "vernielden"),
    ),
    # "zette F-16's in tegen doelen in ...", "drones ingezet tegen": deployed weapons
    _CueSpec(
        r"(?P<head>zet|zette|zetten)(?:\s+[\w'’-]+){0,6}?\s+in(?=\s+tegen\s)|"
        r"ingezet(?=\s+tegen\s)",
        0.5,
        "nl",
        weak=True,
        hints=("zet", "ingezet"),
    ),
    _CueSpec(r"liquideerde|liquideerden", 0.45, "nl"),
    # English nouns
    _CueSpec(
        r"(?:air|drone|missile|rocket|artillery|aerial|retaliatory|military|precision)"
        r"[\s-]?strikes?|airstrikes?|air\s+raids?",
        0.8,
        "en",
        noun=True,
    ),
    _CueSpec(r"bombardments?|shelling", 0.7, "en", noun=True),
    _CueSpec(
        r"(?:air|bombing|drone|missile)\s+campaigns?|(?:lucht|bombardements)campagnes?",
        0.6,
        "en",
        noun=True,
        hints=("campaign", "campagne"),
    ),
    _CueSpec(r"(?:missile|rocket|drone)\s+attacks?", 0.7, "en", noun=True),
    _CueSpec(r"invasion|incursion", 0.5, "en", noun=True),
    _CueSpec(r"(?:air|bombing)\s+offensive", 0.6, "en", noun=True, hints=("offensive",)),
    # "launched a ground and air operation against ...": the air part strikes
    _CueSpec(
        r"(?:air|aerial|(?:ground|land)\s+and\s+air|air\s+and\s+(?:ground|land))\s+operations?",
        0.55,
        "en",
        noun=True,
        hints=("operation",),
    ),
    _CueSpec(
        r"lucht(?:-\s+en\s+grond)?operaties?|grond-\s+en\s+luchtoperaties?",
        0.55,
        "nl",
        noun=True,
        hints=("operatie",),
    ),
    # "returned fire at", "beantwoordde het vuur": fire back at the other side
    _CueSpec(
        r"return(?:ed|s|ing)?\s+fire|beantwoordde(?:n)?\s+het\s+vuur",
        0.5,
        "en",
        hints=("return", "beantwoord"),
    ),
    # a weapon aimed at a place: "a barrage of rockets on northern Israel", "raketten op Haifa"
    _CueSpec(
        r"(?:rockets?|missiles?|drones?|shells|raketten|granaten|projectiles?|projectielen)"
        r"(?=\s+(?:on|at|onto|into|towards|toward|op|naar|richting)\s)",
        0.45,
        "en",
        noun=True,
        hints=("rocket", "missile", "drone", "shells", "raketten", "granaten", "projecti"),
    ),
    # "X and Y traded fire", "exchanged artillery fire with": both sides strike each other
    _CueSpec(
        r"(?:trad|exchang)(?:ed|es|e|ing)\s+(?:(?:heavy|cross-border|artillery|rocket|mortar|"
        r"missile|drone|tank|gun)\s+){0,2}(?:fire|strikes|attacks|shelling|barrages|blows)",
        0.5,
        "en",
        hints=("traded", "trading", "trade", "exchang"),
    ),
    # English verbs (and the nouns that share their form)
    # "troops opened fire on border posts", "het leger opende het vuur op ..."
    _CueSpec(r"(?:opened|opens|opening)\s+fire", 0.6, "en", hints=("opened", "opens", "opening")),
    _CueSpec(
        r"(?P<head>opende|openden|openen|opent)(?:\s+[\w'’-]+){0,4}?\s+(?:het\s+)?vuur",
        0.6,
        "nl",
        hints=("opende", "openen", "opent"),
    ),
    # "fired at its positions": aimed, unlike "fired" alone (which may be a dismissal)
    _CueSpec(r"(?:fired|firing)(?=\s+(?:at|on|upon|into)\s)", 0.6, "en", hints=("fired", "firing")),
    _CueSpec(r"struck", 0.7, "en", participle=True),
    _CueSpec(r"strikes?|striking", 0.6, "en"),
    _CueSpec(r"attacked", 0.7, "en", participle=True),
    _CueSpec(r"attacks?|attacking", 0.6, "en"),
    _CueSpec(r"bombed|bombarded", 0.8, "en", participle=True),
    _CueSpec(r"bombs|bombing|bombarding|bombards?", 0.7, "en"),
    _CueSpec(r"shelled", 0.7, "en", participle=True),
    _CueSpec(r"shells|pounded|pounding|pounds", 0.5, "en"),
    _CueSpec(r"targeted", 0.5, "en", participle=True),
    _CueSpec(r"targeting", 0.5, "en"),
    _CueSpec(r"targets", 0.4, "en", noun=True, target_noun=True),
    _CueSpec(r"target", 0.4, "en", noun=True, target_noun=True),
    _CueSpec(r"raided", 0.5, "en", participle=True),
    _CueSpec(r"raids?", 0.5, "en"),
    _CueSpec(r"invaded", 0.5, "en", participle=True),
    _CueSpec(r"invades?|invading", 0.5, "en"),
    _CueSpec(r"hit", 0.4, "en", participle=True, weak=True),
    _CueSpec(
        r"land(?:ed|s|ing)|slammed\s+into|crashed\s+into|rained\s+down|fell\s+(?:on|onto)",
        0.4,
        "en",
        weak=True,
        hints=("landed", "lands", "landing", "slammed", "crashed", "rained", "fell"),
    ),
    _CueSpec(r"hits|hitting", 0.4, "en", weak=True),
    # "French jets destroyed armoured vehicles"; not "air defences destroyed 30 drones"
    _CueSpec(
        r"(?:(?<=jets )|(?<=warplanes )|(?<=bombers )|(?<=drones )|(?<=missiles )|(?<=rockets )|(?<=artillery )|(?<=aircraft )|(?<=helicopters )|(?<=gunships ))destroyed",
        0.5,
        "en",
        hints=("destroyed",),
    ),
    _CueSpec(r"launched|fired", 0.6, "en", participle=True, weak=True),
    _CueSpec(
        r"launch(?:es|ing)?|fir(?:es|ing)",
        0.6,
        "en",
        weak=True,
        hints=("launch", "fires", "firing"),
    ),
)
_CUE_RES = tuple((spec, re.compile(rf"(?<![\w-])(?:{spec.pattern})(?![\w])")) for spec in _CUES)


def _literal_hints(pattern: str) -> tuple[str, ...]:
    """Substrings one of which every match of ``pattern`` contains: per top-level alternative
    its longest literal run outside groups (a trailing optional letter dropped). Empty when an
    alternative has no literal of three letters; then the pattern always runs."""
    alternatives: list[list[str]] = [[]]
    run = ""
    depth = 0
    i = 0

    def close(next_char: str) -> None:
        nonlocal run
        if next_char and next_char in "?*{" and run:
            run = run[:-1]
        if len(run) >= 3:
            alternatives[-1].append(run)
        run = ""

    while i < len(pattern):
        char = pattern[i]
        nxt = pattern[i + 1] if i + 1 < len(pattern) else ""
        if char == "\\":
            close("")
            i += 2
            continue
        if char == "(":
            close("")
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and char == "|":
            close("")
            alternatives.append([])
        elif depth == 0 and (char.isalpha() or char == "-"):
            run += char
            if not (nxt.isalpha() or nxt == "-"):
                close(nxt)
        i += 1
    close("")
    hints = []
    for runs in alternatives:
        if not runs:
            return ()
        hints.append(max(runs, key=len))
    return tuple(dict.fromkeys(hints))


_CUE_HINTS = tuple(spec.hints or _literal_hints(spec.pattern) for spec in _CUES)
if not all(_CUE_HINTS):
    raise AssertionError("every cue needs hints: give _CueSpec(hints=...) where none is found")
# One scan finds every hint; a hint found says which cues can match around it: those with a
# hint inside the found one (the scan reports the longest hint at each place).
# Besides the cue hints, the scan looks for the words that gate the costlier per-sentence
# searches: a sentence without any of a flag's words cannot match that flag's patterns (each
# word list holds a substring of every match of the patterns it gates).
_FLAG_CASUALTY = 1  # _CASUALTY_HINT, _KILLED, _INJURED
_FLAG_ANAPHOR = 2  # _ANAPHOR
_FLAG_LED = 4  # _LED_COALITION
_FLAG_WEAPON = 8  # _WEAPON_RE
_FLAG_CAUSE = 16  # _CAUSE
_FLAG_ATTRIBUTION = 32  # _ATTRIBUTION_NP, _ATTRIBUTION_VERB, _SAID_THAT, _ACCUSES
_FLAG_HEDGE = 64  # _HEDGE
_FLAG_WORDS = {
    _FLAG_CASUALTY: "kill dood dode gewond wound injur hurt dead died die death leven sneuvel "
    "overle slain fatal omgekomen kwamen kostte claimed",
    _FLAG_ANAPHOR: "coalitie coalition alliantie alliance groep group beweging movement militie "
    "militia organisatie organisation organization rebellen rebels militants militanten "
    "strijdgroep militant militante garde guards",
    _FLAG_LED: "coalit",
    _FLAG_WEAPON: "raket missile rocket kruisvluchtwapen drone uav shahed lucht air "
    "gevechtsvliegtuigen straaljagers warplanes jets bombers bommenwerpers artiller houwitser "
    "howitzer mortier mortar bomme bomb scud iskander kinzhal tomahawk kalibr storm scalp kh- "
    "atacms himars katyusha bayraktar tb2 mq-9 geran f-4 f-1 f-35 rafale su- mig- b-52 "
    "helikopter helicopter gunship granat shells munition",
    _FLAG_CAUSE: "reactie antwoord vergelding wraak represaille response retaliation revenge "
    "reprisal retribution revancheren wreken avenge follow came comes wake volgde volgen",
    _FLAG_ATTRIBUTION: "volgens according afgaand citing per stelt stellen stelde schrijft "
    "schrijven schreef meldt melden meldde aldus zegt zeggen zei verklaarde verklaart verklaren "
    "said says say reported reports claimed claims told announced wrote writes stated beweert "
    "beweren beweerde accus beschuldig blam",
    _FLAG_HEDGE: "reportedly allegedly verluidt vermoedelijk waarschijnlijk claim beweer stelt "
    "stellen suspected apparent onbevestigd unconfirmed verifi",
}


def _lexicon() -> dict[str, tuple[int, tuple[int, ...]]]:
    """The words of the one scan per article (every cue hint and flag word), each with the
    flags and cues of all words inside it (the scan reports the longest word at each place,
    which holds the shorter ones starting there)."""
    flags: dict[str, int] = {}
    for flag, listed in _FLAG_WORDS.items():
        for word in listed.split():
            flags[word] = flags.get(word, 0) | flag
    words = set(flags) | {h for hints in _CUE_HINTS for h in hints}
    info = {
        found: (
            sum({flag for word, flag in flags.items() for flag in _bits(flag) if word in found}),
            tuple(i for i, hints in enumerate(_CUE_HINTS) if any(h in found for h in hints)),
        )
        for found in words
    }
    return info


def _bits(value: int) -> list[int]:
    return [1 << i for i in range(value.bit_length()) if value >> i & 1]


_LEXICON_INFO = _lexicon()
# leftmost-longest matches, as a regex alternation of the words would find them, ~3x faster
_LEXICON_SCANNER = WordScanner(_LEXICON_INFO)


def _scan_lexicon(folded: str, sentence_starts: list[int]) -> tuple[list[int], dict[int, set[int]]]:
    """Per sentence, the flags of the words it holds, and the cues whose hints it holds."""
    flags = [0] * max(1, len(sentence_starts))
    cues: dict[int, set[int]] = {}
    for start, _end, word in _LEXICON_SCANNER.finditer(folded):
        index = max(0, bisect.bisect_right(sentence_starts, start) - 1)
        word_flags, word_cues = _LEXICON_INFO[word]
        flags[index] |= word_flags
        if word_cues:
            cues.setdefault(index, set()).update(word_cues)
    return flags, cues


# Words before a cue that make it something else (a labour strike, a terror attack, ...).
_CUE_BLOCKERS = re.compile(
    r"(?:general|hunger|labou?r|workers'?|teachers'?|doctors'?|nurses'?|rail|national|"
    r"heart|cyber|panic|terror|terrorist|suicide|car|roadside|lightning|first|pre-emptive\s+cyber)"
    r"[\s-]*$"
)
_CUE_BLOCKERS_AFTER = re.compile(
    r"^\s*(?:action|breaker|force\b|price|zone|plans?\b|plannen|capabilit|capacit|"
    r"helicopters?\b|helikopters?\b|submarines?\b|dogs?\b|sirens?\b|alarms?\b|alerts?\b|"
    r"shelters?\b|warnings?\b|drills?\b|sirenes?\b|schuilkelders?\b)"
)
_ON_STRIKE = re.compile(r"(?:on|go|went|going|gone)\s+$")
# "struck a deal", "strikes a balance", "striking a chord": idioms, not strikes
_STRUCK_IDIOM_AFTER = re.compile(
    r"\s+(?:a|an|the|its|their|his|her)?\s*(?:[\w-]+\s+){0,2}?(?:deals?|agreements?|accords?|"
    r"bargain|balance|tone|note|chord|pose|partnerships?|compromise|truce|ceasefire)(?![\w-])"
)

_WEAPONS: tuple[tuple[str, str], ...] = (
    (
        r"ballistische\s+raket(?:ten)?|ballistic\s+missiles?|scuds?|iskanders?|kinzhals?",
        "ballistic missiles",
    ),
    (
        r"kruisraket(?:ten)?|cruise\s+missiles?|kruisvluchtwapens?|tomahawks?|kalibrs?|"
        r"storm\s+shadows?|scalp|kh-\d+",
        "cruise missiles",
    ),
    (r"raket(?:ten)?|raket-|missiles?|missile-|atacms", "missiles"),
    (r"rockets?|rocket-|raketwerpers?|himars|katyushas?", "rockets"),
    (
        r"drones?|drone-|uavs?|kamikazedrones?|shahed|bayraktars?|tb2s?|mq-9s?|gerans?|"
        r"loitering\s+munitions?",
        "drones",
    ),
    (
        r"lucht(?:aanval|aanvallen|bombardement|bombardementen)|air\s?strikes?|airstrikes?|"
        r"air\s+raids?|gevechtsvliegtuigen|straaljagers|warplanes|fighter\s+jets|jets|"
        r"bombers|bommenwerpers|f-(?:4|14|15|16|18|35)(?:['’]?s)?|rafales?|su-\d\d(?:['’]?s)?|"
        r"mig-\d\d(?:['’]?s)?|b-52(?:['’]?s)?|gevechtshelikopters?|attack\s+helicopters?|"
        r"helicopter\s+gunships?|gunships?",
        "air strike",
    ),
    (r"artillerie(?:vuur|beschieting(?:en)?)?|artillery|houwitsers?|howitzers?", "artillery"),
    (r"mortier(?:en|granaten|granaat)?|mortars?", "mortars"),
    (r"granaten|granaat|shells", "shells"),
    (r"bommen|bombs?", "bombs"),
)
# One alternation, earlier entries first: at each place the first entry that matches wins, so
# "ballistic missiles" is not also "missiles"; ``match.lastindex`` names the entry.
_WEAPON_RE = _GATE.compile_skipping(
    r"(?<!\w)(?:" + "|".join(f"({p})" for p, _ in _WEAPONS) + r")(?!\w)"
)
# The head of a Dutch compound ("middellangeafstandsraketten", "aanvalsdrones", "clusterbommen",
# "artilleriegranaten"), each with the _WEAPONS entry it stands for. A separate scan: a letter
# prefix in _WEAPON_RE would make its every position a possible start.
_COMPOUND_HEAD_RE = _GATE.compile(r"(raket(?:ten)?)|(drones?)|(granaten)|(bommen)")
_COMPOUND_ENTRY = {
    group: next(i for i, (_, name) in enumerate(_WEAPONS, 1) if name == entry)
    for group, entry in enumerate(("missiles", "drones", "shells", "bombs"), 1)
}


def _weapon_spans(folded: str, start: int, end: int) -> list[tuple[int, int, int]]:
    """(start, end, _WEAPONS entry number) of each weapon word in folded[start:end]."""
    found = [
        (m.start(), m.end(), m.lastindex or 0) for m in _WEAPON_RE.finditer(folded, start, end)
    ]
    for m in _COMPOUND_HEAD_RE.finditer(folded, start, end):
        head = m.start()
        if (
            head > start
            and folded[head - 1].isalpha()
            and (m.end() == end or not folded[m.end()].isalnum())
            and not any(s <= head < e for s, e, _ in found)
        ):
            found.append((head, m.end(), _COMPOUND_ENTRY[m.lastindex or 0]))
    return found


_PREP_AGENT = {"door", "by"}
_PREP_ORIGIN = {"vanuit", "vanaf", "from", "uit"}
_PREP_LOCATIVE = {
    "in",
    "at",
    "bij",
    "near",
    "nabij",
    "inside",
    "binnen",
    "nearby",
    "around",
    "rond",
    "rondom",
}
_PREP_TARGET = _PREP_LOCATIVE | {
    "op",
    "tegen",
    "naar",
    "on",
    "against",
    "into",
    "onto",
    "targeting",
    "boven",
    "over",
    "across",
    "richting",
    "towards",
    "toward",
    "upon",
}
_PREP_GENITIVE = {"van", "of"}
_PREP_NEUTRAL = {
    "met",
    "with",
    "voor",
    "for",
    "tot",
    "to",
    "aan",
    "about",
    "namens",
    "tussen",
    "between",
    "than",
    "dan",
    "zoals",
    "like",
    "including",
    "waaronder",
    "behalve",
    "except",
    "via",
    "per",
    "zonder",
    "without",
    "onder",
    "under",
    "around",
    "rond",
}
_ALL_PREPS = _PREP_AGENT | _PREP_ORIGIN | _PREP_TARGET | _PREP_GENITIVE | _PREP_NEUTRAL
_DETERMINERS = {
    "de",
    "het",
    "een",
    "the",
    "a",
    "an",
    "deze",
    "die",
    "dit",
    "dat",
    "this",
    "that",
    "these",
    "those",
    "its",
    "his",
    "her",
    "their",
    "zijn",
    "haar",
    "hun",
}
_COORD_GAP = compile_skipping(
    r"^\s*(?:,|,?\s*(?:en|and|&|or|of|as well as|alsook|plus|evenals)(?!\w))\s*(?:de|het|the)?\s*$"
)

_DEMONYM_HEAD_GAP = re.compile(r"^\s*[\w'-]+\s+(?:en|and|&)\s+(?:de|het|the)?\s*$")
_NEGATION = _GATE.compile(
    r"(?<!\w)(?:niet|geen|nooit|niemand|not|no|never|nobody|none|didn't|did\s+not|n't|noch|nor|neither)(?!\w)"
)
_NEGATION_EXCEPT = re.compile(
    r"^(?:nooit\s+eerder|never\s+before|not\s+only|niet\s+alleen|no\s+longer|niet\s+meer|geen\s+van)"
)
_NON_EVENT = _GATE.compile(
    r"(?<![\w-])(?:dreig\w*|threat\w*|waarschuw\w*|warn(?:s|ed|ing)?|vow(?:s|ed)?|"
    r"zou\s+kunnen|zouden\s+kunnen|kan|kunnen|zal|zullen|overweeg\w*|overwegen|overwoog|"
    r"overwogen|consider(?:s|ed|ing)?|"
    r"wil|willen|wilde|wilden|plan(?:s|t|nen|ned)?|van\s+plan|intend\w*|could|would|may|might|"
    r"will|shall|ready\s+to|prepared\s+to|klaar\s+om|bereid|ontken\w*|den(?:y|ies|ied)|"
    r"possibility|prospect|mogelijkheid|kans\s+op|whether|"
    r"tegenspre\w*|reject(?:s|ed)?|if|indien|mocht|unless|tenzij|possible|mogelijk\w*|"
    # "als" = "if", not "als vergelding", "als reactie": in that role
    r"als(?!\s+(?:vergelding|reactie|antwoord|wraak|represaille|waarschuwing|straf|onderdeel|"
    r"eerste|tweede|derde|laatste)(?![\w-]))|"
    r"potential|eventuele|hypothetical\w*|vrees\w*|fears?|feared|"
    r"zegt\s+uit\s+te\s+zijn\s+op|uit\s+op|dreiging|preparing|bereidt?|call(?:s|ed)?\s+for|"
    # "eisen" demands, but "eiste de verantwoordelijkheid op" claims a strike that happened
    r"roep\w*\s+op|urged?|eis\w*(?![\w-])(?!\s+(?:de\s+)?verantwoordelijkheid)|demand\w*|"
    r"zouden|zou|going\s+to|gaat|gaan)(?![\w-])"
)
# Participles and nouns of threat, plan and deliberation the list above misses.
_NON_EVENT_EXTRA = _GATE.compile(
    r"(?<![\w-])(?:gedreigd|gewaarschuwd|overwogen|gepland|ontkend|geeist|beraadt|beraden|"
    r"weighing|weighs|weighed|weegt|wegen|afwegen|options|opties|scenario\w*|deliberat\w*|"
    r"suspend\w*|halt(?:s|ed|ing)?|cease\w*|pause[sd]?|resum\w*|opschort\w*|hervat\w*|"
    # "staken" = stop, not "staken de grens over" (crossed it)
    r"gestaakt|staakt|staken(?!\s+(?:[\w'’-]+\s+){0,3}?over(?![\w-]))|"
    r"stop|stops|stopped|stopping|stoppen|stopt|stopte|stopten|any|"
    r"elke|iedere|eventuele?|future|toekomstige?|"
    r"capable\s+of|in\s+staat\s+om|able\s+to|ability\s+to|vermogen\s+om|"
    # "no indication it was an attack on Poland"
    r"no\s+(?:indication|evidence|sign)s?|geen\s+(?:aanwijzing(?:en)?|bewijs|teken(?:en)?))"
    r"(?![\w-])"
)
# Dutch: a strike noun as the object of an infinitive ("aanvallen op X op te schorten",
# "de aanvallen te hervatten") is planned, threatened or suspended, not reported; a perfect
# infinitive ("beschuldigt X ervan luchtaanvallen te hebben uitgevoerd") tells one that happened.
_INFINITIVE_AFTER = re.compile(r"(?<!\w)te\s+(?!hebben\s+[\w-]+(?:d|t|en)\b)[\w-]+en(?!\w)")

# Context guards: a sentence about sport, markets, elections or military exercises uses
# "attack", "strike", "hit", "bestoken" without reporting a strike (unless it names a weapon).
_SPORT = re.compile(
    r"(?<![\w-])(?:voetbal\w*|football\w*|soccer|wedstrijd\w*|doelpunt\w*|doelman|keeper|"
    r"goalkeeper|scoorde|scored|penalt\w*|strafschop\w*|voorzet\w*|"
    r"halve\s+finale|semi-?finals?|kwartfinale|quarter-?finals?|world\s+cup|euro\s+20\d\d|"
    r"ek|wk|toernooi|tournament|scheidsrechter|referee|elftal|speelhelft|half-?time|"
    r"slotminuten|extra\s+time|verlenging|stadion|stadium|kick-?off|aftrap|"
    r"cricket\w*|batsm[ae]n|batters?|bowlers?|bowling|wickets?|innings|rugby|tennis|hockey|"
    r"basketbal\w*|matches|match|titelverdediger|defending\s+champions?|slotfase|"
    r"gelijkmaker|treffer|blessuretijd|injury\s+time|eerste\s+helft|tweede\s+helft|"
    # "bombarded the Israeli goal in the closing stages" (not "the goal of the operation")
    r"goal(?=\s+(?:in|at|during|with|from|before|after|until|throughout)\s|\s*[,.;!])|"
    r"\d+\s*-\s*\d+\s+(?:win|zege|overwinning|victory|defeat|nederlaag|draw|gelijkspel)|"
    r"(?:beat|versloeg|verslaat|won|wint|lost|verloor)\s+\w+\s+\d+\s*-\s*\d+)(?![\w-])"
)
_ECONOMY = re.compile(
    r"(?<![\w-])(?:prices?|prijs\w*|olieprijs\w*|markets?|beurs\w*|aandelen|shares|stocks?|"
    r"koers\w*|inflation|inflatie|economy|economie|tariffs?|tarieven|heffingen|sales|"
    r"verkopen|revenues?|omzet|profits?|winst|exports?|export|imports?|currency|munt|"
    r"rial|roebel|rouble|ruble|dollar|euro|record\s+high|record\s+low|budget\w*|surplus|"
    r"deficit|begroting\w*|tekort|overschot|growth|groei)(?![\w-])"
)
_ELECTION = re.compile(
    r"(?<![\w-])(?:verkiezing\w*|elections?|electoral|"
    r"(?<!air\s)(?<!drone\s)(?<!bombing\s)(?<!missile\s)(?<!military\s)campaign\w*|"
    r"campagne\w*|debat\w*|"
    r"debates?|peiling\w*|polls?|kandida\w*|candidates?|stembus|ballot|voters?|kiezers|"
    r"rival|opponent|tegenstander\w*|tweet\w*|critic\w*|kritiek|criticism|remarks|"
    r"uitspraken|policy|policies|beleid)(?![\w-])"
)
_EXERCISE = compile_skipping(
    r"(?<![\w-])(?:exercises?|drills?|oefening\w*|manoeuvres?|maneuvers?|mock|"
    r"war\s*games?|test[\s-]*(?:fired|firing|launch\w*|flight)|proef\w*|simulated|"
    r"gesimuleerde?|militaire\s+parade|military\s+parade)(?![\w-])"
)


_TERROR = compile_skipping(
    r"(?<![\w-])(?:gunm[ae]n|shooters?|schutters?|schutter|"
    r"stabb\w*|steekpartij\w*|gijzel\w*|hostages?|hijack\w*|kaping\w*|suicide\s+bomb\w*|"
    r"zelfmoord\w*|car\s+bomb\w*|autobom\w*|aanslagpleger\w*|attackers?\s+stormed|"
    r"hackers?|hacked|hackergroep\w*|cyber\w*|ransomware|malware|phishing)(?![\w-])"
)
_OFF_TOPIC_NEAR = _GATE.compile(rf"{_ECONOMY.pattern}|{_ELECTION.pattern}")
# _non_event searches words of the clause joined anew: its strings, single words, can be in them
# only when they are in the clause
if not all(w.isalpha() for w in required_substrings(_OFF_TOPIC_NEAR.pattern) or ("",)):
    raise AssertionError("_OFF_TOPIC_NEAR may only require single words")


class _Gate:
    """Which of some patterns can match a text: each pattern's
    :func:`~geo.patterns.required_substrings` looked for all at once (Aho–Corasick, in C:
    one pass instead of a regex search per pattern, which costs ~40 ns a character each).

    ``possible(text)`` has bit ``i`` set unless pattern ``i`` cannot match ``text`` (nor any
    part of it); a pattern whose required strings cannot be told always has its bit set.
    """

    __slots__ = ("_always", "_automaton")

    def __init__(self, patterns: Sequence[re.Pattern[str]]) -> None:
        self._always = 0
        masks: dict[str, int] = {}
        for bit, pattern in enumerate(patterns):
            required = (
                None if pattern.flags & re.IGNORECASE else required_substrings(pattern.pattern)
            )
            if required is None:
                self._always |= 1 << bit
            for word in required or ():
                masks[word] = masks.get(word, 0) | 1 << bit
        self._automaton = ahocorasick.Automaton()
        for word, mask in masks.items():
            self._automaton.add_word(word, mask)
        self._automaton.make_automaton()

    def possible(self, text: str) -> int:
        found = self._always
        for _end, mask in self._automaton.iter(text):
            found |= mask
        return found


_OFF_TOPIC_GATE = _Gate([_EXERCISE, _TERROR, _SPORT])


_RESCUE = re.compile(
    r"(?<![\w-])(?:te\s+bevrijden|bevrijding\w*|reddingsoperatie\w*|reddingsactie\w*|"
    r"to\s+(?:free|rescue)|freeing|rescu\w+)(?![\w-])"
)


def _off_topic(folded_sentence: str) -> bool:
    """True for a sentence about sport or military exercises.

    Exercises are off-topic even with weapons ("fired missiles at mock targets during naval
    drills"); sport words only when no weapon is named ("de Turken bestookten het Nederlandse
    doel"). Market and election words count only next to the cue (see :func:`_non_event`)."""
    possible = _OFF_TOPIC_GATE.possible(folded_sentence)
    if possible & 1 and _EXERCISE.search(folded_sentence):
        return True
    terror = _TERROR.search(folded_sentence) if possible & 2 else None
    sport = _SPORT.search(folded_sentence) if possible & 4 else None
    if not terror and not sport:
        return False
    if terror and _RESCUE.search(folded_sentence):
        terror = None  # "a raid to free the hostage": a military operation, not a hostage-taking
        if not sport:
            return False
    weapons = find_weapons(folded_sentence)
    if terror and not set(weapons) - {"bombs"}:
        return True  # gunmen, hostage takers, car bombs: attacks, but not strikes
    return bool(sport) and not weapons


_REPORTATIVE = _GATE.compile_skipping(
    r"(?<!\w)(?:zou|zouden)(?:\s+[\w'-]+){0,8}?\s+(?:zijn\s+geweest|hebben|zijn|geweest)(?!\w)"
)
_HEDGE = _GATE.compile(
    r"(?<!\w)(?:reportedly|allegedly|naar\s+verluidt|vermoedelijk|waarschijnlijk|"
    r"hoogstwaarschijnlijk|claim\w*|beweer\w*|stelt|stellen|suspected|apparent(?:ly)?|"
    r"onbevestigd\w*|unconfirmed|niet\s+te\s+verifi\w*|could\s+not\s+be\s+verified)(?!\w)"
)
_SUBORDINATOR = re.compile(
    r"(?<!\w)(?:nadat|na|toen|after|when|since|sinds|because|omdat|doordat|following|"
    r"terwijl|while|waarbij|whereupon|waarna)(?!\w)"
)
_TEMPORAL_SUB = _GATE.compile_skipping(
    r"(?<![\w-])(?:nadat|after|toen|when|terwijl|while|voordat|before|until|totdat|zodra|"
    r"as\s+soon\s+as)(?![\w-])"
)
# a temporal clause about another time than the main clause's
_OTHER_TIME = re.compile(r"\s*(?:after|nadat|before|voordat)(?![\w-])")
_CONTINUATION = re.compile(
    r"^\s*(?:and|en|as\s+well\s+as|evenals|alsook)\s+(?:also\s+|ook\s+)?"
    r"(?:at|on|against|into|op|tegen|naar)\s"
)
_CAUSE = _GATE.compile(
    r"(?<!\w)(?:(?:als|in)\s+)?(?:reactie|antwoord|vergelding|wraak|represaille)\s+(?:op|voor)"
    r"|(?:in\s+)?(?:response|retaliation|revenge|reprisal|retribution)\s+(?:to|for)"
    r"|(?:revancheren|wreken)\s+voor|to\s+avenge|(?:followed|follows|following|came\s+after|"
    r"comes\s+after|in\s+the\s+wake\s+of)(?=\s+(?:a|an|the|last|an?\s+\w+)\s)|volgde\s+op|volgen\s+op"
)
_ATTRIBUTION_NP = _GATE.compile(r"(?<!\w)(?:volgens|according\s+to|afgaand\s+op|citing|per)(?!\w)")
_FINITE_STOP = re.compile(
    r"(?<![\w-])(?:heeft|hebben|had|hadden|is|zijn|was|waren|werd|werden|wordt|worden|zal|"
    r"zullen|zou|zouden|has|have|were|will|would|begon|begonnen|ging|gingen)(?![\w-])"
)
_ATTRIBUTION_VERB = _GATE.compile_skipping(
    r"(?:[,\"'“”‘’]|^)\s*(?:stelt|stellen|stelde|schrijft|schrijven|schreef|meldt|melden|meldde|"
    r"aldus|zegt|zeggen|zei|verklaarde|verklaart|said|says|reported|claimed|claims|told|"
    r"announced|wrote|writes|according)(?!\w)"
)
_SAID_THAT = _GATE.compile_skipping(
    r"(?<![\w-])(?:zegt|zeggen|zei|zeiden|meldt|melden|meldde|meldden|stelt|stellen|stelde|"
    r"verklaart|verklaren|verklaarde|beweert|beweren|beweerde|said|says|say|claimed|claims|"
    r"reported|reports|stated|told\s+\w+)\s+"
    # "Bakoe stelt daarentegen dat", "Iran said on Tuesday that": a short adverbial between
    r"(?:(?:daarentegen|echter|ook|nu|later|vandaag|gisteren|on|in|op|also|however|then|"
    r"\w+day|\w+dag|\w+ochtend|\w+avond|morning|evening|night)\s+){0,3}(?:dat|that)(?![\w-])"
)
# a reporting verb that ends its segment: ", the U.S. military said."
_SAID_AT_END = _GATE.compile_skipping(
    r"(?<![\w-])(?:said|says|reported|zei|zegt|meldde|meldt)"
    r"(?=(?:\s+(?:on|op|late|early)\s+[\w-]+|\s+in\s+a\s+statement)?\s*(?:[.;]|$))"
)
# "X blamed/accused Y for/of ...", "X beschuldigde Y van ...": X makes the claim about Y
_ACCUSES = _GATE.compile_skipping(
    r"(?<![\w-])(?:blam(?:es|ed)|accus(?:es|ed)|beschuldigt|beschuldigde|beschuldigden)"
    r"(?=\s+(?:the\s+|de\s+|het\s+)?[\w'’.-]+(?:\s+[\w'’.-]+)?\s+(?:for|of|van|ervan)\s)"
)
_PASSIVE_AUX = re.compile(
    r"(?<!\w)(?:werd|werden|wordt|worden|is|zijn|was|waren|geweest|were|been|being|be|are|got|"
    r"gets|get)(?!\w)"
)
# Dutch strong participles without ge- ("beschoten", "bevochten"): also the past plural
_PAST_PLURAL_PARTICIPLE = re.compile(r"(?:be|ver|ont)[a-z]+en")
_WORDEN = re.compile(r"(?<![\w-])(?:werd|werden|wordt|worden)(?![\w-])")
_ACTIVE_AUX_NL = re.compile(r"(?<!\w)(?:heeft|hebben|had|hadden)(?!\w)")
_COPULA = re.compile(r"(?<!\w)(?:is|was|waren|zijn|geweest|were|are|been|werd|werden|became)(?!\w)")
_PROXY_AFTER = re.compile(
    r"^-?\s*(?:backed|gesteunde|steunde|aligned|allied|linked|affiliated|sponsored)"
)
_PROXY_BEFORE = re.compile(r"(?:pro-|anti-)$")
_LED_AFTER = re.compile(r"^-?\s*(?:led|geleide)(?![\w-])")
# The party an attack is attributed to: "a strike attributed to Israel", "blamed on Russia",
# "een aanval die aan Israël wordt toegeschreven".
_ATTRIBUTED_BEFORE = _GATE.compile_skipping(
    r"(?<![\w-])(?:attributed|ascribed)\s+to\s+(?:the\s+)?$|(?<![\w-])blamed\s+on\s+(?:the\s+)?$"
)
_ATTRIBUTED_AFTER = _GATE.compile(
    r"^\s+(?:(?:wordt|werd|worden|werden|is|zijn|was|waren)\s+)?(?:toegeschreven|toegedicht)"
    r"(?![\w-])"
)
# A person as the subject right before a verb cue attacks with words.
_PERSON_SUBJECT = _GATE.compile(
    r"(?<![\w-])(?:ministers?|premier|president|leaders?|spokes(?:man|woman|person)|chancellor|"
    r"kanselier|politicians?|politicus|politici|critics|opposition|oppositie|lawmakers|"
    r"senators?|mps?|kamerlid|kamerleden|woordvoerder|leider|ambassador|ambassadeur|"
    r"columnist|candidate|kandidaat|coach|trainer|chairman|voorzitter)\s+$"
)
# A party naming a person's affiliation: "Hamas-leider Haniyeh", "a Hezbollah commander".
_PERSON_AFTER = _GATE.compile(
    r"^[\s-]*(?:(?:senior|top|former|ex-|militaire|military|hoge|oud-|political|politieke|"
    r"politiek|exiled|deputy|plaatsvervangend)\s*)?"
    r"(?:leaders?|leider\w*|commanders?|commandant\w*|chiefs?|kopstuk\w*|officials?|"
    r"spokes(?:man|woman|person|men)|woordvoerder\w*|founders?|oprichter\w*|negotiators?|"
    r"onderhandelaar\w*|envoys?|gezant\w*|ministers?|"
    # people in a crowd or a match: "Serbian fans attacked Albanian players" is no strike
    r"fans|supporters|hooligans|ultras|players|spelers|voetballers|footballers|athletes|"
    r"atleten|tourists|toeristen|protesters|demonstrators|demonstranten|betogers|rioters|"
    r"relschoppers|students|studenten)(?![\w-])"
)
# An air defence fires at the attack, it does not strike: "fired by Ukraine's air defences",
# "de Oekraïense luchtafweer"
_AIR_DEFENCE_AFTER = _GATE.compile(
    r"^(?:['’]s)?[\s-]+(?:air[\s-]+defen[cs]es?|air[\s-]+defen[cs]e\s+(?:systems?|units?|forces)|"
    r"anti-aircraft|luchtafweer\w*|luchtverdediging\w*)(?![\w-])"
)
# A place naming a war, talks or a deal, not a target: "the Gaza war", "de Oekraïne-oorlog",
# "the Doha agreement"; "talks on a truce in Gaza", "gesprekken over een bestand in Gaza".
_TOPIC_AFTER = _GATE.compile(
    r"^[\s-]*(?:war|wars|conflict|crisis|talks|ceasefire|truce|deal|agreement|accords?|"
    r"peace|process|policy|summit|conference|negotiations|oorlog\w*|conflict\w*|crisis|"
    r"gesprekken|bestand|wapenstilstand|akkoord\w*|overeenkomst|vrede\w*|beleid|top|"
    r"conferentie|onderhandelingen)(?![\w-])"
)
_TOPIC_BEFORE = _GATE.compile_skipping(
    r"(?<![\w-])(?:ceasefire|truce|peace|talks|negotiations|deal|agreement|bestand|"
    r"wapenstilstand|vrede|gesprekken|onderhandelingen|akkoord)\s+(?:in|for|over|voor|"
    r"on|op|with|met)\s+(?:(?:the|de|het)\s+)?$|"
    # "since the war in Gaza began", "de oorlog in Oekraïne": the war's theatre, not a target
    r"(?<![\w-])(?:the|de|het)\s+(?:war|oorlog|conflict)\s+(?:in|om)\s+$"
)
# A party related to a place in an apposition: "an ally of the United States", "de aartsrivaal
# van Pakistan", "a neighbour of Iran"; a country's policy ("the declared policy of the US").
_RELATION_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:ally|allies|bondgeno\w*|partners?|rival\w*|aartsrivaal|vijand\w*|enem(?:y|ies)|"
    r"neighbou?rs?|buurland\w*|vriend\w*|friends?|sponsors?|backers?|proxy|proxies|"
    r"beschermheer|bondgenootschap|policy|policies|beleid|doctrine)['\"”’]?\s+(?:van|of)\s+"
    r"(?:(?:de|het|the)\s+)?$"
)
# A place visited or met in: "on a visit to India", "meeting at the Ramstein air base in
# Germany", "op bezoek in India", "bracht een bezoek aan Kyiv".
_VISIT_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:visit\w*|bezoek\w*|meeting|met(?=\s+(?:in|at)\s)|meets|summit|conference|top|conferentie|"
    r"trip|reis|reisde|travel\w*|arrived|arriveerde|aangekomen|ontmoeting|ontmoette|"
    r"vergader\w*|gathered|bijeen)\s+(?:[\w'’-]+\s+){0,4}?(?:in|at|to|naar|aan|bij)\s+"
    r"(?:(?:the|de|het)\s+)?(?:[\w'’-]+\s+){0,4}?(?:in\s+)?$"
)
_DEFINITE_BEFORE = re.compile(
    r"(?<!\w)(?:de|het|deze|die|dit|dat|the|this|that|these|those|such|zo'n|dergelijke|zulke)"
    r"(?:\s+[\w'-]+){0,2}\s*$"
)
_STRIKE_REFERENCE = _GATE.compile(
    r"(?<!\w)(?:de|het|deze|die|dit|the|this|that|these|those)\s+(?:[\w'-]+\s+){0,2}?"
    r"(?:(?:lucht|raket|drone|tegen|raket-\s+en\s+drone-|[\w-]+-)?aanval(?:len)?|"
    r"(?:lucht)?bombardement(?:en)?|beschieting(?:en)?|(?:air|drone|missile|rocket)?\s?strikes?|"
    r"airstrikes?|attacks?|bombing|shelling|raids?)(?!\w)"
)
# The weapons of a strike told before: "they had fired the missiles", "de raketten afgevuurd"
_DEFINITE_WEAPON = re.compile(
    r"(?<!\w)(?:de|die|deze|the|these|those)\s+(?:[\w'-]+\s+){0,2}?(?:raketten|missiles|"
    r"rockets|drones|projectielen|projectiles|granaten|shells|bommen|bombs)(?!\w)"
)
# ... or the place struck, named before: "werd het station getroffen door een Russische raket"
_DEFINITE_STRUCK = re.compile(
    r"(?<!\w)(?:de|het|die|dat|deze|the|this|that)\s+(?:[\w'-]+\s+)?(?:(?:trein)?station|"
    r"gebouw|building|ziekenhuis|hospital|school|markt|market|basis|base|kamp|camp|dorp|"
    r"village|haven|port|fabriek|factory|raffinaderij|refinery|flat|complex|konvooi|convoy|"
    r"depot|airport|vliegveld|luchthaven)(?!\w)"
)
_UNKNOWN_AGENT = _GATE.compile(
    r"^\s*(?:door|by|van|of|from)\s+(?:\w+\s+)?(?:militanten|militants|rebellen|rebels|gunmen|"
    r"strijders|fighters|onbekenden|unknown|separatisten|separatists|terroristen|terrorists|"
    r"milities|militias|jihadisten|jihadists|insurgents|opstandelingen)(?!\w)"
)
_OTHER_EVENT = _GATE.compile(
    r"(?<!\w)(?:\w*aanslag\w*|explosie\w*|ontploffing\w*|aardbeving\w*|ongeluk\w*|ramp\w*|"
    r"bombings?|explosions?|blasts?|earthquakes?|accidents?|crash\w*|shooting|schietpartij\w*)(?!\w)"
)
_KILLED = re.compile(
    r"(?<!\w)(?:gedood|doodgeschoten|omgekomen|om\s+het\s+leven|doden|dode|doden|dood|"
    r"killed|dead|died|die|deaths|slain|lost\s+their\s+lives|fatalities|sneuvelden|gesneuveld|"
    r"overleden|overleed|lieten\s+het\s+leven|kwamen\s+om)(?!\w)"
)
_INJURED = re.compile(
    r"(?<!\w)(?:gewond|gewonden|verwond|raakten\s+gewond|injured|wounded|hurt|injuries)(?!\w)"
)
_CASUALTY_HINT = compile_skipping(
    r"kill|dood|dode|gewond|wound|injur|hurt|dead|died|\bdie\b|death|leven|sneuvel|overle|"
    r"slain|fatal|omgekomen|kwamen\s+om|kostte|claimed"
)
_YEAR = re.compile(r"(?:19|20)\d\d")
_CLAUSE_END = re.compile(r"[.;]")
# Verbs whose object is the dead or wounded ("killing 12", "doodde twee militairen").
_KILLING_VERBS = r"killing|killed|doodde|doodden"
_INJURING_VERBS = r"injuring|injured|wounding|wounded|verwondde|verwondden"
_KILLING_BEFORE = re.compile(
    rf"(?<!\w)(?:{_KILLING_VERBS}|kostte|claimed)\s+"
    r"(?:at\s+least\s+|ten\s+minste\s+|minstens\s+)?$"
)
_INJURING_BEFORE = re.compile(rf"(?<!\w)(?:{_INJURING_VERBS})\s+(?:at\s+least\s+|minstens\s+)?$")
_NOT_PEOPLE_AFTER = re.compile(
    r"^\s*(?:uur|hours?|minuten|minutes|dagen|days?|jaar|jaren|years?|km|kilometer\w*|miles?|"
    r"procent|percent|%|meter\w*|dollar\w*|euro\w*|keer|times|raketten|missiles|rockets|drones|"
    r"bases|doelen|doelwitten|targets|januari|februari|maart|april|mei|juni|juli|augustus|"
    r"september|oktober|november|december|january|february|march|june|july|august|october)(?!\w)"
)

_MONTHS = {
    "januari": 1,
    "january": 1,
    "jan": 1,
    "februari": 2,
    "february": 2,
    "feb": 2,
    "maart": 3,
    "march": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "june": 6,
    "juli": 7,
    "july": 7,
    "augustus": 8,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "oktober": 10,
    "october": 10,
    "oct": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_DMY = re.compile(rf"(?<!\w)(\d{{1,2}})\s+({_MONTH_ALT})\.?(?:\s+(\d{{4}}))?(?!\w)")
_DATE_MDY = compile_skipping(
    rf"(?<!\w)({_MONTH_ALT})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?(?!\w)"
)

_PLACE_RANK = {
    KIND_SITE: 5,  # an air base or port is more specific than the town beside it
    KIND_CITY: 4,
    KIND_ADMIN1: 3,
    KIND_REGION: 2,
    KIND_WATER: 2,
    KIND_COUNTRY: 1,
    KIND_DEMONYM: 0,
}
_PRECISION = {
    KIND_SITE: "place",
    KIND_CITY: "place",
    KIND_ADMIN1: "admin1",
    KIND_REGION: "region",
    KIND_WATER: "region",
    KIND_COUNTRY: "country",
    KIND_DEMONYM: "country",
}

# --------------------------------------------------------------------------------------------
# Internal structures
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    start: int  # offsets into the article text
    end: int
    text: str
    actor: ActorMention | None = None
    toponym: Toponym | None = None
    role: str = ""  # attacker, target, origin, claimant, ignore, bare
    proxy: bool = False
    attributed: bool = False  # "attributed to X", "blamed on X": the attacker the text names

    @property
    def is_demonym(self) -> bool:
        return self.toponym is not None and self.toponym.kind == KIND_DEMONYM

    @property
    def is_place(self) -> bool:
        """A location that can be a target or a launch site (countries included)."""
        return (
            self.toponym is not None
            and self.toponym.kind != KIND_DEMONYM
            and self.toponym.lon is not None
            and self.toponym.lat is not None
        )

    @property
    def is_actorlike(self) -> bool:
        """Can attack: a named actor, a country or a demonym (not a city or region)."""
        if self.actor is not None:
            return True
        return self.toponym is not None and self.toponym.kind in (KIND_COUNTRY, KIND_DEMONYM)

    @property
    def countries(self) -> tuple[str, ...]:
        if self.actor is not None and self.actor.countries:
            return self.actor.countries
        if self.toponym is not None and self.toponym.country_iso3:
            return (self.toponym.country_iso3,)
        return ()

    @property
    def actor_name(self) -> str:
        if self.actor is not None:
            return self.actor.name
        assert self.toponym is not None
        return self.toponym.name


@dataclass(slots=True)
class _Cue:
    start: int  # article offsets
    end: int
    spec: _CueSpec


@dataclass(slots=True)
class _Clause:
    start: int
    end: int
    cues: list[_Cue] = field(default_factory=list)
    gapped_from: _Cue | None = None


@dataclass(frozen=True, slots=True)
class _Party:
    """An attacker as decided for one clause."""

    name: str
    iso3: str | None
    countries: tuple[str, ...]
    how: str  # named, country, demonym, claimant, coreference
    lon: float | None = None
    lat: float | None = None
    key: str = ""


@dataclass(slots=True)
class _Analysis:
    sentence: Sentence
    clause: _Clause
    cue: _Cue
    attackers: list[_Party]
    targets: list[_Mention]
    target_actor: str | None
    target_actor_countries: tuple[str, ...]
    origin: _Mention | None
    may_corefer: bool
    hedged: bool
    weapons: tuple[str, ...]
    pronoun: bool = False
    background: bool = False  # a strike named as the cause of another ("in retaliation for")
    reciprocal: bool = False  # "X and Y traded fire": each party strikes the other


# --------------------------------------------------------------------------------------------
# Public helpers
# --------------------------------------------------------------------------------------------


def find_weapons(text: str) -> tuple[str, ...]:
    """Return the canonical weapon names a text mentions, in a stable order.

    >>> find_weapons("bestookt met drones en raketten")
    ('missiles', 'drones')
    >>> find_weapons("Israeli warplanes fired cruise missiles")
    ('cruise missiles', 'air strike')
    """
    folded = fold(text)
    return _weapon_names([i for _, _, i in _weapon_spans(folded, 0, len(folded))])


def _weapon_names(indices: Sequence[int] | set[int]) -> tuple[str, ...]:
    """Weapon names of the given (1-based) alternatives of :data:`_WEAPON_RE`, in table order,
    each once ("raketten" and "missiles" are both "missiles")."""
    if not indices:
        return ()
    return _WEAPON_NAMES.get(frozenset(indices)) or _weapon_names_of(frozenset(indices))


_WEAPON_NAMES: dict[frozenset[int], tuple[str, ...]] = {}


def _weapon_names_of(indices: frozenset[int]) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(_WEAPONS[i - 1][1] for i in sorted(indices)))
    _WEAPON_NAMES[indices] = names
    return names


class _Weapons:
    """The weapon words of one folded article; :meth:`between` answers for a span inside one
    sentence as :func:`find_weapons` would on that span. Only the sentences the lexicon scan
    flagged are searched, each once."""

    __slots__ = ("_answers", "_flags", "_folded", "_found", "_sentence_starts", "_sentences")

    def __init__(
        self,
        folded: str,
        sentences: Sequence[Sentence],
        sentence_starts: list[int],
        flags: list[int],
    ) -> None:
        self._folded = folded
        self._sentences = sentences
        self._sentence_starts = sentence_starts
        self._flags = flags
        self._found: dict[int, list[tuple[int, int, int]]] = {}
        # a clause's and its sentence's spans are asked about several times
        self._answers: dict[tuple[int, int], tuple[str, ...]] = {}

    def _in_sentence(self, index: int) -> list[tuple[int, int, int]]:
        found = self._found.get(index)
        if found is None:
            sentence = self._sentences[index]
            found = _weapon_spans(self._folded, sentence.start, sentence.end)
            self._found[index] = found
        return found

    def between(self, start: int, end: int) -> tuple[str, ...]:
        answer = self._answers.get((start, end))
        if answer is not None:
            return answer
        index = max(0, bisect.bisect_right(self._sentence_starts, start) - 1)
        if not self._sentences or not self._flags[index] & _FLAG_WEAPON:
            answer = ()
        else:
            answer = _weapon_names(
                [i for s, e, i in self._in_sentence(index) if start <= s and e <= end]
            )
        self._answers[start, end] = answer
        return answer


def find_casualties(text: str) -> tuple[int | None, int | None]:
    """Return ``(killed, injured)`` counts a sentence states, ``None`` where it states none.

    A number counts when a casualty word follows within eight words ("twee kinderen gedood",
    "at least 12 people were killed") or precedes it ("killing 12"); vague quantities stay None.

    >>> find_casualties("Volgens de verklaring werden twee kinderen gedood en raakten drie meisjes gewond.")
    (2, 3)
    >>> find_casualties("At least 12 people were killed and dozens wounded.")
    (12, None)
    >>> find_casualties("Ruim negentig mensen kwamen bij de bomaanslag om het leven.")
    (90, None)
    """
    folded = fold(text)
    numbers = [n for n in find_numbers(folded) if n.text not in ("een", "a", "an")]
    killed: int | None = None
    injured: int | None = None
    for index, number in enumerate(numbers):
        if _YEAR.fullmatch(number.text):
            continue  # a year
        after = folded[number.end : number.end + 240]  # eight words are looked at
        if _NOT_PEOPLE_AFTER.match(after):
            continue
        limit = numbers[index + 1].start - number.end if index + 1 < len(numbers) else len(after)
        window = " ".join(after[:limit].split()[:8])
        window = _CLAUSE_END.split(window, maxsplit=1)[0]
        before = folded[max(0, number.start - 60) : number.start]  # "killing at least ..."

        kind: str | None = None
        k_match, i_match = _KILLED.search(window), _INJURED.search(window)
        if _KILLING_BEFORE.search(before):
            kind = "killed"
        elif _INJURING_BEFORE.search(before):
            kind = "injured"
        elif k_match and (not i_match or k_match.start() < i_match.start()):
            kind = "killed"
        elif i_match:
            kind = "injured"
        if kind == "killed":
            killed = max(killed or 0, number.value)
        elif kind == "injured":
            injured = max(injured or 0, number.value)
    return killed, injured


_YEAR_START = re.compile(r"\d{4}")


def sentence_date(text: str, article_date: str | None) -> str | None:
    """Return the ISO date a sentence names ("op 16 januari 2024", "on January 16"), else the
    article's date. A day without a year takes the article's year.

    >>> sentence_date("Op 16 januari vuurde Iran raketten af.", "2024-01-18")
    '2024-01-16'
    >>> sentence_date("Gisteravond vielen raketten.", "2024-01")
    '2024-01'
    """
    folded = fold(text)
    year_default = article_date[:4] if article_date and _YEAR_START.match(article_date) else None
    match = _DATE_DMY.search(folded)
    if match:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], match.group(3)
    else:
        match = _DATE_MDY.search(folded)
        if not match or match.group(1) in ("may", "mei") and not match.group(3):
            return article_date
        month, day, year = _MONTHS[match.group(1)], int(match.group(2)), match.group(3)
    year = year or year_default
    if not year or not 1 <= day <= 31:
        return article_date
    return f"{int(year):04d}-{month:02d}-{day:02d}"


# --------------------------------------------------------------------------------------------
# Sentence analysis
# --------------------------------------------------------------------------------------------


_WORD = re.compile(r"[\w'’-]+")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _find_cues(
    folded: str, sentences: Sequence[Sentence], wanted: dict[int, set[int]]
) -> list[_Cue]:
    """The cues of an article: each cue pattern runs only over the sentences holding one of its
    hints (``wanted``: sentence index -> cue indices, from :func:`_scan_lexicon`), and may run
    on past the sentence's end, as a separable verb's particle can."""
    found: list[_Cue] = []
    for index, cue_indices in wanted.items():
        sentence = sentences[index]
        stop = min(len(folded), sentence.end + 200)
        for cue_index in sorted(cue_indices):
            spec, regex = _CUE_RES[cue_index]
            # only a separable verb's particle may lie past the sentence's end
            end = stop if "head" in regex.groupindex else sentence.end
            for match in regex.finditer(folded, sentence.start, end):
                s, e = match.start(), match.end()
                if s >= sentence.end:
                    break
                before = folded[max(0, s - 30) : s]
                if _CUE_BLOCKERS.search(before) or _CUE_BLOCKERS_AFTER.match(folded[e : e + 12]):
                    continue
                if (
                    spec.lang == "en"
                    and spec.pattern.startswith("strikes")
                    and _ON_STRIKE.search(before)
                ):
                    continue
                if spec.pattern.startswith(("struck", "strikes")) and _STRUCK_IDIOM_AFTER.match(
                    folded, e
                ):
                    continue  # "struck a trade deal"
                if "head" in regex.groupindex and match.group("head") is not None:
                    # Separable verbs ("vuurde ... af"): the finite verb is the cue; the words
                    # up to the particle hold the subject and objects.
                    s, e = match.span("head")
                found.append(_Cue(s, e, spec))
    # Longest first, then drop cues inside a longer one ("drone-aanval" over "aanval").
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    kept: list[_Cue] = []  # sorted by start, never overlapping
    kept_starts: list[int] = []
    for cue in found:
        at = bisect.bisect_left(kept_starts, cue.start)
        if at > 0 and kept[at - 1].end > cue.start:
            continue
        if at < len(kept) and kept[at].start < cue.end:
            continue
        kept.insert(at, cue)
        kept_starts.insert(at, cue.start)
    return kept


# , ; : (not between digits: 1,200), a spaced dash, an ellipsis. Written to start with one
# character class, which the regex engine scans for quickly.
_CUT = re.compile(r"[,;:…\s](?:(?<=[,;:])(?<!\d.)(?!\d)|(?<=…)|(?<=\s)[–—-]\s)")
# text, cut starts, cut ends, and the segments of the spans asked about (a clause's segments
# are asked for by several of its checks)
_cuts_memo: tuple[str, list[int], list[int], dict[tuple[int, int], list[tuple[int, int]]]] = (
    "",
    [],
    [],
    {},
)


def _segments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) at , ; : and spaced dashes (not inside numbers such as 1,200).

    The cuts of the whole text are found once and kept for the next call on the same text
    (the clauses of one article ask many times), and so are the answers. The list returned
    is shared: callers do not change it."""
    global _cuts_memo
    memo = _cuts_memo
    if memo[0] is not text:
        matches = list(_CUT.finditer(text))
        memo = (text, [m.start() for m in matches], [m.end() for m in matches], {})
        _cuts_memo = memo
    _, cut_starts, cut_ends, answers = memo
    answer = answers.get((start, end))
    if answer is not None:
        return answer
    lo = bisect.bisect_left(cut_starts, start)
    cuts = [start]
    for index in range(lo, len(cut_starts)):
        if cut_ends[index] > end:
            break
        cuts.append(cut_ends[index])
    cuts.append(end)
    answer = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]
    answers[start, end] = answer
    return answer


_PLACE_ANAPHOR = _GATE.compile(
    r"(?<![\w-])(?:in|on|at|across|throughout|op|bij|rond|overal\s+in)\s+"
    r"(?:the|that|this|de|het|die|deze|dat)\s+(?:whole\s+|hele\s+)?"
    r"(?:(province|region|governorate|provincie|regio)|(city|town|village|stad|dorp))(?![\w-])"
)


def _place_anaphor(
    folded: str, clause: _Clause, cue: _Cue, topos: list[Toponym], starts: list[int]
) -> list[_Mention]:
    """The place "in the province", "in de stad" refers to: the province or town named last
    before the clause ("... fled the fighting in Idlib. Syrian and Russian air strikes have hit
    hospitals in the province")."""
    match = _PLACE_ANAPHOR.search(folded, cue.end, clause.end)
    if match is None:
        return []
    province = match.group(1) is not None
    region = province and match.group(1).startswith("regi")

    def fits(toponym: Toponym) -> bool:
        if toponym.lon is None:
            return False
        if province:  # a province, or a town read for the province it names ("Idlib")
            return (
                toponym.kind == KIND_ADMIN1
                or (region and toponym.kind == KIND_REGION)
                or (
                    toponym.kind == KIND_CITY
                    and bool(toponym.admin1)
                    and fold(toponym.name) in fold(toponym.admin1 or "")
                )
            )
        return toponym.kind in (KIND_CITY, KIND_SITE)

    earlier = topos[: bisect.bisect_left(starts, match.start())]
    named = next((t for t in reversed(earlier) if fits(t)), None)
    if named is None:
        return []
    mention = _Mention(named.start, named.end, named.text, toponym=named)
    mention.role = "target_loc"
    return [mention]


def _build_mentions(
    text: str, start: int, end: int, actors: list[ActorMention], toponyms: Sequence[Toponym]
) -> list[_Mention]:
    mentions: list[_Mention] = []
    used: set[int] = set()
    for actor in actors:
        mention = _Mention(actor.start, actor.end, actor.text, actor=actor)
        for index, toponym in enumerate(toponyms):
            if toponym.start < actor.end and actor.start < toponym.end:
                used.add(index)
                if toponym.kind != KIND_DEMONYM and mention.toponym is None:
                    mention.toponym = toponym
        mentions.append(mention)
    for index, toponym in enumerate(toponyms):
        if index not in used:
            mentions.append(_Mention(toponym.start, toponym.end, toponym.text, toponym=toponym))
    mentions.sort(key=lambda m: m.start)
    for mention in mentions:
        after = text[mention.end : mention.end + 14].lower()
        before = text[max(start, mention.start - 4) : mention.start].lower()
        if _PROXY_AFTER.match(after) or _PROXY_BEFORE.search(before):
            mention.proxy = True
    return mentions


def _pieces(text: str, folded: str, start: int, end: int) -> list[tuple[int, int]]:
    """:func:`_segments`, each cut again before a temporal subordinator ("after Iran fired",
    "nadat Israël ... had gebombardeerd"): the subordinate clause is an event of its own."""
    pieces: list[tuple[int, int]] = []
    for seg_start, seg_end in _segments(folded, start, end):
        cuts = [seg_start]
        for match in _TEMPORAL_SUB.finditer(folded, seg_start, seg_end):
            if match.start() > cuts[-1] and folded[cuts[-1] : match.start()].strip(" ,"):
                cuts.append(match.start())
        cuts.append(seg_end)
        pieces.extend((a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a)
    return pieces


# A reporting verb makes a clause of its own: a gapped clause ("and Turkey targets in Iraq")
# has none.
_OWN_VERB = re.compile(
    r"(?<![\w-])(?:said|says|told|added|reported|stated|announced|confirmed|denied|insisted|"
    r"zei|zegt|meldde|meldt|verklaarde|bevestigde|ontkende|liet\s+weten)(?![\w-])"
)
# a segment that opens with a finite auxiliary goes on with the subject before it
_PREDICATE_START = re.compile(
    r"\s*(?:was|were|is|are|has|have|had|werd|werden|wordt|worden|zijn|waren|heeft|hebben|"
    r"hadden|kwam|kwamen)\s"
)
# a segment that goes on with a list ("Jermuk en Vardenis te beschieten", "mortieren en drones")
_LIST_ITEM = re.compile(r"\s*[\w'’.-]+(?:\s+[\w'’.-]+)?\s+(?:en|of)\s+[\w'’.-]+")
_GAP_START = re.compile(r"^\s*(?:and|en|as\s+well\s+as|alsook|plus|evenals|ook|also)\s")


_AND = re.compile(r"\s(?:and|en)\s+(?:(?:the|de|het)\s+)?")


def _split_coordinated(
    folded: str, start: int, end: int, cues: list[_Cue], mentions: list[_Mention]
) -> list[tuple[int, int]]:
    """Cut [start, end) before "and"/"en" that joins a second clause with a subject and a
    strike verb of its own: "Israeli jets struck Gaza and Hamas fired rockets at Tel Aviv",
    "... and French jets destroyed tanks outside Benghazi" is not one attacker's list."""
    cuts = [start]
    for match in _AND.finditer(folded, start, end):
        # a verb with words after it before "and": in a Dutch verb-final clause ("dat Thaise
        # eenheden een grenspost aanvielen en Cambodjaanse stellingen beschoten") the verb
        # ends its part and the words after "en" are an object
        if not any(
            cuts[-1] <= c.start
            and c.end < match.start()
            and not c.spec.noun
            and _words(folded[c.end : match.start()])
            for c in cues
        ):
            continue
        subject = next((m for m in mentions if m.start == match.end()), None)
        if subject is None or not subject.is_actorlike:
            continue
        verb = next((c for c in cues if subject.end <= c.start < end and not c.spec.noun), None)
        if verb is None or len(_words(folded[subject.end : verb.start])) > 3:
            continue
        cuts.append(match.start() + 1)
    if len(cuts) == 1:
        return [(start, end)]
    cuts.append(end)
    return list(zip(cuts, cuts[1:], strict=False))


def _clauses(
    text: str, folded: str, start: int, end: int, cues: list[_Cue], mentions: list[_Mention]
) -> list[_Clause]:
    clauses: list[_Clause] = []
    pieces = _pieces(text, folded, start, end)
    if len(cues) > 1:
        pieces = [
            part for a, b in pieces for part in _split_coordinated(folded, a, b, cues, mentions)
        ]
    for seg_start, seg_end in pieces:
        seg_cues = [c for c in cues if seg_start <= c.start < seg_end]
        seg_mentions = [m for m in mentions if seg_start <= m.start < seg_end]
        if not clauses:
            clauses.append(_Clause(seg_start, seg_end, seg_cues))
            continue
        previous = clauses[-1]
        segment = folded[seg_start:seg_end]
        is_gapped = (
            not seg_cues
            and (previous.cues or previous.gapped_from)
            and _GAP_START.match(segment)
            and any(m.is_actorlike for m in seg_mentions)
            and any(m.is_place for m in seg_mentions[1:])
            # "..., and the U.S. consulate in Erbil said ...": a verb of its own, no gap
            and not _OWN_VERB.search(segment)
        )
        # "..., and at Islamic State targets in Syria": a second object of the same verb.
        continues = bool(previous.cues) and bool(_CONTINUATION.match(segment))
        # "begon het leger met artillerie, mortieren en drones de steden Goris, Jermuk en
        # Vardenis te beschieten": the commas cut a list, the verb ends the one clause
        continues = continues or (not previous.cues and bool(_LIST_ITEM.match(segment)))
        if is_gapped:
            source = previous.cues[0] if previous.cues else previous.gapped_from
            clauses.append(_Clause(seg_start, seg_end, [], gapped_from=source))
        elif (
            seg_cues
            and not continues
            and (any(m.is_place or m.is_actorlike for m in seg_mentions) or not previous.cues)
            and not (
                # a Dutch verb-final remnant after an apposition ("Een drone van Hezbollah
                # heeft een basis bij Binyamina, ten zuiden van Haifa, getroffen"): the verb of
                # the clause before
                not seg_mentions
                and not previous.cues
                and all(c.spec.lang == "nl" for c in seg_cues)
                and len(_words(segment)) <= 3
            )
            # the predicate after an apposition ("Erbil, the capital of the Kurdistan region,
            # was hit by missiles"): the subject is in the clause before
            and not (not previous.cues and _PREDICATE_START.match(segment))
        ):
            clauses.append(_Clause(seg_start, seg_end, seg_cues))
        else:
            previous.end = seg_end
            previous.cues.extend(seg_cues)
    return clauses


def _is_negated(folded: str, clause: _Clause, cue: _Cue) -> bool:
    window_start = clause.start
    words_before = list(_WORD.finditer(folded[window_start : cue.start]))
    if len(words_before) > 4:
        window_start += words_before[-4].start()
    window_end = cue.end
    if cue.spec.lang == "nl" and not cue.spec.noun:
        # "Iran viel Pakistan niet aan", "vuurde geen raketten af": negation after the verb.
        after = list(_WORD.finditer(folded[cue.end : clause.end]))[:3]
        if after:
            window_end = cue.end + after[-1].end()
    window = folded[window_start:window_end]
    for match in _NEGATION.finditer_in(folded, window_start, window_end):
        if not _NEGATION_EXCEPT.match(window[match.start() :]):
            return True
    return False


_OPENERS = " \t\n\"'“”‘’«»„(["
# A strike noun after "since" dates something else ("since Hamas' attack on Israel"): background.
# A judgement of how likely an attack is: the attack has not happened.
_UNLIKELY = _GATE.compile_skipping(
    r"(?<![\w-])(?:onwaarschijnlijk|ondenkbaar|denkbaar|uitgesloten|unlikely|improbable|"
    r"inconceivable|conceivable|ruled\s+out|rules\s+out|"
    # expected, not yet reported: "an air operation was likely in the coming weeks"
    r"(?:is|was|seems|seemed|appears|appeared)\s+(?:likely|expected|imminent)|"
    r"(?:in|within)\s+the\s+(?:coming|next)\s+(?:days|weeks|months)|"
    r"(?:in\s+de\s+)?komende\s+(?:dagen|weken|maanden)|(?:wordt|werd)\s+verwacht)(?![\w-])"
)
_SINCE_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:ever\s+)?(?:since|sinds|sedert)\s+(?:[\w'’.-]+\s+){0,4}$"
)


_MODAL_AFTER = re.compile(r"^\s*(?:zou|zal|zullen|kan|kunnen|wil|willen|gaat|gaan)(?!\w)")


# a Dutch auxiliary between the subject and a second party: the party is the object
_AUX_NL_BETWEEN = re.compile(
    r"\s+(?:[\w'’-]+\s+)?(?:heeft|hebben|had|hadden)\s+(?:[\w'’-]+\s+)?(?:een\s+|de\s+|het\s+)?"
)


def _non_event(text: str, folded: str, clause: _Clause, cue: _Cue) -> bool:
    """True when a threat, modal, plan, denial or condition governs the cue."""
    before = folded[clause.start : cue.start]
    original = text[clause.start : cue.start]
    after = folded[cue.end : min(clause.end, cue.end + 40)]
    last: re.Match[str] | None = None
    for match in _NON_EVENT.finditer_in(folded, clause.start, cue.start):
        word = original[match.start() : match.end()]
        if word in ("May", "Will", "Als", "If") and before[: match.start()].strip(_OPENERS):
            continue  # a month, a name, or capitalised mid-sentence
        last = match
    for match in _NON_EVENT_EXTRA.finditer_in(folded, clause.start, cue.start):
        if last is None or match.start() > last.start():
            last = match
    if last is not None:
        if last.group().startswith(("zou", "zouden")) and _REPORTATIVE.match(
            folded[clause.start + last.start() : clause.end]
        ):
            return False
        between = before[last.end() :]
        if not _SUBORDINATOR.search(between):
            return True
    if cue.spec.lang == "nl" and cue.spec.noun:
        segment_end = next(
            (b for a, b in _segments(folded, clause.start, clause.end) if a <= cue.start < b),
            clause.end,
        )
        tail = " ".join(folded[cue.end : segment_end].split()[:8])
        if _INFINITIVE_AFTER.search(tail):
            return True
    if _SINCE_BEFORE.search_in(folded, clause.start, cue.start) and _used_as_noun(folded, cue):
        return True  # "since Hamas' October 7 attack on Israel": a date, not a report
    if _used_as_noun(folded, cue) and _UNLIKELY.search(folded, cue.end, clause.end):
        return True  # "Analisten achten een aanval op Guyana onwaarschijnlijk"
    after_words = _words(after)[:4]
    # "bombed a market in Bentiu", "hit schools and markets": a market struck is a place
    after_words = [
        w
        for i, w in enumerate(after_words)
        if not (
            w in ("market", "markets")
            and i
            and (after_words[i - 1] in _DETERMINERS or after_words[i - 1] in ("and", "en", "or"))
        )
    ]
    if _OFF_TOPIC_NEAR.possible(
        folded, clause.start, max(cue.end, min(clause.end, cue.end + 40))
    ) and _OFF_TOPIC_NEAR.search(" ".join(_words(before)[-3:] + ["#"] + after_words)):
        return True  # "oil prices hit a record", "he attacked his rival's policy"
    # Dutch verb-final modals: "... Pakistan aanvallen kan/zal/wil".
    return bool(_MODAL_AFTER.match(after))


def _cause_start(folded: str, clause: _Clause) -> int:
    match = _CAUSE.search(folded, clause.start, clause.end)
    return match.start() if match else clause.end


def _attribution_spans(
    folded: str, clause: _Clause, mentions: list[_Mention]
) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    segment_ends = [b for _, b in _segments(folded, clause.start, clause.end)]
    for match in _ATTRIBUTION_NP.finditer(folded, clause.start, clause.end):
        following = [m for m in mentions if m.start >= match.end() and m.start < clause.end]
        comma = folded.find(",", match.end(), clause.end)
        end = comma if comma != -1 else clause.end
        verb = _FINITE_STOP.search(folded, match.end(), end)
        if verb is not None:
            end = verb.start()  # "Volgens het leger heeft Rusland ...": the source ends there
        # "Volgens Kyiv vuurde Rusland ...": the cue verb ends the source too
        end = min([end, *(c.start for c in clause.cues if match.end() < c.start < end)])
        if following and following[0].start < end:
            end = min(end, following[0].end)
            # the whole noun phrase: "de Iraanse berichten", "Iraanse staatsmedia"
            end = max(end, match.end())
        spans.append((match.start(), end))
    for match in _ATTRIBUTION_VERB.finditer(folded, clause.start, clause.end):
        end = next((b for b in segment_ends if b > match.end()), clause.end)
        spans.append((match.start(), end))
    # The subject before a reporting verb, from the start of the verb's segment:
    # "..., the U.S. military said." (only after a cut: the clause's own subject is no source),
    # "Washington blamed Iran for the strikes" (the accuser, not the attacker),
    # "De Houthi-rebellen zeggen dat een luchtaanval ..." (the subject of the saying).
    for pattern, whole_clause in ((_SAID_AT_END, False), (_ACCUSES, True), (_SAID_THAT, True)):
        for match in pattern.finditer(folded, clause.start, clause.end):
            start = max(a for a in [clause.start, *segment_ends] if a <= match.start())
            if whole_clause or start > clause.start:
                spans.append((start, match.start()))
    return spans


def _governing_prep(folded: str, left: int, mention_start: int) -> str | None:
    words = _words(folded[left:mention_start])
    content = 0
    if len(words) >= 2 and words[-1] in _PREP_GENITIVE and words[-2] in _COMPASS_NOUNS:
        # "in het noorden van Mali", "in the south of Lebanon": placed like "in Mali"
        words = words[:-2]
    for word in reversed(words):
        if word in _ALL_PREPS:
            return word
        if word in _DETERMINERS or word in _PLACE_NOUNS:
            continue  # "in de Iraanse provincie Isfahan", "at the town of Safed"
        if word in _TIME_WORDS:
            return None  # "on Sunday US jets bombed": the preposition dates, it does not place
        content += 1  # "op buurland Pakistan", "in southern Lebanon": one modifier at most
        if content > 1:
            return None
    return None


_COMPASS_NOUNS = frozenset(
    "noorden zuiden oosten westen noordoosten noordwesten zuidoosten zuidwesten north south "
    "east west northeast northwest southeast southwest north-east north-west south-east "
    "south-west".split()
)
_TIME_WORDS = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday maandag dinsdag woensdag "
    "donderdag vrijdag zaterdag zondag morning afternoon evening night weekend ochtend middag "
    "avond nacht maandagavond dinsdagavond woensdagavond donderdagavond vrijdagavond "
    "zaterdagavond zondagavond january february march april june july august september "
    "october november december januari februari maart mei juni juli augustus oktober".split()
)
_PLACE_NOUNS = frozenset(
    "stad kuststad havenstad grensstad hoofdstad provinciehoofdstad dorp provincie regio "
    "grensregio district grensdistrict wijk gemeente deelstaat city town village port capital "
    "province region district neighbourhood neighborhood suburb voorstad"
    "".split()
)
_PLACE_NOUN_AFTER = _GATE.compile(
    r"^[\s-]+(?:[\w-]+\s+)?(?:" + "|".join(sorted(_PLACE_NOUNS)) + r")(?![\w-])"
)
# A demonym or country naming a border area, not the country: "near the Iraqi border".
_BORDER_AFTER = _GATE.compile(
    r"^[\s-]+(?:border|frontier|grens|grensgebied)(?![\w-])(?!\s+(?:forces|guards?|police|"
    r"troops|units|posts?|outposts?|personnel|politie|bewaking\w*|troepen|eenheden|posten|"
    r"wachten|militairen|soldaten|soldiers))"
)
# A capital or city standing for its government: "Islamabad bevestigde ...", "Washington agreed".
_METONYM_AFTER = re.compile(
    r"^\s+(?:(?:has|have|had|heeft|hebben|also|ook|later|officially|officieel)\s+){0,2}"
    r"(?:said|says|confirmed|denied|accused|warned|agreed|announced|responded|insisted|"
    r"condemned|rejected|demanded|urged|bevestig\w*|ontken\w*|zei|zegt|meldde|meldt|"
    r"beschuldig\w*|waarschuw\w*|reageer\w*|reageerde|kondigde|stemde|eist\w*|veroordeel\w*|"
    r"verwierp|verwerpt)(?![\w-])"
)
_NOUNISH = re.compile(r"(?:strikes?|attacks?|raids?|bombings?|shelling|bombardments?|invasion)")


def _is_nounish(folded: str, cue: _Cue) -> bool:
    """A noun cue, or an English form that is a noun after a determiner/adjective ("the Indian
    strikes", "Israeli attacks")."""
    return cue.spec.noun or (
        cue.spec.lang == "en" and bool(_NOUNISH.fullmatch(folded[cue.start : cue.end]))
    )


_NOUN_BEFORE = re.compile(
    r"(?<![\w-])(?:the|a|an|this|that|these|those|its|his|her|their|our|any|more|further|new|"
    r"fresh|first|latest|last|several|many|two|three|four|five|such|deadly|major|overnight|"
    r"[\w-]+'s|[\w-]+s')\s+(?:[\w-]+\s+){0,2}$"
)


_AUX_BEFORE = re.compile(r"(?<!\w)(?:has|have|had|will|would|to|did|does)\s+$")
_NOUN_PREP_AFTER = re.compile(r"\s+(?:on|against|in|by)\s")


def _used_as_noun(folded: str, cue: _Cue) -> bool:
    """A noun cue, or an English verb/noun form used as a noun: after a determiner or number
    ("the strike", "a drone attack", "Israel's strikes") or before "on"/"against" ("strikes on
    Gaza"). Nouns carry no voice: bare mentions after them are not their objects."""
    if cue.spec.noun:
        return True
    if cue.spec.lang != "en":
        return False
    before = folded[max(0, cue.start - 40) : cue.start]
    if _INSTRUMENT_BEFORE.search_in(folded, max(0, cue.start - 40), cue.start):
        return True  # "pounded Kharkiv with glide bombs": the instrument, not a verb
    if not _NOUNISH.fullmatch(folded[cue.start : cue.end]):
        return False
    if _NOUN_BEFORE.search(before) and not _AUX_BEFORE.search(before):
        return True
    return bool(_NOUN_PREP_AFTER.match(folded[cue.end : cue.end + 12]))


_INSTRUMENT_BEFORE = _GATE.compile(r"(?<![\w-])(?:with|using)\s+(?:[\w-]+\s+){0,2}$")


_GROUP_NOUN_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:militants?|militias?|rebels?|groups?|fighters?|gunmen|insurgents?|forces|"
    r"troops|units|strijders|militanten|milities|rebellen|groepen|groeperingen|opstandelingen|"
    r"troepen|strijdkrachten|eenheden)"
    r"\s+(?:(?:based|gestationeerd|actief)\s+)?(?:in|uit|from|vanuit|inside|binnen)"
    r"\s+(?:(?:de|het|the)\s+)?$"
)
_WEAPON_NOUN = re.compile(
    r"(?<![\w-])(?:[\w-]*raket(?:ten)?|missiles?|rockets?|[\w-]*drones?|granat\w*|shells|"
    r"mortars?|mortiergranaten|projectiles?|projectielen|salvo'?s?|barrages?|volleys?)$"
)
_OTHER_PARTICIPLE_BEFORE = re.compile(
    r"(?<![\w-])(?:[\w-]+ed|led|run|held|built|made|known|flown|driven|seen|given|taken|"
    r"won|hit|shot|sent|paid|bought|sold|gesteund\w*|geleid\w*|bestuurd\w*|gecontroleerd\w*|"
    r"gebruikt\w*|gefinancierd\w*|opgericht\w*)\s+(?:by|door)\s+(?:(?:de|het|the)\s+)?$"
)
_ADJ_PARTICIPLE_AFTER = re.compile(r"^[\s'’s-]*(?:ge)?[\w-]{3,}(?:de|te)\s+\w")
_INCLUDING = {"including", "waaronder", "zoals"}
_SOURCE_NOUN_AFTER = re.compile(
    r"^[\s'’s-]*(?:[\w-]+\s+)?(?:officials?|media|sources?|diplomats?|analysts?|ambtenaren|"
    r"functionarissen|bronnen|staatsmedia|persbureau|news|agency|intelligence|inlichtingen\w*)"
    r"(?!\w)"
)
# A country word before a facility or a group of people abroad names their owner, not the
# place struck ("US bases in Iraq", "the US embassy in Tel Aviv", "Amerikaanse militairen").
_FACILITY_AFTER = re.compile(
    r"^[\s-]*(?:[\w-]+\s+)?(?:bases?|troops|forces|soldiers|servicemen|personnel|contractors|"
    r"embassy|embassies|consulates?|diplomats?|ships?|warships?|vessels?|tankers?|facilit\w*|"
    r"interests|citizens|nationals|military\s+facilit\w*|basis|bases|troepen|militairen|"
    r"soldaten|ambassade|consulaat|schepen|oorlogsschepen|tankers|faciliteiten|belangen|"
    r"burgers|onderdanen|doelen|targets)(?!\w)"
)
_BEARING_BEFORE = _GATE.compile_skipping(
    r"(?:(?<![\w-])ten\s+(?:noord|zuid)?(?:noorden|zuiden|oosten|westen)\s+van|"
    r"(?<![\w-])(?<!the\s)(?:north|south|east|west|northeast|northwest|southeast|southwest|"
    r"north-east|north-west|south-east|south-west)\s+of)\s+(?:(?:de|het|the)\s+)?$"
)
_OWNED_AFTER = re.compile(
    r"^[\s-]*(?:[\w-]+\s+)?(?:bases?|troops|forces|soldiers|servicemen|personnel|contractors|"
    r"embassy|embassies|consulates?|diplomats?|warships?|vessels?|facilit\w*|interests|"
    r"military\s+(?:bases?|facilit\w*|personnel)|troepen|militairen|soldaten|ambassade|"
    r"consulaat|oorlogsschepen|faciliteiten|belangen|luchtmachtbasis|legerbasis)(?!\w)"
)
# Verbs of reaction: "X condemned the strike" does not make X the attacker of "the strike".
_REACTION_BETWEEN = _GATE.compile(
    r"(?<!\w)(?:condemn\w*|criticis\w*|criticiz\w*|denounc\w*|veroordeel\w*|veroordeeld\w*|"
    r"bekritiseer\w*|protest\w*|mourn\w*|investigat\w*|onderzoek\w*|confirm\w*|"
    r"bevestig\w*|welcom\w*|prais\w*|called|noemde|noemt|described|beschreef|survived|"
    r"overleefde|blamed|accused|beschuldig\w*)(?!\w)"
)


_AFTERMATH = _GATE.compile(
    r"(?<![\w-])(?:fires?|blazes?|explosions?|blasts?|damage[ds]?|destroyed|ablaze|outages?|"
    r"killed|dead|injured|wounded|brand|branden|explosies?|ontploffing\w*|schade|beschadigd|"
    r"vernield|verwoest|stroomstoring\w*|gedood|doden|omgekomen|gewond\w*)(?![\w-])"
)


def _aftermath_targets(
    folded: str, sentence: Sentence, clause: _Clause, mentions: list[_Mention]
) -> list[_Mention]:
    """Targets of a strike told in a temporal clause without a place of its own, taken from the
    main clause that reports its aftermath there: "A fire broke out at a depot in Tuapse after
    an attack by Ukrainian drones", "Er ontstond brand in Rostov nadat drones de stad
    aanvielen"."""
    if clause.start <= sentence.start or not _TEMPORAL_SUB.match(folded, clause.start):
        return []
    return _aftermath_places(folded, sentence.start, clause.start, mentions)


def _aftermath_places(
    folded: str, start: int, end: int, mentions: list[_Mention]
) -> list[_Mention]:
    """The places in [start, end) where that text reports the aftermath of an attack (fire,
    explosions, damage, casualties): only places something happens in ("in", "at", "near",
    "op"), none when no aftermath word is there."""
    if not _AFTERMATH.search(folded, start, end):
        return []
    found: list[_Mention] = []
    left = start
    for mention in mentions:
        if mention.start >= end:
            break
        if (
            mention.start >= start
            and mention.is_place
            and mention.toponym is not None
            and mention.toponym.country_iso3 is not None
            and not mention.proxy
            and _governing_prep(folded, left, mention.start) in _PREP_TARGET
        ):
            found.append(mention)
        if not mention.is_demonym:  # "in de Iraanse provincie Isfahan": "in" still governs
            left = max(left, mention.end)
    return found


def _group_base(folded: str, boundary: int, mention: _Mention) -> int | None:
    """Start of "militias in" when ``mention`` is the base of an unnamed group ("Iran-backed
    militias in Iraq", "militanten in de Gazastrook"), else None."""
    if not mention.is_place:
        return None
    match = _GROUP_NOUN_BEFORE.search(folded, max(0, boundary - 40), mention.start)
    return match.start() if match else None


_OF_PHRASE_AFTER = re.compile(r"^[\s-]+(?:[\w-]+\s+){1,2}of\s")
_IN_GAP = re.compile(r"[\s,]*(?:in|bij)\s+(?:de\s+|het\s+|the\s+)?")
_DASH_GAP = re.compile(r"[\s-]*")


def _assign_roles(
    text: str,
    folded: str,
    clause: _Clause,
    cue: _Cue,
    mentions: list[_Mention],
    lang: str,
    passive: bool,
    copular_target: bool,
    cause_at: int,
    attribution: list[tuple[int, int]],
) -> None:
    previous: _Mention | None = None
    destinations: list[_Mention] = []
    attacker_before = False
    cue_segment_end = next(
        (b for a, b in _segments(folded, clause.start, clause.end) if a <= cue.start < b),
        clause.end,
    )
    # Dutch perfect: "Israël heeft Hezbollah-doelen in Zuid-Libanon aangevallen": the subject
    # precedes the finite auxiliary, objects sit between it and the participle.
    aux_end = -1
    if lang == "nl" and cue.spec.participle and not passive:
        auxes = list(_ACTIVE_AUX_NL.finditer(folded, clause.start, cue.start))
        if auxes:
            aux_end = auxes[-1].end()
    sub = _TEMPORAL_SUB.search(folded, cue.end, clause.end)
    if sub is not None and sub.group() == "toen" and not folded[cue.end : sub.start()].strip():
        # "Drones troffen toen ...": an adverb right after the verb, not "when"
        sub = _TEMPORAL_SUB.search(folded, sub.end(), clause.end)
    sub_at = sub.start() if sub else clause.end
    for mention in mentions:
        mention.role = "bare"
        mention.attributed = False
        if mention.start >= cause_at or mention.proxy or mention.start >= sub_at:
            mention.role = "ignore"
            if not mention.proxy:  # "by the Iran-backed Houthis": "by" still governs
                previous = mention
            continue
        before_at = max(clause.start, mention.start - 60)
        window_before = folded[before_at : mention.start]
        window_after = folded[mention.end : mention.end + 60]
        after_end = mention.end + 60
        if mention.is_actorlike and (
            _ATTRIBUTED_BEFORE.search_in(folded, before_at, mention.start)
            or _ATTRIBUTED_AFTER.match_in(folded, mention.end, after_end)
        ):
            # "a strike attributed to Israel", "een aanval die aan Israël wordt toegeschreven"
            mention.role = "attacker"
            mention.attributed = True
            attacker_before = attacker_before or mention.end <= cue.start
            previous = mention
            continue
        following = next((m for m in mentions if m.start >= mention.end), None)
        if (
            mention.is_place
            and mention.toponym is not None
            and _PLACE_NOUN_AFTER.match_in(folded, mention.end, after_end)
            and _OF_PHRASE_AFTER.match(window_after)
            and following is not None
            and following.toponym is not None
            and following.start - mention.end < 40
            and _PLACE_RANK.get(following.toponym.kind, 0)
            >= _PLACE_RANK.get(mention.toponym.kind, 0)
        ):
            # "the Tel Aviv suburb of Ramat Gan": the place named next is the one struck
            mention.role = "ignore"
            previous = mention
            continue
        if mention.is_demonym and _PLACE_NOUN_AFTER.match_in(folded, mention.end, after_end):
            # "de Israëlische kuststad Ashkelon", "the Lebanese city of Tyre": the country of
            # the place named next, never an attacker
            mention.role = "target"
            previous = mention
            continue
        if (
            (mention.toponym is not None and _BORDER_AFTER.match_in(folded, mention.end, after_end))
            or (
                mention.toponym is not None
                and mention.toponym.kind == KIND_CITY
                and _METONYM_AFTER.match(window_after)
            )
            or _PERSON_AFTER.match_in(folded, mention.end, after_end)
            or (
                # the air defence that fires, not the one struck ("fired at Libyan air defences")
                _AIR_DEFENCE_AFTER.match_in(folded, mention.end, after_end)
                and (mention.end <= cue.start or _AGENT_BEFORE.search(window_before))
            )
            or _TOPIC_AFTER.match_in(folded, mention.end, after_end)
            or _TOPIC_BEFORE.search_in(folded, before_at, mention.start)
            or _VISIT_BEFORE.search_in(folded, before_at, mention.start)
            or _RELATION_BEFORE.search_in(folded, before_at, mention.start)
        ):
            # a person's affiliation ("Hamas-leider", "a Hezbollah commander"), a place naming
            # a war, talks or a deal ("the Gaza war", "the Doha agreement", "een bestand in
            # Gaza"), a place visited or met in, a party a place is related to ("Qatar, an
            # ally of the United States"): none of them attacks or is struck
            mention.role = "ignore"
            previous = mention
            continue
        if (
            mention.start > cue.end
            and _VICTIM_BEFORE.search_in(folded, before_at, mention.start)
            and _VICTIM_AFTER.match(window_after)
        ) or (
            mention.end <= cue.start
            and _VICTIMS_DIED_AFTER.match_in(folded, mention.end, after_end)
        ):
            # "killing one U.S. soldier", "doodde twee Amerikaanse militairen": the victims'
            # country, not a place struck; "Turkish soldiers were killed in an air strike by
            # ...", "Turkse militairen kwamen om bij ...": nor the attacker
            mention.role = "ignore"
            previous = mention
            continue
        if (
            (mention.is_place or mention.actor is not None)
            and (
                _DESTINATION_BEFORE.search_in(folded, before_at, mention.start)
                or (  # "door naar N'Djamena in Tsjaad", "bestemd voor Hezbollah in Libanon"
                    previous is not None
                    and previous in destinations
                    and previous.countries == mention.countries
                    and _IN_GAP.fullmatch(folded[previous.end : mention.start])
                )
                or (
                    mention.toponym is not None
                    and mention.toponym.kind == KIND_CITY
                    and _WEAPON_AFTER_NAME.match(window_after)
                )
            )
        ):
            # "op weg naar Egypte", "vlogen door naar N'Djamena", "bound for Lebanon": where
            # something went or whom it was for, not what was struck; "Tomahawk missiles"
            # names a weapon
            mention.role = "ignore"
            destinations.append(mention)
            previous = mention
            continue
        if mention.actor is not None and _OWNED_TARGET_COMPOUND.match(window_after):
            # "de PKK-stellingen", "Hezbollah-doelen": the group owns what is struck
            mention.role = "target"
            previous = mention
            continue
        if (
            mention.is_demonym
            and mention.start > cue.end
            and _WEAPON_MAKER_AFTER.match_in(folded, mention.end, after_end)
            and not _AGENT_BEFORE.search(window_before)  # "an attack by Ukrainian drones"
        ):
            # "vuurde ... dertig Iraanse Shahed-drones af op Kyiv", "fired Iranian-made drones":
            # where the weapon comes from, not whom it strikes
            mention.role = "ignore"
            previous = mention
            continue
        if mention.is_place and (
            _SEA_ZONE_BEFORE.search_in(folded, before_at, mention.start)
            or (
                _OVERFLIGHT_BEFORE.search_in(folded, before_at, mention.start)
                and _LAUNCH_CUE.match(folded, cue.start)
                and cue.start < mention.start
            )
        ):
            # "raketten af over Taiwan", "missiles fired over Japan": flown over, not struck;
            # "in de economische zone van Japan": the sea off a country, not the country
            mention.role = "ignore"
            previous = mention
            continue
        if any(s <= mention.start < e for s, e in attribution):
            mention.role = "claimant"
            previous = mention
            continue
        boundary = clause.start
        if previous is not None:
            boundary = max(boundary, previous.end)
        if cue.start < mention.start and cue.end > boundary:
            boundary = cue.end
        gap = folded[boundary : mention.start]
        prep = _governing_prep(folded, boundary, mention.start)
        group_at = _group_base(folded, boundary, mention)
        if group_at is not None:
            # The place names the group: its role comes from what precedes the group noun.
            group_prep = _governing_prep(
                folded, cue.end if cue.end <= group_at else clause.start, group_at
            )
            if group_prep in _PREP_AGENT or (
                group_prep is None
                and mention.end <= cue.start
                and not passive
                and not copular_target
                and not attacker_before
            ):
                mention.role = "attacker"
                attacker_before = True
                previous = mention
                continue
        if prep in _PREP_AGENT and (
            _OTHER_PARTICIPLE_BEFORE.search(folded, max(0, boundary - 40), mention.start)
            and not (
                cue.start < mention.start
                and folded[cue.end : mention.start].strip()
                in ("by", "door", "by the", "door de", "door het")
            )
        ):
            prep = "met"  # "sites used by the IRGC", "controlled by": not the cue's agent
        if (
            prep in _PREP_AGENT
            and lang == "nl"
            and _ADJ_PARTICIPLE_AFTER.match(folded[mention.end : mention.end + 30])
            and not any(mention.end <= c.start < mention.end + 30 for c in [cue])
        ):
            prep = "met"  # "door de Houthi's bestuurde autoriteiten": an adjective's agent
        if prep in ("van", "of", "from", "uit", "vanuit") and mention.actor is not None:
            words_before = [
                w
                for w in _words(folded[max(0, boundary - 30) : mention.start])
                if w not in _DETERMINERS
            ]
            if len(words_before) >= 2 and _WEAPON_NOUN.search(words_before[-2]):
                # "een raket van Hezbollah", "rockets from Hamas": the weapon's owner fires it
                mention.role = "attacker"
                attacker_before = True
                previous = mention
                continue
        if (
            mention.actor is not None
            and mention.actor.kind in ("armed_group", "state_organ")
            and not mention.is_demonym
            and mention.end <= cue.start
            and _WEAPON_NOUN.search(
                " ".join(_words(folded[mention.end : mention.end + 25])[:1]) or "#"
            )
        ):
            mention.role = "attacker"  # "Hezbollah rockets hit Haifa"
            attacker_before = True
            previous = mention
            continue
        if prep in _INCLUDING and (
            mention.start > cue.end
            or any(m.role.startswith("target") for m in mentions if m.end <= mention.start)
        ):
            prep = "in"  # "seven sites, including Al-Qaim": one of the targets
        inherit = (
            previous is not None
            and previous.end == boundary
            and previous.role not in ("bare", "ignore", "claimant")
            and (
                _COORD_GAP.match(gap)
                or (
                    previous.is_demonym
                    and len(_words(gap)) <= 3
                    and prep is None
                    and mention.actor is not None
                )
                # "in Russia's Saratov region": the place named in the country
                or (
                    gap in ("'s ", "’s ")
                    and mention.is_place
                    and bool(previous.countries)
                    and mention.countries == previous.countries
                )
            )
        )
        if (
            _is_nounish(folded, cue)
            and not cue.spec.target_noun
            and mention.end <= cue.start
            and mention.is_actorlike
            and _DASH_GAP.fullmatch(folded[mention.end : cue.start])
        ):
            mention.role = "attacker"  # "de Iraanse luchtaanval", "the Indian strikes"
            attacker_before = True
        elif inherit and previous is not None:
            mention.role = previous.role
        elif prep in _PREP_AGENT:
            mention.role = "attacker" if mention.is_actorlike else "ignore"
        elif prep in _PREP_ORIGIN or (
            prep == "in" and mention.is_place and _FROM_CONTAINER_BEFORE.search(window_before)
        ):
            mention.role = "origin" if mention.is_place else "ignore"
        elif (
            prep in _PREP_LOCATIVE
            and mention.end <= cue.start
            and previous is not None
            and previous.role == "attacker"
            and previous.end == boundary
            and len(_words(gap)) == 1
        ):
            mention.role = "ignore"  # the attacker's seat: "de Houthi's in Jemen hebben ..."
        elif prep in _PREP_TARGET:
            mention.role = "target_loc" if prep in _PREP_LOCATIVE else "target"
        elif prep in _PREP_GENITIVE:
            cue_gap = folded[cue.end : mention.start]
            if (
                cue.spec.noun
                and mention.start > cue.end
                and len(_words(cue_gap)) <= 3
                and not cue.spec.target_noun
                # "shelling the town of Jermuk": the town itself, not the shelling's agent
                and not (
                    mention.is_place
                    and _words(cue_gap)[-2:-1]
                    and _words(cue_gap)[-2] in _PLACE_NOUNS
                )
            ):
                mention.role = "attacker" if mention.is_actorlike else "ignore"
            elif (
                mention.start > cue.end
                or passive
                or copular_target
                or (previous is not None and previous.role.startswith("target"))
                # "toen drones de installaties van Abqaiq troffen": a town's installations
                # before a Dutch final verb are its object
                or (
                    lang == "nl"
                    and not _used_as_noun(folded, cue)
                    and mention.toponym is not None
                    and mention.toponym.kind in (KIND_CITY, KIND_SITE, KIND_ADMIN1)
                )
            ):
                mention.role = "target"
            else:
                mention.role = "ignore"
        elif prep in _PREP_NEUTRAL:
            mention.role = "ignore"
        elif aux_end != -1 and aux_end <= mention.start and mention.end <= cue.start:
            if not attacker_before and mention.is_actorlike:
                mention.role = "attacker"  # "Gisteren heeft Israël doelen ... gebombardeerd"
                attacker_before = True
            else:
                mention.role = "target"
        elif mention.end <= cue.start:
            if passive or copular_target:
                mention.role = "target"
            elif _used_as_noun(folded, cue) and _REACTION_BETWEEN.search(
                folded, mention.end, cue.start
            ):
                mention.role = "ignore"  # "The Taliban condemned the strike"
            elif (
                lang == "nl"
                and attacker_before
                and not _used_as_noun(folded, cue)
                and mention.toponym is not None
                and (
                    mention.toponym.kind != KIND_DEMONYM
                    # "dat Armeense troepen de Azerbeidzjaanse posities ... hebben beschoten",
                    # "dat Armeense eenheden provocaties uitvoerden en Azerbeidzjaanse
                    # posities beschoten": an object, not a second subject
                    or _OBJECT_DETERMINER_BEFORE.search(window_before) is not None
                    or (
                        previous is not None
                        and previous.role == "attacker"
                        and len(_words(folded[previous.end : mention.start])) > 2
                    )
                    # "Azerbeidzjaanse troepen hebben Armeense grensposten onder vuur
                    # genomen": after the subject and its auxiliary comes the object
                    or (
                        previous is not None
                        and previous.role == "attacker"
                        and _AUX_NL_BETWEEN.fullmatch(folded, previous.end, mention.start)
                        is not None
                    )
                )
            ):
                # Dutch verb-final: "Rusland heeft op zondag Kyiv bestookt", "dat Israël
                # Beiroet bombardeerde": the second party before the verb is its object
                mention.role = "target"
            elif mention.is_actorlike:
                mention.role = "attacker"
                attacker_before = True
            elif lang == "nl" and mention.is_place and not _used_as_noun(folded, cue):
                # "toen drones de installaties van Abqaiq troffen": a town cannot fire, so
                # before a Dutch final verb it is the object whatever the subject is
                mention.role = "target"
            else:
                mention.role = "ignore"
        else:  # bare, after the cue
            if copular_target:
                mention.role = "target"
            elif (
                lang == "nl"
                and mention.start < cue_segment_end
                and not cue.spec.noun
                and not passive
                and not attacker_before
                and mention.is_actorlike
            ):
                mention.role = "attacker"
                attacker_before = True
            elif (
                lang == "nl"
                and mention.start < cue_segment_end
                and cue.spec.noun
                and not attacker_before
                and mention.is_actorlike
                and not mention.is_demonym
            ):
                mention.role = "attacker"  # "Met luchtaanvallen in Pakistan voert Iran ..."
                attacker_before = True
            elif _used_as_noun(folded, cue) and not cue.spec.target_noun:
                mention.role = "ignore"
            else:
                mention.role = "target"
        if mention.role.startswith("target") and _LED_AFTER.match(window_after):
            mention.role = "ignore"  # "intercepted by a U.S.-led coalition": no place struck
        previous = mention


_VICTIM_BEFORE = _GATE.compile(
    rf"(?<![\w-])(?:{_KILLING_VERBS}|{_INJURING_VERBS}|gedood|verwond)\s+(?:[\w'’-]+\s+){{0,3}}$"
)
_VICTIM_AFTER = re.compile(
    r"^[\s-]*(?:soldiers?|troops|servicem[ae]n|service\s+members?|contractors?|citizens?|"
    r"civilians?|nationals?|sailors?|marines?|militairen|soldaten|burgers|staatsburgers|"
    r"mariniers|burgerslachtoffers)(?![\w-])"
)
_DESTINATION_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:op\s+weg|onderweg|door|bestemd(?:\s+was|\s+waren)?|en\s+route|bound|"
    r"destined|on\s+(?:its|their|the|his|her)\s+way|heading|headed)\s+(?:naar|voor|to|for)\s+"
    r"(?:(?!in\s|bij\s|near\s|at\s)[\w'’-]+\s+){0,3}?$"
)
_WEAPON_AFTER_NAME = re.compile(
    r"^[\s-]+(?:cruise\s+|ballistic\s+)?(?:missiles?|raketten|kruisraketten|rockets?|drones?)"
    r"(?![\w-])"
)
_OWNED_TARGET_COMPOUND = re.compile(
    r"^-(?:stellingen|stelling|doelen|doelwitten|posities|bases|basis|kampen|kamp|schuilplaatsen|"
    r"wapendepots?|depots?|infrastructuur|commandocentra|leiders|strijders)(?![\w-])"
)
_AGENT_BEFORE = re.compile(
    r"(?<![\w-])(?:by|door|van|from|uit)\s+(?:the\s+|de\s+|het\s+|een\s+|an?\s+)?$"
)
_WEAPON_MAKER_AFTER = _GATE.compile(
    r"^(?:-made|[\s-]+made|[\s-]+gemaakte)?[\s-]+(?:[\w-]+[\s-]+)?(?:[\w-]*drones?|"
    r"[\w-]*raket(?:ten)?|missiles?|rockets?|[\w-]*granaten)(?![\w-])"
)
# "took off from RAF Akrotiri in Cyprus": the country holding the launch site, not a target
_FROM_CONTAINER_BEFORE = re.compile(
    r"(?<![\w-])(?:from|vanuit|vanaf|(?:opgestegen|opgestegen\s+zijn|vertrokken)\s+van)\s+"
    r"(?!the\s+(?:air|sea|ground)\b)(?:[\w'’-]+\s+){1,4}?in\s+$"
)
_GOVERNMENT_NOUN = r"(?:government|regime|junta|regering|regerings\w+|regime\w+)"
# a government with no country before the cue, no other party in between
_OWN_GOVERNMENT_BEFORE = re.compile(
    rf"(?<![\w-]){_GOVERNMENT_NOUN}(?:'s)?(?![\w-])(?:\s+[\w-]+){{0,3}}\s+$"
)
_OWN_GOVERNMENT_AFTER = re.compile(
    rf"\s+(?:by|door|van)\s+(?:the\s+|de\s+|het\s+)?{_GOVERNMENT_NOUN}(?![\w-])"
)
_ACROSS_BORDER = re.compile(
    r"across\s+the\s+border|cross-border|over\s+de\s+grens|grensoverschrijd"
)
_VICTIMS_DIED_AFTER = _GATE.compile(
    _VICTIM_AFTER.pattern
    + r"\s+(?:(?:were|was|have\s+been|had\s+been|zijn|werden|waren|raakten|kwamen)\s+)?"
    r"(?:(?:reportedly|also|ook)\s+)?(?:killed|wounded|injured|died|gedood|gewond|verwond|"
    r"omgekomen|gesneuveld|sneuvelden|(?<=kwamen\s)om|om\s+het\s+leven)(?![\w-])"
)
_OVERFLIGHT_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:over|boven)\s+(?:de\s+|het\s+|the\s+)?(?:[\w-]+['’]s\s+)?"
    # "die over het noorden van Japan vloog", "flew over the north of Japan"
    r"(?:(?:noorden|zuiden|oosten|westen|north|south|east|west)\s+(?:van|of)\s+)?$"
)
_LAUNCH_CUE = re.compile(r"vuur|afgevuurd|fire|firing|launch|lanceer|gelanceerd")
_SEA_ZONE_BEFORE = _GATE.compile(
    r"(?<![\w-])(?:economic\s+zone|economische\s+zone|eez|territorial\s+waters|"
    r"territoriale\s+wateren|wateren|waters)\s+(?:of|van|off)\s+(?:the\s+|de\s+|het\s+)?$|"
    # "landed in the sea off Japan's Hokkaido island", "in zee voor de kust van Japan"
    r"(?<![\w-])(?:sea|zee|ocean|oceaan|water)\s+(?:off|near|nabij|bij|voor)\s+"
    r"(?:the\s+coast\s+of\s+|de\s+kust\s+van\s+)?(?:the\s+|de\s+|het\s+)?"
    r"(?:[\w-]+['’]s\s+)?$"
)
# a Dutch article right before a demonym: the start of an object noun phrase
_OBJECT_DETERMINER_BEFORE = re.compile(r"(?<![\w-])(?:de|het|die|deze|een)\s+$")
_PRONOUN_BEFORE = re.compile(
    r"(?<![\w-])(?:it|they|het|zij|ze)\s+(?:(?:has|have|had|also|then|later|again|heeft|hebben|"
    r"had|hadden|ook|opnieuw|daarna|reportedly|allegedly)\s+){0,2}$"
)
_PRONOUN_AFTER = re.compile(r"^\s+(?:het|zij|ze)(?!\w)")


def _pronoun_subject(folded: str, clause: _Clause, cue: _Cue) -> bool:
    """A personal pronoun is the cue's subject: "it has hit", "they fired", Dutch verb-second
    "vuurde het ... af", "heeft het ... aangevallen"."""
    before = folded[clause.start : cue.start]
    pronoun = _PRONOUN_BEFORE.search(before)
    if pronoun is not None and not (
        # "het doelwit", "het bombardement": the Dutch article before a noun, not "it"
        pronoun.group().strip() == "het" and _used_as_noun(folded, cue)
    ):
        return True
    if cue.spec.lang == "nl" and not cue.spec.noun:
        if _PRONOUN_AFTER.match(folded[cue.end : cue.end + 8]):
            return True
        aux = list(_ACTIVE_AUX_NL.finditer(folded, clause.start, cue.start))
        if aux and _PRONOUN_AFTER.match(folded[aux[-1].end() : aux[-1].end() + 8]):
            return True
    return False


# "Turkey, for its part, launched ...", "Iran, meanwhile, fired ...": a short aside
_PARENTHETICAL = re.compile(r"\s*,[^,.;:]{1,40},\s*")
_RELATIVE_START = _GATE.compile(r"[\s,]*(?:who|which|die|dat)(?![\w-])")
_RELATIVE_AFTER = re.compile(r"^\s*,\s*(?:which|who|that|die|dat|wat)(?![\w-])")


def _relative_subject(
    folded: str, sentence: Sentence, clause: _Clause, mentions: list[_Mention]
) -> _Mention | None:
    """The party opening the sentence when a relative clause or a short aside follows it
    ("Hezbollah, which ..., fired"; "Iran, dat ..., vuurde"; "Turkey, for its part,
    launched"), for a verb clause that lacks a subject."""
    for mention in mentions:
        if mention.start < sentence.start:
            continue
        if mention.start >= clause.start or len(_words(folded[sentence.start : mention.start])) > 1:
            return None
        if mention.is_actorlike and (
            _RELATIVE_AFTER.match(folded[mention.end : mention.end + 12])
            or _PARENTHETICAL.fullmatch(folded[mention.end : clause.start])
        ):
            return mention
        return None
    return None


def _party_from(mention: _Mention, how: str, matcher: ActorMatcher) -> _Party:
    if mention.actor is not None:
        countries = mention.actor.countries
        name = mention.actor.name
        key = mention.actor.actor_id
        kind_how = "named" if how == "explicit" else how
    else:
        assert mention.toponym is not None
        iso3 = mention.toponym.country_iso3
        state = matcher.for_country(iso3) if iso3 else None
        countries = (iso3,) if iso3 else ()
        name = state.name if state else mention.toponym.name
        key = f"country:{iso3}"
        kind_how = ("demonym" if mention.is_demonym else "country") if how == "explicit" else how
    lon = mention.toponym.lon if mention.toponym and mention.toponym.kind == KIND_COUNTRY else None
    lat = mention.toponym.lat if mention.toponym and mention.toponym.kind == KIND_COUNTRY else None
    iso = countries[0] if len(countries) == 1 else None
    return _Party(name, iso, tuple(countries), kind_how, lon, lat, key)


def _coordinated_group(mentions: list[_Mention], anchor: _Mention, folded: str) -> list[_Mention]:
    """The mentions joined to ``anchor`` by "and"/"en"/"&"/commas, in text order."""
    index = mentions.index(anchor)
    group = [anchor]
    for step in (-1, 1):
        i = index
        while 0 <= i + step < len(mentions):
            a, b = (
                (mentions[i + step], mentions[i])
                if step == -1
                else (mentions[i], mentions[i + step])
            )
            other = mentions[i + step]
            gap = folded[a.end : b.start]
            joined = _COORD_GAP.match(gap) or (a.is_demonym and _DEMONYM_HEAD_GAP.match(gap))
            if other.role != anchor.role or not joined:
                break
            group.append(other)
            i += step
    return sorted(group, key=lambda m: m.start)


_PASSIVE_AUX_AFTER = re.compile(r"^\s*(?:werd|werden|wordt|worden|zijn|is|was|waren)\b")
_AND_BETWEEN = re.compile(r"(?<!\w)(?:en|and|&)(?!\w)")


def _analyse_clause(
    article: Article,
    folded: str,
    sentence: Sentence,
    clause: _Clause,
    mentions: list[_Mention],
    matcher: ActorMatcher,
    weapon_scan: _Weapons,
    earlier_cue: bool = False,
    background: bool = False,
    sentence_flags: int = -1,
    after_strike: bool = False,
) -> _Analysis | None:
    """Analyse one clause; ``background`` for the cause part of a clause ("in retaliation
    for American strikes on Iran"), where only a strike noun with its own attacker modifier
    ("American strikes", "de Indiase luchtaanval bij Balakot") and target counts."""
    text = article.text
    cues = [c for c in clause.cues]
    cause_at = (
        clause.end
        if background or not sentence_flags & _FLAG_CAUSE
        else _cause_start(folded, clause)
    )
    cues = [c for c in cues if c.start < cause_at]
    gapped = clause.gapped_from is not None
    if gapped:
        assert clause.gapped_from is not None
        cue = clause.gapped_from
    else:
        if not cues:
            return None
        has_weapon = bool(weapon_scan.between(clause.start, clause.end))
        strong = [c for c in cues if not c.spec.weak]
        # A weak verb ("hitting the plant at Natanz") also counts when its sentence names a
        # weapon or has a strong cue elsewhere ("Israel launched air strikes ..., hitting ...").
        has_weapon = has_weapon or bool(weapon_scan.between(sentence.start, sentence.end))
        usable = [c for c in cues if not c.spec.weak or has_weapon or strong or after_strike]
        if not usable:
            return None
        # Prefer a verb (it carries voice and subject) over a noun, then strength.
        cue = max(
            usable,
            key=lambda c: (
                not c.spec.target_noun,
                not _used_as_noun(folded, c),
                c.spec.strength,
                -c.start,
            ),
        )
        if _is_negated(folded, clause, cue) or _non_event(text, folded, clause, cue):
            return None
        if not _used_as_noun(folded, cue) and _PERSON_SUBJECT.search(
            folded, max(clause.start, cue.start - 30), cue.start
        ):
            return None  # "the foreign minister attacked ...", "de premier viel ... aan": words
    clause_mentions = [m for m in mentions if clause.start <= m.start < clause.end]
    lang = cue.spec.lang
    aux_before = folded[clause.start : cue.start]
    passive = False
    if cue.spec.participle and not gapped:
        has_passive_aux = bool(_PASSIVE_AUX.search(" ".join(_words(aux_before)[-6:]))) or bool(
            _PASSIVE_AUX_AFTER.match(folded[cue.end : clause.end])
        )
        if lang == "nl":
            # "werden in de nacht van maandag op dinsdag schepen ... geraakt": "worden" is
            # the passive aux however far before the participle
            has_passive_aux = has_passive_aux or bool(
                _WORDEN.search(folded, clause.start, cue.start)
            )
            passive = (
                (
                    has_passive_aux
                    or (
                        not _PASSIVE_AUX.search(folded[clause.start : clause.end])
                        # "dat Armeense eenheden ... Azerbeidzjaanse posities beschoten": a strong
                        # participle without ge- is also the past plural, finite without any aux
                        and not (
                            _PAST_PLURAL_PARTICIPLE.fullmatch(folded[cue.start : cue.end])
                            and any(
                                m.is_actorlike and m.end <= cue.start
                                for m in mentions
                                if clause.start <= m.start
                            )
                        )
                    )
                )
                and not _ACTIVE_AUX_NL.search(folded[clause.start : clause.end])
            )
        else:
            passive = has_passive_aux
    copular_target = cue.spec.target_noun and bool(
        _COPULA.search(folded[clause.start : clause.end])
    )
    attribution = (
        _attribution_spans(folded, clause, clause_mentions)
        if sentence_flags & _FLAG_ATTRIBUTION
        else []
    )
    _assign_roles(
        text,
        folded,
        clause,
        cue,
        clause_mentions,
        lang,
        passive,
        copular_target,
        cause_at,
        attribution,
    )
    if any(
        m.role == "ignore"
        and _AGENT_BEFORE.search(folded, max(clause.start, m.start - 12), m.start)
        and _AIR_DEFENCE_AFTER.match_in(folded, m.end, min(clause.end, m.end + 40))
        for m in clause_mentions
    ):
        return None  # "fired by Ukraine's air defences": interception, not a strike

    # Attackers
    attackers: list[_Party] = []
    agents = [m for m in clause_mentions if m.role == "attacker"]
    if agents:
        before = [m for m in agents if m.end <= cue.start]
        anchor = before[-1] if before else agents[0]
        # "killed in Tehran in an attack that Iran blamed on Israel": the party the attack is
        # attributed to, whatever party the clause names first
        anchor = next((m for m in agents if m.attributed), anchor)
        group = _coordinated_group(clause_mentions, anchor, folded)
        # A demonym modifying a named actor names the same party ("Iraanse Revolutionaire Garde").
        group = [
            m
            for i, m in enumerate(group)
            if not (
                m.is_demonym
                and i + 1 < len(group)
                and group[i + 1].actor is not None
                and not _AND_BETWEEN.search(folded[m.end : group[i + 1].start])
            )
        ]
        attackers = [_party_from(m, "explicit", matcher) for m in group]
    # Targets
    places = [
        m
        for m in clause_mentions
        if m.role.startswith("target")
        and m.is_place
        and m.toponym
        # a region with no country ("the Middle East", "de Golf") places nothing
        and (m.toponym.country_iso3 is not None or m.toponym.kind == KIND_WATER)
    ]
    attacker_spans = {(m.start, m.end) for m in agents}
    places = [m for m in places if (m.start, m.end) not in attacker_spans]
    if _used_as_noun(folded, cue):
        # "de aanval valt samen met de Russische tegenslagen in Oekraïne", "the attack came
        # amid talks in Doha", "de aanval volgt op gevechten rond Sake": a place after a
        # "with"/"amid"/"follows" phrase belongs to that phrase
        # ("een aanval met drones op Odesa" keeps its target: "met" right after the noun)
        joined = _ACCOMPANIMENT.search(folded, cue.end, clause.end)
        if joined is not None and (
            folded[cue.end : joined.start()].strip() or joined.group()[0] in "fcv"
        ):
            places = [m for m in places if m.start < joined.start()]
            for mention in clause_mentions:
                if mention.start >= joined.start() and mention.role.startswith("target"):
                    mention.role = "ignore"  # nor is a party named there the one struck
    # "near the US consulate", "U.S. forces": the country owns the site, it is not the place
    # struck (the site's own place, if named, is)
    owners_abroad = [
        m
        for m in places
        if m.toponym is not None
        and m.toponym.kind == KIND_COUNTRY
        and _OWNED_AFTER.match(folded[m.end : m.end + 40])
    ]
    places = [m for m in places if m not in owners_abroad]
    # "bij Binyamina, ten zuiden van Haifa", "20 km north of Kyiv": a reference point places
    # the strike only when nothing else does
    named = [
        m
        for m in places
        if not _BEARING_BEFORE.search(folded, max(clause.start, m.start - 40), m.start)
    ]
    if named and len(named) < len(places):
        places = named
    locative = [
        m
        for m in places
        if m.role == "target_loc" or (m.toponym and m.toponym.kind != KIND_COUNTRY)
    ]
    # The target actor: a named group in a target role that is not itself the location
    # ("militie Jaish al-Adl", "Mossad"), groups and organs before states.
    actor_targets = [
        m
        for m in clause_mentions
        if m.role.startswith("target")
        and m.actor is not None
        and m.role != "target_loc"
        and (m.toponym is None or m.toponym.kind == KIND_COUNTRY)
    ]
    actor_targets.sort(key=lambda m: (m.actor is not None and m.actor.kind == "state", m.start))
    target_actor_m = actor_targets[0] if actor_targets else None
    if locative and any(
        m.role == "target"
        and m.toponym
        and m.toponym.kind == KIND_COUNTRY
        and m.start < min(x.start for x in locative)
        for m in places
    ):
        # "attacking U.S. bases in Iraq": the bare country owns the target, the locative places it.
        owners = [
            m
            for m in places
            if m.role == "target"
            and m.toponym
            and m.toponym.kind == KIND_COUNTRY
            and m not in locative
        ]
        places = [m for m in places if m not in owners]
        if target_actor_m is None and owners:
            target_actor_m = owners[0]
    if target_actor_m is not None and target_actor_m in places:
        target_actor_m = next((m for m in actor_targets if m not in places), None)
    targets = places
    if not targets:
        targets = [
            m
            for m in clause_mentions
            if m.role.startswith("target")
            and m.is_demonym
            and not _FACILITY_AFTER.match(folded[m.end : m.end + 40])
        ]
    target_actor = None
    target_actor_countries: tuple[str, ...] = ()
    if target_actor_m is not None and target_actor_m.actor is not None:
        target_actor = target_actor_m.actor.name
        target_actor_countries = target_actor_m.actor.countries
    elif target_actor_m is not None and target_actor_m.toponym is not None and not targets:
        targets = [target_actor_m]
    if (
        not targets
        and target_actor_m is not None
        and target_actor_m.actor is not None
        and len(target_actor_m.actor.countries) == 1
        and target_actor_m.toponym is None
        and not _FACILITY_AFTER.match(folded[target_actor_m.end : target_actor_m.end + 40])
    ):
        targets = [target_actor_m]  # "Israel struck Hezbollah": the group's base country
    if not targets and agents and not gapped and not earlier_cue:
        targets = _aftermath_targets(folded, sentence, clause, mentions)
    target_countries = {c for t in targets for c in t.countries}
    origin = next((m for m in clause_mentions if m.role == "origin"), None)
    if not attackers and origin is not None and targets:
        # "rockets launched from Gaza", "raketten uit de Gazastrook": the launch site's country
        # fires when nobody else is named (and it is not the target's country).
        for mention in _coordinated_group(clause_mentions, origin, folded):
            if mention.countries and not set(mention.countries) & target_countries:
                attackers.append(_party_from(mention, "origin", matcher))
    # Claimants become attackers only when nothing else does, they are not the victims and
    # they are a party, not a source ("according to US officials", "Iraanse staatsmedia").
    if not attackers and not any(m.role == "origin" for m in clause_mentions):
        for mention in clause_mentions:
            if (
                mention.role == "claimant"
                and mention.is_actorlike
                and not mention.is_demonym
                and mention.countries
                and not set(mention.countries) & target_countries
                and not _SOURCE_NOUN_AFTER.match(folded[mention.end : mention.end + 30])
            ):
                attackers = [_party_from(mention, "claimant", matcher)]
                break
    if background:
        modifiers = [
            m
            for m in agents
            if m.start >= cue.end  # "an attack by Hamas on ..."
            or (m.end <= cue.start and _MODIFIER_GAP.fullmatch(folded[m.end : cue.start]))
        ]
        if not _used_as_noun(folded, cue) or not (modifiers or targets):
            return None
        # without a modifier the cause names no attacker: kept (no strike) for a later
        # attribution ("Die aanval wordt aan Israël toegeschreven"), never for coreference
        attackers = [_party_from(m, "explicit", matcher) for m in modifiers]
    # An active verb cue with no attacker yet: its subject may stand further back.
    plain_verb = (
        not attackers
        and not gapped
        and not background
        and not passive
        and not _used_as_noun(folded, cue)
    )
    if plain_verb and not folded[clause.start : cue.start].strip(" ,;"):
        # "Hezbollah, which has traded fire with Israel since October, fired rockets at ...":
        # the verb's subject opens the sentence, before a relative clause
        subject = _relative_subject(folded, sentence, clause, mentions)
        if subject is not None:
            attackers = [_party_from(subject, "explicit", matcher)]
    # a strike noun the relative clause's verb carries out ("Israël, dat regelmatig
    # luchtaanvallen uitvoert op ..."), not one a preposition governs ("which met after the
    # strikes on ...")
    light_noun = (
        not attackers
        and not gapped
        and not background
        and not passive
        and cue.spec.noun
        and _governing_prep(folded, clause.start, cue.start) is None
    )
    if (plain_verb or light_noun) and not attackers and _RELATIVE_START.match(folded, clause.start):
        # "... by Armenian forces, who fired at its positions near Kalbajar": the relative
        # pronoun's antecedent ends right before the clause
        antecedent = next(
            (m for m in reversed(mentions) if sentence.start <= m.start and m.end <= clause.start),
            None,
        )
        if (
            antecedent is not None
            and antecedent.is_actorlike
            and not antecedent.proxy
            and not folded[antecedent.end : clause.start].strip(" ,")
        ):
            attackers = [_party_from(antecedent, "explicit", matcher)]
    pronoun = (
        not attackers and not gapped and not background and _pronoun_subject(folded, clause, cue)
    )
    if pronoun:
        # "Israel's military does not comment ..., but it has hit targets in Syria": the
        # nearest party earlier in the sentence; else the article's (coreference below).
        earlier = [
            m
            for m in mentions
            if sentence.start <= m.start < clause.start
            and m.is_actorlike
            and not m.proxy
            and not set(m.countries) & target_countries
        ]
        if earlier:
            attackers = [_party_from(earlier[-1], "coreference", matcher)]
    if not attackers and not gapped and not background and len(target_countries) == 1:
        # "government drone strikes have hit Mekelle", "regeringstroepen beschoten ...": a
        # government named by no country is the one of the country struck (a domestic strike),
        # not the article's foreign party
        before_cue = folded[max(clause.start, cue.start - 50) : cue.start]
        own = _OWN_GOVERNMENT_BEFORE.search(before_cue) or _OWN_GOVERNMENT_AFTER.match(
            folded, cue.end, min(clause.end, cue.end + 40)
        )
        if own is not None and not _ACROSS_BORDER.search(folded, clause.start, clause.end):
            (country,) = target_countries
            state = matcher.for_country(country)
            name = state.name if state else country_name(country)
            attackers = [_Party(name, country, (country,), "domestic")]
    cue_before = folded[max(clause.start, cue.start - 40) : cue.start]
    # only asked of a clause left without attacker (a gapped one gets its own below)
    needs_reference = gapped or not attackers
    unknown_agent = (
        needs_reference
        and not agents
        and bool(_UNKNOWN_AGENT.match_in(folded, cue.end, cue.end + 40))
    )
    clause_start_words = _words(folded[clause.start : cue.start]) if needs_reference else []
    may_corefer = (
        needs_reference
        and not unknown_agent
        and not background
        and (
            gapped
            or pronoun
            or passive
            or copular_target
            or cue.spec.target_noun
            or (_is_nounish(folded, cue) and bool(_DEFINITE_BEFORE.search(cue_before)))
            or bool(_STRIKE_REFERENCE.search(folded, clause.start, cue.start))
            or (
                bool(weapon_scan.between(clause.start, cue.start))
                and not any(m.is_actorlike and m.end <= cue.start for m in clause_mentions)
            )
            or all(
                w in _ALL_PREPS or w in _DETERMINERS or w in ("ook", "also", "nieuwe", "new")
                for w in clause_start_words
            )
        )
    )
    hedged = (
        bool(sentence_flags & _FLAG_HEDGE and _HEDGE.search(folded, sentence.start, sentence.end))
        or bool(_REPORTATIVE.search_in(folded, clause.start, clause.end))
        or any(m.role == "claimant" for m in clause_mentions)
    )
    weapons = weapon_scan.between(clause.start, min(clause.end, cause_at))
    if gapped:
        # The gapped piece has its own attacker before its place ("and Iran in Pakistan").
        actorlike = [m for m in clause_mentions if m.is_actorlike]
        attackers = [_party_from(actorlike[0], "explicit", matcher)] if actorlike else []
        targets = [
            m
            for m in clause_mentions
            if actorlike
            and m.start > actorlike[0].start
            and m.is_place
            and _governing_prep(folded, actorlike[0].end, m.start) in _PREP_TARGET
        ]
        target_actor = None
        weapons = ()
    reciprocal = False
    if not gapped and _RECIPROCAL.search(folded, clause.start, clause.end):
        # "Russia and Ukraine traded drone attacks", "Israel traded fire with Hezbollah",
        # "Armenië en Azerbeidzjan bestookten elkaar": each side is the other's target
        sides = [
            m
            for m in clause_mentions
            if m.is_actorlike
            and len(m.countries) == 1
            and (m.role == "attacker" or _WITH_BEFORE.search(folded, clause.start, m.start))
        ]
        if len({m.countries[0] for m in sides}) == 2:
            attackers = [_party_from(m, "explicit", matcher) for m in sides]
            targets = sides
            reciprocal = True
    return _Analysis(
        sentence,
        clause,
        cue,
        attackers,
        targets,
        target_actor,
        target_actor_countries,
        origin,
        may_corefer,
        hedged,
        weapons,
        pronoun,
        background,
        reciprocal,
    )


_RECIPROCAL = _GATE.compile(
    r"(?<![\w-])(?:(?:trad|exchang)(?:ed|es|e|ing)\s+(?:[\w-]+\s+){0,2}?(?:fire|strikes|"
    r"attacks|shelling|barrages|blows)|elkaar|each\s+other|one\s+another)(?![\w-])"
)
_WITH_BEFORE = re.compile(r"(?<![\w-])(?:with|met)\s+(?:the\s+|de\s+|het\s+)?$")


# after a strike noun, a phrase its target cannot come after ("samenvalt met", "amid")
_ACCOMPANIMENT = _GATE.compile(
    r"(?<![\w-])(?:met|with|amid|te\s+midden\s+van|tijdens|during|volgt\s+op|volgde\s+op|"
    r"follows|comes\s+after|came\s+after)(?![\w-])"
)


# Between an attacker modifier and its strike noun: "Houthi missile and drone attacks",
# "Amerikaanse raket- en drone-aanvallen", "Israel's repeated strikes".
_MODIFIER_GAP = re.compile(
    r"(?:['’]s)?[\s-]*(?:(?:repeated|renewed|recent|earlier|deadly|herhaalde|eerdere|recente|"
    r"missile|rocket|drone|air|raket|lucht|and|en|&)[\s-]+)*"
)


# --------------------------------------------------------------------------------------------
# Geography
# --------------------------------------------------------------------------------------------


def _locate_country(lon: float, lat: float) -> str | None:
    try:
        from geo import boundaries  # noqa: PLC0415 - optional until the boundaries land
    except ImportError:
        return None
    try:
        return boundaries.locate(lon, lat).country_iso3
    except (GeoError, AttributeError, ValueError):
        return None


_COUNTRY_POINTS: dict[str, tuple[float, float] | None] = {}


def default_country_point(iso3: str) -> tuple[float, float] | None:
    """Return a representative (lon, lat) inside the country ``iso3``, or None.

    Uses ``geo.boundaries.representative_point`` (a point inside the polygon), else the
    gazetteer's country point. Answers are cached for the process.
    """
    if iso3 in _COUNTRY_POINTS:
        return _COUNTRY_POINTS[iso3]
    point = _country_point_uncached(iso3)
    _COUNTRY_POINTS[iso3] = point  # unknown codes too: asking again finds nothing new
    return point


def _country_point_uncached(iso3: str) -> tuple[float, float] | None:
    try:
        from geo import boundaries  # noqa: PLC0415 - heavy; only when a strike needs it
    except ImportError:
        pass
    else:
        try:
            lon, lat = boundaries.representative_point(iso3)
            return float(lon), float(lat)
        except (GeoError, KeyError, ValueError):
            pass
    try:
        from geo.gazetteer import load_gazetteer  # noqa: PLC0415
    except ImportError:
        return None
    try:
        place = load_gazetteer().country(iso3)
    except GeoError:
        return None
    return (place.lon, place.lat) if place is not None else None


def _target_iso3(toponym: Toponym) -> str | None:
    """The country of a target: the gazetteer's code, else the polygon under its point.

    The gazetteer's code wins because generalised country polygons misplace border towns
    (Goma falls in Rwanda's polygon, Metula in Lebanon's, Kobani in Turkey's)."""
    if toponym.country_iso3 or toponym.lon is None or toponym.lat is None:
        return toponym.country_iso3
    return _locate_country(toponym.lon, toponym.lat)


_MISREAD_SCORE = 0.8


_NEAR_GAP = re.compile(r"[\s,]*(?:in|bij|near|nabij)\s+(?:the\s+|de\s+|het\s+)?(?:[\w-]+\s+)?")


def _plausible_targets(
    targets: list[_Mention], named_countries: set[str], folded: str
) -> list[_Mention]:
    """Drop target places the gazetteer probably misread.

    A place inside a country the article never names, read with a low gazetteer score
    ("Shati" as a Libyan district in a Gaza report), and a place followed by "in <place>" of
    another country ("Bani in northwest Yemen" read as Iran's Bāneh). Other targets of the
    clause stay.
    """
    kept: list[_Mention] = []
    for index, mention in enumerate(targets):
        toponym = mention.toponym
        if toponym is None or toponym.kind in (KIND_COUNTRY, KIND_DEMONYM):
            kept.append(mention)
            continue
        unnamed = (
            toponym.country_iso3 not in named_countries
            and (toponym.score or 0) < _MISREAD_SCORE
            and not _is_big_city(toponym.place_id)  # "Rusland beschoot Charkiv"
        )
        container = next(
            (
                m
                for m in targets[index + 1 :]
                if m.toponym is not None and _NEAR_GAP.fullmatch(folded[mention.end : m.start])
            ),
            None,
        )
        contradicted = (
            container is not None
            and container.toponym is not None
            and container.toponym.country_iso3 is not None
            and container.toponym.country_iso3 != toponym.country_iso3
        )
        if not (unnamed or contradicted):
            kept.append(mention)
    return kept


def _choose_targets(targets: list[_Mention], country_point: CountryPoint) -> list[Toponym]:
    """Per target country, the most specific places named."""
    by_country: dict[str | None, list[Toponym]] = {}
    for mention in targets:
        toponym = mention.toponym
        if toponym is None and mention.actor is not None and len(mention.actor.countries) == 1:
            iso3 = mention.actor.countries[0]
            point = country_point(iso3)
            if point is None:
                continue
            toponym = Toponym(
                mention.text,
                mention.start,
                mention.end,
                country_name(iso3) or iso3,
                point[0],
                point[1],
                iso3,
                None,
                None,
                KIND_COUNTRY,
                f"c:{iso3}",
            )
        if toponym is None:
            continue
        if toponym.lon is None or toponym.lat is None:
            if toponym.kind == KIND_DEMONYM and toponym.country_iso3:
                point = country_point(toponym.country_iso3)
                if point is None:
                    continue
                toponym = replace(toponym, lon=point[0], lat=point[1])
            else:
                continue
        by_country.setdefault(toponym.country_iso3, []).append(toponym)
    chosen: list[Toponym] = []
    for group in by_country.values():
        best = max(_PLACE_RANK.get(t.kind, 0) for t in group)
        sites = [t for t in group if t.kind == KIND_SITE]
        seen: set[str] = set()
        for toponym in group:
            rank = _PLACE_RANK.get(toponym.kind, 0)
            # a town is dropped for a site beside it ("the air base near Erbil"), not for a
            # site elsewhere ("the reactor near Arak and a site at Natanz")
            apart = toponym.kind == KIND_CITY and all(
                not _near(toponym, site, _SITE_TOWN_KM) for site in sites
            )
            if (rank == best or (best == _PLACE_RANK[KIND_SITE] and apart)) and (
                toponym.place_id not in seen
            ):
                seen.add(toponym.place_id)
                chosen.append(toponym)
    return chosen


_SITE_TOWN_KM = 40.0


def _near(a: Toponym, b: Toponym, km: float) -> bool:
    """Whether two located places lie within ``km`` of each other (equirectangular)."""
    assert a.lon is not None and a.lat is not None and b.lon is not None and b.lat is not None
    dx = math.radians(a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2))
    dy = math.radians(a.lat - b.lat)
    return 6371.0 * math.hypot(dx, dy) <= km


def _refine(target: Toponym, article_toponyms: Sequence[Toponym]) -> Toponym:
    """Refine a country-level target to the single province/region of it the article names."""
    if target.kind not in (KIND_COUNTRY, KIND_DEMONYM) or not target.country_iso3:
        return target
    subs = {
        t.place_id: t
        for t in article_toponyms
        if t.kind in (KIND_ADMIN1, KIND_REGION)
        and t.country_iso3 == target.country_iso3
        and t.lon is not None
    }
    if len(subs) != 1:
        return target
    return next(iter(subs.values()))


_SPEAKER_AFTER = re.compile(
    r"\s+(?:said|says|reported|claimed|denied|accused|announced|stated|zei|zegt|meldde|meldt|"
    r"ontkende|beschuldigde|verklaarde)(?![\w-])"
)


def _refine_to_towns(
    strikes: list[Strike], article_toponyms: Sequence[Toponym], article_id: str, text: str
) -> list[Strike]:
    """A country-level strike whose attacker has no more precise strike on that country in the
    article is placed at the one town of that country the article names, if it names one."""
    precise = {(s.attacker, s.target_iso3) for s in strikes if s.geo_precision != "country"}
    towns: dict[str, dict[str, Toponym]] = {}
    speakers: set[str] = set()  # "..., Yerevan said": a capital speaking for its government
    for t in article_toponyms:
        if (
            t.kind in (KIND_CITY, KIND_SITE)
            and t.country_iso3
            and t.lon is not None
            and t.lat is not None
            and (t.score or 0) >= _MISREAD_SCORE
        ):
            if _SPEAKER_AFTER.match(text, t.end):
                speakers.add(t.place_id)
            else:
                towns.setdefault(t.country_iso3, {})[t.place_id] = t
    for named in towns.values():
        for place_id in speakers & set(named):
            del named[place_id]
    out: list[Strike] = []
    for strike in strikes:
        named = towns.get(strike.target_iso3 or "", {})
        if (
            strike.geo_precision == "country"
            and (strike.attacker, strike.target_iso3) not in precise
            and len(named) == 1
        ):
            town = next(iter(named.values()))
            assert town.lon is not None and town.lat is not None
            strike = replace(
                strike,
                id=_strike_id(
                    article_id,
                    strike.start,
                    strike.end,
                    strike.attacker,
                    town.place_id,
                ),
                target_name=town.name,
                target_admin1=town.admin1,
                target_lon=float(town.lon),
                target_lat=float(town.lat),
                geo_precision="place",
                target_place_id=town.place_id,
            )
        out.append(strike)
    return out


# --------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------


_HOW_SCORE = {
    "named": 0.3,
    "country": 0.25,
    "demonym": 0.2,
    "claimant": 0.15,
    "origin": 0.1,
    "coreference": 0.05,
}


def _confidence(cue: _CueSpec, how: str, precision: str, hedged: bool, gapped: bool) -> float:
    """Score a strike in [0.05, 0.95].

    cue strength (0.4 weak "hit"/"getroffen" ... 0.8 "bombed"/"air strike") x 0.5
    + attacker: named actor 0.3, country 0.25, demonym 0.2, claimant 0.15, coreference 0.05
    + target precision: place 0.15, admin1 0.12, region 0.1, country 0.05
    then x 0.75 for hedged reports (claims, "zou ... zijn geweest", "reportedly") and x 0.85 for
    a gapped clause whose cue is borrowed ("..., and Iran in Pakistan").
    """
    score = cue.strength * 0.5 + _HOW_SCORE.get(how, 0.05)
    score += {"place": 0.15, "admin1": 0.12, "region": 0.1}.get(precision, 0.05)
    if hedged:
        score *= 0.75
    if gapped:
        score *= 0.85
    return round(min(0.95, max(0.05, score)), 3)


def _strike_id(article_id: str, start: int, end: int, attacker: str, target: str) -> str:
    digest = hashlib.sha1(f"{article_id}|{start}|{end}|{attacker}|{target}".encode()).hexdigest()
    return f"s_{digest[:16]}"


_SIMPLE_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def _fallback_sentences(text: str) -> tuple[Sentence, ...]:
    sentences = []
    for match in _SIMPLE_SENTENCE.finditer(text):
        if match.group().strip():
            sentences.append(Sentence(match.start(), match.end()))
    return tuple(sentences)


_Spanned = TypeVar("_Spanned", Toponym, ActorMention, _Cue)


def _slice(items: list[_Spanned], item_starts: list[int], sentence: Sentence) -> list[_Spanned]:
    """The items (sorted by start; ``item_starts`` their starts) lying inside ``sentence``."""
    lo = bisect.bisect_left(item_starts, sentence.start)
    hi = bisect.bisect_left(item_starts, sentence.end, lo)
    return [item for item in items[lo:hi] if item.end <= sentence.end]


def extract_strikes(
    article: Article,
    toponyms: list[Toponym],
    *,
    actors: ActorMatcher | None = None,
    country_point: CountryPoint | None = None,
) -> list[Strike]:
    """Return the strikes an article reports as having happened, one per sentence and target.

    Parameters
    ----------
    article : Article
        The article; ``article.sentences`` are used (a simple splitter steps in when empty).
    toponyms : list of Toponym
        The places found in ``article.text`` (offsets into it), as from
        ``geo.toponyms.find_toponyms``; demonyms and countries act as attackers.
    actors : ActorMatcher, optional
        The actor table; ``geo.actors.load_actors()`` by default.
    country_point : callable, optional
        ``iso3 -> (lon, lat) | None``, the attacker's origin when the text names no launch site
        and the point of a country-level target; :func:`default_country_point` by default.

    Returns
    -------
    list of Strike
        Unmerged: each strike carries one Source (its sentence). Coordinates are WGS84 lon/lat.
        Strikes within one country are returned too, with ``cross_border=False``.
    """
    matcher = actors or load_actors()
    lookup = country_point or default_country_point

    def point_of(iso3: str) -> tuple[float, float] | None:
        point = lookup(iso3)
        if point is not None:
            return point
        return next(
            (
                (t.lon, t.lat)
                for t in toponyms
                if t.kind == KIND_COUNTRY
                and t.country_iso3 == iso3
                and t.lon is not None
                and t.lat is not None
            ),
            None,
        )

    text = article.text
    folded = fold(text)
    sentences = article.sentences or _fallback_sentences(text)
    topos = sorted(toponyms, key=lambda t: t.start)
    starts = [t.start for t in topos]

    analyses: list[tuple[Sentence, list[_Analysis], bool]] = []
    # Actors and cues are found once per article, then handed out per sentence; everything
    # else runs only for the sentences that can use it (most sentences have no cue at all).
    sentence_starts = [s.start for s in sentences]
    flags, wanted_cues = _scan_lexicon(folded, sentence_starts)
    all_cues = _find_cues(folded, sentences, wanted_cues)
    if not all_cues:
        return []  # every strike comes from a sentence with a cue
    cue_starts = [c.start for c in all_cues]
    _GATE.index(folded)
    all_actors = matcher.find(text, folded)
    actor_starts = [a.start for a in all_actors]
    weapon_scan = _Weapons(folded, sentences, sentence_starts, flags)
    led_hits = {i for i, f in enumerate(flags) if f & _FLAG_LED}
    anaphor_hits = {i for i, f in enumerate(flags) if f & _FLAG_ANAPHOR}

    def topos_of(sentence: Sentence) -> list[Toponym]:
        return _slice(topos, starts, sentence)

    coalitions: dict[int, list[ActorMention]] = {}
    for index in sorted(led_hits):
        sentence = sentences[index]
        found = _led_coalitions(
            folded, sentence, _slice(all_actors, actor_starts, sentence), topos_of(sentence)
        )
        if found:
            coalitions[index] = found

    def actors_of(index: int) -> list[ActorMention]:
        sentence = sentences[index]
        found = _slice(all_actors, actor_starts, sentence)
        if index in coalitions:
            found = sorted(found + coalitions[index], key=lambda a: a.start)
        return found

    mention_cache: dict[int, list[_Mention]] = {}

    def mentions_of(index: int) -> list[_Mention]:
        """The sentence's actor and place mentions (built on first use)."""
        cached = mention_cache.get(index)
        if cached is not None:
            return cached
        sentence = sentences[index]
        sentence_topos = topos_of(sentence)
        actor_mentions = actors_of(index)
        if index in anaphor_hits:
            # named groups and alliances of the earlier sentences, for "de coalitie"
            seen = [
                a
                for j in range(index)
                for a in actors_of(j)
                if a.kind in ("armed_group", "alliance", "state_organ")
            ]
            anaphors = _resolve_anaphors(folded, sentence, actor_mentions, sentence_topos, seen)
            actor_mentions = sorted(actor_mentions + anaphors, key=lambda a: a.start)
        mentions = _build_mentions(
            text, sentence.start, sentence.end, actor_mentions, sentence_topos
        )
        mention_cache[index] = mentions
        return mentions

    for index, sentence in enumerate(sentences):
        cues = _slice(all_cues, cue_starts, sentence)
        if not cues:
            analyses.append((sentence, [], False))
            continue
        is_question = text[sentence.start : sentence.end].rstrip().rstrip("\"'”’»").endswith("?")
        is_question = is_question or _off_topic(folded[sentence.start : sentence.end])
        if is_question:
            analyses.append((sentence, [], False))
            continue
        mentions = mentions_of(index)
        results: list[_Analysis] = []
        # within two sentences of a strike a weak verb reports more of it ("Israël voerde
        # luchtaanvallen uit op Syrië. [...] In Latakia werden schepen geraakt")
        after_strike = any(
            a.targets and not a.background for _, earlier, _ in analyses[-2:] for a in earlier
        )
        for clause in _clauses(text, folded, sentence.start, sentence.end, cues, mentions):
            analysis = _analyse_clause(
                article,
                folded,
                sentence,
                clause,
                mentions,
                matcher,
                weapon_scan,
                earlier_cue=cues[0].start < clause.start,
                sentence_flags=flags[index],
                after_strike=after_strike,
            )
            if analysis is not None:
                if (
                    analysis.attackers
                    and not analysis.targets
                    and not analysis.background
                    and clause.gapped_from is None
                ):
                    analysis.targets = _place_anaphor(folded, clause, analysis.cue, topos, starts)
                results.append(analysis)
            cause = (
                _CAUSE.search(folded, clause.start, clause.end)
                if flags[index] & _FLAG_CAUSE
                else None
            )
            if cause is not None and any(c.start >= cause.end() for c in clause.cues):
                # the strike given as the cause is reported too ("in retaliation for
                # American strikes on Iran"), as an event of its own
                analysis = _analyse_clause(
                    article,
                    folded,
                    sentence,
                    _Clause(
                        cause.end(),
                        clause.end,
                        [c for c in clause.cues if c.start >= cause.end()],
                    ),
                    mentions,
                    matcher,
                    weapon_scan,
                    background=True,
                    sentence_flags=flags[index],
                )
                if analysis is not None:
                    results.append(analysis)
        analyses.append((sentence, results, True))

    named_countries = {
        t.country_iso3 for t in topos if t.kind in (KIND_COUNTRY, KIND_DEMONYM) and t.country_iso3
    }
    named_countries |= {c for a in all_actors for c in a.countries}

    def struck(analysis: _Analysis) -> list[Toponym]:
        """The places ``analysis`` strikes, a country narrowed to the one province of it the
        article names (:func:`_refine`)."""
        chosen = _choose_targets(
            _plausible_targets(analysis.targets, named_countries, folded), point_of
        )
        return [_refine(target, topos) for target in chosen]

    explicit = Counter(
        p
        for _, results, _ in analyses
        for a in results
        for p in a.attackers
        if a.targets and not a.background
    )
    dominant = explicit.most_common(1)[0][0] if explicit else None

    strikes: list[Strike] = []

    def counts(index: int) -> tuple[int | None, int | None]:
        """(killed, injured) as the sentence states them, outside a cause clause."""
        if not flags[index] & _FLAG_CASUALTY:
            return None, None
        sentence = sentences[index]
        folded_sentence = folded[sentence.start : sentence.end]
        if not _CASUALTY_HINT.search(folded_sentence):
            return None, None
        cause = (
            _CAUSE.search_in(folded, sentence.start, sentence.end)
            if flags[index] & _FLAG_CAUSE
            else None
        )
        end = sentence.start + cause.start() if cause else sentence.end
        return find_casualties(text[sentence.start : end])

    last_cue_index = -10
    recent_parties: list[_Party] = []  # the attackers of the most recent strike
    background_ids: set[str] = set()  # strikes named as the cause of another
    pending: tuple[int, _Analysis] | None = None  # a clause with targets and no named attacker
    untargeted: list[_Party] = []  # the attackers of a clause without a target, before any strike
    for index, (sentence, results, has_cue) in enumerate(analyses):
        produced: list[Strike] = []
        for analysis in results:
            produced_before = len(produced)
            attackers = analysis.attackers
            how_override = None
            if not attackers and analysis.targets:
                pending = (index, analysis)
            if not attackers and analysis.pronoun and index > 0:
                # "Iran kondigde vergelding aan. Kort daarop vuurde het ...": the subject of
                # the previous sentence.
                target_countries = {c for t in analysis.targets for c in t.countries}
                antecedent = next(
                    (
                        m
                        for m in mentions_of(index - 1)
                        if m.is_actorlike
                        and not m.proxy
                        and m.countries
                        and not set(m.countries) & target_countries
                    ),
                    None,
                )
                if antecedent is not None:
                    attackers = [_party_from(antecedent, "coreference", matcher)]
                    how_override = "coreference"
            if attackers and not analysis.targets and not recent_parties:
                untargeted = list(attackers)
            elif not attackers and analysis.may_corefer:
                # The attackers of the most recent strike (all of them: "The US and Britain
                # struck ... The strikes hit Sanaa"), else of an earlier clause that had no
                # target ("an Iranian strike on its territory"), else the article's most
                # frequent attacker.
                ahead = _claimant_ahead(folded, analyses, index, analysis)
                if recent_parties or untargeted:
                    attackers = [
                        replace(p, how="coreference") for p in (recent_parties or untargeted)
                    ]
                elif ahead:
                    attackers = [replace(p, how="coreference") for p in ahead]
                elif dominant is not None:
                    attackers = [replace(dominant, how="coreference")]
                target_countries = {c for t in analysis.targets for c in t.countries}
                if attackers and all(set(p.countries) & target_countries for p in attackers):
                    # they would strike their own country: rather the party the next sentence
                    # names as firing without a target of its own ("... a rocket struck Ramat
                    # Gan. Hamas has launched 2,300 rockets")
                    others = [
                        p
                        for later in analyses[index + 1 : index + 2]
                        for a in later[1]
                        if not a.background and not a.targets
                        for p in a.attackers
                        if p.countries and not set(p.countries) & target_countries
                    ]
                    if others:
                        attackers = [replace(p, how="coreference") for p in others]
                how_override = "coreference"
            if attackers and not analysis.targets and not analysis.background and index > 0:
                # "Explosions were heard near an air base in Isfahan. US officials said it was
                # an Israeli strike.": the place of the aftermath the sentence before reports
                previous = sentences[index - 1]
                if not analyses[index - 1][2] and "\n\n" not in text[previous.end : sentence.start]:
                    places_before = _aftermath_places(
                        folded, previous.start, previous.end, mentions_of(index - 1)
                    )
                    if places_before:
                        analysis = replace(analysis, targets=places_before)
            if (
                analysis.attackers  # named in the clause, not carried over
                and not analysis.targets
                and pending is not None
                and 0 < index - pending[0] <= _CLAIM_REACH
                and _claims(folded, analysis, pending[1])
            ):
                # "Erbil was hit by a dozen missiles. [...] The Revolutionary Guards said they
                # had fired the missiles": the strike whose attacker the text left open
                analysis = replace(analysis, targets=pending[1].targets)
            if not attackers or not analysis.targets:
                continue
            for refined in struck(analysis):
                for party in attackers:
                    if analysis.reciprocal and refined.country_iso3 in party.countries:
                        continue  # each side strikes the other, not itself
                    strike = _make_strike(
                        article, sentence, analysis, party, refined, how_override, point_of
                    )
                    if strike is not None and all(
                        (s.attacker, s.target_place_id) != (strike.attacker, strike.target_place_id)
                        for s in produced
                    ):
                        produced.append(strike)
            if analysis.background:
                new_ids = {s.id for s in produced[produced_before:]}
                background_ids.update(new_ids)
                if new_ids and all(s.id in background_ids for s in produced):
                    # only the cause is a strike here ("De aanvallen volgen op een aanval van de
                    # Houthi's op ..."): the next sentence may tell more about it
                    recent_parties = [
                        p for p in attackers if any(s.attacker == p.name for s in produced)
                    ]
            elif (
                attackers
                and len(produced) > produced_before
                # "... they had fired the missiles, days after two officers were killed in an
                # Israeli strike": an earlier event after the sentence's own strike
                and not (produced_before and _OTHER_TIME.match(folded, analysis.clause.start))
            ):
                # the attackers of this clause's strikes (a later clause of the sentence that
                # strikes nothing, "een claim die Irak tegenspreekt", leaves them in place)
                mine = produced[produced_before:]
                recent_parties = [p for p in attackers if any(s.attacker == p.name for s in mine)]
        if not produced and pending is not None and index - pending[0] <= _CLAIM_REACH:
            # "De Houthi-rebellen eisten de aanvallen op", "The US accused Iran of the attack":
            # the responsible party of the latest strike whose attacker the text left open.
            responsible = [
                party
                for party in _responsible_parties(folded, sentence, mentions_of(index), matcher)
                if party.iso3 is not None
            ]
            target_countries = {c for t in pending[1].targets for c in t.countries}
            responsible = [p for p in responsible if not set(p.countries) & target_countries]
            if responsible:
                analysis = replace(pending[1], hedged=True)
                for refined in struck(analysis):
                    for party in responsible:
                        strike = _make_strike(
                            article, analysis.sentence, analysis, party, refined, None, point_of
                        )
                        if strike is not None:
                            produced.append(strike)
                recent_parties = responsible
        if produced:
            # Counts belong to the sentence's one event: one target place (several coordinated
            # attackers may share it); a list of strikes on several places gets none.
            # A strike named as the cause comes first, so later sentences enrich the main one.
            main = [s for s in produced if s.id not in background_ids]
            if len({s.target_place_id for s in main}) == 1:
                killed, injured = counts(index)
                if killed is not None or injured is not None:
                    main = [_with_counts(s, killed, injured) for s in main]
            produced = [s for s in produced if s.id in background_ids] + main
            strikes.extend(produced)
            last_cue_index = index
            continue
        # No strike here: maybe more about the most recent one.
        if strikes:
            weapons = weapon_scan.between(sentence.start, sentence.end)
            killed, injured = counts(index)
            if not has_cue and not weapons and killed is None and injured is None:
                continue  # nothing to add, and no cue to keep the strike recent
            refers = bool(_STRIKE_REFERENCE.search_in(folded, sentence.start, sentence.end))
            other_event = bool(_OTHER_EVENT.search_in(folded, sentence.start, sentence.end))
            recent = index - last_cue_index <= 2
            # an impact verb that made no strike of its own tells more of the recent one
            # ("Twee vrouwen kwamen om toen een raket insloeg op een woonflat")
            impact_only = has_cue and all(
                c.spec.weak for c in _slice(all_cues, cue_starts, sentence)
            )
            if refers or (recent and not other_event and (not has_cue or impact_only)):
                # weapons only from a sentence that names the attack ("de aanval")
                strikes[-1] = _enrich(
                    strikes[-1], weapons if refers else (), killed, injured, results
                )
            if has_cue and refers:
                last_cue_index = index
    return _refine_to_towns(strikes, topos, article.id, text)


_ANAPHOR = _GATE.compile(
    r"(?<![\w-])(?:de|het|the|this|that|deze|die|dat)\s+(?:([\w-]+)\s+)?"
    r"(coalitie|coalition|alliantie|alliance|groep|group|beweging|movement|militie|militia|"
    r"organisatie|organisation|organization|rebellen|rebels|rebellengroep|militants|militanten|"
    r"strijdgroep|militant\s+group|militante\s+groep|garde|guards)(?:'s)?(?![\w-])"
)

# "coalition jets carried out air strikes": a coalition named before, without an article
# (the empty first group stands for _ANAPHOR's adjective)
_BARE_COALITION = re.compile(
    r"(?<![\w-])()(coalitie|coalition)(?=[\s-](?:jets|warplanes|aircraft|planes|forces|troops|"
    r"vliegtuigen|gevechtsvliegtuigen|straaljagers|troepen|strijdkrachten)(?![\w-]))"
)

_LED_COALITION = re.compile(
    r"(?<![\w-])(?:(?:door|by)\s+(?:de\s+|het\s+|the\s+)?(?P<a>[\w-]+(?:\s+[\w-]+)?)\s+"
    r"(?:geleide|led)|(?P<b>[\w-]+?)[\s-](?:led|geleide)|onder\s+leiding\s+van\s+"
    r"(?P<c>[\w-]+(?:\s+[\w-]+)?))\s+(?:[\w-]+\s+)?(?:coalitie|coalition)(?![\w-])|"
    # "the coalition led by Saudi Arabia", "de coalitie onder leiding van de VS"
    r"(?<![\w-])(?:coalitie|coalition)\s+(?:led\s+by|geleid\s+door|onder\s+leiding\s+van)\s+"
    r"(?:de\s+|het\s+|the\s+)?(?P<d>[\w-]+(?:\s+[\w-]+)?)"
)


_CLAIM_REACH = 5  # sentences between a strike without attacker and the claim of it


def _claims(folded: str, claim: _Analysis, strike: _Analysis) -> bool:
    """Whether ``claim``, a clause whose attackers fire at no named target, owns up to
    ``strike``, a strike whose attacker the text left open: it names the weapons definitely
    ("they had fired the missiles"), or the struck place as the subject of a passive verb
    ("werd het station getroffen door een Russische raket"), and its attackers do not belong
    to the struck country."""
    start, end = claim.clause.start, claim.clause.end
    if claim.background or not (
        _DEFINITE_WEAPON.search(folded, start, end)
        or (claim.cue.spec.participle and _DEFINITE_STRUCK.search(folded, start, claim.cue.start))
    ):
        return False
    struck = {c for t in strike.targets for c in t.countries}
    return not any(set(p.countries) & struck for p in claim.attackers)


def _claimant_ahead(
    folded: str,
    analyses: list[tuple[Sentence, list[_Analysis], bool]],
    index: int,
    strike: _Analysis,
) -> list[_Party]:
    """The attackers of a later clause that :func:`_claims` the strike of sentence ``index``."""
    for _, later, _ in analyses[index + 1 : index + 1 + _CLAIM_REACH]:
        for claim in later:
            if claim.attackers and not claim.targets and _claims(folded, claim, strike):
                return claim.attackers
    return []


_BIG_CITY_POPULATION = 300_000


def _is_big_city(place_id: str) -> bool:
    """Whether the gazetteer's place is a city of 300,000 or more: so well known that
    a low resolution score comes from context, not from a misread word."""
    from geo.gazetteer import load_gazetteer

    place = load_gazetteer().get(place_id)
    return (
        place is not None and place.kind == KIND_CITY and place.population >= _BIG_CITY_POPULATION
    )


def _country_named(word: str) -> tuple[str, str] | None:
    """(iso3, name) of the country a bare country name or demonym adjective names."""
    from geo.gazetteer import load_gazetteer

    for place in load_gazetteer().lookup(word):
        if place.kind in (KIND_COUNTRY, KIND_DEMONYM) and place.country_iso3:
            return place.country_iso3, place.name
    return None


def _led_coalitions(
    folded: str,
    sentence: Sentence,
    actors: list[ActorMention],
    toponyms: Sequence[Toponym],
) -> list[ActorMention]:
    """ "the Saudi-led coalition", "de door Riyad geleide coalitie": an alliance mention based
    in its leader's country (an attacker like any other; "de coalitie" later refers to it)."""
    found: list[ActorMention] = []
    for match in _LED_COALITION.finditer(folded, sentence.start, sentence.end):
        if any(
            a.start < match.end() and match.start() < a.end and a.kind == "alliance" for a in actors
        ):
            continue
        group = next(g for g in ("a", "b", "c", "d") if match.group(g))
        lo, hi = match.span(group)
        leader: tuple[str, str] | None = None
        for toponym in toponyms:
            if toponym.start < hi and lo < toponym.end and toponym.country_iso3:
                if toponym.kind in (KIND_COUNTRY, KIND_DEMONYM):
                    leader = (toponym.country_iso3, toponym.name)
                    break
        if leader is None:
            for actor in actors:
                if actor.start < hi and lo < actor.end and len(actor.countries) == 1:
                    leader = (actor.countries[0], actor.countries[0])
                    break
        if leader is None:
            leader = _country_named(folded[lo:hi])  # "Saudisch-geleide": one token
        if leader is None:
            continue
        iso3, name = leader
        found.append(
            ActorMention(
                match.start(),
                match.end(),
                match.group(),
                f"coalition:{iso3}",
                f"{name}-led coalition",
                (iso3,),
                "alliance",
            )
        )
    return found


def _resolve_anaphors(
    folded: str,
    sentence: Sentence,
    actors: list[ActorMention],
    toponyms: Sequence[Toponym],
    seen: list[ActorMention],
) -> list[ActorMention]:
    """Resolve "de coalitie", "the group", "De Libanese beweging", "the Yemeni group" to the
    most recent named group (or alliance, for a coalition) of the article, of the demonym's
    country when one is given. Returns mentions spanning the noun phrase."""
    found: list[ActorMention] = []
    for match in [
        *_ANAPHOR.finditer(folded, sentence.start, sentence.end),
        *_BARE_COALITION.finditer(folded, sentence.start, sentence.end),
    ]:
        if any(a.start < match.end() + 3 and match.start() < a.end for a in actors):
            continue  # "de militie Jaish al-Adl": the name follows
        head = match.group(2)
        wanted: tuple[str, ...] = (
            ("alliance",)
            if head in ("coalitie", "coalition", "alliantie", "alliance")
            # "de Garde", "the Guards": the Revolutionary Guards named before
            else ("state_organ",)
            if head in ("garde", "guards")
            else ("armed_group",)
        )
        country = None
        if match.group(1):
            demonym = next(
                (
                    t
                    for t in toponyms
                    if t.kind == KIND_DEMONYM and t.start == match.start(1) and t.country_iso3
                ),
                None,
            )
            if demonym is None and match.group(1) not in ("armed", "militant", "militante"):
                continue  # "the peace movement", "de oppositiegroep": another group
            country = demonym.country_iso3 if demonym is not None else None
        candidates = [
            a
            for a in [*seen, *(a for a in actors if a.end <= match.start())]
            if a.kind in wanted and (country is None or country in a.countries)
        ]
        if not candidates:
            continue
        last = candidates[-1]
        found.append(replace(last, start=match.start(), end=match.end(), text=match.group()))
    return found


_RESPONSIBLE_SUBJECT = _GATE.compile(
    r"(?<![\w-])(?:eist(?:e|en)?\s+(?:[\w'-]+\s+){0,6}?op|opgeeist|"
    r"claim(?:ed|s)?\s+(?:responsibility|the\s+(?:[\w-]+\s+)?(?:attacks?|strikes?))|"
    r"took\s+responsibility|nam\s+de\s+verantwoordelijkheid|"
    # "both Syrian and Russian jets had taken part", "namen deel aan de aanvallen"
    r"(?:taken|took)\s+part|participated|namen?\s+(?:[\w'-]+\s+){0,5}?deel(?![\w-])|(?:hebben|hadden)\s+"
    r"(?:[\w'-]+\s+){0,3}?deelgenomen|"
    r"(?:zat|zaten|was|were|is|are)\s+(?:[\w'-]+\s+){0,2}?(?:achter|behind)|"
    # Dutch verb-final: "dat Egypte en de Emiraten achter die aanvallen zaten"
    r"achter\s+(?:[\w'-]+\s+){1,3}?(?:zat|zaten|zit|zitten|zou\s+zitten|zouden\s+zitten))(?![\w-])"
)
# a trailing comment clause: "..., wat beide landen ontkenden", "..., which both deny"
_COMMENT_CLAUSE = re.compile(r",\s*(?:wat|which|iets\s+wat)(?![\w-])")
_RESPONSIBLE_OBJECT = re.compile(
    r"(?<![\w-])(?:accus\w+|beschuldig\w+|blam\w+|held|hield|hielden|houdt|houden|"
    # "attributed the strike to X", "schrijven het bombardement toe aan X"
    r"(?:attribut|ascrib)\w+(?=(?:\s+[\w'’-]+){1,6}\s+to\s)|"
    r"(?:schrijft|schrijven|schreef|schreven)(?=(?:\s+[\w'’-]+){1,6}\s+toe\s+aan\s)|"
    r"(?:geven|geeft|gaf|gaven)(?=(?:\s+[\w'’-]+){1,8}\s+de\s+schuld(?![\w-])))(?![\w-])"
)
_DENIAL = _GATE.compile_skipping(
    r"(?<![\w-])(?:ontken\w*|den(?:y|ies|ied)|reject\w*|verwerp\w*)(?![\w-])"
)


_CONTRAST = re.compile(r",\s+(?:but|maar)\s")


def _responsible_parties(
    folded: str, sentence: Sentence, mentions: list[_Mention], matcher: ActorMatcher
) -> list[_Party]:
    """The parties a sentence holds responsible for an attack: the subject of "claimed
    responsibility", "eiste de aanvallen op", "zat achter"; the object of "accused",
    "beschuldigt", "blamed"; with the parties coordinated to it ("Egypte en de Verenigde
    Arabische Emiraten zaten achter die aanvallen"). Empty when the sentence denies, negates
    or names none. Each side of ", but" / ", maar" is read on its own ("De Houthi's eisten die
    aanval op, maar Washington gaf Iran de schuld")."""
    contrast = _CONTRAST.search(folded, sentence.start, sentence.end)
    if contrast is not None:
        parties: list[_Party] = []
        for part in (
            Sentence(sentence.start, contrast.start()),
            Sentence(contrast.end(), sentence.end),
        ):
            inside = [m for m in mentions if part.start <= m.start < part.end]
            for party in _responsible_parties(folded, part, inside, matcher):
                if all(p.name != party.name for p in parties):
                    parties.append(party)
        return parties
    text = folded[sentence.start : sentence.end]
    # the accused party's denial in a trailing comment leaves the attribution standing
    comment = _COMMENT_CLAUSE.search(text)
    claim_end = sentence.start + comment.start() if comment else sentence.end
    if (
        _DENIAL.search_in(folded, sentence.start, claim_end)
        or _NEGATION.search_in(folded, sentence.start, claim_end)
        or not _STRIKE_OR_RESPONSIBILITY.search_in(folded, sentence.start, claim_end)
    ):
        return []
    actorlike = [m for m in mentions if m.is_actorlike and not m.proxy]
    chosen = _responsible_mention(folded, sentence, actorlike)
    if chosen is None or not chosen.countries:
        return []
    index = actorlike.index(chosen)
    group = [chosen]
    for step in (-1, 1):
        i = index
        while 0 <= i + step < len(actorlike):
            a, b = sorted((actorlike[i], actorlike[i + step]), key=lambda m: m.start)
            if not _COORD_GAP.match(folded[a.end : b.start]) or not actorlike[i + step].countries:
                break
            group.append(actorlike[i + step])
            i += step
    return [_party_from(m, "claimant", matcher) for m in sorted(group, key=lambda m: m.start)]


def _responsible_mention(
    folded: str, sentence: Sentence, actorlike: list[_Mention]
) -> _Mention | None:
    """The one mention :func:`_responsible_parties` starts from."""
    match = _RESPONSIBLE_SUBJECT.search(folded, sentence.start, sentence.end)
    if match is not None:
        inside = [m for m in actorlike if match.start() <= m.start < match.end()]
        before = [m for m in actorlike if m.end <= match.start()]
        chosen = inside[0] if inside else (before[-1] if before else None)
    else:
        attributed = [
            m
            for m in actorlike
            if _ATTRIBUTED_BEFORE.search(folded, max(sentence.start, m.start - 40), m.start)
            or _ATTRIBUTED_AFTER.match_in(folded, m.end, m.end + 40)
        ]
        match = _RESPONSIBLE_OBJECT.search(folded, sentence.start, sentence.end)
        if attributed:
            chosen = attributed[0]  # "Die aanval wordt aan Israël toegeschreven"
        elif match is None:
            return None
        else:
            after = [m for m in actorlike if m.start >= match.end()]
            chosen = after[0] if after else None
    return chosen


_STRIKE_OR_RESPONSIBILITY = _GATE.compile(
    r"(?<![\w-])(?:[\w-]*aanval\w*|attacks?|strikes?|[\w-]*strikes?|bombardement\w*|"
    r"bombing|responsibility|verantwoordelijk\w*|raids?|schuld|blam\w*|toegeschreven|"
    r"attributed|part|participated|deel|deelgenomen)(?![\w-])"
)


def _enrich(
    strike: Strike,
    weapons: tuple[str, ...],
    killed: int | None,
    injured: int | None,
    results: list[_Analysis],
) -> Strike:
    """Add a later sentence's counts (the maximum wins), weapons and target actor to ``strike``."""
    changes: dict[str, object] = {}
    if killed is not None and (strike.killed is None or killed > strike.killed):
        changes["killed"] = killed
    if injured is not None and (strike.injured is None or injured > strike.injured):
        changes["injured"] = injured
    if weapons:
        merged = tuple(dict.fromkeys((*strike.weapons, *weapons)))
        if merged != strike.weapons:
            changes["weapons"] = merged
    if strike.target_actor is None:
        for analysis in results:
            if analysis.target_actor and strike.target_iso3 in analysis.target_actor_countries:
                changes["target_actor"] = analysis.target_actor
                break
    if not changes:
        return strike
    return replace(strike, **changes)  # type: ignore[arg-type]


_STRIKE_FIELDS = tuple(f.name for f in fields(Strike))
_strike_values = operator.attrgetter(*_STRIKE_FIELDS)
_KILLED_AT = _STRIKE_FIELDS.index("killed")
_INJURED_AT = _STRIKE_FIELDS.index("injured")


def _with_counts(strike: Strike, killed: int | None, injured: int | None) -> Strike:
    """``replace(strike, killed=killed, injured=injured)``, several times quicker (every
    strike of a sentence with counts gets them)."""
    values = list(_strike_values(strike))
    values[_KILLED_AT] = killed
    values[_INJURED_AT] = injured
    return Strike(*values)


def _make_strike(
    article: Article,
    sentence: Sentence,
    analysis: _Analysis,
    party: _Party,
    target: Toponym,
    how_override: str | None,
    country_point: CountryPoint,
) -> Strike | None:
    if target.lon is None or target.lat is None:
        return None
    target_iso3 = _target_iso3(target)
    attacker_iso3 = party.iso3
    origin = analysis.origin
    origin_name = None
    origin_kind = "country_point"
    origin_point: tuple[float, float] | None = None
    if (
        origin is not None
        and origin.toponym is not None
        and origin.toponym.lon is not None
        and origin.toponym.lat is not None
    ):
        origin_point = (origin.toponym.lon, origin.toponym.lat)
        origin_name = origin.toponym.name
        origin_kind = "launch_site"
        origin_country = origin.toponym.country_iso3
        if attacker_iso3 is None and origin_country in party.countries:
            attacker_iso3 = origin_country
    if origin_point is None and attacker_iso3:
        origin_point = country_point(attacker_iso3)
        origin_name = party.name
    if origin_point is None:
        origin_point = (target.lon, target.lat)
        origin_kind = "unknown"
    if attacker_iso3 and target_iso3:
        cross_border = attacker_iso3 != target_iso3
    elif party.countries and target_iso3:
        cross_border = target_iso3 not in party.countries  # Jaish al-Adl in Syria, not in Iran
    else:
        cross_border = False
    if attacker_iso3 and attacker_iso3 == target_iso3 and party.how == "coreference":
        return None  # coreference never invents a domestic strike
    how = how_override or party.how
    precision = _PRECISION.get(target.kind, "country")
    sentence_text = article.text[sentence.start : sentence.end]
    excerpt = " ".join(sentence_text.split())
    source = Source(
        article=article.path or article.id,
        article_id=article.id,
        title=article.title,
        date=article.date,
        excerpt=excerpt,
        start=sentence.start,
        end=sentence.end,
    )
    return Strike(
        id=_strike_id(article.id, sentence.start, sentence.end, party.name, target.place_id),
        attacker=party.name,
        attacker_iso3=attacker_iso3,
        target_name=target.name,
        target_iso3=target_iso3,
        target_admin1=target.admin1,
        target_lon=float(target.lon),
        target_lat=float(target.lat),
        geo_precision=precision,
        origin_lon=float(origin_point[0]),
        origin_lat=float(origin_point[1]),
        origin_kind=origin_kind,
        cross_border=cross_border,
        date=sentence_date(sentence_text, article.date),
        target_actor=analysis.target_actor,
        target_place_id=target.place_id,
        origin_name=origin_name,
        weapons=analysis.weapons,
        killed=None,
        injured=None,
        confidence=_confidence(
            analysis.cue.spec,
            how,
            precision,
            analysis.hedged,
            analysis.clause.gapped_from is not None,
        ),
        article=article.path or article.id,
        excerpt=excerpt,
        start=sentence.start,
        end=sentence.end,
        sources=(source,),
    )
