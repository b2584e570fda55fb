"""Speaker identity across documents: which mentions name the same entity.

Within a document :mod:`whosaid.resolve` already gives every mention of one
person the fullest name seen ("Stoltenberg" -> "Jens Stoltenberg"). This module
decides which *document* speakers are one corpus entity, with no database
imports, so the policy can be tested and reused on its own. The store calls
:func:`mention_key` for every document speaker and :func:`surname_evidence` to
attach bare surnames; see docs/corpus.md for the policy and its reasons:

* a full name ("Jens Stoltenberg", "NATO Secretary General Jens Stoltenberg",
  "Jens Stoltenberg's") is keyed by first and last name, so titles, middle
  initials and suffixes do not split a person; spelling variants are joined
  with rapidfuzz when the surnames agree and the first names are compatible
  ("J." and "Jens"), never when the first names differ ("Mark Kelly" is not
  "Scott Kelly");
* a bare surname ("Stringer") joins a full-name person only on evidence: that
  person's full name appears in the same document, or a unique person with the
  surname shares its title or role. Without evidence it stays a speaker of its
  own document, so two different Stringers in two articles are never merged
  by accident;
* named organisations are keyed by their folded name ("organisation:nato");
  unnamed speakers (groups, anonymous sources, "the company") by kind and
  wording within their document only ("group:critics@<doc>"): the same vague
  words in two articles are not evidence of one entity.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from whosaid.extract.lexicon import TITLE_WORDS
from whosaid.model import SpeakerKind

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# abbreviations that name the same rank or office, for title evidence
TITLE_ALIASES = {
    "gen": "general", "lt": "lieutenant", "col": "colonel", "maj": "major",
    "adm": "admiral", "capt": "captain", "sgt": "sergeant", "sen": "senator",
    "rep": "representative", "gov": "governor", "prof": "professor", "rev": "reverend",
    "dr": "doctor", "pres": "president",
}
# occupations written in front of a name like a title: "astronaut Scott Kelly"
OCCUPATIONS = frozenset("""
actor actress analyst astronaut attorney author coach commentator correspondent critic
economist editor executive historian journalist lawyer officer pastor physician pilot
player researcher scientist singer spokesman spokeswoman spokesperson writer candidate
activist adviser advisor businessman businesswoman chef comedian columnist nominee
""".split())
COURTESY = frozenset({"mr", "mrs", "ms", "miss", "former", "acting"})
NAME_MATCH = 90  # rapidfuzz ratio for two spellings of one surname or first name
ROLE_MATCH = 85  # token_set_ratio for two appositions naming one role
_TITLES_LOWER = frozenset(t.lower().rstrip(".") for t in TITLE_WORDS)
_TITLES_BARE = frozenset(t.rstrip(".") for t in TITLE_WORDS)
# "Donald " or "George H. " right before the initial found in front of a surname
_BEFORE_INITIALS = re.compile(r"\b([A-Z][\w’'-]+)((?:[ \t]+[A-Z]\.)*)[ \t]+$")
# capitalised words that start sentences or name dates, never a first name
NOT_FIRST_NAMES = frozenset("""
A An And As At But By During For From He If In It Its Last Mr Mrs Ms Next Now Of On Or
She So That The Their Then There They This Those Though Under When While With Yet
After Also Before Both Can Could Did Do Does Even Had Has Have How Is Like Only Should
Since Still Unlike Until Was Were What Where Whether Which Who Why Will Would
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
May June July August September October November December
""".split())


def fold(text: str) -> str:
    """Lowercase, strip accents and possessives, keep letters, digits, spaces, hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "", text.lower())
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.replace("_", " ").split())


def person_name(name: str) -> str:
    """A person's name as written, without what precedes it: titles, acronyms, occupations.

    "NATO Secretary General Jens Stoltenberg" -> "Jens Stoltenberg".
    """
    raw = re.sub(r"['’]s\b", "", name).split()
    while len(raw) > 1 and (raw[0].rstrip(".,").lower() in _TITLES_LOWER | OCCUPATIONS
                            or (raw[0].isalpha() and raw[0].isupper() and len(raw[0]) > 1)
                            or raw[0][:1].islower()):
        raw = raw[1:]
    return " ".join(raw)


def name_tokens(name: str) -> list[str]:
    """A person's name as folded tokens, titles, initials-in-the-middle and suffixes dropped."""
    tokens = fold(person_name(name)).split()
    while len(tokens) > 1 and tokens[-1] in SUFFIXES:
        tokens = tokens[:-1]
    if len(tokens) > 2:  # "donald j trump" -> "donald trump"; "hillary rodham clinton" too
        tokens = [t for t in tokens[:-1] if len(t) > 1] + tokens[-1:]
    if len(tokens) > 2:
        tokens = [tokens[0], tokens[-1]]
    return tokens


def norm_title(title: str | None) -> frozenset[str]:
    """A title as a set of canonical words: "Lt. Gen." == "Lieutenant General"."""
    if not title:
        return frozenset()
    words = {TITLE_ALIASES.get(w, w) for w in fold(title).split()}
    return frozenset(words - COURTESY)


@dataclass
class Mention:
    """One document speaker, as the store sees it."""

    name: str
    kind: SpeakerKind
    named: bool
    title: str | None = None
    role: str | None = None
    document: str = ""  # the document's hash: scopes surname-only speakers
    evidence: list[str] = field(default_factory=list)  # full names with the surname in the text


