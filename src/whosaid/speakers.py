"""Speaker identity across documents: which mentions name the same entity.

Within a document :mod:`whosaid.resolve` already gives every mention of one
person the fullest name seen ("Stoltenberg" -> "Jens Stoltenberg"). This module
decides which *document* speakers are one corpus entity, with no database
imports, so the policy can be tested and reused on its own. The store calls
:func:`mention_key` for every document speaker and :func:`surname_evidence` to
attach bare surnames; see docs/corpus.md for the policy and its reasons:

* a full name ("Jens Stoltenberg", "NATO Secretary General Jens Stoltenberg",
  "Jens Stoltenberg's") is keyed by first and last name, so titles and middle
  initials do not split a person; a generational suffix is kept in the
  document-level key (``person:edward harmon_jr``) and splits the person only
  where the corpus shows two people (:func:`join_suffixes`: a text naming both
  forms, two suffixes of one name, conflicting middle initials); otherwise the
  suffixed name is a way of writing the plain one; spelling variants are joined
  with rapidfuzz when the surnames agree and the first names are compatible
  ("J." and "Jens", a nickname of one sex: "Joe" and "Joseph"), never when the
  first names differ ("Mark Kelly" is not "Scott Kelly") or are two known names
  ("Ivana" is not "Ivanka");
* a bare surname ("Stringer") joins a full-name person only on evidence: that
  person's full name appears in the same document, or a unique person with the
  surname shares its title or role. Without evidence it stays a speaker of its
  own document, so two different Stringers in two articles are never merged
  by accident. Bare surnames whose articles never give a first name are one
  person across documents when their texts give them one and the same title
  ("President Obama" in each) and nothing disagrees (:func:`group_by_title`);
* named organisations are keyed by their folded name ("organisation:nato");
  unnamed speakers (groups, anonymous sources, "the company") by kind and
  wording within their document only ("group:critics@<doc>"): the same vague
  words in two articles are not evidence of one entity.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from whosaid.extract.lexicon import TITLE_WORDS
from whosaid.model import SpeakerKind

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
# joins a generational suffix to the surname token of a key ("person:donald trump_jr"):
# folded names never contain it, and keys stay "first last" with the surname last
SUFFIX_MARK = "_"
_SUFFIX_WORD = r"(?:Jr|Sr|JR|SR|II|III|IV)\b\.?"
_SUFFIX_AFTER_COMMA = re.compile(r",[ \t]*(" + _SUFFIX_WORD + r")")
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
# the version of the rules :func:`read_evidence` reads a text by; the store reads the
# evidence of mentions stored under an older version again (2: generational suffixes
# kept with a full name, the one headline rule)
EVIDENCE_RULES = 2
NAME_MATCH = 90  # rapidfuzz ratio for two spellings of one surname or first name
ROLE_MATCH = 85  # token_set_ratio for two appositions naming one role
_TITLES_LOWER = frozenset(t.lower().rstrip(".") for t in TITLE_WORDS)
_TITLES_BARE = frozenset(t.rstrip(".") for t in TITLE_WORDS)
# "Donald " or "George H. " right before the initial found in front of a surname
_BEFORE_INITIALS = re.compile(r"\b([A-Z][\w’'-]+)((?:[ \t]+[A-Z]\.)*)[ \t]+$")
_INITIALS_BEFORE = re.compile(r"(?<![\w.])((?:[A-Z]\.[ \t]*)+)$")  # "G. " before "K."
# capitalised words that start sentences or name dates, never a first name
NOT_FIRST_NAMES = frozenset("""
A An And As At But By During For From He If In It Its Last Mr Mrs Ms Next Now Of On Or
She So That The Their Then There They This Those Though Under When While With Yet
After Also Before Both Can Could Did Do Does Even Had Has Have How Is Like Only Should
Since Still Unlike Until Was Were What Where Whether Which Who Why Will Would
Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
May June July August September October November December
About Above Across Against Although Among Around Because Behind Between Beyond Despite
Each Every Including Into Meanwhile Most Not Our Over Perhaps Some Through Today Tomorrow
Toward Towards Unless Upon Via Without Yesterday Your
Maybe However Instead Indeed Later Earlier Sometimes Often Just Here Otherwise Again
Besides Nor Once Soon Thus Hence Why Whatever Whenever Wherever Certainly Clearly
""".split())


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase, strip accents and possessives, keep letters, digits, spaces, hyphens."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"['’]s\b", "", text.lower())
    text = re.sub(r"[^\w\s-]", " ", text)
    return " ".join(text.replace("_", " ").split())


@lru_cache(maxsize=1 << 16)
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


@lru_cache(maxsize=1 << 16)
def known_first_name(word: str) -> bool:
    """True when a given-name lexicon knows the word: the first names whose gender
    :mod:`whosaid.names` is sure of, or the names and nicknames of the ``nicknames``
    package ("Bernie", "Chris", "Pat": given names of either sex)."""
    from whosaid.names import first_name_gender

    if first_name_gender(word) is not None:
        return True
    return fold(word) in _nickname_names()


def title_in_name(name: str) -> str | None:
    """The title words a name is written with ("President Obama, ..." -> "President")."""
    words = name.split()
    kept = person_name(name).split()
    lead = words[:len(words) - len(kept)] if kept and len(kept) < len(words) else []
    title = " ".join(w for w in lead if w.rstrip(".,").lower() in _TITLES_LOWER)
    return title or None


def name_tokens(name: str) -> list[str]:
    """See :func:`_name_tokens` (cached; the store keys every mention on each pass)."""
    return list(_name_tokens(name))


@lru_cache(maxsize=1 << 16)
def _name_tokens(name: str) -> tuple[str, ...]:
    """A person's name as folded tokens, titles and initials-in-the-middle dropped; a
    generational suffix joins the surname token ("Donald Trump, Jr." -> donald, trump_jr).

    Sentence starters and date words in front ("Did Trump", "Monday Trump") are
    dropped too, unless the lexicon knows them as given names ("Will", "May").
    """
    raw = list(_written_words(name))
    while len(raw) > 1 and raw[0].rstrip(".,") in NOT_FIRST_NAMES \
            and not known_first_name(raw[0]):
        raw = raw[1:]
    while len(raw) > 1 and raw[-1][:1].islower():
        raw = raw[:-1]
    tokens, suffix = _without_suffix(fold(" ".join(raw)).split())
    if len(tokens) > 2 and all(len(t) == 1 for t in tokens[:-1]):
        tokens = [tokens[0], tokens[-1]]  # "G. K. Butterfield": the first initial
    if len(tokens) > 2:  # "donald j trump" -> "donald trump"; "hillary rodham clinton" too
        tokens = [t for t in tokens[:-1] if len(t) > 1] + tokens[-1:]
    if len(tokens) > 2:
        tokens = [tokens[0], tokens[-1]]
    if suffix:  # "Donald Trump Jr." is not "Donald Trump": the suffix stays with the surname
        tokens[-1] = f"{tokens[-1]}{SUFFIX_MARK}{suffix}"
    return tuple(tokens)


def _written_words(name: str) -> tuple[str, ...]:
    """A person's name as written, without titles in front or what follows a comma or
    bracket ("Obama, dedicating ..."), a generational suffix after a comma kept
    ("Donald Trump, Jr."): the first steps of :func:`_name_tokens` and
    :func:`middle_initial`."""
    written = _SUFFIX_AFTER_COMMA.sub(r" \1", person_name(name))
    return tuple(re.split(r"[,(;:]", written, maxsplit=1)[0].split())


def _without_suffix(tokens: list[str]) -> tuple[list[str], str]:
    """Folded name tokens without trailing generational suffixes, and the suffix (the
    one written last: "III" of "Jr. III" is rare), or ""."""
    suffix = ""
    while len(tokens) > 1 and tokens[-1] in SUFFIXES:
        suffix = suffix or tokens[-1]
        tokens = tokens[:-1]
    return tokens, suffix


@lru_cache(maxsize=1 << 16)
def _split_person(key: str) -> tuple[str, str, str]:
    """(first name, surname without suffix, suffix) of a full-name person key: the one
    parse of a key's parts (the corpus pass asks for them in nested loops)."""
    words = key.removeprefix("person:").split()
    surname, _, suffix = words[-1].partition(SUFFIX_MARK)
    return words[0], surname, suffix


