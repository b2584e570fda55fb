"""Resolve: who is behind each source mention, as a reader of the article would say.

All within one document (merging across documents belongs to the corpus store):

* **Entities.** Named people and bodies outside quotations and reported
  contents are collected in text order; mentions of one person share an entity
  by surname and compatible first name ("Stoltenberg" -> "Jens Stoltenberg"),
  and the entity learns what the text says of it: its roles from titles,
  pre-modifiers and appositions ("Gov. X", "Republican nominee X", "X, the
  mayor of ..."), its gender from honorifics ("Mrs."), gendered role nouns,
  pronouns already resolved to it and, where the text says nothing, the
  first-name lexicon (:mod:`whosaid.names`). Entities are read as the whole
  document types them: a mention the small NER model calls a body, or leaves
  untagged, is a person when the document tags the same name (or its full
  name's surname) as one; full names it misses are added (a known first name
  and a capitalised word); a generational suffix ("Jr.") is part of identity.
* **Pronouns** ("he", "she", "they", "it") go to an agreeing entity in the
  nearest sentences (counted in narration: a quotation's sentences add no
  distance), preferring the sources and subjects of the preceding statements;
  a quote "goes on" with its speaker only until the narration makes someone
  else a subject. Subject descriptions ("the president appeared ...") carry the
  chain like "he" does. Names inside quotations and reported contents are never
  antecedents. Relative pronouns ("who", "which") take the noun they modify;
  "each", "both", "most of whom" the set they belong to. "I"/"we" outside
  quotations is the author (metadata or byline), or "(author)"; inside a
  quotation, whoever is quoted.
* **Descriptions** ("the governor", "the Democratic nominee", "the bank", "the
  poll") go to the entity the article names for them: a person whose learned
  roles include the head noun (modifiers break ties; a rank, party or other
  office the text gives rules a person out), else the person the last sentences
  are about, else a newcomer named next; a body whose name, role or kind of
  body fits ("the campaign" after a candidate is theirs); the issuer of a
  document or of one of its family ("a web clip by X ... the ad" -> X). An
  unnamed source ("a senior official") stays one person for "the official" and
  "he".
* **Names inside longer sources** ("X's campaign manager Y", "Y, who served
  under Z"): the name the phrase is about, not a possessor or a name in a
  relative clause. **Several sources** ("Mr. X and Mr. Y") give one group
  speaker "X + Y" with each person in ``Source.members``.
* **Headlines, bylines and datelines** never make speakers: a dateline is cut
  off the source, and a title-case headline's source must be something the
  body names (else it has no speaker): its head noun when the body gives it one
  person as a title or apposition ("Pastor Says ..."), else a name in it. A
  title may shorten a body's name ("Coast Ledger" for the North Coast Ledger,
  "Rival PAC" for Harbour PAC, the one PAC the article names) and drops articles
  ("Teachers' union backs ..."); a lede in the past tense is no title.
* **Documents** speak for their issuer: "a Bloomberg poll", "a report by X", "an
  article in X", "an analysis of census data by X".

Everything is a pass over tokens, entities and sources with small windows.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz.distance import Levenshtein
from spacy.tokens import Doc, Span, Token

from whosaid.extract.lexicon import (
    ANONYMITY_MARKERS,
    ANONYMOUS_HEADS,
    DOCUMENT_HEADS,
    GENDERED_ROLES,
    HONORIFIC_GENDER,
    ORG_HEADS,
    ORG_TYPE_WORDS,
    PERSON_ROLE_NOUNS,
    PLACE_TYPE_WORDS,
    TITLE_ROLES,
    TITLE_WORDS,
    VAGUE_HEADS,
)
from whosaid.extract.quotes import quotations
from whosaid.extract.rules import asked_person
from whosaid.model import Attribution, Document, Source, Speaker, SpeakerKind
from whosaid.model import Span as TextSpan
from whosaid.names import first_name_gender, first_name_share, unmangled
from whosaid.speakers import is_headline

PRONOUNS_PERSON = frozenset({"he", "she", "him", "her", "his", "hers"})
PRONOUNS_SELF = frozenset({"i", "me", "we", "us"})
PRONOUNS_GROUP = frozenset({"they", "them", "their"})
PRONOUNS_THING = frozenset({"it", "its"})
RELATIVE = frozenset({"who", "which", "that", "whom"})
ALL_PRONOUNS = PRONOUNS_PERSON | PRONOUNS_SELF | PRONOUNS_GROUP | PRONOUNS_THING | RELATIVE
PRONOUN_GENDER = {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f", "hers": "f"}
SUBJECT_PRONOUNS = frozenset({"he", "she", "they"})
VAGUE_PRONOUNS = frozenset({"some", "many", "others", "few", "most", "several", "someone",
                            "somebody", "anyone", "everyone", "people"})
PERSON_ENTS = frozenset({"PERSON"})
ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC"})
BODY_ENTS = frozenset({"ORG", "GPE", "FAC"})  # NORP ("Democrats") is a group, not a body
MAX_BACK_SENTENCES = 6
MAX_CANDIDATES = 60  # mentions looked at per pronoun or description, however long the sentence
SALIENCE_COST = (0.0, 0.5, 2.0)  # source, subject, other: in sentences of distance
CONTENT_COST = 0.25  # a name inside a reported content: what was said, not who says it
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "nummod", "npadvmod"})
# a dateline opening one of the first paragraphs, cut from the speaker candidates; not
# extract.rules.strip_dateline, which reads a source's tokens (no date, capitals-only
# agency, spaced dash), nor the audit's two (claim text; a wire credit's metadata)
_DATELINE = re.compile(
    r"[A-Z][A-Z.’'-]+(?:[ \t]+[A-Z][A-Z.’'-]+)*"      # LOS ANGELES
    r"(?:,[ \t]*[A-Z][\w.]*\.?)*"                      # , Calif.
    r"(?:,[ \t]*[A-Z][a-z]{2,8}\.?[ \t]+\d{1,2})?"     # , Sept. 28
    r"[ \t]*(?:\([^)\n]{1,40}\))?[ \t]*[—–-]{1,2}[ \t]*")  # (UPI) —
_BYLINE = re.compile(r"By[ \t]+([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})[ \t]*(?:[,|].*)?$")
# op-ed signature: "Jane Doe is the former mayor of X.", "Jane Doe is playwright-in-residence"
_SIGNATURE = re.compile(r"[—–-]?\s*(?!(?:Mr|Mrs|Ms|Dr)\.)"
                        r"([A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){1,3})[ \t]+"
                        r"(?:is|was|has been|serves as)[ \t]+(?:a|an|the|[a-z]+(?:-[a-z]+)+)\b")
# a letter's signature: a paragraph that is only a name ("Jane Q. Doe.")
_NAME_LINE = re.compile(r"[—–-]?\s*([A-Z][\w'’-]+(?:[ \t]+(?:[A-Z]\.|[A-Z][\w'’-]+)){1,3})\.?\s*")
_FOLD = re.compile(r"[^\w\s-]")
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_POSSESSIVE_END = re.compile(r"\s*['’]s?$")
_PARTY_STATE = re.compile(r"\s*\(([RDI])[-–]([A-Z][\w. ]{1,20})\)")
# AP state abbreviations, for "(D-Calif.)"
STATE_ABBREVIATIONS = {
    "Ala": "Alabama", "Ariz": "Arizona", "Ark": "Arkansas", "Calif": "California",
    "Colo": "Colorado", "Conn": "Connecticut", "Del": "Delaware", "Fla": "Florida",
    "Ga": "Georgia", "Ill": "Illinois", "Ind": "Indiana", "Kan": "Kansas", "Ky": "Kentucky",
    "La": "Louisiana", "Md": "Maryland", "Mass": "Massachusetts", "Mich": "Michigan",
    "Minn": "Minnesota", "Miss": "Mississippi", "Mo": "Missouri", "Mont": "Montana",
    "Neb": "Nebraska", "Nev": "Nevada", "N.H": "New Hampshire", "N.J": "New Jersey",
    "N.M": "New Mexico", "N.Y": "New York", "N.C": "North Carolina", "N.D": "North Dakota",
    "Okla": "Oklahoma", "Ore": "Oregon", "Pa": "Pennsylvania", "R.I": "Rhode Island",
    "S.C": "South Carolina", "S.D": "South Dakota", "Tenn": "Tennessee", "Tex": "Texas",
    "Va": "Virginia", "Vt": "Vermont", "Wash": "Washington", "W.Va": "West Virginia",
    "Wis": "Wisconsin", "Wyo": "Wyoming"}
_LABEL = re.compile(r"[^:\n]{1,40}:[ \t]+(?=[A-Z])")  # "UPDATE: Police", "Live: Mayor X"
_AND = re.compile(r"\s*(?:,\s*)?(?:and|&)\s*")
# documents of one family: "a Reuters survey ... The study found" is one document
RESEARCH_HEADS = frozenset("""report study survey analysis poll polls research findings data
figures numbers review investigation audit assessment estimate projection""".split())
ISSUE_VERBS = frozenset("""release publish issue post unveil produce conduct commission file
run air broadcast print write""".split())
# documents the lexicon does not list, and families of document nouns one text uses for one
# document ("An online clip by X ... The spot"; "X printed a profile ... The article")
MEDIA_HEADS = frozenset("""video ad advertisement clip commercial spot footage film
documentary""".split())
WRITING_HEADS = frozenset("""article story piece feature column editorial op-ed report profile
book memoir""".split())
# pieces a publication prints: "an article in X" is X's; not "a report in X" (a place),
# "a book in X", nor "a feature in X" (a product's feature)
PIECE_HEADS = WRITING_HEADS - {"report", "book", "memoir", "feature"}
SLIDE_HEADS = frozenset("slide presentation chart graphic".split())
SPEECH_HEADS = frozenset("speech remarks address testimony interview sermon".split())
DOC_HEADS = DOCUMENT_HEADS | MEDIA_HEADS | WRITING_HEADS | SLIDE_HEADS | SPEECH_HEADS
DOC_FAMILIES = (RESEARCH_HEADS, MEDIA_HEADS, WRITING_HEADS, SLIDE_HEADS, SPEECH_HEADS)
# one role, several words: "his lawyer" is the person called "attorney for X"
ROLE_SAME = {"lawyer": "attorney", "counsel": "attorney", "physician": "doctor",
             "justice": "judge", "spokeswoman": "spokesman", "spokesperson": "spokesman",
             "chairwoman": "chairman", "chair": "chairman", "advisor": "adviser",
             "congresswoman": "congressman"}
# kin nouns and the gender of the relative: "his wife" shares his surname
KIN_GENDER = {
    **dict.fromkeys("father husband ex-husband son brother grandfather uncle".split(), "m"),
    **dict.fromkeys("mother wife ex-wife daughter sister grandmother aunt widow".split(), "f"),
    **dict.fromkeys("parent spouse child sibling".split(), ""),
}
# body type words that name the same kind of body: "the agency" for a "Department of X"
_GOVERNMENT = frozenset("department agency administration bureau office commission service "
                        "authority ministry".split())
_NEWSPAPER = frozenset("newspaper paper times post journal herald tribune gazette globe "
                       "chronicle inquirer observer courier register daily".split())
_UNION = frozenset("union association federation brotherhood guild".split())
_BROADCAST = frozenset("network broadcaster channel station".split())
_BUSINESS = frozenset("""company firm corporation business giant conglomerate bank lender insurer
retailer airline carrier manufacturer automaker maker utility startup chain studio label
publisher fund""".split())
BODY_KIN = {**dict.fromkeys(_GOVERNMENT, _GOVERNMENT),
            **dict.fromkeys(("newspaper", "paper"), _NEWSPAPER),
            **dict.fromkeys(("network", "broadcaster"), _BROADCAST),
            **dict.fromkeys(("company", "firm", "corporation", "business"), _BUSINESS),
            **dict.fromkeys(("bank", "lender"), frozenset({"bank", "lender"})),
            "union": _UNION}
# kinds of body that are never one another: "the network" is no newspaper, "the lender" no
# ministry (a word in no family, like "the outlet", fits any)
BODY_FAMILIES = (_GOVERNMENT, _NEWSPAPER, _BROADCAST, _BUSINESS, _UNION)
# role nouns written as a title before a name, besides the lexicon's title words
NAME_TITLES = frozenset((PERSON_ROLE_NOUNS | set(GENDERED_ROLES) | set(TITLE_ROLES.values())
                         | set("""coach officer detective trooper pastor rabbi imam deacon
                         councilmember assemblymember alderman""".split()))
                        - set("son father mother wife husband daughter brother sister".split()))
# offices one person holds one of at a time: "the governor" is nobody the text calls senator
OFFICES = frozenset("""president governor senator mayor secretary minister chancellor ambassador
judge justice sheriff premier king queen pope congressman representative attorney prosecutor
commissioner leader""".split())
# nouns for a set of people that a later "the group" takes up with its "of" phrase
COLLECTIVES = frozenset("group crowd bloc coalition segment class cohort".split())
# general role nouns and the offices they cover: "the Utah lawmaker" is a representative
_LEGISLATORS = frozenset("senator representative congressman congresswoman delegate".split())
GENERAL_ROLES = {"lawmaker": _LEGISLATORS, "legislator": _LEGISLATORS,
                 "politician": OFFICES, "official": OFFICES}
# words that make a role another role: a vice president is not the president
RANKS = frozenset("vice deputy assistant associate lieutenant under".split())
# party words and the party (its member noun) they name: the "GOP" candidate is the one
# the text calls Republican; "(R-Utah)" is a Republican
PARTIES = {"democratic": "democrat", "democrat": "democrat", "republican": "republican",
           "gop": "republican", "libertarian": "libertarian"}
PARTY_LETTERS = {"R": "republican", "D": "democrat", "I": "independent"}
PARTY_MEMBERS = frozenset(PARTIES.values())  # "the Idaho Democrat"
# how a name in a listed source may hang on the source's head: beside it or coordinated
# with it, never as the object of a word ("a lawyer for A and B", "friends of A and B")
LIST_LINKS = frozenset({"appos", "conj", "compound", "npadvmod", "dep"})
# a source that speaks for a set named elsewhere: "each", "most of whom"
DISTRIBUTIVE = frozenset({"each", "both", "all"})
QUANTIFIERS = frozenset("most some many all each both several none one two three few".split())
# bodies that belong to one person: "the campaign" after "Ann Cole said" is hers
PERSONAL_BODIES = frozenset({"campaign"})
TITLE_MAX_WORDS = 20  # a first paragraph this short, before others, is the article's title
MAX_AHEAD_SENTENCES = 8  # "A judge ruled ... Judge X wrote": how far a newcomer's name may follow


def _fold(text: str) -> str:
    text = re.sub(r"['’]s\b", "", text.lower())
    return " ".join(_FOLD.sub(" ", text.replace(".", "")).split())


def _role_word(tok: Token) -> str:
    word = tok.lower_.rstrip(".")
    return TITLE_ROLES.get(word, tok.lemma_.lower().rstrip(".") if tok.pos_ == "NOUN" else word)


def _same_role(word: str) -> str:
    """One word per role ("lawyer" and "attorney" are one)."""
    return ROLE_SAME.get(word, word)


_ANONYMOUS_ROLES = frozenset(_same_role(h) for h in ANONYMOUS_HEADS)  # "a spokesman" kinds


# --- entities ---------------------------------------------------------------------


@dataclass(eq=False)
class Entity:
    """One person or body of the document, with what the text says of it."""

    kind: SpeakerKind
    name: str
    surname: str = ""  # folded, persons only
    first: str = ""  # folded, persons only ("" for a bare surname)
    generation: str = ""  # "jr", "sr", "ii" ...: Donald Trump Jr. is not Donald Trump
    words: set[str] = field(default_factory=set)  # folded name words (bodies)
    roles: set[str] = field(default_factory=set)  # role words: governor, nominee, bank ...
    gender: str | None = None  # "m" / "f"
    gender_strength: int = 0  # 3 honorific or role noun, 2 pronoun, 1 first-name lexicon
    pronouns: dict[str, int] = field(default_factory=dict)  # "m"/"f" -> pronouns seen
    title: str | None = None
    role: str | None = None  # apposition text
    last: int = -1  # char offset of the latest mention
    place: bool = False  # a country, state or city (GPE): rarely the "it" or "they" that speaks
    members: list[Entity] = field(default_factory=list)  # a group of named entities
    count: int = 0
    speaker: Speaker | None = None
    positions: list[int] = field(default_factory=list)  # char offsets of its mentions

    def seen(self, at: int) -> None:
        """A mention at ``at``."""
        self.last, self.count = max(self.last, at), self.count + 1
        bisect.insort(self.positions, at)

    def before(self, at: int) -> int:
        """The offset of the latest mention before ``at``, -1 when none."""
        i = bisect.bisect_left(self.positions, at)
        return self.positions[i - 1] if i else -1

    def set_gender(self, gender: str | None, strength: int) -> None:
        if gender is None or strength < self.gender_strength:
            return
        if strength == self.gender_strength and self.gender not in (None, gender):
            self.gender = None  # conflicting evidence of equal weight: unknown
            return
        self.gender, self.gender_strength = gender, strength

    def add_pronoun(self, gender: str) -> None:
        """A pronoun the text uses of this person; the majority decides (strength 2)."""
        self.pronouns[gender] = self.pronouns.get(gender, 0) + 1
        m, f = self.pronouns.get("m", 0), self.pronouns.get("f", 0)
        if self.gender_strength <= 2 and m != f:
            self.gender, self.gender_strength = ("m" if m > f else "f"), 2

    def get_gender(self) -> str | None:
        if self.gender is None and self.kind is SpeakerKind.PERSON and self.first \
                and self.first not in PARTICLES:  # "Der X": a particle says nothing of sex
            g = first_name_gender(self.first)
            if g is not None:
                self.set_gender(g[0], 1)
        return self.gender

    def other_sex(self, gender: str) -> float:
        """How likely this person of unknown gender is not of ``gender``: 0.5 when
        nothing is known, less or more from how the first name is given ("Toby" is
        a man 82 times in 100), so "he" can prefer him without excluding anyone."""
        share = first_name_share(self.first) if self.first else None
        if share is None:
            return 0.5
        return 1.0 - share[1] if share[0][0] == gender else share[1]

    def as_speaker(self) -> Speaker:
        if self.speaker is None:
            self.speaker = Speaker(name=self.name, kind=self.kind, named=True,
                                   title=self.title, role=self.role)
        else:
            self.speaker.name = self.name
            self.speaker.title = self.speaker.title or self.title
            self.speaker.role = self.speaker.role or self.role
        return self.speaker


@dataclass
class Mention:
    """An entity mentioned at a place in the text: a pronoun antecedent candidate."""

    start: int
    end: int
    sentence: int
    entity: Entity
    salience: int  # 0 = a source of a statement, 1 = a grammatical subject, 2 = other
    plural: bool = False
    region: int = 0  # the content or quotation it is in; 0 for the narration
    modifier: bool = False  # "the U.S. senator": names a noun's kind, refers to no one


def _type_word_of(name: str) -> str:
    """The type noun of a body's name: "International Monetary Fund" -> "fund",
    "Department of Veterans Affairs" -> "department"; "" for a one-word name."""
    words = _fold(name).split()
    if len(words) < 2:
        return ""
    for k, w in enumerate(words[1:], 1):  # "Commission on Fair Elections": commission
        if w in ("of", "on", "for", "to", "in"):
            return words[k - 1]
    return words[-1]


def _strip_title(tokens: list[Token]) -> tuple[str, str | None]:
    """Split "Lieutenant General Johnny Stringer" into name and title."""
    words = [t for t in tokens if not t.is_punct or t.text in (".", "-")]
    i = 0
    while i < len(words) - 1 and (words[i].text in TITLE_WORDS or (
            words[i].is_title and words[i].lower_ in NAME_TITLES
            and first_name_gender(words[i].text) is None)):
        i += 1  # "Councilman Eric Dunn", "Coach Tim Brady": a role written as a title
    lead = words[i] if i < len(words) - 1 else None
    if lead is not None and lead.is_sent_start and lead.lower_.endswith("ing") \
            and first_name_gender(lead.text) is None:
        i += 1  # "Dragging Cole's name in ...": a capitalised verb tagged as a name
    title = " ".join(t.text for t in words[:i]) or None
    rest = words[i:]
    while rest and rest[-1].is_punct and rest[-1].text != ".":
        rest = rest[:-1]
    if not rest:
        return "", title
    # the span's own text: ``Doc.text`` rebuilds the whole document's string
    name = rest[0].doc[rest[0].i : rest[-1].i + 1].text
    name = " ".join(name.split())
    return name.removesuffix("’s").removesuffix("'s").strip(), title


def _other_office(head: str, words: set[str], roles: set[str]) -> bool:
    """Whether a description ("the nominee", "the governor") cannot be a person the text
    gives an office ("Judge X", "Sen. X"), or an office one it gives another role ("X's
    rival" is not "the governor"). Roles that are no office ("the businessman") go with
    anyone else, and a former office conflicts with nothing."""
    if head in roles or "former" in words or "former" in roles or roles & GENERAL_ROLES.get(
            head, frozenset()):
        return False
    return bool(roles & OFFICES) or (head in OFFICES and bool(roles & PERSON_ROLE_NOUNS))


def _other_kind(own: str, head: str) -> bool:
    """Whether a body's type word and a description's head are different kinds of body."""
    mine = [k for k, f in enumerate(BODY_FAMILIES) if own in f]
    theirs = [k for k, f in enumerate(BODY_FAMILIES) if head in f]
    return bool(mine and theirs and not set(mine) & set(theirs))


def _one_family(a: str, b: str) -> bool:
    """Whether two document nouns may name one document ("the video" ... "the ad")."""
    return any(a in f and b in f for f in DOC_FAMILIES)


def _other_rank(head: str, words: set[str], roles: set[str]) -> bool:
    """ "The presidential nominee" is not the one the text calls "vice presidential
    nominee" (a rank the description does not give), nor "the Democratic nominee" a
    Republican."""
    mine = {PARTIES[w] for w in words if w in PARTIES}
    theirs = {PARTIES[w] for w in roles if w in PARTIES}
    if mine and theirs and not mine & theirs:
        return True
    return any(f"{r} {head}" in roles for r in RANKS - words)


def _word_suffix(a: str, b: str) -> bool:
    """Whether the shorter of two names of 2+ words is the end of the longer."""
    x, y = _fold(a).split(), _fold(b).split()
    short, long_ = (x, y) if len(x) <= len(y) else (y, x)
    return len(short) >= 2 and len(long_) > len(short) and long_[-len(short):] == short


def _one_edit(a: str, b: str) -> bool:
    """Whether two words differ by exactly one letter changed, added or dropped."""
    return Levenshtein.distance(a, b, score_cutoff=1) == 1


PARTICLES = frozenset("de del della der di da du van von la le bin ibn al el st".split())


GENERATIONS = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _generation(name: str) -> str:
    """The generational suffix of a person's name ("jr" of "Donald Trump Jr."), else ""."""
    words = _fold(name).split()
    return words[-1] if len(words) > 2 and words[-1] in GENERATIONS else ""


def _name_parts(name: str) -> tuple[str, str]:
    """(folded first name or "", folded surname) of a person's name ("De Blasio": no
    first name; "Bill de Blasio": "bill", "blasio")."""
    words = [w for w in _fold(name).split() if w not in GENERATIONS]
    if not words:
        return "", ""
    first = words[0] if len(words) > 1 and len(words[0]) > 1 and (
        words[0] not in PARTICLES or _given_particle(name)) else ""
    return first, words[-1]


def _given_particle(name: str) -> bool:
    """ "Al Brennick", "Della Marsh": a capitalised word that is a particle elsewhere
    ("al-", "della") but a first name the lexicon is sure of, before a surname."""
    raw = name.split()
    return len(raw) > 1 and raw[0][:1].isupper() and raw[0].isalpha() \
        and first_name_gender(raw[0]) is not None


class Entities:
    """The document's people and bodies, looked up by surname, name words and role."""

    def __init__(self) -> None:
        self.people: dict[str, list[Entity]] = {}
        self.bodies: dict[str, Entity] = {}
        self.acronyms: dict[str, Entity] = {}
        self.by_role: dict[str, list[Entity]] = {}

    def person(self, name: str, at: int, *, create: bool = True, gender: str | None = None,
               roles: set[str] | None = None) -> Entity | None:
        """The person entity for a name; a bare surname picks among the people who have
        it by the honorific's gender, shared title words, then recent mention."""
        first, surname = _name_parts(name)
        if not surname:
            return None
        same = self.people.get(surname, [])
        if not first and gender and not same:
            # "Mr. Ban" after "Ban Ki-moon": a name written surname first
            lead = [e for es in self.people.values() for e in es if e.first == surname]
            if len(lead) == 1:
                return lead[0]
        if not first and gender:
            # "Mr. Cole" when the text has only "Ann Cole": someone else
            same = [e for e in same if e.get_gender() in (None, gender)]
        if not first and roles and len(same) > 1:
            shared = [e for e in same if e.roles & roles]
            same = shared or same
        if not first and not same:
            near = self.misspelt(surname)
            if near is not None:
                return near
        if first:
            # father and son share first name and surname: the suffix tells them apart
            generation = _generation(name)
            same = [e for e in same if e.generation == generation
                    or (not e.first and not e.generation)]
            for e in same:
                if e.first and (e.first == first or e.first.startswith(first)
                                or first.startswith(e.first)):
                    self._grow(e, name, first)
                    return e
            for e in same:
                if _word_suffix(name, e.name):
                    self._rename(e, name)
                    return e
            g = first_name_gender(first)
            bare = [e for e in same if not e.first and not (
                g and e.gender and e.gender_strength >= 2 and e.gender != g[0])]
            if bare:
                self._grow(bare[0], name, first)
                return bare[0]
        elif same:
            def key(e: Entity) -> tuple[bool, int, int]:
                before = e.before(at)  # the mention before this one, not the latest of all
                return before >= 0 and at - before < 600, e.count, before
            return max(same, key=key)
        if not create:
            return None
        e = Entity(SpeakerKind.PERSON, name, surname=surname, first=first,
                   generation=_generation(name))
        self.people.setdefault(surname, []).append(e)
        return e

    def misspelt(self, surname: str) -> Entity | None:
        """ "Pellegrini" written "Pelegrini" once: the one fully named person whose surname is one
        letter off (same initial, 5+ letters, not a plural), when none has it exactly."""
        if len(surname) < 5 or len(self.people) > MAX_CANDIDATES * 4:
            return None
        found = [e for key, es in self.people.items() if key[0] == surname[0]
                 and key + "s" != surname and surname + "s" != key
                 and _one_edit(key, surname) for e in es if e.first]
        return found[0] if len(found) == 1 else None

    @staticmethod
    def _rename(e: Entity, name: str) -> None:
        """One person under two names, one ending the other ("Ruiz Ortega", "Maria Elena
        Ruiz Ortega"; "Sleepy Ann Cole", "Ann Cole"): the longer name, unless only
        the shorter starts with a known first name (a nickname or title went before)."""
        new, old = name.split(), e.name.split()
        if len(new) == len(old):
            return
        longer, shorter = (name, e.name) if len(new) > len(old) else (e.name, name)
        if first_name_gender(longer) is None and first_name_gender(shorter) is not None:
            e.name = shorter
        else:
            e.name = longer
        e.first = _name_parts(e.name)[0]

    @staticmethod
    def _grow(e: Entity, name: str, first: str) -> None:
        e.generation = e.generation or _generation(name)
        if len(name.split()) > len(e.name.split()) or not e.first:
            e.name = name
        e.first = e.first if len(e.first) >= len(first) else first

    def body(self, name: str, *, create: bool = True) -> Entity | None:
        words = [w for w in _fold(name).split() if w != "the"]
        if not words:
            return None
        key = " ".join(words)
        e = self.bodies.get(key) or self.acronyms.get(key)
        if e is None and len(words) == 1 and words[0] in self.acronyms:
            e = self.acronyms[words[0]]
        if e is None and len(words) > 1:
            acronym = "".join(w[0] for w in words if w not in ("of", "and", "for", "on"))
            e = self.bodies.get(acronym)
            if e is not None:
                e.name = _THE.sub("", name)
        if e is None and create:
            clean = _POSSESSIVE_END.sub("", _THE.sub("", name))  # "the\xa0Coast Ledger's"
            e = Entity(SpeakerKind.ORGANISATION, clean, words=set(words))
            if len(words) > 1:
                acronym = "".join(w[0] for w in words if w not in ("of", "and", "for", "on"))
                if len(acronym) > 1:
                    self.acronyms[acronym] = e
        if e is not None:
            self.bodies[key] = e
            e.words |= set(words)
        return e

    def add_roles(self, e: Entity, words: set[str]) -> None:
        words = {w for w in words if w not in HONORIFIC_GENDER and w != e.surname}
        for w in words:
            if w in GENDERED_ROLES and e.kind is SpeakerKind.PERSON:
                e.set_gender(GENDERED_ROLES[w], 3)
        words = {_same_role(w) for w in words}
        # "vice presidential nominee": a rank that makes another role, kept with its noun
        words |= {f"{r} {w}" for r in words & RANKS for w in words & PERSON_ROLE_NOUNS}
        for w in words - e.roles:
            self.by_role.setdefault(w, []).append(e)
        e.roles |= words


# --- the document around the sources ----------------------------------------------


@dataclass
class Context:
    """Per-document facts resolution needs: masks, headline, dateline, author."""

    doc: Document
    sdoc: Doc
    sent_of: list[int]
    masked: bytearray  # 1 for characters inside quotations or reported contents
    quoted: bytearray  # 1 for characters inside quotation marks
    region: array[int]  # which content or quotation a character is in (0: the narration)
    headline_end: int  # end of a title-case headline paragraph, 0 when there is none
    cut: list[tuple[int, int]]  # datelines and bylines: never speakers
    author: str | None
    signatures: list[tuple[int, str]] = field(default_factory=list)  # letters: (start, name)


def _context(doc: Document, sdoc: Doc, sent_of: list[int]) -> Context:
    text = doc.text
    quoted = bytearray(len(text))
    quotes = quotations(text, doc.paragraphs)
    for s, e in quotes:
        quoted[s:e] = b"\x01" * (e - s)
    masked = bytearray(quoted)
    region = array("i", bytes(4 * (len(text) + 1)))
    n = 0
    for att in doc.attributions:
        if att.content is not None:
            n += 1
            for s, e in att.content.fragments:
                masked[s:e] = b"\x01" * (e - s)
                region[s:e] = array("i", [n]) * (e - s)
    for s, e in quotes:  # innermost last: a quotation inside a content
        n += 1
        region[s:e] = array("i", [n]) * (e - s)
    headline_end = 0
    paras = doc.paragraphs
    if len(paras) > 1 and is_headline(text[paras[0].start:paras[0].end]):
        headline_end = paras[0].end  # the one headline rule, shared with the corpus store
    cut: list[tuple[int, int]] = []
    author = (doc.metadata.get("author") or doc.metadata.get("byline") or "").strip() or None
    for para in paras[:6]:
        line = text[para.start:para.end]
        m = _DATELINE.match(line)
        if m and m.end() < len(line) and any(c.isupper() for c in m.group(0)[:3]) \
                and m.group(0).split()[0].isupper():
            cut.append((para.start, para.start + m.end()))
        b = _BYLINE.match(line)
        if b and len(line.split()) <= 12:
            cut.append((para.start, para.end))
            author = author or b.group(1)
    if not author and len(paras) > 2:  # op-ed signature: "Jane Doe is the former mayor of X."
        last = text[paras[-1].start:paras[-1].end]
        sig = _SIGNATURE.match(last)
        if sig and len(last.split()) <= 30:
            author = sig.group(1)
    if author:
        author = re.sub(r"^[Bb]y\s+", "", author).strip()
    signatures = []  # a page of letters: each "I" is the writer whose name follows it
    for para in paras[1:]:
        line = text[para.start:para.end]
        sig = _NAME_LINE.fullmatch(line)
        if sig and len(line) <= 60 and not any(w.isupper() for w in line.split() if len(w) > 2):
            signatures.append((para.start, sig.group(1)))
    return Context(doc, sdoc, _narrative(sdoc, sent_of, quoted), masked, quoted, region,
                   headline_end, cut, author,
                   signatures if len(signatures) > 1 else [])


def _narrative(sdoc: Doc, sent_of: list[int], quoted: bytearray) -> list[int]:
    """Sentence numbers that count the narration only: a sentence that starts inside a
    quotation adds none, so '"A. B. C," he said' is as near to the line before it as
    '"A," he said'."""
    out = [0] * len(sent_of)
    n, prev = 0, -1
    for i, s in enumerate(sent_of):
        if s != prev:
            if prev >= 0 and not quoted[sdoc[i].idx]:
                n += 1
            prev = s
        out[i] = n
    return out


def _in_cut(ctx: Context, char: int) -> bool:
    return any(s <= char < e for s, e in ctx.cut)


# --- reading names and roles off the parse ----------------------------------------


def _np_left_modifiers(root: Token, stop: int) -> list[Token]:
    """Pre-modifiers of ``root`` left of token ``stop``: titles, compounds, adjectives.

    Possessors and their words ("Hillary Clinton's campaign manager") are left out.
    """
    out: list[Token] = []
    todo = [c for c in root.lefts if c.i < stop]
    while todo:
        t = todo.pop()
        if t.dep_ in ("poss", "det", "case", "punct", "predet", "cc", "prep"):
            continue
        out.append(t)
        todo.extend(c for c in t.lefts)
    return out


def _roles_of(ent: Span) -> set[str]:
    """Role words the text gives a named entity: titles, pre-modifiers, apposition heads."""
    root = ent.root
    words: set[str] = set()
    for t in ent:
        if t.text in TITLE_WORDS or t.lower_.rstrip(".") in TITLE_ROLES:
            words.add(_role_word(t))
    for t in _np_left_modifiers(root, ent.start):
        if t.pos_ in ("NOUN", "ADJ", "PROPN") and t.ent_type_ not in ("PERSON",):
            words.add(_role_word(t))
    i = ent.start - 1  # "Democratic nominee Joan Avery" however the parser attached it
    while i >= max(0, ent.start - 4):
        t = ent.doc[i]
        if t.pos_ not in ("NOUN", "ADJ", "PROPN") or t.ent_type_ == "PERSON" or t.is_punct:
            break
        words.add(_role_word(t))
        i -= 1
    after = ent.doc[ent.end : min(len(ent.doc), ent.end + 7)].text  # not Doc.text: O(doc)
    bracket = _PARTY_STATE.match(" " + after)
    if bracket:  # "Rep. X (R-Utah)": a Republican, from Utah
        words.add(PARTY_LETTERS[bracket.group(1)])
        state = bracket.group(2).strip()
        words.update(_fold(STATE_ABBREVIATIONS.get(state.rstrip("."), state)).split())
    for c in root.children:  # "Sen. X of Tennessee": the place or body is a role word
        if c.dep_ == "prep" and c.lower_ == "of" and c.i >= ent.end:
            for o in c.children:
                if o.dep_ == "pobj" and o.ent_type_ in ("GPE", "ORG"):
                    words.update(_role_word(t) for t in o.subtree
                                 if t.pos_ == "PROPN" and t.ent_type_ == o.ent_type_)
    apps = [c for t in ent for c in t.children if c.dep_ == "appos" and c.i >= ent.end]
    if root.dep_ == "appos" and root.head.i < ent.start:
        host = root.head
        if host.pos_ == "PROPN" and host.dep_ == "pobj" and host.head.dep_ == "prep" \
                and host.head.head.pos_ == "NOUN" and host.head.head.i < host.i:
            host = host.head.head  # "an attorney for Pagliano, Mark MacDougall"
        apps.append(host)
    for a in apps:
        if a.pos_ != "NOUN" and a.lower_ not in PARTY_MEMBERS:  # "X, a Democrat from Idaho"
            continue
        words.add(a.lemma_.lower())
        for t in a.subtree:
            if t.i == a.i or t.dep_ in ("det", "punct", "poss", "case", "cc", "prep", "relcl"):
                continue
            if t.pos_ in ("NOUN", "ADJ", "PROPN") and (t.head.i == a.i or t.head.dep_ == "prep"):
                words.add(_role_word(t))
    return {w for w in words if w and w.isascii() and len(w) > 1}


def _appos_text(ent: Span) -> str | None:
    apps = [c for t in ent for c in t.children if c.dep_ == "appos" and c.i >= ent.end]
    if not apps:
        return None
    a = apps[0]
    return ent.doc[a.left_edge.i : a.right_edge.i + 1].text


def _honorific_gender(ent: Span) -> str | None:
    for t in (ent.doc[ent.start - 1] if ent.start > 0 else None, ent[0]):
        if t is not None:
            g = HONORIFIC_GENDER.get(t.lower_.rstrip("."))
            if g:
                return g
    return None


def _bound_gender(name: Token) -> str | None:
    """ "Clinton allowed her staff", "In her book, Clinton noted": the gender of a
    possessive pronoun in the clause whose subject the name is, before anyone else is
    named there. Tells apart two people of one surname; it is no evidence of gender."""
    if name.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb, doc = name.head, name.doc
    lo, hi = max(verb.left_edge.i, verb.i - 15), min(verb.right_edge.i, verb.i + 15)
    for t in doc[lo : hi + 1]:  # a window of the clause, so run-on text stays linear
        if name.left_edge.i <= t.i <= name.right_edge.i or t.i == verb.i:
            continue
        if t.ent_type_ == "PERSON" or t.dep_ in ("ccomp", "xcomp") or t.tag_ in ("``", "''"):
            return None  # someone else, or what was said: the pronoun may be theirs
        if t.tag_ == "PRP$" and t.lower_ in PRONOUN_GENDER:
            return PRONOUN_GENDER[t.lower_]
    return None


def _salience(tokens: Span | Token) -> int:
    """1 for a grammatical subject, or a person introduced with a role ("X, president of
    Y": the one the next lines are about); 2 for any other mention."""
    root = tokens.root if isinstance(tokens, Span) else tokens
    if any(c.dep_ == "appos" and c.i > root.i and c.pos_ == "NOUN" for c in root.children):
        return 1
    t = root
    for _ in range(3):
        if t.dep_ in ("nsubj", "nsubjpass") or (t.dep_ == "compound"
                                                and t.head.pos_ in ("VERB", "AUX")):
            return 1  # a name "compounded" to a verb ("Pell bristles"): a misparsed subject
        if t.dep_ not in ("compound", "appos", "poss", "conj") or t.head is t:
            break
        t = t.head
    return 2


def _collect(ctx: Context, ents: Entities, source_tokens: set[int]) -> list[Mention]:
    """Every named person and body outside quotations and contents, in text order.

    People first, so that a body that is only a known person's surname (the small
    NER model often calls "Trump" an organisation) is taken as that person.
    """
    out: list[Mention] = []
    usable = []
    for ent in ctx.sdoc.ents:
        if ent.label_ not in PERSON_ENTS and ent.label_ not in BODY_ENTS:
            continue
        start = ent.start_char
        if _in_cut(ctx, start):
            continue
        if ctx.headline_end and start < ctx.headline_end:
            continue  # title case makes everything look like a name
        usable.append(ent)
    shared = _shared_surnames(ctx)
    for span, name in shared:
        e = ents.person(name, span.start_char)
        if e is None:
            continue
        sal = 0 if any(t.i in source_tokens for t in span) else _salience(span)
        e.seen(span.start_char)
        out.append(Mention(span.start_char, span.end_char, ctx.sent_of[span.start], e, sal,
                           region=ctx.region[span.start_char]))
    covered = {t.i for span, _ in shared for t in span}
    usable = [e for e in usable if not any(t.i in covered for t in e)]
    people = [e for e in usable if e.label_ in PERSON_ENTS]
    bodies = [e for e in usable if e.label_ not in PERSON_ENTS]
    for ent in people + bodies:
        start = ent.start_char
        g = _honorific_gender(ent)
        e = None
        if ent.label_ in PERSON_ENTS or len(ent) == 1:
            name, title = _strip_title(list(ent))
            hint = g or (_bound_gender(ent.root) if len(name.split()) == 1 else None)
            e = ents.person(name, start, create=ent.label_ in PERSON_ENTS, gender=hint)
            if e is not None and ent.label_ not in PERSON_ENTS and not e.first:
                e = None
            if e is not None:
                if g:
                    e.set_gender(g, 3)
                e.title = e.title or title
        if e is None and ent.label_ not in PERSON_ENTS:
            e = ents.body(ent.text)
            if e is not None:
                e.place = e.place or ent.label_ == "GPE"
        if e is None:
            continue
        e.role = e.role or _appos_text(ent)
        ents.add_roles(e, _roles_of(ent))
        sal = 0 if any(t.i in source_tokens for t in ent) else _salience(ent)
        e.seen(start)
        out.append(Mention(start, ent.end_char, ctx.sent_of[ent.start], e, sal,
                           region=ctx.region[start],
                           modifier=ent.root.dep_ in ("compound", "amod", "nmod")
                           and ent.root.head.pos_ == "NOUN"))
    out.extend(_personal_bodies(ctx, ents, source_tokens))
    out.extend(_people_plurals(ctx, source_tokens))
    out.extend(_missed_surnames(ctx, ents, source_tokens, out))
    out.extend(_coordinated(ctx, out))
    out.sort(key=lambda m: m.start)
    return out


def _trie(words: set[str] | frozenset[str]) -> str:
    """A regular expression matching any of ``words``, as a trie: a flat alternation of
    hundreds of words is tried word by word at every character, a trie letter by letter."""
    root: dict[str, dict] = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(root)


def _words_pattern(words: set[str] | frozenset[str], flags: int = re.IGNORECASE
                   ) -> re.Pattern[str]:
    """Whole words from a list (an empty list matches nothing)."""
    return re.compile(r"\b" + _trie(words) + r"\b" if words else r"(?!)", flags)


def _alternation(words: Iterable[str], flags: int = 0) -> re.Pattern[str]:
    """Whole words from a short list (a few names per document): a plain alternation
    compiles faster than a trie."""
    listed = sorted(set(words))
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in listed) + r")\b"
                      if listed else r"(?!)", flags)


