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


# Predicate classes beyond speech and belief, from general semantic verb classes
# (Levin-style: verbs of showing and publishing, of desire and planning, of
# proposing, promising and requesting, of deciding, of emotion). Used to
# analyse which cues the tagger misses and as a tagger feature; not taken
# from any evaluation text.
SHOW_VERBS = frozenset("""
show demonstrate reveal indicate illustrate display prove document establish confirm
release publish post tweet retweet share issue air broadcast print unveil disclose leak
circulate file list record cite quote present depict portray expose
""".split())

WANT_VERBS = frozenset("""
want wish hope plan intend aim seek mean desire prefer try attempt strive prepare
look expect envision envisage hanker crave long yearn need
""".split())

PROPOSE_VERBS = frozenset("""
propose suggest offer promise pledge vow commit guarantee swear request ask demand urge
beg plead petition lobby push press encourage invite recommend advocate campaign appeal
implore call challenge dare order instruct direct command require insist move seek
endorse support back champion oppose threaten warn
""".split())

DECIDE_VERBS = frozenset("""
decide choose opt resolve determine elect vote rule settle approve reject refuse decline
agree consent accept veto sign adopt pass conclude judge
""".split())

FEEL_VERBS = frozenset("""
feel fear worry love hate like dislike enjoy regret embarrass anger annoy frustrate upset
concern disturb bother please surprise shock disappoint excite thrill delight welcome
appreciate resent mourn lament cheer celebrate applaud praise blame condemn deplore
outrage offend alarm scare frighten terrify trouble puzzle baffle amaze astonish stun
impress hurt sadden dread relish savor admire respect despise
""".split())

PREDICATE_CLASSES = (
    ("show", SHOW_VERBS),
    ("want", WANT_VERBS),
    ("propose", PROPOSE_VERBS),
    ("decide", DECIDE_VERBS),
    ("feel", FEEL_VERBS),
)


def predicate_class(lemma: str) -> str:
    """The general semantic class of a verb lemma (speech and belief first), or "none".

    A verb in several lists takes the first: speech, belief, then showing,
    wanting, proposing, deciding, feeling.
    """
    lemma = lemma.lower()
    if lemma in SPEECH_VERBS - {"show", "find", "promise", "propose", "demand", "recommend",
                                "urge", "plead", "vow", "pledge", "threaten", "tweet",
                                "post", "reveal", "disclose", "indicate"}:
        return "speech"
    if lemma in BELIEF_VERBS - {"hope", "fear", "feel", "worry", "expect"}:
        return "belief"
    for name, verbs in PREDICATE_CLASSES:
        if lemma in verbs:
            return name
    return "none"


# --- speaker resolution (whosaid.resolve) -------------------------------------------

# courtesy titles that say a person's gender: "Mrs. Clinton said" -> "she" fits
HONORIFIC_GENDER = {"mr": "m", "mrs": "f", "ms": "f", "miss": "f", "sir": "m", "dame": "f"}

# role and kin nouns that say a person's gender when the text gives them to a name
GENDERED_ROLES = {
    **dict.fromkeys("""congressman spokesman chairman businessman councilman alderman
        assemblyman statesman husband father son brother uncle nephew grandfather king prince
        boyfriend widower actor""".split(), "m"),
    **dict.fromkeys("""congresswoman spokeswoman chairwoman businesswoman councilwoman
        assemblywoman stateswoman wife mother daughter sister aunt niece grandmother queen
        princess girlfriend widow actress lady""".split(), "f"),
}

# abbreviated titles and the role noun they stand for: "Gov. X" is "the governor"
TITLE_ROLES = {
    "gov": "governor", "sen": "senator", "rep": "representative", "pres": "president",
    "gen": "general", "lt": "lieutenant", "col": "colonel", "maj": "major", "adm": "admiral",
    "capt": "captain", "sgt": "sergeant", "cmdr": "commander", "atty": "attorney",
    "sec": "secretary", "secy": "secretary", "amb": "ambassador", "del": "delegate",
    "dr": "doctor", "prof": "professor", "rev": "reverend", "supt": "superintendent",
    "insp": "inspector", "det": "detective", "gov.-elect": "governor",
}

# what a body is called by type: "the bank", "the network" refer to the body the
# article names; place words refer to a named place
ORG_TYPE_WORDS = frozenset("""
agency ministry department government administration campaign committee commission council
court office party company firm bank alliance union organization organisation institute
university newspaper paper network board team authority center centre foundation
association federation corporation bureau regulator watchdog tribunal cabinet embassy
fund website site magazine outlet publication broadcaster channel station daily tabloid
service retailer airline carrier lender insurer manufacturer automaker utility hospital
school college club league panel caucus coalition movement charity nonprofit think-tank
tank program programme project startup conglomerate giant chain studio label publisher
""".split())
PLACE_TYPE_WORDS = frozenset("state city country nation county town province region".split())

# nouns for documents, polls and data: their speaker is whoever issued them
DOCUMENT_HEADS = frozenset("""
report study statement survey analysis poll polls estimate review investigation memo letter
filing audit assessment document paper release briefing article story column editorial
op-ed transcript data figures numbers count tally research findings ruling decision
opinion complaint lawsuit suit brief order notes note email emails tweet post video ad
advertisement book chart map projection forecast index ranking
""".split())


_NOMINAL_SUFFIXES = (
    ("ization", ("ize",)), ("isation", ("ise", "ize")), ("ation", ("e", "", "ate")),
    ("ition", ("e", "")), ("sion", ("de", "d", "t", "se")), ("tion", ("te", "t", "")),
    ("ment", ("",)), ("ism", ("ize", "ise")), ("al", ("e", "")), ("ance", ("", "e")),
    ("ence", ("", "e")), ("ing", ("", "e")), ("ure", ("", "e")),
)


def noun_predicate_class(lemma: str) -> str:
    """The class of the verb a noun names the act of ("decision" -> decide -> "decide").

    Zero-derived nouns ("plan", "claim", "hope") take the verb's class; others
    are undone by their suffix (-ment, -ion, -ism, -al, -ance, ...) and the stem
    looked up with the usual verb endings. "none" when no verb is found.
    """
    lemma = lemma.lower()
    cls = predicate_class(lemma)
    if cls != "none" or lemma in BELIEF_VERBS:
        return cls if cls != "none" else "belief"
    for suffix, endings in _NOMINAL_SUFFIXES:
        if lemma.endswith(suffix) and len(lemma) > len(suffix) + 2:
            stem = lemma[: -len(suffix)]
            for ending in endings:
                cls = predicate_class(stem + ending)
                if cls != "none":
                    return cls
    return "none"

# nouns for a person's office or part: "the governor said" refers to a person
PERSON_ROLE_NOUNS = frozenset("""
president governor senator mayor nominee candidate secretary minister chancellor ambassador
director chairman chairwoman chair chief spokesman spokeswoman spokesperson representative
congressman congresswoman lawmaker leader speaker justice judge attorney prosecutor sheriff
commissioner general admiral commander lady founder executive ceo owner manager strategist
adviser advisor aide pollster economist analyst professor author writer columnist host anchor
reporter correspondent editor actor actress singer star coach officer official rival opponent
challenger incumbent businessman businesswoman billionaire mogul veteran mother father wife
husband son daughter widow premier king queen prince princess pope bishop cardinal delegate
councilman councilwoman treasurer comptroller auditor superintendent trustee president-elect
frontrunner front-runner mate running-mate contender hopeful
""".split())