def base_surname(word: str) -> str:
    """A surname token without its generational suffix ("trump_jr" -> "trump")."""
    return word.split(SUFFIX_MARK, 1)[0]


def same_suffix(a: str, b: str) -> bool:
    """Two surname tokens carry the same generational suffix, or none."""
    return a.partition(SUFFIX_MARK)[2] == b.partition(SUFFIX_MARK)[2]


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
    common: list[str] = field(default_factory=list)  # name words the text also writes lowercase
    # titles the text writes right before a bare surname ("President" of "President
    # Obama"); None: not looked for (a mention stored before they were kept)
    titles: list[str] | None = None


def is_personal(m: Mention) -> bool:
    """Named mentions that may be people (the small NER model often says ORG for a surname)."""
    return m.named and m.kind in (SpeakerKind.PERSON, SpeakerKind.UNKNOWN)


def full_name_key(tokens: list[str]) -> str:
    return "person:" + " ".join(tokens)


def evidence_names(m: Mention, surname: str) -> set[tuple[str, ...]]:
    """The distinct full names (first, last) with ``surname`` that the document gives.

    When some of them start with a known given name, the others ("Against
    Trump", "Derelict Obama") are words in front of a surname, not people.
    """
    full = {tuple(name_tokens(e)) for e in m.evidence}
    # a bare "Trump" may be the "Donald Trump Jr." of its text; a "Trump Jr." only him
    full = {t for t in full if len(t) >= 2 and (t[-1] == surname or (
        SUFFIX_MARK not in surname and base_surname(t[-1]) == surname))}
    known = {t for t in full if known_first_name(t[0])}
    return known or full