_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _in_longer_name(sdoc: Doc, start: int, end: int) -> bool:
    """Whether the tokens ``start:end`` are part of a longer name: a proper noun next to
    them, other than a title word before ("Sen. Hale") or a possessive the model tags as
    a proper noun ("The Herald's Ann Hale", "Hale's aide")."""
    before = sdoc[start - 1] if start > 0 else None
    after = sdoc[end] if end < len(sdoc) else None
    return (before is not None and before.pos_ == "PROPN" and before.text not in TITLE_WORDS
            and before.text not in _POSSESSIVE) or (
        after is not None and after.pos_ == "PROPN" and after.text not in _POSSESSIVE)


_ROLE_WORDS = _words_pattern(PERSON_ROLE_NOUNS | set(ROLE_SAME))
_PERSONAL_WORDS = _words_pattern(PERSONAL_BODIES)


def _personal_bodies(ctx: Context, ents: Entities, source_tokens: set[int]) -> list[Mention]:
    """ "The Cole campaign", "Baker's campaign": a mention of the body "Cole
    campaign", so that a later "the campaign" finds it."""
    out = []
    for tok in _tokens_matching(ctx, _PERSONAL_WORDS):
        if tok.pos_ != "NOUN" or ctx.quoted[tok.idx] or (
                ctx.headline_end and tok.idx < ctx.headline_end):
            continue
        owner = next((c for c in tok.children if c.dep_ in ("compound", "poss")
                      and c.ent_type_ == "PERSON" and c.i < tok.i), None)
        if owner is None:
            continue
        e = ents.body(f"{owner.text} {tok.lemma_.lower()}")
        if e is None:
            continue
        start = owner.left_edge.idx
        sal = 0 if tok.i in source_tokens else _salience(tok)
        e.seen(start)
        out.append(Mention(start, tok.idx + len(tok.text), ctx.sent_of[tok.i], e, sal,
                           region=ctx.region[start]))
    return out


