"""Word lists shared by the tagger features, the rules and the type classifier.

The lists are features, not gates: the trained tagger learns how much to trust
them, so a verb missing here can still be found, and a listed one ignored.
"""

from __future__ import annotations

SPEECH_VERBS = frozenset("""
say tell state note add warn assert emphasise emphasize stress argue claim insist
explain announce declare report write tweet post reply respond answer ask
acknowledge admit concede confirm deny reveal disclose suggest indicate
contend maintain observe remark comment point mention recall caution urge
predict promise vow pledge threaten accuse charge allege complain criticize
criticise praise describe call quip joke boast brag testify tout speak talk
agree disagree conclude estimate forecast counter retort continue
reiterate repeat underscore underline highlight signal hint insinuate
announce inform notify advise assure reassure convey lament decry blast
slam dismiss reject question challenge demand plead propose recommend
clarify specify detail elaborate summarize summarise show find
discuss imply
""".split())

BELIEF_VERBS = frozenset("""
believe think feel fear hope expect suspect doubt worry know assume
consider reckon suppose guess presume imagine understand recognize recognise
realize realise see view regard trust anticipate wonder
""".split())

INTENTION_VERBS = frozenset("""
plan intend want aim seek hope vow promise pledge mean wish
propose decide resolve threaten try attempt prepare refuse
""".split())

CUE_NOUNS = frozenset("""
statement remark remarks comment comments claim claims assertion argument
announcement warning view views belief beliefs opinion perspective position
stance assessment allegation allegations accusation report reports testimony
interview speech tweet post letter memo message note told
idea notion fear fears hope hopes concern concerns expectation suggestion
promise pledge vow threat insistence admission denial estimate prediction
""".split())

ATTRIBUTIVE_PREPS = frozenset({"according", "per", "via"})

# Markers of the attribution types; checked in order of specificity.
QUOTE_CHARS = frozenset("\"“”«»„‟")

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "we", "they", "you"})
GENDERED = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}

ANONYMOUS_HEADS = frozenset("""
source sources official officials insider insiders aide aides person people
spokesperson spokesman spokeswoman representative representatives staffer
staffers diplomat diplomats adviser advisers advisor advisors
""".split())

VAGUE_HEADS = frozenset("""
some many others critics observers analysts experts commentators supporters
opponents detractors skeptics sceptics pundits economists scholars
observers voters residents americans democrats republicans conservatives
liberals activists lawmakers leaders members partners allies reports
""".split())

ANONYMITY_MARKERS = frozenset("""
anonymous anonymity unnamed unidentified familiar senior
""".split())

ORG_HEADS = frozenset("""
agency ministry department government administration campaign committee
commission council court office party company firm bank alliance union
organization organisation institute university newspaper paper network
board group team police army military service white house congress senate
parliament kremlin pentagon authority authorities center centre foundation association
federation corporation bureau regulator watchdog tribunal cabinet embassy consulate
""".split())

TITLES = (
    "President Vice Prime Minister Secretary General Gen. Lt. Lieutenant Colonel "
    "Col. Major Maj. Admiral Adm. Captain Capt. Sergeant Sgt. Commander Senator Sen. "
    "Representative Rep. Governor Gov. Mayor Judge Justice Chancellor Ambassador "
    "Director Chairman Chairwoman Chair Chief Deputy Dr. Dr Mr. Mr Mrs. Mrs Ms. Ms "
    "Miss Prof. Professor Sir Dame Lord Lady Rev. Reverend Pope King Queen Prince "
    "Princess Speaker Attorney Spokesman Spokeswoman Supreme Allied Foreign Defense "
    "Defence Interior State Sheriff Commissioner Minority Majority Leader Whip "
    "Former former Acting acting"
).split()
TITLE_WORDS = frozenset(TITLES)


def cue_class(lemma: str) -> str:
    """Coarse lexical class of a cue lemma, used as a tagger feature and for the type."""
    lemma = lemma.lower()
    if lemma in ATTRIBUTIVE_PREPS:
        return "according"
    if lemma in SPEECH_VERBS:
        return "speech"
    if lemma in BELIEF_VERBS:
        return "belief"
    if lemma in INTENTION_VERBS:
        return "intention"
    if lemma in CUE_NOUNS:
        return "noun"
    return "none"