def mention_key(m: Mention) -> str:
    """The corpus key of a mention before fuzzy matching and overrides.

    Full names -> ``person:first last``; a bare person surname with exactly one
    full name in its document -> that person; otherwise a bare surname is
    scoped to its document (``person?:stringer@<doc>``) and the corpus pass
    (:func:`attach_surname`) may attach it later. A capitalised word in front
    of a surname that is no known given name ("Derelict Obama") gives way to
    the one full name the document gives ("Barack Obama"). A one-word name the
    NER called an organisation or did not classify is a person when the
    document gives exactly one full personal name ending in it, with a first
    name the lexicon knows ("Republican Congress" is no person). Unnamed
    speakers and organisations are keyed by kind and folded wording.
    """
    if m.named and m.kind is SpeakerKind.ORGANISATION:
        tokens = fold(m.name).split()
        if len(tokens) == 1:
            full = evidence_names(m, tokens[0])
            # the NER said organisation: only a known given name makes it a person
            # ("Jens Stoltenberg"), not any capitalised word ("Republican Congress")
            if len(full) == 1 and known_first_name(next(iter(full))[0]):
                return full_name_key(list(full.pop()))
    if " + " in m.name:  # several speakers as one ("X + Y"): never one person
        return f"group:{fold(m.name)}@{m.document[:16]}"
    if is_personal(m):
        tokens = name_tokens(m.name)
        if len(tokens) >= 2 and not known_first_name(tokens[0]) and m.common:
            # "Obama Speech" in a text that also writes "speech": a word, not a surname
            tokens = [t for t in tokens if t not in m.common] or tokens
        if len(tokens) >= 2:
            if not known_first_name(tokens[0]) and len(tokens[0]) > 1:
                full = evidence_names(m, tokens[-1]) - {tuple(tokens)}
                if len(full) == 1 and known_first_name(next(iter(full))[0]):
                    return full_name_key(list(full.pop()))
            return full_name_key(tokens)
        if tokens:
            full = evidence_names(m, tokens[0])
            sex = honorific_gender([m.title, m.name])
            if len(full) == 1 and (m.kind is SpeakerKind.PERSON
                                   or known_first_name(next(iter(full))[0])) \
                    and (sex is None or gender_fits(full_name_key(list(next(iter(full)))), sex)):
                # ("Mr. Harmon" is not the Linda Harmon of its text)
                return full_name_key(list(full.pop()))
            if m.kind is SpeakerKind.PERSON:
                return f"person?:{tokens[0]}@{m.document[:16]}"
            # one PROPN word the NER did not call a person: shared like an org
            return f"unknown:{tokens[0]}"
    if not fold(m.name):  # nothing but punctuation or symbols: a speaker of its document
        return f"{m.kind.value}?:{m.name.strip()[:40]}@{m.document[:16]}"
    if not m.named:
        # "the company", "officials", "a source familiar with the talks": the same
        # words in two articles rarely mean the same entity, so never across documents
        return f"{m.kind.value}:{fold(m.name)}@{m.document[:16]}"
    return f"{m.kind.value}:{fold(m.name)}"


def is_surname_only(key: str) -> bool:
    return key.startswith("person?:")


def surname_of_key(key: str) -> str:
    words = key.split(":", 1)[1].split("@", 1)[0].split()
    return words[-1] if words else ""


def display_name(m: Mention) -> str:
    """A mention's name without title or possessive, as shown for a new speaker."""
    name = m.name.strip()
    if is_personal(m):
        return person_name(name) or name
    return re.sub(r"['’]s$", "", name) or name


@lru_cache(maxsize=1)
def _nicknames() -> Any:
    """The nickname table of the ``nicknames`` package (Apache-2.0), loaded on first use
    because reading its CSV costs a few hundred milliseconds that most runs never need."""
    from nicknames import NickNamer

    return NickNamer()