# plural nouns for people the lexicon's role and group words leave out
PEOPLE_PLURALS = frozenset("""workers employees residents students parents teachers doctors
nurses troops soldiers citizens immigrants refugees protesters demonstrators farmers customers
patients victims families women men children researchers scientists investigators lawyers
jurors agents donors contestants guests delegates attendees participants organizers volunteers
fans viewers readers listeners owners bankers investors journalists historians physicians
lawmakers legislators senators candidates officers consumers taxpayers""".split())
_PEOPLE_PLURALS = _words_pattern(VAGUE_HEADS | ANONYMOUS_HEADS | PEOPLE_PLURALS
                                 | {w + "s" for w in PERSON_ROLE_NOUNS})


def _people_plurals(ctx: Context, source_tokens: set[int]) -> list[Mention]:
    """Plural nouns for people in the narration ("The agency interviewed 20 former
    workers. They described ..."): group mentions, antecedents of a later "they"."""
    out = []
    for tok in _tokens_matching(ctx, _PEOPLE_PLURALS):
        if tok.tag_ != "NNS" or tok.i in source_tokens or ctx.masked[tok.idx] or (
                ctx.headline_end and tok.idx < ctx.headline_end) or tok.dep_ == "compound":
            continue
        span = ctx.sdoc[tok.left_edge.i : tok.i + 1]
        e = Entity(SpeakerKind.GROUP, _plain(span, True))
        e.speaker = Speaker(name=e.name, kind=SpeakerKind.GROUP, named=False)
        out.append(Mention(span.start_char, span.end_char, ctx.sent_of[tok.i], e,
                           _salience(tok), plural=True, region=ctx.region[span.start_char]))
    return out


def _tokens_matching(ctx: Context, pattern: re.Pattern[str]) -> Iterator[Token]:
    """The tokens whose text a regular expression matches."""
    return _single_tokens(ctx.sdoc, ctx.doc.text, pattern)


def _single_tokens(sdoc: Doc, text: str, pattern: re.Pattern[str],
                   start: int = 0) -> Iterator[Token]:
    """The tokens of ``sdoc`` (whose text is ``text``) that a regular expression matches
    whole, from character ``start`` on: found in the string first, since walking every
    token of a long document costs more than the rest of resolution."""
    for m in pattern.finditer(text, start):
        span = sdoc.char_span(m.start(), m.end())
        if span is not None and len(span) == 1:
            yield span[0]


_AND_WORD = re.compile(r"\band\b")
_DOC_WORDS = _words_pattern(
    {w for h in DOC_HEADS for w in (h, h + "s", h + "es", h[:-2] + "es" if h.endswith("is")
                                         else h)})


_CHAIN_WORDS = _words_pattern(SUBJECT_PRONOUNS | set(KIN_GENDER) | {k + "s" for k in KIN_GENDER})


def _shared_surnames(ctx: Context) -> list[tuple[Span, str]]:
    """ "his parents, James and Olive Meehan", "Donald and Ivana Trump": two first names
    sharing one surname are two people (the NER model often sees only one)."""
    sdoc, out = ctx.sdoc, []
    for tok in _tokens_matching(ctx, _AND_WORD):
        if tok.i < 1 or tok.i + 2 >= len(sdoc):
            continue
        a, b, c = sdoc[tok.i - 1], sdoc[tok.i + 1], sdoc[tok.i + 2]
        if not (a.pos_ == b.pos_ == c.pos_ == "PROPN") or ctx.quoted[a.idx]:
            continue
        before = sdoc[a.i - 1] if a.i > 0 else None
        listed = before is not None and before.text == "," and before.i > 0 \
            and sdoc[before.i - 1].pos_ == "PROPN"  # "Brandy, Monica and Lauryn Hill"
        if listed or (before is not None and (before.pos_ == "PROPN"
                                              or before.text in TITLE_WORDS)) \
                or (c.i + 1 < len(sdoc) and sdoc[c.i + 1].pos_ == "PROPN"):
            continue  # part of a longer name, a list ("A, B and C D") or "Mr. A and B C"
        if first_name_gender(a.text) is None or first_name_gender(b.text) is None:
            continue
        out.append((sdoc[a.i : a.i + 1], f"{a.text} {c.text}"))
        out.append((sdoc[b.i : c.i + 1], f"{b.text} {c.text}"))
    return out