def is_personal(m: Mention) -> bool:
    """Named mentions that may be people (the small NER model often says ORG for a surname)."""
    return m.named and m.kind in (SpeakerKind.PERSON, SpeakerKind.UNKNOWN)


def full_name_key(tokens: list[str]) -> str:
    return "person:" + " ".join(tokens)


def mention_key(m: Mention) -> str:
    """The corpus key of a mention before fuzzy matching and overrides.

    Full names -> ``person:first last``; a bare person surname with exactly one
    full name in its document -> that person; otherwise a bare surname is
    scoped to its document (``person?:stringer@<doc>``). Unnamed speakers and
    organisations are keyed by kind and folded wording.
    """
    if is_personal(m):
        tokens = name_tokens(m.name)
        if len(tokens) >= 2:
            return full_name_key(tokens)
        if tokens and m.kind is SpeakerKind.PERSON:
            full = {tuple(name_tokens(e)) for e in m.evidence}
            full = {t for t in full if len(t) >= 2 and t[-1] == tokens[0]}
            if len(full) == 1:
                return full_name_key(list(full.pop()))
            return f"person?:{tokens[0]}@{m.document[:16]}"
        if tokens:  # one PROPN word the NER did not call a person: shared like an org
            return f"unknown:{tokens[0]}"
    if not m.named:
        # "the company", "officials", "a source familiar with the talks": the same
        # words in two articles rarely mean the same entity, so never across documents
        return f"{m.kind.value}:{fold(m.name)}@{m.document[:16]}"
    return f"{m.kind.value}:{fold(m.name)}"


def is_surname_only(key: str) -> bool:
    return key.startswith("person?:")


def surname_of_key(key: str) -> str:
    body = key.split(":", 1)[1]
    return body.split("@", 1)[0].split()[-1]


def display_name(m: Mention) -> str:
    """A mention's name without title or possessive, as shown for a new speaker."""
    name = m.name.strip()
    if is_personal(m):
        return person_name(name) or name
    return re.sub(r"['’]s$", "", name) or name


def first_names_compatible(a: str, b: str) -> bool:
    """"j" matches "jens"; "jens" and "jen" match by spelling; "mark" never "scott"."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b or fuzz.ratio(a, b) >= NAME_MATCH


def match_full_name(key: str, known: Iterable[str]) -> str | None:
    """An existing person key that spells the same full name (``key`` itself first).

    Surnames must agree (exactly, or by rapidfuzz ratio for a misspelling) and
    first names must be compatible; ties are refused rather than guessed.
    """
    known = list(known)
    if key in known:
        return key
    first, last = key.removeprefix("person:").split()[0], key.split()[-1]
    hits = []
    for other in known:
        if not other.startswith("person:"):
            continue
        parts = other.removeprefix("person:").split()
        if len(parts) < 2:
            continue
        same_last = parts[-1] == last or (
            min(len(last), len(parts[-1])) >= 5 and fuzz.ratio(parts[-1], last) >= NAME_MATCH)
        if same_last and first_names_compatible(first, parts[0]):
            hits.append(other)
    if len(hits) == 1:
        return hits[0]
    return None


@dataclass
class PersonProfile:
    """What the corpus knows of one full-name person: evidence for surname mentions."""

    key: str
    titles: set[frozenset[str]] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)


def surname_evidence(m: Mention, surname: str,
                     people: Iterable[PersonProfile]) -> str | None:
    """The one full-name person a bare surname mention can be attached to, if any.

    Evidence is a shared title ("Gen." ~ "Lieutenant General" share "general")
    or a shared apposition role; more than one candidate is ambiguous: None.
    """
    title = norm_title(m.title)
    role = fold(m.role or "")
    hits = []
    for p in people:
        if p.key.split()[-1] != surname:
            continue
        title_match = bool(title) and any(title & t for t in p.titles)
        role_match = bool(role) and any(
            fuzz.token_set_ratio(role, r) >= ROLE_MATCH for r in p.roles)
        if title_match or role_match:
            hits.append(p.key)
    return hits[0] if len(hits) == 1 else None


def _not_a_first_name(word: str) -> bool:
    """Titles, occupations, sentence starters, dates and acronyms ("Gen", "Did", "NATO")."""
    return (word in _TITLES_BARE or word in NOT_FIRST_NAMES or word.lower() in OCCUPATIONS
            or (word.isupper() and len(word) > 1))


def full_names_in_text(text: str, surname: str) -> list[str]:
    """Capitalised names ending in ``surname`` in a text: co-occurrence evidence.

    "Gen. Johnny Stringer" -> "Johnny Stringer"; titles and occupations in front
    are dropped ("Candidate Trump" is no evidence). A middle initial keeps the
    first name before it: "Donald J. Trump", not "J. Trump".
    """
    pattern = re.compile(r"\b([A-Z][\w’'-]*\.?)[ \t]+" + re.escape(surname) + r"\b")
    found: list[str] = []
    for match in pattern.finditer(text):
        first = match.group(1)
        bare = first.rstrip(".")
        if _not_a_first_name(bare):
            continue
        if len(bare) == 1:  # an initial: the first name may come before it
            before = _BEFORE_INITIALS.search(text[max(0, match.start() - 60):match.start()])
            if before and not _not_a_first_name(before.group(1)):
                first = f"{before.group(1)}{before.group(2)} {first}"
        name = f"{first} {surname}"
        if name not in found:
            found.append(name)
    return found