@lru_cache(maxsize=1)
def _nickname_names() -> frozenset[str]:
    table = _nicknames()
    return frozenset(table.nickname_lookup) | frozenset(table.canonical_lookup)


@lru_cache(maxsize=1 << 14)
def is_nickname(a: str, b: str) -> bool:
    """One folded given name is a nickname of the other ("joe", "joseph"; "len", "leonard").

    Only when the first-name lexicon gives both the same gender: "chris" (Christopher
    or Christine) and "pat" are no evidence of who is meant.
    """
    from whosaid.names import first_name_gender

    table = _nicknames()
    if a == b:
        return False
    if b not in table.nicknames_of(a) and a not in table.nicknames_of(b):
        return False
    sex = first_name_gender(a)
    return sex is not None and sex == first_name_gender(b)


def first_names_compatible(a: str, b: str) -> bool:
    """"j" matches "jens"; "jens" and "jen" match by spelling; "joe" matches "joseph" as
    its nickname; "mark" never "scott".

    Two close spellings that the first-name lexicon knows both are two names,
    not a misspelling: "Ivana" is not "Ivanka", "Daniel" not "Daniela".
    """
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if a == b or is_nickname(a, b) or _squeeze(a) == _squeeze(b):  # "hilary", "hillary"
        return True
    return fuzz.ratio(a, b) >= NAME_MATCH and not (known_first_name(a) and known_first_name(b))


def _squeeze(word: str) -> str:
    """A word with doubled letters written once: spellings of one name ("Phillip", "Philip")."""
    return re.sub(r"(.)\1+", r"\1", word)


def match_full_name(key: str, known: Iterable[str]) -> str | None:
    """An existing person key that spells the same full name (``key`` itself first).

    Surnames must agree (exactly, or by rapidfuzz ratio for a misspelling) and
    first names must be compatible; ties are refused rather than guessed.
    """
    known = list(known)
    if key in known:
        return key
    first, last = _split_person(key)[0], key.split()[-1]
    hits = []
    for other in known:
        if not other.startswith("person:"):
            continue
        words = other.removeprefix("person:").split()
        if len(words) < 2:
            continue
        surname = words[-1]
        same_last = surname == last or (
            min(len(last), len(surname)) >= 5 and same_suffix(surname, last)
            and fuzz.ratio(surname, last) >= NAME_MATCH)
        if same_last and first_names_compatible(first, _split_person(other)[0]):
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
        if base_surname(p.key.split()[-1]) != surname:
            continue
        title_match = bool(title) and any(title & t for t in p.titles)
        role_match = bool(role) and any(
            fuzz.token_set_ratio(role, r) >= ROLE_MATCH for r in p.roles)
        if title_match or role_match:
            hits.append(p.key)
    return hits[0] if len(hits) == 1 else None


HONORIFIC_GENDER = {"mr": "male", "mrs": "female", "ms": "female", "miss": "female",
                    "sir": "male", "madam": "female", "madame": "female"}


def honorific_gender(forms: Iterable[str | None]) -> str | None:
    """"male" or "female" from the honorifics a mention is written with ("Mr.", "Mrs.").

    Conflicting honorifics give None: the evidence is not clear.
    """
    found = {HONORIFIC_GENDER[w] for f in forms if f
             for w in fold(f).split()[:2] if w in HONORIFIC_GENDER}
    return found.pop() if len(found) == 1 else None


def gender_fits(key: str, gender: str) -> bool:
    """Whether a full-name person key may be of ``gender`` (its first name's gender
    in the lexicon is that one or unknown): "Mr." fits Mark Kelly and Jordan Kelly."""
    from whosaid.names import first_name_gender

    return first_name_gender(_split_person(key)[0]) in (gender, None)