_FULL_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ \t]+[A-Z]\.)?[ \t]+[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


def _missed_surnames(ctx: Context, ents: Entities, source_tokens: set[int],
                     found: list[Mention]) -> list[Mention]:
    """A lone capitalised word the NER model left out (or called a place) that is the
    surname of exactly one person the document names: a mention of them."""
    full = {k: es[0] for k, es in ents.people.items() if len(es) == 1}
    if not full:
        return []
    taken = {c for m in found for c in range(m.start, m.end)}
    out = []
    sdoc = ctx.sdoc
    pattern = _alternation(e.name.split()[-1] for e in full.values() if e.name.split())
    for tok in _tokens_matching(ctx, pattern):
        if tok.pos_ != "PROPN" or tok.idx in taken or tok.ent_type_ in PERSON_ENTS:
            continue
        e = full.get(_fold(tok.text))
        if e is None or ctx.masked[tok.idx] or _in_cut(ctx, tok.idx) or (
                ctx.headline_end and tok.idx < ctx.headline_end):
            continue
        if _in_longer_name(sdoc, tok.i, tok.i + 1):
            continue
        sal = 0 if tok.i in source_tokens else _salience(tok)
        e.seen(tok.idx)
        out.append(Mention(tok.idx, tok.idx + len(tok.text), ctx.sent_of[tok.i], e, sal,
                           region=ctx.region[tok.idx]))
    return out


def _coordinated(ctx: Context, mentions: list[Mention]) -> list[Mention]:
    """ "Obama and Clinton" as one plural mention, the antecedent of a later "they"."""
    by_root: dict[int, Mention] = {}
    for m in mentions:
        if m.entity.kind is SpeakerKind.PERSON:
            span = ctx.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None:
                by_root[span.root.i] = m
    out = []
    people = sorted(by_root.values(), key=lambda m: m.start)
    joined: dict[int, list[Mention]] = {}
    for a, b in pairwise(people):  # "Obama and Clinton", parse or not
        if _AND.fullmatch(ctx.doc.text[a.end:b.start]) and a.entity is not b.entity:
            joined.setdefault(id(a), [a]).append(b)
            joined[id(b)] = joined[id(a)]
    for i, m in by_root.items():
        tok = ctx.sdoc[i]
        if tok.dep_ == "conj" and tok.head.i in by_root:
            continue
        parts = [m] + [by_root[c.i] for c in tok.conjuncts if c.i in by_root and c.i > i]
        if len(parts) < 2 and id(m) in joined and joined[id(m)][0] is m:
            parts = joined[id(m)]
        if len(parts) < 2:
            continue
        group = Entity(SpeakerKind.GROUP, " + ".join(p.entity.name for p in parts))
        group.members = [p.entity for p in parts]
        out.append(Mention(m.start, parts[-1].end, m.sentence, group,
                           min(_salience(tok), m.salience), plural=True, region=m.region))
    return out


# --- classification of a source phrase --------------------------------------------


_ENTS_KEY = "whosaid_resolve_ents"  # dropped again when resolution ends


def _ents_in(span: Span) -> list[Span]:
    """The entities inside a span. ``Span.ents`` walks every entity of the document on
    each call; this keeps the document's list once (in ``Doc.user_data``) and bisects."""
    doc = span.doc
    cached = doc.user_data.get(_ENTS_KEY)
    if cached is None:
        ents = list(doc.ents)
        cached = ([e.start for e in ents], ents)
        doc.user_data[_ENTS_KEY] = cached
    starts, ents = cached
    i = bisect.bisect_left(starts, span.start)
    out = []
    while i < len(ents) and ents[i].start < span.end:
        if ents[i].end <= span.end:
            out.append(ents[i])
        i += 1
    return out


def _main_entity(span: Span, labels: frozenset[str]) -> Span | None:
    """The entity a phrase is about: the one holding its root, else the nearest one to
    the root that is no possessor and sits in no relative clause."""
    ents = [e for e in _ents_in(span) if e.label_ in labels]
    if not ents:
        return None
    root = span.root
    for e in ents:
        if e.start <= root.i < e.end:
            return e
    skip: set[int] = set()
    for t in span:
        if t.i != root.i and (t.dep_ in ("poss", "relcl", "acl", "advcl") or (
                t.dep_ == "prep" and t.lower_ in ("including", "like", "among"))):
            skip.update(x.i for x in t.subtree)  # "several Democrats, among them X": not X
    ok = [e for e in ents if e.root.i not in skip and e.root.dep_ != "poss"]
    if not ok:
        return None
    return min(ok, key=lambda e: abs(e.root.i - root.i))


def _plain(span: Span, whole: bool = False) -> str:
    """The mention without a leading determiner; up to its head unless ``whole``."""
    toks = [t for t in span if not (t.is_punct and t.text not in ("-", "&", "’", "'"))
            or span.start < t.i < span.end - 1]
    if not toks:  # a span of punctuation only (found by benchmarks/fuzz_long.py)
        return span.text
    while toks and ((toks[0].pos_ == "DET" and toks[0].lower_ in ("the", "a", "an"))
                    or toks[0].is_punct or toks[0].tag_ in ("WRB", "CC", "IN")) and len(toks) > 1:
        toks = toks[1:]
    # a clause set off by a comma ("an official, who asked not to be named,") describes
    # the speaker but is no part of its name: one unnamed official is one speaker
    cut = [t.left_edge.i for t in span if t.dep_ == "relcl" and span.start < t.left_edge.i
           and t.left_edge.i > t.head.i and span.doc[t.left_edge.i - 1].text == ","]
    if cut:
        toks = [t for t in toks if t.i < min(cut)] or toks
    while len(toks) > 1 and toks[-1].is_punct:
        toks = toks[:-1]
    if not whole:
        head = span.root
        toks = [t for t in toks if t.i <= head.i] or toks
    return span.doc[toks[0].i : toks[-1].i + 1].text


def _document_author(head: Token) -> Span | None:
    """ "A report by the water authority", "a Bloomberg poll", "data released by X"."""
    if head.lemma_.lower() not in DOC_HEADS and head.lower_ not in DOC_HEADS:
        return None
    if head.pos_ == "PROPN" and head.ent_type_ == "ORG" and head.lower_ in _NEWSPAPER:
        return None  # "The Ridgefield Post": a paper's name, no post by Ridgefield
    doc = head.doc
    mods = [t for t in _np_left_modifiers(head, head.i)
            if t.ent_type_ in BODY_ENTS | PERSON_ENTS or t.pos_ == "PROPN"]
    if mods:
        lo, hi = min(t.i for t in mods), max(t.i for t in mods)
        ents = [e for e in _ents_in(doc[lo : hi + 1]) if e.label_ in BODY_ENTS | PERSON_ENTS]
        if len(_slash_names(doc[lo : hi + 1])) > 1:
            return doc[lo : hi + 1]  # "a Reuters/Ipsos poll": both issuers
        best = max(ents, key=lambda e: (e.label_ == "ORG", len(e)), default=None)
        if best is not None and (best.label_ != "GPE" or all(
                t.ent_type_ == "GPE" or t.pos_ != "PROPN" for t in doc[lo : hi + 1])):
            return best  # "a New York Times/CBS News poll": the body, not the city in its name
        return doc[lo : hi + 1]  # "a Nevada Sentinel poll", only "Nevada" tagged: the paper
    for c in head.children:
        if c.dep_ == "poss" and (c.pos_ == "PROPN" or c.ent_type_):
            return doc[c.left_edge.i : c.i + 1]
    verb = head.head
    if head.dep_ == "dobj" and verb.lemma_.lower() in ISSUE_VERBS:  # "X released video"
        for c in verb.children:
            if c.dep_ != "nsubj":
                continue
            if c.pos_ == "PROPN" or c.ent_type_ or any(x.pos_ == "PROPN" for x in c.lefts):
                return doc[c.left_edge.i : c.i + 1]
            if c.i > 0 and doc[c.i - 1].pos_ == "PROPN":  # "Tulsa police", however parsed
                start = c.i - 1
                while start > 0 and doc[start - 1].pos_ == "PROPN":
                    start -= 1
                return doc[start : c.i + 1]
    for c in head.children:
        if c.dep_ == "prep" and c.lower_ in ("by", "from"):
            for obj in c.children:
                if obj.dep_ == "pobj":
                    return doc[obj.left_edge.i : obj.right_edge.i + 1]
        if c.dep_ == "relcl":  # "a briefing that Ms. X gives to investors"
            subj = next((a for a in c.children if a.dep_ == "nsubj"), None)
            if subj is not None and subj.ent_type_ in PERSON_ENTS | BODY_ENTS \
                    and subj.pos_ == "PROPN":
                return doc[subj.left_edge.i : subj.i + 1]
        if c.dep_ in ("acl", "relcl"):  # "released by", "that appeared in the Journal"
            for a in c.children:
                if a.dep_ == "agent" or (a.dep_ == "prep" and a.lower_ == "by") or (
                        a.dep_ == "prep" and a.lower_ == "in"
                        and c.lemma_.lower() in ("appear", "publish", "run", "print")
                        and any(o.ent_type_ in BODY_ENTS for o in a.children)):
                    for obj in a.children:
                        if obj.dep_ == "pobj":
                            return doc[obj.left_edge.i : obj.right_edge.i + 1]
        if c.dep_ == "prep" and c.lower_ == "of":
            for obj in c.children:
                if obj.dep_ == "pobj" and obj.ent_type_ in BODY_ENTS:
                    return doc[obj.left_edge.i : obj.right_edge.i + 1]
    for c in head.children:
        if c.dep_ != "prep" or c.lower_ not in ("in", "of"):
            continue
        for obj in c.children:
            if obj.dep_ != "pobj":
                continue
            if c.lower_ == "in" and head.lower_ in PIECE_HEADS and obj.pos_ == "PROPN":
                start = obj.left_edge.i + (doc[obj.left_edge.i].pos_ == "DET")
                return doc[start : obj.i + 1]  # "an article in the Courier"
            if c.lower_ == "of":  # "an analysis of census data by X": the parse hangs
                by = _issued_by(obj)  # the issuer on the document's object
                if by is not None:
                    return by
    return None


def _issued_by(tok: Token) -> Span | None:
    """X of "<data> by X" or "<anything> published by X" hanging on ``tok``; a plain "by"
    only after a document noun ("a report of abuse by officers": the officers abused)."""
    doc_noun = tok.lemma_.lower() in DOC_HEADS or tok.lower_ in DOC_HEADS
    for c in tok.children:
        if c.dep_ == "prep" and doc_noun:
            preps = [c]
        elif c.dep_ == "acl" and c.lemma_.lower() in ISSUE_VERBS:
            preps = list(c.children)
        else:
            continue
        for a in preps:
            if a.dep_ == "agent" or (a.dep_ == "prep" and a.lower_ == "by"):
                for obj in a.children:
                    if obj.dep_ == "pobj":
                        return tok.doc[obj.left_edge.i : obj.right_edge.i + 1]
    return None


def _name_run(ent: Span, span: Span) -> Span:
    """A body's name as the source writes it, where the entity model stopped short:
    "National Commission" + "on Voting Rights" when only capitalised words follow."""
    end = ent.end
    doc = span.doc
    if end < span.end and doc[end].lower_ in ("on", "of", "for") and end + 1 < span.end:
        k = end + 1
        while k < span.end and (doc[k].pos_ == "PROPN" or doc[k].lower_ in ("and", "the", "of")):
            k += 1
        while k > end + 1 and doc[k - 1].pos_ != "PROPN":
            k -= 1
        if k > end + 1 and all(t.is_punct for t in doc[k:span.end]):
            return doc[ent.start:k]
    return ent


def _slash_names(span: Span) -> list[str]:
    """ "Reuters/Ipsos", "New York Times/CBS News": the names a slash joins (else [])."""
    names = [i for i, t in enumerate(span) if t.pos_ == "PROPN" or t.ent_type_ in BODY_ENTS]
    if not names:
        return []
    text = span[names[0] : names[-1] + 1].text
    if "/" not in text:
        return []
    parts = [" ".join(p.split()) for p in text.split("/")]
    if len(parts) < 2 or not all(p[:1].isupper() and len(p) > 1 for p in parts):
        return []
    return parts


def _ending_name(span: Span) -> Span | None:
    """A person's name that ends a source after its modifiers and titles ("Dayton police
    Chief X", "X's campaign manager Y"): the one the source is, unless the name sits in a
    prepositional phrase ("a spokesman for Sen. X") or is a possessor or a conjunct."""
    people = [e for e in _ents_in(span) if e.label_ in PERSON_ENTS and _ends_span(e, span)]
    if not people or people[-1].start == span.start:
        return None
    e = people[-1]
    if not span.start <= e.root.head.i < span.end and e.root.i != span.root.i:
        return None  # the name's clause runs on past the source ("whom Mr. X brought in")
    if e.root.dep_ in ("pobj", "poss", "conj") or any(
            span.start <= a.i < span.end and a.dep_ in ("prep", "agent", "relcl", "acl")
            for a in e.root.ancestors):
        return None
    if any(t.lower_ in ("and", "&", "or") for t in span.doc[span.start:e.start]):
        return None  # "Baker and Cole": several speakers, decided elsewhere
    return e


def _ends_span(ent: Span, span: Span) -> bool:
    """Whether only punctuation or a bracket ("(D-Va.)") follows ``ent`` in ``span``."""
    rest = list(span.doc[ent.end : span.end])
    if rest and rest[0].text == "(" and any(t.text == ")" for t in rest):
        rest = rest[max(i for i, t in enumerate(rest) if t.text == ")") + 1:]
    return all(t.is_punct for t in rest)


def classify(span: Span) -> tuple[SpeakerKind, bool, str, str | None, str | None]:
    """(kind, named, name, title, role) of a source mention, from its words and entities."""
    head = span.root
    author = _document_author(head)
    if author is not None and author.root.i != head.i:
        return classify(author)
    lower = head.lower_
    role = None
    appos = [c for c in head.children if c.dep_ == "appos" and c.i < span.end]
    if appos:
        a = appos[0]
        role = span.doc[a.left_edge.i : a.right_edge.i + 1].text
    person = _main_entity(span, PERSON_ENTS)
    if head.pos_ == "NOUN":  # "An attorney for X, Mark Doe,": the name that ends it
        last = [e for e in _ents_in(span) if e.label_ in PERSON_ENTS and e.root.dep_ == "appos"
                and span.start <= e.root.head.i < e.start and _ends_span(e, span)]
        if last:
            person, appos = last[-1], [last[-1].root]
    ending = _ending_name(span)  # "Dayton police Chief Carl Brenner", however it parsed
    if ending is not None:
        person, head = ending, ending.root
    if person is not None and (person.start <= head.i < person.end or head.pos_ == "PROPN"
                               or (appos and person.start <= appos[0].i < person.end)):
        name, title = _strip_title(list(person))
        before = [t for t in span.doc[span.start : person.start] if t.text in TITLE_WORDS]
        if before and not title:
            title = " ".join(t.text for t in before)
        if not appos and person.root.i != head.i:
            appos_of = [c for c in person.root.children if c.dep_ == "appos"]
            if appos_of:
                a = appos_of[0]
                role = span.doc[a.left_edge.i : a.right_edge.i + 1].text
        return SpeakerKind.PERSON, True, name, title, role
    org = _main_entity(span, ORG_ENTS)
    words = {t.lower_ for t in span}
    if lower in ANONYMOUS_HEADS or lower.rstrip("s") in ANONYMOUS_HEADS:
        return SpeakerKind.ANONYMOUS, False, _plain(span, True), None, role
    if lower in VAGUE_PRONOUNS or lower in VAGUE_HEADS or words & ANONYMITY_MARKERS:
        kind = SpeakerKind.ANONYMOUS if words & ANONYMITY_MARKERS else SpeakerKind.GROUP
        return kind, False, _plain(span, True), None, role
    if org is not None and (org.label_ != "NORP" or head.pos_ == "PROPN"):
        if appos and _personal_name(org) and org.start <= head.i < org.end \
                and appos[0].tag_ == "NN" and appos[0].lower_ in PERSON_ROLE_NOUNS:
            # "Marta Ilves, a fisheries analyst,": a given name and a surname the model
            # typed ORG, which the apposition says is a person
            name, title = _strip_title(list(org))
            return SpeakerKind.PERSON, True, name, title, role
        if org.start <= head.i < org.end or head.pos_ == "PROPN":
            run = _name_run(org, span)
            if org.end <= head.i and all(t.pos_ == "PROPN" for t in span.doc[org.end : head.i + 1]):
                run = span.doc[org.start : head.i + 1]  # "<Place> <Paper>", only "<Place>" tagged
            return SpeakerKind.ORGANISATION, True, _plain(run, True), None, role
        if lower not in PERSON_ROLE_NOUNS:  # "the secretary general of X" is a person
            return SpeakerKind.ORGANISATION, True, _plain(span), None, role
    if head.pos_ == "PROPN":
        name, title = _strip_title([t for t in span if t.i <= head.i])
        kind = SpeakerKind.PERSON if head.ent_type_ == "PERSON" else SpeakerKind.UNKNOWN
        return kind, True, name, title, role
    if lower in ORG_HEADS:
        # "the Obama administration", "the Clinton campaign": a proper name makes
        # the body a named one, so it can be recognised across documents
        named = any(t.pos_ == "PROPN" for t in span if t.i < head.i)
        return SpeakerKind.ORGANISATION, named, _plain(span), None, role
    if head.tag_ in ("NNS", "NNPS") or (org is not None and lower not in PERSON_ROLE_NOUNS) or (
            head.lower_ in ("those", "these") and len(span) > 1):
        return SpeakerKind.GROUP, False, _plain(span, True), None, role
    return SpeakerKind.UNKNOWN, False, _plain(span), None, role


PAIR_NOUNS = {"man": "m", "woman": "f"}  # "both men", "the two women"


def _names_two(span: Span) -> bool:
    """ "the two", "both men", "the two candidates": two people the text has just been
    about, named by number and a plural person noun only (not "both parties")."""
    words = [t.lower_ for t in span]
    if words == ["the", "two"]:
        return True
    lead = 1 if words[0] == "both" else 2 if words[:2] == ["the", "two"] else 0
    last = span[-1]
    if not lead or len(words) <= lead or last.i != span.root.i or last.tag_ != "NNS" or any(
            t.pos_ not in ("ADJ", "PROPN", "NOUN") for t in span[lead:-1]):
        return False  # "both of them", "both sides of the debate": no pair of people
    head = last.lemma_.lower()
    return head in PAIR_NOUNS or head in PERSON_ROLE_NOUNS


def _personal_name(ent: Span) -> bool:
    """Whether an entity is written as a person's name: a known given name, then one
    capitalised surname ("Marta Ilves"; not "Acme Holdings Group" nor "NBC")."""
    return len(ent) == 2 and all(t.pos_ == "PROPN" and t.text[:1].isupper()
                                 and t.text[1:].islower() for t in ent) \
        and first_name_gender(ent[0].text) is not None


# --- the resolver ------------------------------------------------------------------

# (speaker, entity it stands for, antecedent char span, members of a several-speaker source)
_Result = tuple[Speaker, "Entity | None", "tuple[int, int] | None", list[Speaker]]


class Resolver:
    """Resolves the sources of one document in text order."""

    def __init__(self, ctx: Context, sent_of: list[int]) -> None:
        """``sent_of``: each token's parser sentence (``ctx.sent_of`` counts narration)."""
        self.ctx = ctx
        doc, sdoc = ctx.doc, ctx.sdoc
        self.doc, self.sdoc, self.sent_of = doc, sdoc, ctx.sent_of
        # each token's own (parser) sentence as a token range; ``Token.sent`` walks the
        # sentence on every call, which a run-on sentence makes quadratic
        self.sent_first = [0] * len(sent_of)
        self.sent_end = [len(sent_of)] * len(sent_of)
        first = 0
        for i in range(1, len(sent_of) + 1):
            if i == len(sent_of) or sent_of[i] != sent_of[i - 1]:
                self.sent_first[first:i] = [first] * (i - first)
                self.sent_end[first:i] = [i] * (i - first)
                first = i
        self.ents = Entities()
        self.sources: list[tuple[Attribution, Span]] = []
        source_tokens: set[int] = set()  # the names the sources are about, not their clauses
        for att in doc.attributions:
            if att.source is None:
                continue
            span = self._span(att.source.start, att.source.end)
            if span is None:
                continue
            main = _main_entity(span, PERSON_ENTS | BODY_ENTS)
            source_tokens.update(t.i for t in (main if main is not None else [span.root]))
            self.sources.append((att, span))
        self.sources.extend(self._asked_people(source_tokens))
        self.sources.sort(key=lambda p: p[1].start_char)
        self.mentions = _collect(self.ctx, self.ents, source_tokens)
        # people named inside quotations and contents: never antecedents, but they make
        # a pronoun's reading uncertain (so no gender is learnt from it)
        self.hidden = sorted((e.start_char, _name_parts(e.text)[1], self.ctx.region[e.start_char])
                             for e in sdoc.ents
                             if e.label_ in PERSON_ENTS and self.ctx.masked[e.start_char])
        self.starts = [m.start for m in self.mentions]
        self.doc_authors = self._document_mentions()
        self.doc_starts = {k: [a[0] for a in v] for k, v in self.doc_authors.items()}
        self.last_source = -1  # where the latest resolved source naming an entity starts
        self.groups: dict[str, Entity] = {}  # several issuers of one document, by names
        self.position = {id(a): k for k, a in enumerate(doc.attributions)}
        self.entity_of: dict[int, Entity] = {}  # attribution id -> its source's entity
        self.unnamed: dict[str, Entity] = {}  # the latest anonymous individual, by head noun
        self.contents = sorted((s, e, k) for k, a in enumerate(doc.attributions)
                               if a.content is not None for s, e in a.content.fragments)
        self.content_starts = [c[0] for c in self.contents]
        # a short first paragraph written as a title may shorten the names the body uses
        paras = doc.paragraphs
        self.first_end = paras[0].end if paras else 0
        self.title_end = self.first_end if len(paras) > 1 and _is_title(
            sdoc, paras[0].start, paras[0].end, bool(self.ctx.headline_end)) else 0

    def _span(self, start: int, end: int) -> Span | None:
        """The source's tokens, datelines and labels ("UPDATE: Police") cut off."""
        for cs, ce in self.ctx.cut:
            if cs <= start < ce:
                start = ce
        label = _LABEL.match(self.doc.text, start, end)
        if label is not None:
            start = label.end()
        if start >= end:
            return None
        span = self.sdoc.char_span(start, end, alignment_mode="expand")
        if span is None or not len(span):
            return None
        root = span.root
        comma = next((t.i for t in span if t.text == ","), None)
        if comma is not None and comma > span.start and root.i > comma and all(
                t.pos_ == "PROPN" or t.is_title or t.is_punct for t in self.sdoc[span.start:comma]):
            return self.sdoc[span.start:comma]  # "Pell, beaming,": the name before the aside
        if root.pos_ in ("VERB", "AUX") and root.left_edge.i > span.start:
            # "Mayor X, cutting the ribbon at the library,": the name before the clause
            cut = root.left_edge.i
            while cut > span.start and self.sdoc[cut - 1].is_punct:
                cut -= 1
            if cut > span.start:
                span = self.sdoc[span.start:cut]
        return span

    def _asked_people(self, source_tokens: set[int]) -> list[tuple[Attribution, Span]]:
        """The one asked by each "Asked about X, Cole smiled" participle, as a source of a
        stand-in statement: extraction gives the asking cue no source (the one asked is not
        the asker), yet the one asked is whom the next "he said" goes on with, as if they
        had spoken. The stand-ins are resolved like sources but belong to no attribution."""
        out: list[tuple[Attribution, Span]] = []
        for att in self.doc.attributions:
            if att.source is not None:
                continue
            cue = self.sdoc.char_span(att.cue.start, att.cue.end, alignment_mode="expand")
            if cue is None or not len(cue):
                continue
            subj = asked_person(self.sdoc, [t.i for t in cue])
            if subj is None or subj.i in source_tokens:
                continue  # "Asked ..., Cole said": already a source
            start, end = subj.left_edge.i, subj.right_edge.i + 1
            while start < end and self.sdoc[start].is_punct:
                start += 1
            if start >= end or (cue.start < end and start < cue.end):
                continue
            span = self._span(self.sdoc[start].idx, self.sdoc[end - 1].idx
                              + len(self.sdoc[end - 1].text))
            if span is None or (len(span) == 1 and span[0].lower_ in PRONOUNS_SELF):
                continue
            source_tokens.update(t.i for t in span)
            stand_in = Attribution(cue=att.cue, source=Source(
                text=span.text, start=span.start_char, end=span.end_char))
            out.append((stand_in, span))
        return out

    def _add_mention(self, m: Mention) -> None:
        i = bisect.bisect_right(self.starts, m.start)
        self.starts.insert(i, m.start)
        self.mentions.insert(i, m)
        m.entity.seen(m.start)

    def _document_mentions(self) -> dict[str, list[tuple[int, Span, int]]]:
        """Document-like nouns with a stated issuer ("a Bloomberg poll"), by head lemma:
        (char offset, issuer, sentence)."""
        out: dict[str, list[tuple[int, Span, int]]] = {}
        for tok in _tokens_matching(self.ctx, _DOC_WORDS):
            lemma = tok.lemma_.lower()
            if lemma not in DOC_HEADS or tok.pos_ not in ("NOUN", "PROPN"):
                continue
            if self.ctx.quoted[tok.idx] or tok.idx < self.ctx.headline_end:
                continue  # a title-case headline makes every word look like a name
            author = _document_author(tok)
            if author is not None and author.root.i != tok.i:
                out.setdefault(lemma, []).append((tok.idx, author, self.sent_of[tok.i]))
        return out

    # -- entry point --

    def run(self) -> list[Speaker]:
        deferred: list[tuple[Attribution, Span]] = []
        in_source = {t.i for _, span in self.sources for t in span}
        chain = [t for t in _tokens_matching(self.ctx, _CHAIN_WORDS) if (
                 t.lower_ in SUBJECT_PRONOUNS or (
                     t.lemma_.lower() in KIN_GENDER and any(c.dep_ == "poss" for c in t.children)))
                 and t.i not in in_source and t.dep_ in ("nsubj", "nsubjpass")
                 and not self.ctx.quoted[t.idx]]
        described = [t for t in _tokens_matching(self.ctx, _ROLE_WORDS)
                     if t.pos_ == "NOUN" and t.i not in in_source and not self.ctx.masked[t.idx]
                     and t.idx >= self.ctx.headline_end and _salience(t) == 1
                     and any(c.dep_ == "det" and c.lower_ == "the" for c in t.children)]
        events = sorted([(span.start_char, 0, k) for k, (_, span) in enumerate(self.sources)]
                        + [(t.idx, 1, k) for k, t in enumerate(chain)]
                        + [(t.idx, 2, k) for k, t in enumerate(described)])
        for _, what, k in events:
            if what == 1:
                self._follow(chain[k])
                continue
            if what == 2:
                self._follow_description(described[k])
                continue
            att, span = self.sources[k]
            src = att.source
            assert src is not None
            lower = span.text.strip().lower()
            if len(span) == 1 and lower in PRONOUNS_SELF:
                deferred.append((att, span))
                continue
            self._resolve(att, span)
        for att, span in deferred:
            self._resolve_self(att, span)
        for e in self._all_entities():
            if e.speaker is not None:
                e.speaker.name = e.name
        out: list[Speaker] = []
        for att in self.doc.attributions:
            src = att.source
            if src is None:
                continue
            if src.speaker is None and not self._dropped(src.start):
                src.speaker = Speaker(name=src.text, kind=SpeakerKind.UNKNOWN)
            if src.members and src.speaker is not None:
                src.speaker.name = " + ".join(m.name for m in src.members)
            if src.speaker is not None:
                out.append(src.speaker)
                out.extend(src.members)
        for sp in out:
            sp.name = unmangled(sp.name)
        return out

    def _all_entities(self) -> list[Entity]:
        people = [e for same in self.ents.people.values() for e in same]
        return people + list({id(e): e for e in self.ents.bodies.values()}.values())

    def _dropped(self, start: int) -> bool:
        return bool(self.ctx.headline_end and start < self.ctx.headline_end) or \
            _in_cut(self.ctx, start)

    # -- one source --

    def _resolve(self, att: Attribution, span: Span) -> None:
        src = att.source
        assert src is not None
        if self.ctx.headline_end and span.start_char < self.ctx.headline_end:
            self._resolve_headline(att, span)
            return
        result = self._phrase(span)
        if result is None:
            return
        speaker, entity, ante, members = result
        src.speaker = speaker
        src.members = members
        if ante is not None:
            src.resolved_from = TextSpan(text=self.doc.text[ante[0]:ante[1]],
                                         start=ante[0], end=ante[1])
        if entity is not None:
            self.entity_of[id(att)] = entity
        # a source inside another statement's content ("X argues that Y's plan ...")
        # keeps that region, and is no speaker the narration goes on with
        region = self.ctx.region[span.start_char]
        if entity is not None and not self.ctx.quoted[span.start_char]:
            plural = entity.kind is not SpeakerKind.PERSON
            self._add_mention(Mention(span.start_char, span.end_char,
                                      self.sent_of[span.start], entity, 0, plural, region))
            if not self.ctx.masked[span.start_char]:
                self.last_source = span.start_char
        elif members:
            # "they" after "A and B said": the pair, as one plural antecedent
            group = Entity(SpeakerKind.GROUP, speaker.name)
            group.speaker = speaker
            self._add_mention(Mention(span.start_char, span.end_char,
                                      self.sent_of[span.start], group, 0, True, region))
        elif not self.ctx.quoted[span.start_char] and not (
                len(span) == 1 and span[0].lower_ in ALL_PRONOUNS) and (
                speaker.kind is SpeakerKind.GROUP or (speaker.kind is SpeakerKind.ANONYMOUS
                                                      and span.root.tag_ == "NNS")):
            group = Entity(SpeakerKind.GROUP, speaker.name)  # "aides said ... they added"
            group.speaker = speaker
            self._add_mention(Mention(span.start_char, span.end_char,
                                      self.sent_of[span.start], group, 0, True, region))

    def _phrase(self, span: Span, depth: int = 0) -> _Result | None:
        """Speaker of a source phrase: (speaker, entity, antecedent span, members)."""
        root = span.root
        lower = span.text.strip().lower()
        if len(span) == 1 and lower in ALL_PRONOUNS:
            return self._pronoun(span[0], depth)
        if depth < 3:
            whole = self._set_of(span)  # "each", "most of whom": the set they are part of
            if whole is not None:
                found = self._phrase(whole, depth + 1)
                if found is not None and found[0].kind is not SpeakerKind.UNKNOWN:
                    return found
            elif (len(span) == 1 and root.lower_ == "both") or _names_two(span):
                pair = self._pair_for(span)  # "X said ... Her opponent, Y, said ... Both"
                if pair is not None:
                    speakers = [e.as_speaker() for e in pair]
                    group = Speaker(name=" + ".join(sp.name for sp in speakers),
                                    kind=SpeakerKind.GROUP, named=True)
                    return group, None, None, speakers
        members = self._conjuncts(span) or self._joined_names(span)
        listed = self._listed_people(span)
        if len(listed) > len(members):
            members = listed
        if len(members) > 1 and depth < 2:
            parts = [self._phrase(m, depth + 1) for m in members]
            speakers = [p[0] for p in parts if p is not None]
            if len(speakers) > 1 and not any(  # "Mr. and Mrs. Smith": one name, two titles
                    s.name in TITLE_WORDS or len(s.name) < 2 for s in speakers):
                names = " + ".join(s.name for s in speakers)
                group = Speaker(name=names, kind=SpeakerKind.GROUP,
                                named=all(s.named for s in speakers))
                return group, None, None, speakers
        owner = self._owner(span)
        if owner is not None and depth < 2:  # "Obama and Clinton's gut reaction": theirs
            found = self._phrase(owner, depth + 1)
            if found is not None and found[0].named:
                return found
        if root.text[:1].isupper() and root.ent_type_ not in BODY_ENTS and (len(span) == 1 or (
                root.pos_ == "NOUN" and not any(c.dep_ in ("det", "poss", "compound", "amod")
                                                for c in root.children))):
            # a surname, however tagged: "Price, who is up for re-election, said"
            same = self.ents.people.get(_fold(root.text), [])
            e = same[0] if len(same) == 1 else None if same else self.ents.misspelt(
                _fold(root.text))
            hint = _bound_gender(root)  # "Hargrove ... his daughter": not Olive Hargrove
            if e is not None and e.first and (hint is None or e.get_gender() in (None, hint)):
                return e.as_speaker(), e, None, []
        issuer = _document_author(root) if depth < 2 else None
        if issuer is not None and issuer.root.i != root.i:
            group = self._issuers(issuer, span.start_char)
            if group is not None:
                return group.as_speaker(), group, None, [m.as_speaker() for m in group.members]
        if depth < 3 and span[0].lower_ == "the" and root.lower_ in PARTY_MEMBERS \
                and root.tag_ in ("NNP", "NN"):  # "the Idaho Democrat": a person, described
            found = self._description(span)
            if found is not None:
                return found[0].as_speaker(), found[0], found[1], []
        kind, named, name, title, role = classify(span)
        if kind is SpeakerKind.ANONYMOUS and root.tag_ == "NN" and root.pos_ == "NOUN":
            unnamed = self._unnamed(span, name)  # "a senior official ... the official said"
            if unnamed is not None:
                return unnamed.as_speaker(), unnamed, None, []
        if len(span) == 1 and root.lemma_.lower() in DOC_HEADS and root.is_title:
            named = False  # "Video shows": a capital at the start is no name
        if len(span) == 1 and root.lower_ in PERSON_ROLE_NOUNS and root.ent_type_ != "PERSON":
            named = False  # "Judge rejects ...": a role, whoever the article names for it
        if kind is SpeakerKind.PERSON and named:
            ent = _main_entity(span, PERSON_ENTS)
            g = _honorific_gender(ent) if ent is not None else None
            if g is None and span[0].lower_.rstrip(".") in HONORIFIC_GENDER:
                g = HONORIFIC_GENDER[span[0].lower_.rstrip(".")]
            titles = {_role_word(t) for t in span if t.text in TITLE_WORDS}
            hint = g or (_bound_gender(ent.root) if ent is not None and len(name.split()) == 1
                         else None)
            e = self.ents.person(name, span.start_char, gender=hint, roles=titles)
            if e is not None:
                if title:
                    e.title = e.title or title
                self.ents.add_roles(e, titles)
                e.role = e.role or role
                if g:
                    e.set_gender(g, 3)
                if ent is not None:
                    self.ents.add_roles(e, _roles_of(ent))
                return e.as_speaker(), e, None, []
        if kind in (SpeakerKind.UNKNOWN, SpeakerKind.ORGANISATION) and named:
            # a surname the document gives a full personal name for is that person
            first, _surname = _name_parts(name)
            if not first or _given_particle(name):  # "Della X" may be the short form
                e = self.ents.person(name, span.start_char, create=False,
                                     gender=_bound_gender(root))
                if e is not None and e.first:
                    return e.as_speaker(), e, None, []
            if span.start_char < self.title_end:
                e = self._body_named_apart(name, span)  # "Coast Ledger: ...", "Rival PAC"
                if e is not None:
                    return e.as_speaker(), e, None, []
            if kind is SpeakerKind.ORGANISATION or root.ent_type_ in BODY_ENTS:
                e = self.ents.body(name)
                if e is not None:
                    return e.as_speaker(), e, None, []
            e = self.ents.body(name, create=False)  # a body the document named elsewhere
            if e is not None and not e.place:
                return e.as_speaker(), e, None, []
        if not named and (root.pos_ == "NOUN" or len(span) == 1) and (
                root.tag_ not in ("NNS", "NNPS") or root.lower_ in DOC_HEADS):
            found = self._description(span)
            if found is not None:
                e, ante = found
                return e.as_speaker(), e, ante, [m.as_speaker() for m in e.members]
        if not named and root.pos_ == "NOUN" and len(span) > 1:
            owner = span[0]
            if owner.lower_ in ("his", "her", "their", "its") and owner.head.i == root.i:
                # "his aides" -> "Bobby Scott's aides": the pronoun resolved, the noun kept
                m, _sure = self._antecedent(owner, owner.lower_ in PRONOUNS_PERSON,
                                            PRONOUN_GENDER.get(owner.lower_))
                if m is not None:
                    rest = self.doc.text[span[1].idx : span[-1].idx + len(span[-1].text)]
                    name = f"{m.entity.name}’s {rest}"
            elif root.tag_ == "NNS" and owner.lower_ in ("these", "those", "the"):
                name = self._earlier_plural(span) or name
            elif owner.lower_ in ("the", "this") and len(span) == 2 and root.lemma_.lower() in \
                    COLLECTIVES:
                earlier = self._earlier_same(span)  # "the group": "the group of voters ..."
                if earlier is not None:
                    name, kind = earlier, SpeakerKind.GROUP
        if kind is SpeakerKind.UNKNOWN and named:
            kind = SpeakerKind.PERSON if root.ent_type_ == "PERSON" else kind
        return Speaker(name=name, kind=kind, named=named, title=title, role=role), None, None, []

    def _set_of(self, span: Span) -> Span | None:
        """The set a distributive source speaks for: "each" or "both" after "X and Y vied
        ..., each touting" (the subject of the clause it hangs on); "all" (the people just
        mentioned); "most of whom" (the noun the relative follows)."""
        words = [t.lower_ for t in span]
        if len(words) == 1 and words[0] in DISTRIBUTIVE:
            verb = span[0].head
            for _ in range(3):
                if verb.head is verb:
                    break
                verb = verb.head
                subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")
                             and c.i != span[0].i), None)
                if subj is not None:  # with its conjuncts: "Baker and Cole"
                    end = max([subj.i] + [c.right_edge.i for c in subj.rights
                                          if c.dep_ in ("cc", "conj")])
                    return self.sdoc[subj.left_edge.i : end + 1]
            for _dist, m in self._recent(span, 2):
                if m.plural:
                    return self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            return None
        if len(words) == 3 and words[1] == "of" and words[2] in ("whom", "which") \
                and words[0] in QUANTIFIERS:
            i = span.start - 1
            while i >= 0 and self.sdoc[i].is_punct:
                i -= 1
            if i < 0 or self.sdoc[i].pos_ not in ("NOUN", "PROPN"):
                return None
            last = head = self.sdoc[i]
            while head.dep_ == "conj" and head.head.i < head.i:
                head = head.head
            return self.sdoc[head.left_edge.i : last.i + 1]
        return None

    def _unnamed(self, span: Span, name: str) -> Entity | None:
        """An anonymous individual is one entity: "A senior agency official said
        ... the official said ... He added" are one unnamed person. An indefinite source
        brings them in; a definite one with the same head noun refers back."""
        head = _same_role(span.root.lemma_.lower())
        first = span[0].lower_
        if first in ("a", "an", "one"):
            e = Entity(SpeakerKind.ANONYMOUS, name)
            e.speaker = Speaker(name=name, kind=SpeakerKind.ANONYMOUS, named=False)
            self.unnamed[head] = e
            return e
        if first in ("the", "this", "that") and len(span) <= 3:
            return self.unnamed.get(head)
        return None

    def _recent_pair(self, span: Span) -> list[Entity] | None:
        """The two people the last sentences were about (sources or subjects), in text
        order: "both" when no plural names them together."""
        pair: list[Entity] = []
        for _dist, m in self._recent(span, 2):
            e = m.entity
            if e.kind is SpeakerKind.PERSON and m.salience < 2 and e not in pair:
                pair.append(e)
                if len(pair) == 2:
                    return pair[::-1]
        return None

    def _pair_for(self, span: Span) -> list[Entity] | None:
        """The two people "both", "the two" or "both men" stand for: a pair just named
        together, else the two the last sentences were about. "Both candidates" must be
        two the text calls candidates, of no other party than the source says, and
        "both women" no man."""
        if len(span) == 1:
            return self._recent_pair(span)
        pair = self._recent_two(span)
        if pair is None:
            pair = self._recent_pair(span)
            people = {id(m.entity) for _d, m in self._recent(span, 2)
                      if m.entity.kind is SpeakerKind.PERSON}
            if pair is None or len(people) > 2:
                return None  # a third person in the window: which two is a guess
        role = _same_role(span.root.lemma_.lower())
        if role in PERSON_ROLE_NOUNS and not all(role in e.roles for e in pair):
            return None
        party = {PARTIES[t.lower_] for t in span if t.lower_ in PARTIES}
        if party and any({PARTIES[r] for r in e.roles if r in PARTIES} - party for e in pair):
            return None
        sex = PAIR_NOUNS.get(role)
        if sex and any(e.get_gender() not in (None, sex) for e in pair):
            return None
        return pair

    def _recent_two(self, span: Span) -> list[Entity] | None:
        """The two people named together just before ("Mr. A and Mr. B ... Both men"),
        nearest first, wherever they stood in their sentence."""
        for _dist, m in self._recent(span, 2):
            members = m.entity.members
            if m.plural and len(members) == 2 and all(
                    e.kind is SpeakerKind.PERSON for e in members) and not self._listed_before(m):
                return list(members)
        return None

    def _listed_before(self, m: Mention) -> bool:
        """Whether a pair mention is the tail of a longer list ("A, B and C")."""
        i = bisect.bisect_left(self.starts, m.start)
        return any(p.entity.kind is SpeakerKind.PERSON and p.end <= m.start
                   and self.doc.text[p.end:m.start].strip() == ","
                   for p in self.mentions[max(0, i - 3):i])

    def _joined_names(self, span: Span) -> list[Span]:
        """ "Obama and Clinton's reaction" however it parsed: names at the start of the
        source joined by "and" (titles allowed in between)."""
        people = [e for e in _ents_in(span) if e.label_ in PERSON_ENTS]
        if len(people) < 2 or any(not (t.text in TITLE_WORDS or t.pos_ == "DET")
                                  for t in self.sdoc[span.start:people[0].start]):
            return []
        chain = [people[0]]
        for b in people[1:]:
            between = self.doc.text[chain[-1].end_char:b.start_char].split()
            between = [w for w in between if w not in TITLE_WORDS]
            if not _AND.fullmatch(" " + " ".join(between) + " "):
                break
            chain.append(b)
        return chain if len(chain) > 1 else []

    def _listed_people(self, span: Span) -> list[Span]:
        """ "A, B, Gov. C and Sen. D of <State>", "she and Dr. D": a list of people however it
        parsed (each name's own title, place, party adjective and "of <place>" are no third
        party). The parser often hangs such lists on one name, so the coordination alone
        misses members. The names must be the source or stand beside it: in "an aide to A
        and B", "A and B's aides" or "others, including A and B" someone else speaks."""
        people = sorted([e for e in _ents_in(span) if e.label_ in PERSON_ENTS] + [
            span[k:k + 1] for k, t in enumerate(span)  # "she and Dr. D told reporters"
            if t.lower_ in PRONOUNS_PERSON and t.dep_ != "poss" and not t.ent_type_],
            key=lambda e: e.start)
        if len(people) < 2:
            return []
        tok = people[0].root
        while tok.i != span.root.i:  # the object of a word before it: "a friend of A and B"
            if tok.dep_ not in LIST_LINKS or not span.start <= tok.head.i < span.end:
                return []
            tok = tok.head
        for t in self.sdoc[people[-1].end:span.end]:  # "A and B's lawyer": not them
            if not (t.is_punct or t.lower_ in DISTRIBUTIVE or t.lower_ == "of"
                    or t.ent_type_ in ("GPE", "LOC")):
                return []
        joined = False
        for a, b in pairwise(people):
            gap = self.sdoc[a.end:b.start]
            if not any(t.lower_ in (",", ";", "and", "&") for t in gap):
                return []  # "<Town> Mayor B": a place before B's title, no second person
            for t in gap:
                if t.lower_ in ("and", "&"):
                    joined = True
                elif not (t.text in (",", ";") or t.lower_ == "of" or t.text in TITLE_WORDS
                          or t.lower_.rstrip(".") in TITLE_ROLES
                          or t.ent_type_ in ("GPE", "LOC")
                          or (t.ent_type_ == "NORP" and t.pos_ == "ADJ")):
                    return []  # a word of another kind: no plain list of names
        return people if joined else []

    def _owner(self, span: Span) -> Span | None:
        """The named possessor of a view or reaction ("X's reaction"), when the noun is no
        body, role, group or document of its own."""
        root = span.root
        lemma = root.lemma_.lower()
        own_kind = (ORG_HEADS, ORG_TYPE_WORDS, PERSON_ROLE_NOUNS, GENDERED_ROLES,
                    ANONYMOUS_HEADS, VAGUE_HEADS)
        if root.pos_ != "NOUN" or lemma in ROLE_SAME or lemma in KIN_GENDER or any(
                lemma in words or lemma.rstrip("s") in words for words in own_kind):
            return None
        for c in root.children:
            if c.dep_ == "poss" and c.pos_ == "PROPN" and span.start <= c.i < span.end:
                end = c.right_edge.i + 1
                while end > c.left_edge.i + 1 and self.sdoc[end - 1].dep_ in ("case", "punct"):
                    end -= 1
                return self.sdoc[max(span.start, c.left_edge.i):end]
        return None

    def _recent_narration(self, span: Span, sentences: int) -> Iterator[Token]:
        """The tokens before ``span``, nearest first, outside quotations, within
        ``sentences`` sentences and 300 tokens: where an earlier phrase it takes up stands."""
        here = self.sent_of[span.start]
        for i in range(span.start - 1, max(0, span.start - 300) - 1, -1):
            if here - self.sent_of[i] > sentences:
                return
            t = self.sdoc[i]
            if not self.ctx.quoted[t.idx]:
                yield t

    def _earlier_plural(self, span: Span) -> str | None:
        """ "These voters": the plural subject with that noun in the last sentences
        ("Younger black voters have expressed ...")."""
        lemma = span.root.lemma_.lower()
        for t in self._recent_narration(span, 2):
            if t.lemma_.lower() == lemma and t.tag_ == "NNS" and t.dep_ in ("nsubj", "nsubjpass") \
                    and any(c.dep_ in ("amod", "compound") for c in t.lefts):
                return _plain(self.sdoc[t.left_edge.i : t.i + 1], True)
        return None

    def _earlier_same(self, span: Span) -> str | None:
        """ "The group" that no body answers to: the fuller phrase with that noun in the
        last sentences ("the group of renters under 30"), up to a comma."""
        lemma = span.root.lemma_.lower()
        for t in self._recent_narration(span, 3):
            if t.lemma_.lower() != lemma or t.pos_ != "NOUN":
                continue
            if not any(c.dep_ == "prep" and c.lower_ == "of" for c in t.children):
                continue
            toks = []  # up to a comma or the sentence's end (attachments are unsure)
            end = self.sent_end[t.i]
            for x in self.sdoc[t.i : min(end, t.i + 12)]:
                if x.text in (",", ";", "(", "—", "–") or (x.is_punct and x.i == end - 1):
                    break
                toks.append(x)
            return self.doc.text[toks[0].idx : toks[-1].idx + len(toks[-1].text)]
        return None

    def _conjuncts(self, span: Span) -> list[Span]:
        """The coordinated phrases of "Mr. X and Mr. Y", each as its own span.

        Split only where each part is a name or a plural ("X and other scientists"):
        "the former secretary and current nominee" is one person.
        """
        root = span.root
        conj = [c for c in root.conjuncts if span.start <= c.i < span.end]
        if not conj:  # "candidates X and Y": the names hang on the head noun
            for c in root.children:
                if c.dep_ in ("appos", "compound") and c.pos_ == "PROPN" and any(
                        span.start <= x.i < span.end for x in c.conjuncts) and (
                        c.ent_type_ in PERSON_ENTS or not any(  # "X, a pilot and ...": roles
                            x.dep_ == "det" for x in c.children)):  # "the Whig X and ...": names
                    root = c
                    conj = [x for x in c.conjuncts if span.start <= x.i < span.end]
                    break
        if not conj or root.pos_ not in ("PROPN", "NOUN"):
            return []
        parts = [root, *conj]
        def names_one(t: Token) -> bool:  # "the Gannett newspaper chain" names a body
            if any(c.dep_ == "poss" and c.lower_ in ("its", "his", "her", "their")
                   for c in t.children):
                return False  # "the channel and its supporters": one group, not two
            return t.pos_ == "PROPN" or t.tag_ == "NNS" or (t.pos_ == "NOUN" and any(
                c.pos_ == "PROPN" for c in t.subtree if c.i < t.i))

        if not any(t.pos_ == "PROPN" for t in parts) or not all(names_one(t) for t in parts):
            return []
        for e in _ents_in(span):  # "Johnson & Johnson": one name
            if e.start <= root.i < e.end and all(e.start <= c.i < e.end for c in conj):
                return []
        heads = sorted([root, *conj], key=lambda t: t.i)
        out: list[Span] = []
        for h in heads:
            inner = {c.i for c in h.conjuncts if c.i != h.i and c.head.i == h.i}
            skip: set[int] = set()
            for c in h.children:
                if c.i in inner or c.dep_ in ("cc", "punct") or \
                        (c.dep_ == "appos" and h.pos_ == "PROPN"):
                    skip.update(x.i for x in c.subtree)
                if c.dep_ == "preconj":
                    skip.add(c.i)
            toks = [t.i for t in h.subtree if t.i not in skip and span.start <= t.i < span.end
                    and not (t.is_punct and t.i != h.i)]
            if toks:
                s, e = min(toks), max(toks) + 1
                while s < e - 1 and self.sdoc[s].dep_ == "cc":
                    s += 1
                out.append(self.sdoc[s:e])
        return out

    # -- pronouns --

    def _pronoun(self, tok: Token, depth: int) -> _Result | None:
        lower = tok.lower_
        if lower in RELATIVE:
            ante = _relative_antecedent(tok)
            if ante is None and tok.i > 0:  # "the department which reported": the noun before
                prev = self.sdoc[tok.i - 1]
                if prev.pos_ in ("NOUN", "PROPN"):
                    ante = prev
            if ante is not None and ante.dep_ == "appos" and ante.head.pos_ == "PROPN":
                ante = ante.head  # "X, a staffer at Y who said": X
            if ante is not None and depth < 3:
                start = ante.left_edge.i
                cut = [x.left_edge.i for x in ante.subtree if x.i > ante.i
                       and x.dep_ in ("relcl", "appos", "acl")]
                end = min(cut) if cut else ante.right_edge.i + 1
                while end > start + 1 and self.sdoc[end - 1].is_punct:
                    end -= 1
                span = self.sdoc[start:end]
                if len(span) and not (len(span) == 1 and span[0].lower_ in RELATIVE):
                    result = self._phrase(span, depth + 1)
                    if result is not None:
                        sp, e, _, members = result
                        return sp, e, (span.start_char, span.end_char), members
            return Speaker(name=tok.text, kind=SpeakerKind.UNKNOWN), None, None, []
        want_person = lower in PRONOUNS_PERSON
        gender = PRONOUN_GENDER.get(lower)
        m, sure = self._antecedent(tok, want_person, gender, speaking=True)
        if m is None:
            kind = SpeakerKind.PERSON if want_person else SpeakerKind.UNKNOWN
            if lower in PRONOUNS_GROUP:
                kind = SpeakerKind.GROUP
            return Speaker(name=tok.text, kind=kind, named=False), None, None, []
        e = m.entity
        if gender and e.kind is SpeakerKind.PERSON and sure:
            e.add_pronoun(gender)  # learnt only when no one else could have been meant
        if e.kind is SpeakerKind.GROUP and e.members:
            members = [x.as_speaker() for x in e.members]
            group = Speaker(name=" + ".join(x.name for x in members), kind=SpeakerKind.GROUP,
                            named=True)
            return group, e, (m.start, m.end), members
        if e.speaker is not None and e.kind is SpeakerKind.GROUP:
            sp = e.speaker
            return sp, e, (m.start, m.end), []
        return e.as_speaker(), e, (m.start, m.end), []

    def _follow(self, tok: Token) -> None:
        """A subject "he"/"she"/"they" that is no source still carries the chain: "X won.
        He never lost. ... he said" ends at X, as a mention of X here."""
        lower = tok.lower_
        if lower not in SUBJECT_PRONOUNS:  # "My mother has softened ... she still says"
            owner = next(c for c in tok.children if c.dep_ == "poss")
            kin = self._owned(self.sdoc[tok.left_edge.i : tok.i + 1],
                              tok.lemma_.lower(), owner)
            if kin is not None:
                self._add_mention(Mention(tok.idx, tok.idx + len(tok.text),
                                          self.sent_of[tok.i], kin[0], 1))
            return
        m, sure = self._antecedent(tok, lower != "they", PRONOUN_GENDER.get(lower))
        if m is None or not sure:
            return
        self._add_mention(Mention(tok.idx, tok.idx + len(tok.text), self.sent_of[tok.i],
                                  m.entity, 1, m.plural))

    def _follow_description(self, tok: Token) -> None:
        """A subject "the president" that is no source carries the chain like "he" does:
        "After the loss, the president seemed shaken. ... he hardly spoke" ends at him."""
        span = self.sdoc[tok.left_edge.i : tok.i + 1]
        found = self._description(span)
        if found is None or found[0].kind is not SpeakerKind.PERSON:
            return
        self._add_mention(Mention(tok.idx, tok.idx + len(tok.text), self.sent_of[tok.i],
                                  found[0], 1))

    def _antecedent(self, tok: Token, want_person: bool, gender: str | None,
                    speaking: bool = False) -> tuple[Mention | None, bool]:
        """Most salient agreeing mention in the nearest earlier sentences, and whether it
        is clearly ahead of every other entity (then its gender may be learnt from it).

        ``speaking``: the pronoun is itself a statement's source, so the speaker of the
        statement before is favoured (a quotation that goes on keeps its speaker)."""
        here = self.sent_of[tok.i]
        region = self.ctx.region[tok.idx]
        i = bisect.bisect_left(self.starts, tok.idx)
        if speaking and self._interrupted(i, want_person, gender, region):
            speaking = False  # someone else became the subject since: the quote is over
        sentence_start = self.sdoc[self.sent_first[tok.i]].idx if speaking else 0
        quoting = self._quoting(tok.idx) if speaking and self.ctx.quoted[tok.idx] else None
        fits_here = gender is not None and any(  # a person of that gender in this sentence
            m.sentence == here and m.entity.kind is SpeakerKind.PERSON
            and m.entity.get_gender() == gender and not self.ctx.quoted[m.start]
            for m in self.mentions[max(0, i - 10):i])
        best: tuple[float, int] | None = None
        chosen = None
        costs: dict[int, float] = {}
        floor = max(0, i - MAX_CANDIDATES)  # bounded: run-on text must stay linear
        while i > floor:
            i -= 1
            m = self.mentions[i]
            dist = here - m.sentence
            if dist > MAX_BACK_SENTENCES:
                break
            e = m.entity
            cost = dist + SALIENCE_COST[m.salience]
            if m.region and m.region != region:
                if self.ctx.quoted[m.start]:
                    continue  # a name inside a quotation: only for pronouns in it
                cost += CONTENT_COST  # in reported content: not whom the narration is about
            went_on = speaking and m.start == self.last_source and m.end <= sentence_start \
                and e is not quoting
            if e is quoting:
                cost += 2.0  # "she said" inside X's quotation is someone X quotes
            if went_on:
                cost -= 1.0  # the speaker of the statement before: a quote that goes on
            if want_person:
                if e.kind is not SpeakerKind.PERSON and e.kind is not SpeakerKind.ANONYMOUS:
                    continue
                g = e.get_gender()
                if gender and g and g != gender:
                    continue
                if gender and g is None:
                    # a person the text gives no gender ("Chris"): only if nobody fits,
                    # unless they spoke last and the pronoun goes on with their statement,
                    # or they are the subject of its own sentence and no one there fits;
                    # the first name's odds scale that by 0.5-1.5 (even odds: 1); only
                    # a source or subject gets the cut, so a likely sex tips close calls
                    # but no subject is outranked by a mere mention ("President Y toured
                    # ... a lunch for Toby X ... He")
                    cost += (0.5 if went_on or (dist == 0 and m.salience < 2
                                                and not fits_here) else 2.5) \
                        * max(0.5 + e.other_sex(gender), 1.0 if m.salience == 2 else 0.0)
            elif m.modifier:
                continue  # "it" is no "U.S." of "the U.S. senator"
            elif tok.lower_ in PRONOUNS_GROUP:
                if e.kind is SpeakerKind.PERSON:
                    continue
                if not m.plural:
                    cost += 2.0 + 1.5 * e.place  # "they": a group or several before a body
            elif e.kind is not SpeakerKind.ORGANISATION:
                continue
            elif e.place:
                cost += 1.5  # "it said": a body, seldom a country
            if not want_person and speaking and m.salience == 0:
                cost -= 1.5  # "the Times said ... it said": a body that spoke speaks again
            key = (cost, -m.start)
            costs[id(e)] = min(cost, costs.get(id(e), cost))
            if best is None or key < best:
                best, chosen = key, m
        if chosen is None or best is None:
            return None, False
        if not want_person and best[0] > 4.5 and not (speaking and chosen.salience == 0):
            return None, False  # no body or group near enough: better unresolved than wrong
        lo = bisect.bisect_left(self.hidden, (chosen.start,))
        hi = bisect.bisect_left(self.hidden, (tok.idx,))
        if any(r != region and name != getattr(chosen.entity, "surname", "")
               for _, name, r in self.hidden[lo:min(hi, lo + MAX_CANDIDATES)]):
            return chosen, False  # a person quoted in between might be meant
        rivals = [c for k, c in costs.items() if k != id(chosen.entity)]
        return chosen, not rivals or min(rivals) - best[0] >= 1.5

    def _interrupted(self, i: int, want_person: bool, gender: str | None, region: int) -> bool:
        """Whether, between the latest source and mention ``i``, the narration (or the
        quotation the pronoun is in) made another agreeing entity a subject ("X said ... But
        Y now faces the attacks. He noted"): then a pronoun no longer simply goes on with
        X's statement."""
        if self.last_source < 0:
            return False
        k = bisect.bisect_left(self.starts, self.last_source)
        if k >= i or i - k > MAX_CANDIDATES:
            return False
        last = self.mentions[k].entity
        last_sentence = self.mentions[k].sentence
        for m in self.mentions[k + 1:i]:
            e = m.entity
            if e is last or m.salience > 1 or m.region not in (0, region) \
                    or m.sentence == last_sentence:
                continue
            if want_person and e.kind is SpeakerKind.PERSON and (
                    gender is None or e.get_gender() in (None, gender)):
                return True
        return False

    def _quoting(self, at: int) -> Entity | None:
        """Whose quotation the offset ``at`` is in: "Lund reports: '... she said'" is
        someone Lund quotes, not Lund (nested contents: the innermost)."""
        i = bisect.bisect_right(self.content_starts, at)
        for s, e, k in reversed(self.contents[max(0, i - 5):i]):
            if s <= at < e:
                return self.entity_of.get(id(self.doc.attributions[k]))
        return None

    def _around(self, att: Attribution) -> list[Attribution]:
        """The attributions near ``att`` in text order (whose quote may hold its "I")."""
        k = self.position.get(id(att), 0)
        return self.doc.attributions[max(0, k - 20): k + 20]

    def _resolve_self(self, att: Attribution, span: Span) -> None:
        """ "I"/"we": the quoted speaker inside a quotation, else the author."""
        src = att.source
        assert src is not None
        at = span.start_char
        if self.ctx.quoted[at]:
            for other in self._around(att):
                o = other.source
                if other is att or o is None or o.speaker is None or other.content is None:
                    continue
                if any(s <= at < e for s, e in other.content.fragments) and \
                        o.text.strip().lower() not in PRONOUNS_SELF:
                    src.speaker = o.speaker
                    src.members = list(o.members)
                    src.resolved_from = TextSpan(text=o.text, start=o.start, end=o.end)
                    return
        author = self._author_at(at)
        if author:
            e = self.ents.person(author, at)
            if e is not None:
                src.speaker = e.as_speaker()
                return
        src.speaker = Speaker(name="(author)", kind=SpeakerKind.PERSON, named=False)

    def _author_at(self, at: int) -> str | None:
        """The writer of the text at ``at``: the signature that follows it on a page of
        letters, else the document's author."""
        k = bisect.bisect_left(self.ctx.signatures, (at, ""))
        if k < len(self.ctx.signatures):
            return self.ctx.signatures[k][1]
        return self.ctx.author

    # -- descriptions --

    def _description(self, span: Span) -> tuple[Entity, tuple[int, int] | None] | None:
        """A definite description ("the governor", "the bank", "the poll") to its entity."""
        root = span.root
        head = root.lower_ if root.lower_ in DOC_HEADS else _same_role(root.lemma_.lower())
        first = span[0].lower_
        # a plural common noun is no owner but a kind: "the teachers' union"
        owner = next((c for c in root.children if c.dep_ == "poss" and c.i < root.i
                      and c.tag_ != "NNS"), None)
        if owner is not None:
            # "His ex-wife" may parse as three nouns: the last word of the phrase decides
            last = self.doc.text[owner.idx + len(owner.text):span.end_char].split()[-1:]
            word = last[0].lower().strip(",.") if last else head
            if word in KIN_GENDER or word in PERSON_ROLE_NOUNS:
                head = _same_role(word)
            return self._owned(span, head, owner)
        definite = first in ("the", "this", "that") or (
            self.ctx.headline_end and span.start_char < self.ctx.headline_end) or (
            span.start_char < self.title_end and span[0].pos_ != "DET") or (  # a title's noun
            span[0].i == root.i and root.tag_ in ("NN", "NNP"))  # "Video shows": a bare noun
        if not definite:
            if first in ("a", "an") and head in PERSON_ROLE_NOUNS | set(ROLE_SAME.values()):
                return self._newcomer(span, head) or self._named_next(span, head)
            if first in ("a", "an") and head in DOC_HEADS:
                return self._document_ahead(head, span)
            if first in ("another", "one", "each") and head in DOC_HEADS:
                return self._document_issuer(head, span.start_char, self.sent_of[span.start])
            if first in ("a", "an") and head in ORG_TYPE_WORDS:
                return self._new_body(span, head)
            return None
        if head in DOC_HEADS:
            return self._document_issuer(head, span.start_char, self.sent_of[span.start])
        mods = {_role_word(t) for t in _np_left_modifiers(root, root.i)} | {
            _role_word(o) for p in root.children if p.dep_ == "prep" and p.lower_ == "of"
            for o in p.children if o.dep_ == "pobj"}
        heads = [head]
        for c in root.conjuncts:  # "the former secretary of state and current nominee"
            if c.pos_ == "NOUN" and span.start <= c.i < span.end:
                heads.append(_same_role(c.lemma_.lower()))
                mods |= {_role_word(t) for t in _np_left_modifiers(c, c.i)}
        at = span.start_char
        if head in ORG_TYPE_WORDS or head in PLACE_TYPE_WORDS:
            place = head in PLACE_TYPE_WORDS
            kinds = BODY_KIN.get(head, {head})
            candidates = [e for e in {id(e): e for e in self.ents.bodies.values()}.values()
                          if e.place == place and self._last_mention(e, at) is not None and (
                              head in e.roles or _type_word_of(e.name) in kinds)]
            own = self._own_body(span, head) if head in PERSONAL_BODIES and not mods else None
            if own is not None:  # "Ann Cole plans ... The campaign says": her campaign
                latest = max((self._recency(e, at) for e in candidates), default=(False, 0))
                if not latest[0] or latest[1] < own[1][0]:
                    return own
            if candidates:  # its own type word before a kindred one: "the commission"
                e = max(candidates, key=lambda e: (
                    head in e.roles or _type_word_of(e.name) == head,
                    len(mods & (e.roles | e.words)), *self._recency(e, at)))
                return e, self._last_mention(e, at)
            names = [t for t in _np_left_modifiers(root, root.i) if t.pos_ == "PROPN"]
            if names and not place:  # "the Gannett newspaper chain": Gannett, named here
                lo, hi = min(t.i for t in names), max(t.i for t in names)
                e = self.ents.body(self.sdoc[lo : hi + 1].text)
                if e is not None:
                    return e, None
            return self._recent_body(span, place=place)
        words = {_role_word(t) for t in span}
        candidates = [e for h in heads for e in self.ents.by_role.get(h, [])
                      if e.kind is SpeakerKind.PERSON and not _other_rank(h, words, e.roles)
                      and self._last_mention(e, at) is not None]
        gender = next((GENDERED_ROLES[h] for h in heads if h in GENDERED_ROLES), None)
        if gender:
            candidates = [e for e in candidates if e.get_gender() in (None, gender)]
        if candidates:
            e = max(candidates, key=lambda e: (len(mods & e.roles), *self._recency(e, at)))
            return e, self._last_mention(e, at)
        if head in PERSON_ROLE_NOUNS or head in PARTY_MEMBERS:
            return self._recent_person(span, gender) or self._named_next(span, head)
        return None

    def _own_body(self, span: Span, head: str) -> tuple[Entity, tuple[int, int]] | None:
        """ "The campaign" right after a sentence about a candidate: that person's
        campaign ("Cole campaign"), when the article names it somewhere."""
        for _dist, m in self._recent(span, 1):
            e = m.entity
            if e.kind is SpeakerKind.PERSON and e.surname and (m.salience == 0 or (
                    m.salience == 1 and self._main_subject(m))):
                body = self.ents.body(f"{e.name.split()[-1]} {head}", create=False)
                if body is not None:
                    return body, (m.start, m.end)
        return None

    def _main_subject(self, m: Mention) -> bool:
        """Whether a mention is the subject of its sentence's main verb."""
        span = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        t = span.root
        while t.dep_ in ("compound", "poss", "appos", "conj") and t.head is not t:
            t = t.head
        return t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"

    def _recent_person(self, span: Span, gender: str | None, not_: Entity | None = None
                       ) -> tuple[Entity, tuple[int, int]] | None:
        """ "The nominee said" where no one is called the nominee: the person the last
        sentences are about (their source or subject), if the text gives them no other role."""
        best = None
        head = _same_role(span.root.lemma_.lower())
        words = {_role_word(t) for t in span}
        left = _np_left_modifiers(span.root, span.root.i)
        mods = {_role_word(t) for t in left
                if t.pos_ in ("PROPN", "ADJ")} - {"former", "new", "top", "longtime"}
        bodies = {PARTIES.get(w, w) for w in (  # "the CIA director" is nobody else
            _role_word(t) for t in left if t.ent_type_ == "ORG")}
        for dist, m in self._recent(span, 3, contents=True):
            e = m.entity
            if e.kind is not SpeakerKind.PERSON or e is not_:
                continue
            if _other_office(head, words, e.roles) or _other_rank(head, words, e.roles) \
                    or (bodies and bodies - {PARTIES.get(r, r) for r in e.roles}):
                continue  # the text gives them another office: "the governor" is not a senator
            if gender and e.get_gender() not in (None, gender):
                continue
            cost = dist + SALIENCE_COST[m.salience] + (CONTENT_COST if m.region else 0.0)
            cost -= 1.5 * len(mods & e.roles)  # "the Utah lawmaker": the one from Utah
            key = (cost, -m.start)
            if best is None or key < best[0]:
                best = (key, m)
        if best is None:
            return None
        return best[1].entity, (best[1].start, best[1].end)

    def _newcomer(self, span: Span, head: str) -> tuple[Entity, tuple[int, int]] | None:
        """ "A New York judge has rejected ..." then "Justice Frank Nervo wrote": an
        indefinite role brings in someone new, whom the next sentences may name. Only a
        person first named after it, with that role, and the only such person."""
        at, here = span.start_char, self.sent_of[span.start]
        found = []
        for e in self.ents.by_role.get(head, [])[:MAX_CANDIDATES]:
            if e.kind is not SpeakerKind.PERSON or e.before(at) >= self.first_end:
                continue  # named before (the title aside): not the newcomer
            i = bisect.bisect_right(self.starts, at)
            m = next((m for m in self.mentions[i:i + 400] if m.entity is e), None)
            if m is not None and m.sentence - here <= MAX_AHEAD_SENTENCES:
                found.append(m)
        if len(found) != 1:
            return None
        return found[0].entity, (found[0].start, found[0].end)

    def _named_next(self, span: Span, head: str) -> tuple[Entity, tuple[int, int]] | None:
        """ "Utah's revenue director says ... Kevin Harlow says he": a role no one
        holds yet, then a person named for the first time as the next sentence's subject,
        who has no other office and agrees in gender. Never an anonymous role ("a
        spokesman", "an official"): those stay unnamed."""
        if head in ANONYMOUS_HEADS or _same_role(head) in _ANONYMOUS_ROLES:
            return None
        here = self.sent_of[span.start]
        gender = GENDERED_ROLES.get(head)
        i = bisect.bisect_right(self.starts, span.end_char)
        for m in self.mentions[i:i + 10]:
            if m.sentence - here > 1:
                break
            e = m.entity
            if m.sentence != here + 1 or m.region or m.salience > 1 \
                    or e.kind is not SpeakerKind.PERSON:
                continue
            if e.before(m.start) >= 0 or _other_office(head, set(), e.roles) or (
                    gender and e.get_gender() not in (None, gender)):
                return None  # the next subject is no newcomer, or cannot hold the role
            return e, (m.start, m.end)
        return None

    def _new_body(self, span: Span, head: str) -> tuple[Entity, tuple[int, int]] | None:
        """ "A federal appeals court ruled ... The U.S. Court of Appeals for the Sixth
        Circuit": the body of that type named first in the next sentences, if new there."""
        at, here = span.start_char, self.sent_of[span.start]
        kinds = BODY_KIN.get(head, {head})
        i = bisect.bisect_right(self.starts, at)
        for m in self.mentions[i:i + MAX_CANDIDATES]:
            if m.sentence - here > 3:
                break
            e = m.entity
            if e.kind is SpeakerKind.ORGANISATION and not e.place \
                    and e.before(at) < self.first_end and (  # the title aside
                    head in e.roles or _type_word_of(e.name) in kinds):
                return e, (m.start, m.end)
        return None

    def _body_named_apart(self, name: str, span: Span) -> Entity | None:
        """A title's short name for a body the article names in full ("Coast Ledger" for
        the North Coast Ledger, "Rival PAC" for Harbour PAC, "Teachers' union" for
        the Federation of School Teachers): of the bodies the article names and the title
        does not, those of the name's type (its last word, or a kindred one), sharing its
        other words if any do; only when one fits (or all that fit share the most words).
        A name sharing no word counts only when its other words are common ones ("Rival",
        "Teachers'", or a capital the article writes in lower case: "Super PAC"): proper
        nouns ("Acme Workers Union") make it a full name, its own body. A title-case
        headline capitalises every word, so there only the type decides (the article
        body names again a body its headline names in full)."""
        words = [w for w in _fold(name).split() if w != "the"]
        same = self.ents.body(name, create=False)
        if not words or (same is not None and same.last >= self.title_end):
            return None  # the body of the article uses the name itself
        kinds = BODY_KIN.get(words[-1], frozenset()) | {words[-1]}
        typed = [e for e in {id(e): e for e in self.ents.bodies.values()}.values()
                 if e.last >= self.title_end and (not e.place or words[-1] in PLACE_TYPE_WORDS)
                 and (_type_word_of(e.name) or _fold(e.name)) in kinds]
        rest = set(words[:-1])
        shared = {id(e): len(rest & e.words) for e in typed}
        most = max(shared.values(), default=0)
        fits = [e for e in typed if shared[id(e)] == most]
        if not fits or (not most and len(fits) > 1):
            return None
        if not most and rest and span.start_char >= self.ctx.headline_end and any(
                t.pos_ == "PROPN" and _fold(t.text) in rest and not re.compile(
                    rf"\b{re.escape(t.lower_)}\b").search(self.doc.text, self.title_end)
                for t in span):
            return None  # a full name of its own, not a short one ("super" is lower-case)
        return max(fits, key=lambda e: e.count)

    def _possessor(self, owner: Token) -> Entity | None:
        """Whom "his", "my", "Pagliano's" stands for (no entity is made)."""
        lower = owner.lower_
        if lower in ("my", "our"):
            if self.ctx.quoted[owner.idx]:
                return None
            author = self._author_at(owner.idx)
            return self.ents.person(author, owner.idx) if author else None
        if lower in ("his", "her", "their", "its"):
            m, _sure = self._antecedent(owner, lower in PRONOUNS_PERSON,
                                        PRONOUN_GENDER.get(lower))
            return m.entity if m is not None else None
        if owner.pos_ != "PROPN":
            return None
        span = self.sdoc[owner.left_edge.i : owner.i + 1]
        name, _title = _strip_title([t for t in span if t.dep_ != "case"])
        return self.ents.person(name, owner.idx, create=False) or self.ents.body(name,
                                                                                 create=False)

    def _owned(self, span: Span, head: str, owner_tok: Token
               ) -> tuple[Entity, tuple[int, int] | None] | None:
        """ "his wife", "Pagliano's lawyer", "her account": through the possessor.

        A kin noun is the one other person of the possessor's surname and the kin's
        gender; a role noun the one person the text gives that role for this
        possessor ("an attorney for Pagliano, X"); any other singular noun that is no body, group or
        role ("her account", "his statement") is the possessor's own."""
        owner = self._possessor(owner_tok)
        if owner is None:
            return None
        at = span.start_char
        if head in KIN_GENDER:
            if owner.kind is not SpeakerKind.PERSON or not owner.surname:
                return None
            want = KIN_GENDER[head]
            kin = [e for e in self.ents.people.get(owner.surname, [])
                   if e is not owner and e.first and (not want or e.get_gender() == want)]
            if len(kin) != 1:
                return None
            return kin[0], self._last_mention(kin[0], at)
        if head in PERSON_ROLE_NOUNS or head in ROLE_SAME.values():
            holders = [e for e in self.ents.by_role.get(head, [])[:MAX_CANDIDATES]
                       if e is not owner and e.kind is SpeakerKind.PERSON]
            key = _fold(owner.name).split()[-1:] if owner.name else []
            theirs = [e for e in holders if key and (
                key[0] in e.roles or key[0] in _fold(e.role or "").split())]
            if len(theirs) == 1:  # "Clinton's lawyer X" is nobody else's lawyer
                return theirs[0], self._last_mention(theirs[0], at)
            if not holders:  # "X called on Y ... Obama's former strategist said": X
                return self._recent_person(span, KIN_GENDER.get(head) or None, owner) or \
                    self._named_next(span, head)
            return None
        own_kind = (ORG_HEADS, ORG_TYPE_WORDS, GENDERED_ROLES, ANONYMOUS_HEADS, VAGUE_HEADS)
        if span.root.tag_ == "NN" and not any(head in words for words in own_kind):
            return owner, self._last_mention(owner, at)
        return None

    def _recent(self, span: Span, max_back: int, contents: bool = False
                ) -> Iterator[tuple[int, Mention]]:
        """Usable mentions before ``span``, nearest first, with their distance in sentences:
        at most ``max_back`` sentences back and ``MAX_CANDIDATES`` mentions, so run-on text
        stays linear. ``contents``: names in reported contents (not quotations) too."""
        here = self.sent_of[span.start]
        i = bisect.bisect_left(self.starts, span.start_char)
        floor = max(0, i - MAX_CANDIDATES)
        while i > floor:
            i -= 1
            m = self.mentions[i]
            if here - m.sentence > max_back:
                return
            if self._usable(m, span.start_char) or (contents and not self.ctx.quoted[m.start]):
                yield here - m.sentence, m

    def _usable(self, m: Mention, at: int) -> bool:
        """Names in a quotation or content are antecedents only from inside it."""
        return not m.region or m.region == self.ctx.region[at]

    def _nearest_mention(self, e: Entity, at: int) -> tuple[bool, Mention] | None:
        """The latest usable mention of ``e`` before ``at`` (True), else the soonest after
        (False); 400 mentions each way at most, so run-on text stays linear."""
        i = bisect.bisect_left(self.starts, at)
        for m in reversed(self.mentions[max(0, i - 400):i]):
            if m.entity is e and self._usable(m, at):
                return True, m
        for m in self.mentions[i:i + 400]:
            if m.entity is e and self._usable(m, at):
                return False, m
        return None

    def _recency(self, e: Entity, at: int) -> tuple[bool, int]:
        """Sort key: mentioned before ``at`` (latest first), else soonest after."""
        found = self._nearest_mention(e, at)
        if found is None:
            return False, -len(self.doc.text) - 1
        before, m = found
        return (True, m.start) if before else (False, -m.start)

    def _last_mention(self, e: Entity, at: int) -> tuple[int, int] | None:
        found = self._nearest_mention(e, at)
        return None if found is None else (found[1].start, found[1].end)

    def _recent_body(self, span: Span, place: bool) -> tuple[Entity, tuple[int, int]] | None:
        """ "The bank" with no body named a bank: the salient body of the last sentences."""
        best = None
        head = _same_role(span.root.lemma_.lower())
        kinds = BODY_KIN.get(head, {head})
        for dist, m in self._recent(span, 3):
            if m.entity.kind is not SpeakerKind.ORGANISATION:
                continue
            own = _type_word_of(m.entity.name)
            if own and own not in kinds and head not in m.entity.roles and _other_kind(own, head):
                continue  # "the network" is no "Daily Chronicle"
            label = self.sdoc.char_span(m.start, m.end, alignment_mode="expand")
            is_place = label is not None and label.root.ent_type_ == "GPE"
            if place and not is_place:
                continue
            # a body tagged as a place ("the VA" read as Virginia) only if nothing else fits
            cost = dist + SALIENCE_COST[m.salience] + 2.0 * (is_place != place)
            key = (cost, -m.start)
            if best is None or key < best[0]:
                best = (key, m)
        if best is None or best[0][0] > 4.0:
            return None
        m = best[1]
        return m.entity, (m.start, m.end)

    def _document_issuer(self, head: str, at: int, sentence: int | None = None
                         ) -> tuple[Entity, tuple[int, int]] | None:
        """ "The poll": whoever issued the document the text just named ("a recent Reuters
        survey. The study found" -> Reuters), else the last one of the same kind or family,
        and only then one named later."""
        def last_before(kind: str) -> tuple[int, Span, int] | None:
            seen = self.doc_authors.get(kind, [])
            i = bisect.bisect_left(self.doc_starts.get(kind, []), at)
            return seen[i - 1] if i else None

        near, kin = [], []
        for k in self.doc_authors:
            if k == head or _one_family(k, head):
                a = last_before(k)
                if a is not None:
                    kin.append(a)
                    if sentence is not None and 0 <= sentence - a[2] <= 3:
                        near.append(a)
        seen = self.doc_authors.get(head, [])
        before = last_before(head)
        pick = max(near, key=lambda a: a[0]) if near else (
            before if before is not None else max(kin, key=lambda a: a[0]) if kin else (
                seen[0] if seen else None))
        if pick is None:
            return self._speaking_body(at, sentence)
        return self._issuer(pick[1], at)

    def _issuer(self, author: Span, at: int) -> tuple[Entity, tuple[int, int]] | None:
        """The entity (or group of several) that issued a document, from its author span."""
        group = self._issuers(author, at)
        if group is not None:
            return group, (author.start_char, author.end_char)
        kind, named, name, _title, _role = classify(author)
        if not named:
            return None
        if kind is SpeakerKind.PERSON:
            e = self.ents.person(name, at)
        else:
            e = self.ents.person(name, at, create=False) if len(name.split()) == 1 else None
            e = e if e is not None and e.first else self.ents.body(name)
        if e is None:
            return None
        return e, (author.start_char, author.end_char)

    def _document_ahead(self, head: str, span: Span) -> tuple[Entity, tuple[int, int]] | None:
        """ "A new poll shows X. The latest Reuters poll ...": an unnamed document is the
        one of its kind whose issuer the next sentences name."""
        at, here = span.start_char, self.sent_of[span.start]
        ahead = []
        for k, seen in self.doc_authors.items():
            if k == head or _one_family(k, head):
                i = bisect.bisect_right(self.doc_starts[k], at)
                if i < len(seen) and seen[i][2] - here <= 3:
                    ahead.append(seen[i])
        if not ahead:
            return None
        return self._issuer(min(ahead, key=lambda a: a[0])[1], at)

    def _issuers(self, author: Span, at: int) -> Entity | None:
        """A document issued by several ("a Reuters/Ipsos poll", "a study by Harvard and
        Yale"): one group entity with each issuer a member; None for a single issuer."""
        parts: list[str] = _slash_names(author)
        if len(parts) < 2:
            spans = self._conjuncts(author)
            parts = [_plain(p, True) for p in spans] if len(spans) > 1 else []
        if len(parts) < 2:
            return None
        members = []
        for name in parts:
            e = self.ents.person(name, at, create=False)
            e = e if e is not None and e.first else self.ents.body(name)
            if e is None:
                return None
            members.append(e)
        key = " + ".join(m.name for m in members)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = Entity(SpeakerKind.GROUP, key, members=members)
        return group

    def _speaking_body(self, at: int, sentence: int | None
                       ) -> tuple[Entity, tuple[int, int]] | None:
        """ "X said ... According to the data": a document no one is named for is the
        body that spoke in the sentence before."""
        if sentence is None:
            return None
        i = bisect.bisect_left(self.starts, at)
        for m in reversed(self.mentions[max(0, i - 20):i]):
            if sentence - m.sentence > 1:
                break
            if m.salience == 0 and m.entity.kind is SpeakerKind.ORGANISATION and not m.region \
                    and not m.entity.place:
                return m.entity, (m.start, m.end)
        return None

    # -- headlines --

    def _resolve_headline(self, att: Attribution, span: Span) -> None:
        """A title-case headline: only what the body names, or a document's issuer."""
        src = att.source
        assert src is not None
        words = [_fold(t.text) for t in span if t.is_alpha]
        role = _same_role(span.root.lower_)
        # any noun the body makes one person's title or apposition: "Pastor Wants ...",
        # "Former Ames Pollster Says ..." (role lists never hold every trade); the
        # phrase's head decides before a name that only modifies it
        holders = [e for e in self.ents.by_role.get(role, [])[:MAX_CANDIDATES] if e.count
                   and e.kind is SpeakerKind.PERSON] if span.root.pos_ in ("NOUN", "PROPN") \
            and role not in DOC_HEADS and role not in ORG_TYPE_WORDS \
            and _fold(span.root.text) not in self.ents.people else []
        full_name = any(len(e) > 1 for e in _ents_in(span) if e.label_ in PERSON_ENTS)
        if len(holders) == 1 and not full_name:  # "Judge Rejects ...": the one judge named
            src.speaker = holders[0].as_speaker()
            return
        for w in reversed(words):
            for e in self.ents.people.get(w, []):
                if e.count:
                    src.speaker = e.as_speaker()
                    return
        key = " ".join(w for w in words if w != "the")
        body = self.ents.bodies.get(key) or self.ents.acronyms.get(key)
        if body is not None and body.count:
            src.speaker = body.as_speaker()
            return
        if span.root.pos_ == "PROPN":  # the model's types mean little in title case
            body = self._body_named_apart(_plain(span, True), span)
            if body is not None:
                src.speaker = body.as_speaker()
                return
        for t in reversed(span):
            lemma = t.lemma_.lower()
            if lemma in DOC_HEADS or t.lower_ in DOC_HEADS:
                found = self._document_issuer(lemma if lemma in DOC_HEADS else t.lower_,
                                              self.ctx.headline_end, None)
                if found is not None:
                    src.speaker = found[0].as_speaker()
                    return
        if len(holders) == 1:
            src.speaker = holders[0].as_speaker()
            return
        src.speaker = None  # headline words are no speaker