def attach_surname(surname: str, candidates: Iterable[str], *, title: str | None = None,
                   role: str | None = None, gender: str | None = None,
                   people: dict[str, PersonProfile] | None = None,
                   hint: str | None = None) -> str | None:
    """The one person key among ``candidates`` that a bare surname names, or None.

    ``candidates`` are full-name person keys: the ones the mention's own
    document gives when it gives several, else every full-name person of the
    corpus with that surname. One candidate is taken unless the honorific
    contradicts its first name ("Mrs. Kelly" is not "Mark Kelly") or its title
    shares no word with the titles the corpus gives that person; among
    several, a shared title or role, then the honorific's gender, then ``hint``
    (the gender the document's own evidence gives the person: the pronouns
    resolved to it) must leave exactly one. Ambiguity is refused: None.
    """
    from whosaid.names import first_name_gender

    pool = sorted({c for c in candidates if base_surname(c.split()[-1]) == surname})
    if gender is not None:
        pool = [c for c in pool if gender_fits(c, gender)]
    if len(pool) == 1:
        only = people.get(pool[0]) if people is not None else None
        own = norm_title(title)
        if only is not None and own and only.titles and not any(own & t for t in only.titles):
            return None  # "President Obama" is not the one Obama the corpus calls "First Lady"
        return pool[0]
    if len(pool) > 1:
        if people is not None:
            mention = Mention(surname, SpeakerKind.PERSON, True, title, role)
            by_evidence = surname_evidence(mention, surname,
                                           [people[c] for c in pool if c in people])
            if by_evidence is not None:
                return by_evidence
        for sex in (gender, hint):
            if sex is not None:
                sure = [c for c in pool
                        if first_name_gender(_split_person(c)[0]) == sex]
                if len(sure) == 1:
                    return sure[0]
    return None


def cluster_full_names(counts: dict[str, int]) -> dict[str, str]:
    """Each full-name person key -> the key of its spelling cluster (rapidfuzz).

    The most used spelling of a person leads ("Jens Stoltenberg" over "Jens
    Stoltenbreg"); a key joins a leader only when :func:`match_full_name`
    finds exactly one, so the result does not depend on the order of ingest.
    """
    from rapidfuzz import process

    # surname -> first letter -> leader keys: compatible first names share their
    # first letter (an initial, or a misspelling further on) unless one is a nickname
    leaders: dict[str, dict[str, list[str]]] = {}
    # surnames of 5+ letters, by length: misspellings are matched on those, and a ratio
    # of 90 needs lengths within a tenth of their sum (the distance is at least the
    # difference), so only those lengths are searched
    long_names: dict[int, list[str]] = {}
    out: dict[str, str] = {}
    for key in sorted(counts, key=lambda k: (-counts[k], k)):
        last = key.split()[-1]
        first = _split_person(key)[0]
        letter = first[:1]
        near = list(leaders.get(last, {}).get(letter, ()))
        # a nickname may start with another letter ("bill", "william")
        near += [k for other, keys in leaders.get(last, {}).items() if other != letter
                 for k in keys if is_nickname(first, _split_person(k)[0])]
        if len(last) >= 5 and long_names:
            size = len(last)
            spread = 2 * size // 9 + 1  # 10 |a - b| <= a + b: |a - b| <= 2a / 9
            pool = [n for length in range(size - spread, size + spread + 1)
                    if abs(size - length) * 10 <= size + length
                    for n in long_names.get(length, ())]
            for other, _score, _ in process.extract(last, pool, scorer=fuzz.ratio,
                                                    score_cutoff=NAME_MATCH, limit=None):
                if other != last:
                    near.extend(leaders[other].get(letter, ()))
        match = match_full_name(key, near) if near else None
        if match is None:
            if last not in leaders and len(last) >= 5:
                long_names.setdefault(len(last), []).append(last)
            leaders.setdefault(last, {}).setdefault(letter, []).append(key)
            match = key
        out[key] = match
    return out



@lru_cache(maxsize=1 << 16)
def middle_initial(name: str) -> str | None:
    """The first letter of a person's middle name as written ("Joseph R. Harmon Jr." -> "r"),
    or None when the name gives none: a given name that can contradict another."""
    tokens, _ = _without_suffix(fold(" ".join(_written_words(name))).split())
    return tokens[1][0] if len(tokens) == 3 and tokens[1][:1].isalpha() else None