def _is_title(sdoc: Doc, start: int, end: int, title_case: bool) -> bool:
    """Whether a first paragraph is written as a title, not as a lede: short, and
    title-case, or without a closing stop, or one sentence not in the past tense
    ("Teachers' union backs the levy.", as headlines report); a lede reports in the
    past ("Acme Workers Union said on Monday ...") and names a body in full. (A title's
    present-tense verb is often mistagged as a plural noun, so no tense is required.)"""
    span = sdoc.char_span(start, end, alignment_mode="expand")
    if span is None or not 0 < len(sdoc.text[start:end].split()) <= TITLE_MAX_WORDS:
        return False
    if title_case or sdoc.text[start:end].rstrip()[-1:] not in (".", "!", "?"):
        return True
    sents = list(span.sents)
    return len(sents) == 1 and sents[0].root.tag_ not in ("VBD", "VBN")


def _relative_antecedent(tok: Token) -> Token | None:
    """ "X, who said": the noun the relative clause hangs on."""
    verb = tok.head
    for _ in range(3):
        if verb.dep_ == "relcl":
            return verb.head
        if verb.head is verb:
            break
        verb = verb.head
    return None


def resolve_speakers(doc: Document, sdoc: Doc, sent_of: list[int]) -> None:
    """Fill ``source.speaker`` (and ``members``) of every attribution and the speaker list.

    Resolution reads the entities as the whole document types them (see
    :func:`_retyped_ents`); the parse's own entities are put back afterwards.
    """
    ctx = _context(doc, sdoc, sent_of)
    with _typed_by_document(sdoc, ctx.headline_end):
        speakers = Resolver(ctx, sent_of).run()
    doc.speakers = _dedupe(speakers)


@contextmanager
def _typed_by_document(sdoc: Doc, after: int) -> Iterator[None]:
    """The document's entities retyped (:func:`_retyped_ents`) while resolution reads
    them; the parse's own are put back after, so assessment and gender see the parse."""
    given = sdoc.ents
    retyped = None
    try:
        retyped = _retyped_ents(sdoc, after)
        if retyped is not None:
            try:
                sdoc.ents = retyped
            except ValueError:  # overlapping spans: read the parse's own entities
                sdoc.ents, retyped = given, None
        yield
    finally:
        sdoc.user_data.pop(_ENTS_KEY, None)
        if retyped is not None:
            sdoc.ents = given


NON_PERSON_ENTS = frozenset({"ORG", "NORP", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})


def _missed_names(sdoc: Doc, after: int) -> list[Span]:
    """ "The Herald's Olive Hargrove asked": a known first name and a capitalised word,
    proper nouns the entity model left out (the small model misses many), from
    ``after`` on (a title-case headline makes any two words look like a name)."""
    out = []
    for m in _FULL_NAME.finditer(sdoc.text, after):
        span = sdoc.char_span(m.start(), m.end())
        if span is None or len(span) < 2 or any(t.ent_type_ for t in span) or any(
                t.pos_ != "PROPN" and t.text != "." for t in span):
            continue
        if first_name_gender(span[0].text) is None:
            continue
        if _in_longer_name(sdoc, span.start, span.end):
            continue
        out.append(Span(sdoc, span.start, span.end, label="PERSON"))
    return out