def join_suffixes(documents: Iterable[Iterable[str]], known: Iterable[str] = (),
                  middles: dict[str, set[str]] | None = None,
                  texts: Iterable[Iterable[str]] = ()) -> dict[str, str]:
    """Each suffixed person key -> the key it is keyed by: itself when the corpus shows
    two people, else the plain name ("person:joseph harmon_jr" -> "person:joseph harmon").

    One outlet writes "Joseph R. Harmon Jr." where others write "Joe Harmon": without
    evidence of two people the suffix is a way of writing the name, and the plain key
    then joins the plain name's spelling cluster (initials, nicknames) as usual. The
    evidence, all of it order-free, so the decision is the same however the corpus
    was ingested:

    * a document (``documents``: the person keys of each document's speakers) names a
      suffixed and an unsuffixed form with compatible first names as two speakers, or
      its text (``texts``: the keys of the full names each text writes) writes both
      forms with one and the same first name ("Edward Harmon Jr., the son of Edward
      Harmon"; a nickname there may be a quote or a headline naming the same man);
    * the corpus (``known``: every person key, evidence included) names two
      different suffixes of one name ("Jr." and "Sr.", "Jr." and "III");
    * the middle initials written with the two forms conflict (``middles``: key ->
      initials as written): "Joseph P. Harmon" is not "Joseph R. Harmon Jr.".

    The split holds for every document: a suffixed form is the son, a plain one the father.
    """
    middles = middles or {}
    written = [set(t) for t in texts]  # the full names each text writes
    keys = {k for k in known if k.startswith("person:") and len(k.split()) == 2}
    docs = [{k for k in d if k.startswith("person:") and len(k.split()) == 2}
            for d in documents]
    for d in docs:
        keys |= d
    parts = {k: _split_person(k) for k in keys.union(*written)}  # each key parsed once
    suffixed: dict[str, list[str]] = defaultdict(list)  # surname -> suffixed keys
    plain: dict[str, list[str]] = defaultdict(list)
    for k in sorted(keys):
        _, surname, suffix = parts[k]
        (suffixed if suffix else plain)[surname].append(k)
    if not suffixed:
        return {}
    # (surname, suffix, first name) of the forms the evidence keeps apart
    apart: set[tuple[str, str, str]] = set()

    def compatible(a: str, b: str) -> bool:
        return first_names_compatible(parts[a][0], parts[b][0])

    for surname, forms in suffixed.items():
        for a in forms:
            first, _, suffix = parts[a]
            if any(parts[b][2] != suffix and compatible(a, b) for b in forms):
                apart.add((surname, suffix, first))
            mine = middles.get(a, set())
            if mine and any(compatible(a, b) and middles.get(b) and not (middles[b] & mine)
                            for b in plain.get(surname, ())):
                apart.add((surname, suffix, first))
    for d in docs:
        for a in d:
            first, surname, suffix = parts[a]
            if suffix and any(not parts[b][2] and parts[b][1] == surname
                              and compatible(a, b) for b in d):
                apart.add((surname, suffix, first))
    for forms in written:
        for a in forms:
            first, surname, suffix = parts[a]
            if suffix and f"person:{first} {surname}" in forms:
                apart.add((surname, suffix, first))
    out: dict[str, str] = {}
    for surname, forms in suffixed.items():
        for k in forms:
            first, _, suffix = parts[k]
            # the evidence holds for the spellings of its first name too ("Don", "Donald")
            if any(s == surname and x == suffix and first_names_compatible(first, f)
                   for s, x, f in apart):
                out[k] = k
            else:
                out[k] = f"person:{first} {surname}"
    return out


_PARTICLES = "de|da|van|von|der|den|del|la|le|al|bin|ibn|di|du|dos|st"
_NAME_WORD = re.compile(r"^(?:[A-Z][\w’'.-]*|(?:" + _PARTICLES + r")\.?|[IVX]+|Jr\.?|Sr\.?)$")


@lru_cache(maxsize=1 << 16)
def is_name_alias(text: str | None) -> bool:
    """True for a name as written ("Jens Stoltenberg", "Mr. Obama", "NATO"), not a phrase.

    "several hundred guests, Scott (D-Va.)" and "X and Y" are phrases: an alias
    is at most six capitalised words, initials or name particles, titles
    included, with no commas, brackets, digits or conjunctions.
    """
    if not text:
        return False
    text = re.sub(r"['’]s$", "", text.strip())
    if not text or re.search(r"[,;:()\[\]\d&+/\"“”]", text):
        return False
    words = text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    if not 1 <= len(words) <= 6:
        return False
    if any(w.lower() in ("and", "or", "with", "of") for w in words) and not (
            # "the Bank of England", "Secretary of State John Kerry"
            words[0][:1].isupper() and words[-1][:1].isupper()
            and not any(w.lower() in ("and", "or", "with") for w in words)):
        return False
    body = [w for w in words if w.lower() not in ("the", "of")]
    return bool(body) and all(_NAME_WORD.match(w) for w in body)


def bare_surname(m: Mention) -> str | None:
    """The folded surname of a personal mention named by its surname alone, else None."""
    if not is_personal(m):
        return None
    tokens = name_tokens(m.name)
    return tokens[0] if len(tokens) == 1 else None