def _owned_name(ent: Span, people: frozenset[str] = frozenset()) -> int | None:
    """Where a full personal name starts inside a body's entity that ends with it after a
    possessive ("The Daily Courier's Megan Ashby": the model often takes in the
    reporter) or, when the document names that person elsewhere (``people``: lower-cased
    full names), right after the body's name ("Chief Inspector of Building Safety Megan
    Ashby": the office's body and its holder as one ORG), else None."""
    for k in range(ent.start + 1, ent.end - 2):
        if ent.doc[k].text in _POSSESSIVE:
            rest = ent.doc[k + 1 : ent.end]
            if len(rest) <= 3 and all(t.pos_ == "PROPN" for t in rest) \
                    and first_name_gender(rest[0].text) is not None:
                return k + 1
            return None
    k = ent.end - 2  # no possessive: a known first name and a surname closing a longer body
    body = ent.doc[ent.start : k]
    if sum(t.pos_ != "DET" for t in body) >= 2 and ent.doc[k : ent.end].text.lower() in people \
            and all(t.pos_ == "PROPN" for t in ent.doc[k : ent.end]) \
            and ent.doc[ent.end - 1].text[:1].isupper() \
            and first_name_gender(ent.doc[k].text) is not None \
            and first_name_gender(body[-1].text) is None \
            and not all(t.text in TITLE_WORDS for t in body) \
            and body[-1].pos_ in ("PROPN", "NOUN") and body[-1].text not in ("&", "and"):
        return k
    return None


def _retyped_ents(sdoc: Doc, after: int) -> tuple[Span, ...] | None:
    """The entities with each person typed as the whole document types them.

    The small NER model types each mention on its own: "Ann Hale, 67, said" is a
    PERSON, the later "Hale said" an ORG, and some full names it misses
    altogether. Missed full names (:func:`_missed_names`) are added; a non-person
    entity whose words (a possessive "'s" aside) are a name the document tags as a
    PERSON elsewhere, or the surname of such a full name, is that person. A place
    keeps its type unless the very same words are a PERSON elsewhere ("Washington"
    the city stays a place beside "George Washington"). None when nothing changes.
    """
    missed = _missed_names(sdoc, after)
    ents = sdoc.ents
    people = frozenset(e.text.lower() for e in [*ents, *missed] if e.label_ in PERSON_ENTS)
    owned = [(e, k) for e in ents if e.label_ in NON_PERSON_ENTS
             for k in [_owned_name(e, people)] if k is not None]
    if owned:  # "The Daily Courier's Megan Ashby" as one ORG: the paper, then its reporter
        split = {e.start for e, _ in owned}
        ents = tuple(e for e in ents if e.start not in split)
        for e, k in owned:
            missed += [Span(sdoc, e.start, k, label=e.label_), Span(sdoc, k, e.end, label="PERSON")]
    if missed:
        ents = tuple(sorted([*ents, *missed], key=lambda e: e.start))
    names: set[str] = set()
    surnames: set[str] = set()
    for ent in ents:
        if ent.label_ in PERSON_ENTS:
            words = [t.text for t in ent if t.text not in _POSSESSIVE]
            if words:
                names.add(" ".join(words).lower())
                if len(words) > 2 and _fold(words[-1]) in GENERATIONS:
                    words = words[:-1]  # "Trump Jr.": the surname is Trump
                if len(words) > 1 and words[-1][:1].isupper():
                    surnames.add(words[-1].lower())
    if not names:
        return None
    out, changed = [], bool(missed)
    covered = {i for e in missed for i in range(e.start, e.end)}  # untagged in the parse
    # "Hale, a Cole supporter, said": a known surname left untagged (found in the string:
    # walking every token of a long document costs more than the rest of this)
    for t in _single_tokens(sdoc, sdoc.text, _alternation(surnames, re.IGNORECASE), after):
        if t.pos_ == "PROPN" and not t.ent_type_ and t.i not in covered \
                and not _in_longer_name(sdoc, t.i, t.i + 1):
            out.append(Span(sdoc, t.i, t.i + 1, label="PERSON"))
    if out:
        ents = sorted([*ents, *out], key=lambda e: e.start)
        out, changed = [], True
    for ent in ents:
        if ent.label_ in NON_PERSON_ENTS or ent.label_ in PLACE_ENTS:
            end = ent.end - 1 if len(ent) > 1 and ent[-1].text in _POSSESSIVE else ent.end
            key = sdoc[ent.start:end].text.lower()
            if key in names or (ent.label_ in NON_PERSON_ENTS and end - ent.start == 1
                                and key in surnames):
                out.append(Span(sdoc, ent.start, end, label="PERSON"))
                changed = True
                continue
        out.append(ent)
    return tuple(out) if changed else None


def _dedupe(speakers: list[Speaker]) -> list[Speaker]:
    """One Speaker object per (name, kind); attributions share it by id."""
    table: dict[tuple[str, str], Speaker] = {}
    for sp in speakers:
        key = (sp.name.lower(), sp.kind.value)
        if key not in table:
            sp.id = f"s{len(table) + 1}"
            table[key] = sp
        else:
            known = table[key]
            sp.id = known.id
            known.title = known.title or sp.title
            known.role = known.role or sp.role
            known.named = known.named or sp.named
    return list(table.values())