def titles_in_text(text: str, surname: str) -> list[str]:
    """The titles a text writes right before a surname ("President Obama" -> "President").

    Runs of title words ("Lt. Gen.", "Secretary of State", "former President")
    directly in front of the capitalised surname; a run that is only a courtesy
    ("Mr.", "Former") is no title. Evidence that bare surnames in articles that
    never give a first name are one person: both write "President Obama".
    """
    pattern = re.compile(r"(?<![\w’'-])" + re.escape(surname) + r"(?![\w-])", re.IGNORECASE)
    found: list[str] = []
    for match in pattern.finditer(text):
        if not match.group(0)[:1].isupper():
            continue
        before = text[max(0, match.start() - 80):match.start()]
        words = re.split(r"[ \t]+", before[before.rfind("\n") + 1:])
        if len(words) < 2 or words[-1] != "":  # the surname must follow a space
            continue
        run: list[str] = []
        for word in reversed(words[:-1]):
            bare = word.rstrip(".,")
            if word.endswith(",") or not bare:
                break
            if bare.lower() in _TITLES_LOWER or (bare == "of" and run):
                run.insert(0, word)
                continue
            break
        while run and run[0] == "of":
            run = run[1:]
        title = " ".join(run)
        if run and any(w[:1].isupper() for w in run) and norm_title(title) \
                and title not in found:
            found.append(title)
    return found


def read_evidence(text: str, m: Mention) -> Mention:
    """Fill what a mention's document text says of it (full names with its surname, name
    words written in lowercase, titles before a bare surname): the store reads it when a
    document is stored and again whenever the rules that read it change."""
    m.evidence = evidence_for(text, m)
    m.common = common_words(text, m)
    m.titles = title_evidence_for(text, m)
    return m


def title_evidence_for(text: str, m: Mention) -> list[str] | None:
    """:func:`titles_in_text` for a bare-surname mention, as its text spells the surname;
    None for every other mention (nothing to look for)."""
    surname = bare_surname(m)
    if surname is None:
        return None
    written = next((w for w in re.split(r"[,(;:]", person_name(m.name), maxsplit=1)[0].split()
                    if fold(w) == surname), surname)
    return titles_in_text(text, re.sub(r"['’]s$", "", written))


def text_title(titles: Iterable[str | None]) -> frozenset[str]:
    """The one title (normalised) that a set of title strings gives, else empty.

    Two different titles ("President", "Secretary") may be two people of one
    surname in one text: no evidence at all.
    """
    distinct = {t for t in map(norm_title, titles) if t}
    return distinct.pop() if len(distinct) == 1 else frozenset()


@dataclass
class BareUnit:
    """The mentions of one bare surname in one document, left unattached by the corpus pass."""

    key: str  # the document-level key, ``person?:surname@<doc>``
    surname: str
    title: frozenset[str]  # the one title its document gives it (see text_title), or empty
    genders: set[str] = field(default_factory=set)  # from honorifics and the text's pronouns


def group_by_title(units: Iterable[BareUnit],
                   people: Iterable[PersonProfile] = ()) -> dict[str, str]:
    """Bare surnames of different documents that are one person by their shared title.

    "President Obama" in two articles that never give a first name is one
    person. Units of one surname with the same title join under
    ``person?:surname@title:words`` when there are two or more, their gender
    evidence does not disagree ("Mr." and "Mrs."), and no full-name person of
    the corpus with that surname shares the title (then the title is no
    evidence of which person; :func:`attach_surname` has already decided).
    Returns document key -> group key for the units that join.
    """
    titled: dict[tuple[str, frozenset[str]], list[BareUnit]] = {}
    for u in units:
        if u.title:
            titled.setdefault((u.surname, u.title), []).append(u)
    taken = {(base_surname(p.key.split()[-1]), w) for p in people for t in p.titles for w in t}
    out: dict[str, str] = {}
    for (surname, title), group in titled.items():
        keys = {u.key for u in group}
        genders = set().union(*(u.genders for u in group))
        if len(keys) < 2 or len(genders) > 1 or any((surname, w) in taken for w in title):
            continue
        joined = f"person?:{surname}@title:{' '.join(sorted(title))}"
        out.update(dict.fromkeys(keys, joined))
    return out


def _not_a_first_name(word: str) -> bool:
    """Titles, occupations, sentence starters, dates and acronyms ("Gen", "Did", "NATO")."""
    return (word in _TITLES_BARE or word in NOT_FIRST_NAMES or word.lower() in OCCUPATIONS
            or (word.isupper() and len(word) > 1))


def evidence_for(text: str, m: Mention) -> list[str]:
    """Full names in ``text`` ending in the mention's surname: its co-occurrence evidence.

    Collected for named people, unclassified names and one-word organisations
    (the NER often calls a surname an organisation).
    """
    if not m.named or m.kind not in (SpeakerKind.PERSON, SpeakerKind.UNKNOWN,
                                     SpeakerKind.ORGANISATION):
        return []
    words = re.sub(r"['’]s\b", "", person_name(m.name)).replace(",", " ").split()
    while len(words) > 1 and fold(words[-1]) in SUFFIXES:
        words = words[:-1]  # "Trump Jr.": the surname is Trump
    if not words or (m.kind is SpeakerKind.ORGANISATION and len(words) > 1):
        return []
    surname = words[-1].strip(".,")
    if not surname[:1].isupper():
        return []
    return full_names_in_text(text, surname)


def common_words(text: str, m: Mention) -> list[str]:
    """The words of a person's name that the same text also writes in lowercase.

    "Speech" in "Obama Speech" when the article says "a speech": evidence that
    the word is an ordinary word the resolver took into the name.
    """
    if not is_personal(m):
        return []
    out = []
    for word in re.split(r"[,(;:]", person_name(m.name), maxsplit=1)[0].split():
        lower = fold(word)
        if len(lower) > 2 and word[:1].isupper() and re.search(
                r"(?<![\w’'])" + re.escape(lower) + r"(?![\w’'])", text):
            out.append(lower)
    return out


# words a title-case headline leaves in lower case ("Trump Says He Will Fight for Ohio")
HEADLINE_SMALL_WORDS = frozenset("""a an the and or but nor of on in at to for by with from as
vs via per into onto over up off out than if this so yet""".split())
HEADLINE_MAX_WORDS = 20
_HEADLINE_WORD = re.compile(r"(?<![\w’'])[^\W\d_][\w’'-]*")


def is_headline(line: str) -> bool:
    """Whether one line is written like a title-case headline, not a sentence.

    The one rule for headlines: at most 20 words; every word in lower case is
    a small function word ("of", "for", "with"), so a sentence's lower-case verb
    ("Mayor X and Governor Y met on Friday.") rules it out; and at least 4 of 5
    words of four letters or more are capitalised ("Derelict Obama and Clinton",
    "Trump Will Go on Offense"). :mod:`whosaid.resolve` applies the same test to
    a text's first paragraph (see docs/corpus.md); here it guards name evidence
    on any line, since a text may hold several headlines (a digest, subheads).
    """
    words = _HEADLINE_WORD.findall(line)
    if not 0 < len(words) <= HEADLINE_MAX_WORDS:
        return False
    if any(w[0].islower() and w not in HEADLINE_SMALL_WORDS for w in words):
        return False
    long_words = [w for w in words if len(w) >= 4]
    return bool(long_words) and sum(w[0].isupper() for w in long_words) >= 0.8 * len(long_words)


def _in_headline(text: str, pos: int) -> bool:
    """Whether ``pos`` lies on a line that :func:`is_headline` calls a headline."""
    start = text.rfind("\n", 0, pos) + 1
    end = text.find("\n", pos)
    return is_headline(text[start:end if end >= 0 else len(text)])


def full_names_in_text(text: str, surname: str) -> list[str]:
    """Capitalised names ending in ``surname`` in a text: co-occurrence evidence.

    "Gen. Johnny Stringer" -> "Johnny Stringer"; titles and occupations in front
    are dropped ("Candidate Trump" is no evidence). A middle initial keeps the
    first name before it: "Donald J. Trump", not "J. Trump". A headline writes
    every word capitalised, so there a word the first-name lexicon does not
    know is no first name ("Derelict Obama").
    """
    pattern = re.compile(r"\b([A-Z][\w’'-]*\.?)[ \t]+" + re.escape(surname)
                         + r"\b(?:,?[ \t]+(" + _SUFFIX_WORD + r"))?")
    found: list[str] = []
    for match in pattern.finditer(text):
        first = match.group(1)
        bare = first.rstrip(".")
        if _not_a_first_name(bare) or (len(bare) > 1 and first.endswith(".")):
            continue  # "Mexico. Ford": a sentence ends there, not an initial
        if len(bare) > 1 and not known_first_name(bare) and _in_headline(text, match.start()):
            continue  # "Derelict Obama and Clinton": a headline capitalises every word
        if len(bare) == 1:  # an initial: the first name may come before it
            before = _BEFORE_INITIALS.search(text[max(0, match.start() - 60):match.start()])
            if before and not _not_a_first_name(before.group(1)):
                first = f"{before.group(1)}{before.group(2)} {first}"
            elif more := _INITIALS_BEFORE.search(text[max(0, match.start() - 20):
                                                      match.start()]):
                first = f"{more.group(1).strip()} {first}"  # "G. K. Butterfield"
        name = f"{first} {surname}"
        if match.group(2):  # "Donald Trump Jr." is evidence of the son, not the father
            name += f" {match.group(2)}"
        if name not in found:
            found.append(name)
    return found
