"""Sourcing quality: how specific each source is, what stance each cue takes.

Extraction says *who* said *what*; readers judging a text also need to know how
well it is sourced. This module adds three things on top of an analysed
:class:`~whosaid.model.Document`, without a database or web import:

* :func:`specificity` puts every attribution in one of six classes
  (:class:`~whosaid.model.Specificity`): named person, named organisation, role
  only ("a senior official"), anonymous ("people familiar with the talks"),
  vague collective ("critics", "some argue") or unattributed (no source);
* :data:`STANCE_TABLE` is the one cue-stance table: code reads it and
  ``docs/sourcing.md`` is generated from it (:func:`stance_table_markdown`), so
  they cannot disagree;
* :func:`profile` summarises a document, or many (an outlet), as shares.

:func:`assess_document` fills all three in place; the pipeline calls it last.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from spacy.tokens import Doc, Token

from whosaid.extract.citations import according_to_citations, grade
from whosaid.model import (
    Attribution,
    Citation,
    Document,
    Resolvability,
    SourcingProfile,
    SpeakerKind,
    Specificity,
    Stance,
)

# --- cue stance ---------------------------------------------------------------

#: lemma -> stance. Cues not listed are neutral ("say", "tell", "according to").
STANCE_TABLE: dict[Stance, tuple[str, ...]] = {
    Stance.NEUTRAL: (
        "say", "tell", "state", "add", "according to", "report", "write", "explain",
        "describe", "comment", "respond", "reply", "answer", "announce", "ask", "speak",
        "mention", "remark", "statement", "remarks", "comment", "interview", "told",
    ),
    Stance.EMPHATIC: (
        "warn", "assert", "insist", "stress", "emphasise", "emphasize", "declare", "vow",
        "urge", "demand", "charge", "accuse", "slam", "blast", "decry", "underscore",
        "underline", "reiterate", "argue", "contend", "maintain", "pledge", "promise",
        "threaten", "proclaim", "boast", "tout", "condemn", "denounce", "lament",
        "warning", "assertion", "insistence", "threat", "vow", "pledge", "accusation",
    ),
    Stance.HEDGED: (
        "suggest", "believe", "think", "feel", "hint", "imply", "speculate", "guess",
        "suspect", "suppose", "claim", "allege", "estimate", "predict", "expect", "hope",
        "fear", "worry", "doubt", "consider", "view", "perspective", "belief", "opinion",
        "idea", "notion", "suggestion", "allegation", "claim", "speculation", "seem",
        "appear", "reckon", "wonder",
    ),
    Stance.FACTIVE: (
        "reveal", "confirm", "acknowledge", "admit", "concede", "disclose", "show",
        "find", "prove", "demonstrate", "establish", "learn", "discover", "note",
        "point out", "recognise", "recognize", "realise", "realize", "know", "verify",
        "revelation", "confirmation", "admission", "finding", "disclosure",
    ),
}
STANCE_GLOSS = {
    Stance.NEUTRAL: "reports the words without colouring them",
    Stance.EMPHATIC: "the source pressed the point; the verb adds force",
    Stance.HEDGED: "the content is opinion, expectation or an unproven claim",
    Stance.FACTIVE: "the verb presents the content as true",
}
_STANCE_OF: dict[str, Stance] = {}
for _stance, _lemmas in STANCE_TABLE.items():
    for _lemma in _lemmas:
        _STANCE_OF.setdefault(_lemma, _stance)

_IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "thought": "think",
              "felt": "feel", "knew": "know", "found": "find", "saw": "see",
              "spoke": "speak", "learned": "learn", "learnt": "learn", "shown": "show",
              "known": "know", "written": "write", "spoken": "speak"}


def _lemma_candidates(word: str) -> list[str]:
    """Plausible lemmas of an inflected word, most likely first (no parse needed)."""
    w = word.lower()
    out = [_IRREGULAR.get(w, w)]
    for suffix, repl in (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""),
                         ("ed", "e"), ("d", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            out.append(w[: -len(suffix)] + repl)
    if len(w) > 4 and w[-3] == w[-4] and w.endswith(("ed",)):  # "submitted" -> "submit"
        out.append(w[:-3])
    return out


def stance_of(cue: str, lemma: str | None = None) -> Stance:
    """The stance of a cue as written ("has warned", "according to"); neutral if unknown."""
    text = " ".join(cue.lower().split())
    if text in _STANCE_OF:
        return _STANCE_OF[text]
    for phrase in ("according to", "point out", "points out", "pointed out"):
        if phrase in text:
            return _STANCE_OF.get(phrase.replace("points", "point").replace("pointed", "point"),
                                  Stance.NEUTRAL)
    if lemma and lemma.lower() in _STANCE_OF:
        return _STANCE_OF[lemma.lower()]
    words = re.findall(r"[a-z]+", text)
    for word in reversed(words):  # the head is usually last: "has repeatedly warned"
        for cand in _lemma_candidates(word):
            if cand in _STANCE_OF:
                return _STANCE_OF[cand]
    return Stance.NEUTRAL


def stance_table_markdown() -> str:
    """The stance table as Markdown, the form docs/sourcing.md embeds."""
    lines = ["| stance | what it signals | cues |", "| --- | --- | --- |"]
    for stance, lemmas in STANCE_TABLE.items():
        cues = ", ".join(dict.fromkeys(lemmas))
        lines.append(f"| {stance.value} | {STANCE_GLOSS[stance]} | {cues} |")
    return "\n".join(lines) + "\n"


# --- the one source taxonomy ---------------------------------------------------

#: The only vocabulary of source classes: ``profile``, the dashboard, the API,
#: speaker kinds and docs/sourcing.md all use these, in this order.
SOURCE_CLASSES: dict[Specificity, tuple[str, str]] = {
    Specificity.NAMED_PERSON: (
        "named person", "a person the text names, or a pronoun that refers to one"),
    Specificity.NAMED_ORGANISATION: (
        "named organisation", "a named or identifiable organisation, country or document"),
    Specificity.ROLE_ONLY: (
        "role only", "people or a body described by their role, not named "
        "(\"a senior official\", \"officials\", \"the mayor\")"),
    Specificity.ANONYMOUS: (
        "anonymous", "a deliberately unidentified source (\"people familiar with the talks\")"),
    Specificity.VAGUE_COLLECTIVE: (
        "vague collective", "a broad group or an indefinite document "
        "(\"critics\", \"some argue\", \"studies\")"),
    Specificity.UNATTRIBUTED: ("unattributed", "no source at all"),
}
#: The speaker kinds each class allows; a speaker whose kind is not allowed gets
#: the first. Role only: a group when the mention is plural, else a person (or an
#: unnamed body: "a federal appeals court").
CLASS_KINDS: dict[Specificity, tuple[SpeakerKind, ...]] = {
    Specificity.NAMED_PERSON: (SpeakerKind.PERSON,),
    Specificity.NAMED_ORGANISATION: (SpeakerKind.ORGANISATION,),
    Specificity.ROLE_ONLY: (SpeakerKind.PERSON, SpeakerKind.GROUP, SpeakerKind.ORGANISATION),
    Specificity.ANONYMOUS: (SpeakerKind.ANONYMOUS,),
    Specificity.VAGUE_COLLECTIVE: (SpeakerKind.GROUP,),
    Specificity.UNATTRIBUTED: (),
}


def class_label(value: str | Specificity) -> str:
    """The readable label of a source class ("role_only" -> "role only")."""
    return SOURCE_CLASSES[Specificity(value)][0]


def kind_for(cls: Specificity, kind: SpeakerKind, *, plural: bool = False) -> SpeakerKind:
    """The speaker kind consistent with a source class: ``kind`` if allowed, else the default."""
    allowed = CLASS_KINDS[cls]
    if cls is Specificity.ROLE_ONLY:  # "officials" are a group, "the mayor" a person
        if plural:
            return SpeakerKind.GROUP
        return kind if kind in (SpeakerKind.PERSON, SpeakerKind.ORGANISATION) else \
            SpeakerKind.PERSON
    if not allowed or kind in allowed:
        return kind
    return allowed[0]


def source_class_markdown() -> str:
    """The class -> kinds table as Markdown, the form docs/sourcing.md embeds."""
    lines = ["| class | label | what it is | speaker kind |", "| --- | --- | --- | --- |"]
    for cls, (label, gloss) in SOURCE_CLASSES.items():
        kinds = " or ".join(k.value for k in CLASS_KINDS[cls]) or "(no speaker)"
        if cls is Specificity.NAMED_PERSON:
            kinds += "; several named people (\"X and Y said\"): a group of persons"
        lines.append(f"| {cls.value} | {label} | {gloss} | {kinds} |")
    return "\n".join(lines) + "\n"


def reconcile_kinds(doc: Document, sdoc: Doc | None = None) -> None:
    """Make every speaker's kind agree with the class of its sources (one taxonomy).

    A speaker quoted under several classes takes the most specific one (the
    order of :class:`Specificity`); pronoun sources say nothing about kind.
    """
    order = list(Specificity)
    best: dict[str, tuple[Specificity, bool]] = {}
    for att in doc.attributions:
        src = att.source
        if src is None or src.speaker is None or att.specificity is None:
            continue
        if src.text.strip().lower() in _ALL_PRONOUNS or src.members:
            continue  # "X and Y said" is one group speaker whose members are persons
        key = src.speaker.id or src.speaker.name
        plural = _plural(src.text, src.start, src.end, sdoc)
        if key not in best or order.index(att.specificity) < order.index(best[key][0]):
            best[key] = (att.specificity, plural)
    for sp in [*doc.speakers, *(a.source.speaker for a in doc.attributions
                                if a.source is not None and a.source.speaker is not None)]:
        found = best.get(sp.id or sp.name)
        if found is not None:
            sp.kind = kind_for(found[0], sp.kind, plural=found[1])


def _plural(text: str, start: int, end: int, sdoc: Doc | None) -> bool:
    if sdoc is not None:
        span = sdoc.char_span(start, end, alignment_mode="expand")
        if span is not None and len(span):
            return span.root.tag_ in ("NNS", "NNPS")
    words = [w.strip(".’'") for w in _WORD.findall(text.lower())]
    head = _head_word(words) if words else ""
    return head.endswith("s") and not head.endswith("ss")


# --- source specificity -------------------------------------------------------

ANON_WORDS = frozenset("""
source sources insider insiders someone somebody anonymous anonymity unnamed
unidentified
""".split())
ANON_PHRASES = ("familiar with", "close to the", "close to his", "close to her",
                "not authorized", "not authorised", "asked not to be", "declined to be named",
                "requested anonymity", "condition of anonymity", "briefed on",
                "knowledge of", "with direct knowledge", "not permitted")
# people described by what they do, named or not
ROLE_NOUNS = frozenset("""
official officials spokesman spokeswoman spokesperson spokesmen spokeswomen spokespeople
aide aides adviser advisers advisor advisors diplomat diplomats officer officers
president vice-president governor mayor minister secretary chairman chairwoman chair
director nominee candidate chief commander general senator congressman congresswoman
representative judge justice prosecutor prosecutors attorney lawyer lawyers
investigator investigators ambassador envoy negotiator negotiators manager executive
executives ceo founder author researcher scientist professor doctor physician reporter
correspondent editor anchor host strategist pollster consultant operative staffer
staffers employee employees worker member leader speaker chancellor king queen
prince premier lawmaker legislator sheriff commissioner superintendent economist
analyst expert historian witness resident neighbor neighbour mother father wife
husband son daughter friend colleague owner teacher student officer detective
trooper agent agents manager coach player surgeon nurse administrator organizer
organiser activist campaigner chairperson counsel deputy undersecretary
whistleblower partner regulator regulators authorities
""".split())
# plural roles that still point at a specific body of people ("officials said")
OFFICIAL_PLURALS = frozenset("""
officials aides advisers advisors spokesmen spokeswomen spokespeople diplomats officers
investigators prosecutors regulators authorities attorneys lawyers staffers executives
negotiators agents representatives administrators
""".split())
QUANTITY_HEADS = frozenset("""
group raft array number lot host series couple handful majority minority bunch slew
dozens hundreds thousands scores plenty range variety
""".split())
POSSESSED_VOICE = frozenset("""
account eyes view views words mind memoir book tweet tweets letter remarks statement
comments opinion
""".split())
# plurals that name a broad, uncountable group rather than people in a role
VAGUE_WORDS = frozenset("""
some many others critics observers analysts experts commentators supporters
opponents detractors skeptics sceptics pundits economists scholars voters residents
americans democrats republicans conservatives liberals progressives activists
lawmakers leaders members partners allies people everyone anyone most few several
scientists researchers historians politicians observers fans users readers viewers
parents women men americans citizens voices commentators conservatives liberals
evangelicals workers protesters protestors students teachers doctors economists
polls studies surveys reports rumors rumours lots both all labor labour
""".split())
DOC_WORDS = frozenset("""
report poll survey study analysis data figures memo letter filing document documents
statement release records record website site article story book paper review audit
briefing transcript investigation estimate estimates projection projections
research numbers model tally count census index message remarks comments notes
clip film ad ads video ruling rules bylaws journal book average footage documentary
""".split())
ORG_WORDS = frozenset("""
agency ministry department government administration campaign committee commission
council court office party company firm bank alliance union organization organisation
institute university newspaper paper network board group team police army military
service house congress senate parliament kremlin pentagon coalition foundation
center centre association federation league bureau authority authorities
regime cabinet embassy state states nation country city county school hospital
outlet magazine channel station network corporation inc co fund club caucus
district jury panel legislature assembly fbi cia nsa leadership
""".split())
PERSON_PRONOUNS = frozenset({"he", "she", "i", "me", "him", "her", "his", "hers", "my"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "us", "you", "their", "our", "your"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})
_ALL_PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | RELATIVE_PRONOUNS
_DET = frozenset({"a", "an", "one", "another", "some", "any"})
_PERSON_ENTS = frozenset({"PERSON"})
_ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC"})
_WORD = re.compile(r"[\w'’.-]+")


def specificity(att: Attribution, doc: Document | None = None,
                sdoc: Doc | None = None,
                history: list[tuple[int, Specificity]] | None = None) -> Specificity:
    """The specificity class of ``att``'s source.

    With the spaCy parse (``sdoc``) relative pronouns and entities are used;
    without it the mention's words and the resolved speaker decide, which is
    what the corpus store has.
    """
    src = att.source
    if src is None or not src.text.strip():
        return Specificity.UNATTRIBUTED
    lower = src.text.strip().lower()
    speaker = src.speaker
    if lower.removesuffix("’s").removesuffix("'s") in \
            PERSON_PRONOUNS | GROUP_PRONOUNS | RELATIVE_PRONOUNS | {"it", "its", "this"}:
        return _pronoun(att, doc, sdoc, lower.removesuffix("’s").removesuffix("'s"), history)
    if speaker is not None and speaker.named and speaker.kind is SpeakerKind.PERSON \
            and not _anonymous(lower, lower.split()):
        return Specificity.NAMED_PERSON  # resolution knows "Stoltenberg" is a person
    if sdoc is not None:
        span = sdoc.char_span(src.start, src.end, alignment_mode="expand")
        if span is not None and len(span):
            return classify_tokens(list(span), span.root, _person_words(sdoc))
    named = bool(speaker and speaker.named)
    kind = speaker.kind if speaker else SpeakerKind.UNKNOWN
    return classify_words(src.text, named=named, kind=kind)


def _pronoun(att: Attribution, doc: Document | None, sdoc: Doc | None,
             lower: str, history: list[tuple[int, Specificity]] | None = None) -> Specificity:
    """A pronoun source has the specificity of what it refers to."""
    src = att.source
    assert src is not None
    if lower in RELATIVE_PRONOUNS and sdoc is not None:
        span = sdoc.char_span(src.start, src.end, alignment_mode="expand")
        if span is not None and len(span):
            ante = _relative_antecedent(span.root)
            if ante is not None:
                return classify_tokens(_np_tokens(ante), ante, _person_words(sdoc))
    group = lower in GROUP_PRONOUNS
    if src.resolved_from is not None and src.speaker is not None and not group:
        if src.speaker.kind is SpeakerKind.PERSON:
            return Specificity.NAMED_PERSON
        return _kind_class(src.speaker.kind, named=True)
    previous = _previous_source(att, doc, history)
    if lower in PERSON_PRONOUNS:
        # "he said" with no named antecedent in reach: the last person-like
        # source, else (as in most news) a named person introduced earlier
        if previous in (Specificity.ROLE_ONLY, Specificity.ANONYMOUS):
            return previous
        return Specificity.NAMED_PERSON
    if lower in {"it", "its", "this", "which", "that"}:
        return previous if previous is Specificity.NAMED_ORGANISATION else \
            Specificity.NAMED_ORGANISATION
    if previous is not None:
        return previous
    return Specificity.VAGUE_COLLECTIVE


def _previous_source(att: Attribution, doc: Document | None,
                     history: list[tuple[int, Specificity]] | None = None) -> Specificity | None:
    """The class of the nearest earlier non-pronoun source in the document.

    ``history`` (source start, class) sorted by start, kept by assess_document,
    makes this a binary search: a scan per pronoun was quadratic on run-on text.
    """
    if att.source is None:
        return None
    if history is not None:
        i = bisect.bisect_left(history, (att.source.start,))
        return history[i - 1][1] if i else None
    if doc is None:
        return None
    best: tuple[int, Specificity] | None = None
    for other in doc.attributions:
        s = other.source
        if s is None or s.start >= att.source.start or other.specificity is None:
            continue
        if s.text.strip().lower() in PERSON_PRONOUNS | GROUP_PRONOUNS | RELATIVE_PRONOUNS:
            continue
        if best is None or s.start > best[0]:
            best = (s.start, other.specificity)
    return best[1] if best else None


def _relative_antecedent(tok: Token) -> Token | None:
    """"Trump, who said" -> Trump: the noun the relative clause hangs on."""
    verb = tok.head
    for _ in range(3):
        if verb.dep_ in ("relcl", "acl") and verb.head is not verb:
            return verb.head
        if verb.head is verb:
            break
        verb = verb.head
    return None


def _np_tokens(head: Token) -> list[Token]:
    """The noun phrase of ``head`` without its relative clause."""
    keep = [head]
    for child in head.children:
        if child.dep_ in ("relcl", "acl", "punct"):
            continue
        keep.extend(child.subtree)
    return sorted(keep, key=lambda t: t.i)


def _person_words(sdoc: Doc) -> frozenset[str]:
    """Words of the people the document names ("Donald Trump" -> Donald, Trump).

    The small NER model often tags a bare surname as an organisation or misses
    it; the same word inside a PERSON entity elsewhere in the text settles it.
    """
    cached = sdoc.user_data.get("whosaid_person_words")
    if cached is None:
        cached = frozenset(t.text for e in sdoc.ents if e.label_ in _PERSON_ENTS
                           for t in e if t.text[:1].isupper() and t.is_alpha and
                           t.lower_ not in ROLE_NOUNS)
        sdoc.user_data["whosaid_person_words"] = cached
    return cached


def classify_tokens(tokens: list[Token], root: Token,
                    person_words: frozenset[str] = frozenset()) -> Specificity:
    """Classify a parsed mention: entities and the head noun, then its words."""
    text = " ".join(t.text for t in tokens)
    lower_words = [t.lower_ for t in tokens]
    if _anonymous(text.lower(), lower_words):
        return Specificity.ANONYMOUS
    head = root
    h = head.lower_
    inside = set(tokens)
    names = [t for t in tokens if t.ent_type_ in _PERSON_ENTS or t.text in person_words]
    role_head = h in ROLE_NOUNS and head.ent_type_ not in _PERSON_ENTS
    # "the alliance's deputy commander, Johnny Stringer": apposition names the person;
    # "Clinton aides" and "Trump's spokesman" are roles, not Clinton or Trump
    if names and not role_head and (head in names or head.pos_ == "PROPN"):
        return Specificity.NAMED_PERSON
    if any(t.dep_ == "appos" and t.head is head and any(n in names for n in t.subtree)
           for t in tokens):
        return Specificity.NAMED_PERSON
    poss = [c for c in head.children if c.dep_ == "poss" and c in inside]
    if poss and h in POSSESSED_VOICE:  # "her account", "his eyes": the possessor speaks
        owner = poss[0]
        if owner.lower_ in PERSON_PRONOUNS or owner in names:
            return Specificity.NAMED_PERSON
        return classify_tokens(list(owner.subtree), owner, person_words)
    if h in QUANTITY_HEADS:  # "a group of parents", "a wide array of artists"
        return Specificity.VAGUE_COLLECTIVE
    if lower_words[0] == "no" or h in {"nobody", "none"}:
        return Specificity.VAGUE_COLLECTIVE
    if h in DOC_WORDS or _singular(h) in DOC_WORDS:
        return _document(tokens, head, names, person_words)
    if h in VAGUE_WORDS and head.ent_type_ not in _ORG_ENTS - {"NORP"}:
        return Specificity.VAGUE_COLLECTIVE
    if head.ent_type_ == "NORP":
        if head.tag_ in ("NNPS", "NNS") or h.endswith("s"):
            return Specificity.VAGUE_COLLECTIVE
        if lower_words[0] in _DET:
            return Specificity.ROLE_ONLY  # "one Republican"
        return Specificity.NAMED_ORGANISATION
    if head.ent_type_ in _ORG_ENTS and not role_head:
        return Specificity.NAMED_ORGANISATION
    if head.pos_ == "PROPN" and not role_head:
        ent = head.ent_type_
        if ent in _PERSON_ENTS:
            return Specificity.NAMED_PERSON
        if h in ORG_WORDS or any(t.lower_ in ORG_WORDS for t in tokens if t.pos_ == "PROPN"):
            return Specificity.NAMED_ORGANISATION
        if ent:
            return Specificity.NAMED_ORGANISATION
        # an unrecognised proper name: a person when it looks like "First Last"
        return Specificity.NAMED_PERSON if _looks_like_name(tokens) else \
            Specificity.NAMED_ORGANISATION
    return classify_words(text, named=False, kind=SpeakerKind.UNKNOWN, head=h,
                          plural=head.tag_ in ("NNS", "NNPS") or h in OFFICIAL_PLURALS)


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _document(tokens: list[Token], head: Token, names: list[Token],
              person_words: frozenset[str]) -> Specificity:
    """A report, poll or ad: as specific as who published it, else by determiner."""
    if names:
        return Specificity.NAMED_PERSON  # "an analysis by Lily Batchelder"
    if any(t.ent_type_ in _ORG_ENTS - {"NORP"} or (t.pos_ == "PROPN" and t is not head)
           for t in tokens):
        return Specificity.NAMED_ORGANISATION  # "a Homeland Security memo"
    inside = set(tokens)
    for prep in head.children:  # "a report by the water authority": its author's class
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from") and prep in inside:
            author = next((o for o in prep.children if o.dep_ == "pobj" and o in inside), None)
            if author is not None:
                return classify_tokens(list(author.subtree), author, person_words)
    first = tokens[0].lower_
    if first in ("the", "this", "that", "these", "those") or any(
            c.dep_ == "poss" for c in head.children):
        return Specificity.NAMED_ORGANISATION  # an identifiable document
    return Specificity.VAGUE_COLLECTIVE  # "a report", "studies", "other polls"


def _looks_like_name(tokens: list[Token]) -> bool:
    caps = [t for t in tokens if t.text[:1].isupper() and t.is_alpha]
    return 1 <= len(caps) <= 3 and not any(t.lower_ in ORG_WORDS for t in caps)


def _anonymous(lower: str, words: list[str]) -> bool:
    return bool(set(words) & ANON_WORDS) or any(p in lower for p in ANON_PHRASES) or (
        bool(words) and words[-1] in {"person", "people"} and len(words) <= 3
        and words[0] in _DET | {"two", "three", "several"})


def classify_words(text: str, *, named: bool = False, kind: SpeakerKind = SpeakerKind.UNKNOWN,
                   head: str | None = None, plural: bool | None = None) -> Specificity:
    """Classify a mention from its words and the resolved speaker's kind (no parse)."""
    lower = text.strip().lower()
    words = [w.strip(".’'") for w in _WORD.findall(lower)]
    if not words:
        return Specificity.UNATTRIBUTED
    if _anonymous(lower, words):
        return Specificity.ANONYMOUS
    if head is None:
        head = _head_word(words)
    if plural is None:
        plural = head.endswith("s") and not head.endswith("ss")
    if named and kind is SpeakerKind.PERSON:
        return Specificity.NAMED_PERSON
    if head in VAGUE_WORDS:
        return Specificity.VAGUE_COLLECTIVE
    if named and kind in (SpeakerKind.ORGANISATION, SpeakerKind.UNKNOWN):
        return Specificity.NAMED_ORGANISATION if kind is SpeakerKind.ORGANISATION or \
            any(w in ORG_WORDS for w in words) else Specificity.NAMED_PERSON
    if head in DOC_WORDS or head.rstrip("s") in DOC_WORDS:
        if plural or words[0] in _DET:
            return Specificity.VAGUE_COLLECTIVE
        return Specificity.NAMED_ORGANISATION
    if head in ROLE_NOUNS or _singular(head) in ROLE_NOUNS:
        if plural and head not in OFFICIAL_PLURALS and _singular(head) not in \
                {"official", "aide", "adviser", "advisor", "spokesman"}:
            return Specificity.VAGUE_COLLECTIVE  # "fellow physicians", "doctors"
        return Specificity.ROLE_ONLY
    if head in ORG_WORDS or _singular(head) in ORG_WORDS:
        definite = words[0] in ("the", "this", "that", "these", "those", "his", "her",
                                "its", "their", "our") or "’s" in lower or "'s" in lower
        if definite or (not plural and words[0] not in _DET):
            return Specificity.NAMED_ORGANISATION
        return Specificity.VAGUE_COLLECTIVE if plural else Specificity.ROLE_ONLY
    if kind is SpeakerKind.GROUP or plural:
        return Specificity.VAGUE_COLLECTIVE
    if kind is SpeakerKind.ANONYMOUS:
        return Specificity.ANONYMOUS
    return Specificity.ROLE_ONLY


_HEAD_STOP = frozenset({"of", "in", "at", "for", "from", "with", "who", "that", "which",
                        "on", "close", "familiar", "to", ","})


def _head_word(words: list[str]) -> str:
    """The head of an unparsed noun phrase: the last word before a modifier starts."""
    out = []
    for w in words:
        if w in _HEAD_STOP:
            break
        out.append(w)
    return (out or words)[-1]


def _kind_class(kind: SpeakerKind, *, named: bool) -> Specificity:
    return {
        SpeakerKind.PERSON: Specificity.NAMED_PERSON if named else Specificity.ROLE_ONLY,
        SpeakerKind.ORGANISATION: Specificity.NAMED_ORGANISATION,
        SpeakerKind.GROUP: Specificity.VAGUE_COLLECTIVE,
        SpeakerKind.ANONYMOUS: Specificity.ANONYMOUS,
    }.get(kind, Specificity.NAMED_ORGANISATION if named else Specificity.ROLE_ONLY)


# --- document and outlet profiles ---------------------------------------------


def assess_document(doc: Document, sdoc: Doc | None = None) -> Document:
    """Fill specificity, stance, citation grades and the profile of ``doc`` in place."""
    history: list[tuple[int, Specificity]] = []  # non-pronoun sources seen so far
    for att in doc.attributions:  # in text order, so pronouns can look back
        lemma = None
        if sdoc is not None:
            span = sdoc.char_span(att.cue.start, att.cue.end, alignment_mode="expand")
            lemma = span.root.lemma_ if span is not None and len(span) else None
        att.stance = stance_of(att.cue.text, lemma)
        att.specificity = specificity(att, doc, sdoc, history)
        src = att.source
        if src is not None and src.text.strip().lower() not in _ALL_PRONOUNS:
            bisect.insort(history, (src.start, att.specificity))
    reconcile_kinds(doc, sdoc)
    known = {(c.start, c.end) for c in doc.citations}
    extra = [c for c in according_to_citations(doc.text, doc.sentences)
             if not any(s < c.end and c.start < e for s, e in known)]
    if extra:
        doc.citations = sorted([*doc.citations, *extra], key=lambda c: (c.start, c.end))
    for cit in doc.citations:
        if cit.resolvability is None:
            cit.resolvability = grade(cit)
    doc.profile = profile([doc])
    return doc


def profile(docs: Iterable[Document]) -> SourcingProfile:
    """Counts and shares over one document or many (an outlet's)."""
    spec: Counter[str] = Counter()
    stance: Counter[str] = Counter()
    grades: Counter[str] = Counter()
    n_docs = n_sents = n_unattr = n_unsourced = n_cits = 0
    for doc in docs:
        n_docs += 1
        for att in doc.attributions:
            spec[(att.specificity or specificity(att, doc)).value] += 1
            stance[(att.stance or stance_of(att.cue.text)).value] += 1
        for cit in doc.citations:
            grades[(cit.resolvability or grade(cit)).value] += 1
        n_cits += len(doc.citations)
        n_sents += len(doc.sentences)
        n_unattr += len(unattributed_sentences(doc))
        n_unsourced += len(unattributed_sentences(doc, cited=True))
    return build_profile(spec, stance, grades, documents=n_docs, sentences=n_sents,
                         unattributed=n_unattr, unsourced=n_unsourced, citations=n_cits)


def build_profile(spec: Counter[str], stance: Counter[str], grades: Counter[str], *,
                  documents: int, sentences: int, unattributed: int, unsourced: int,
                  citations: int) -> SourcingProfile:
    """A profile from counts (shared by :func:`profile` and the corpus store)."""
    total = sum(spec.values())
    return SourcingProfile(
        documents=documents,
        attributions=total,
        specificity={s.value: spec.get(s.value, 0) for s in Specificity},
        specificity_share={s.value: round(spec.get(s.value, 0) / total, 4) if total else 0.0
                           for s in Specificity},
        stance={s.value: stance.get(s.value, 0) for s in Stance},
        sentences=sentences,
        unattributed_sentences=unattributed,
        unattributed_share=round(unattributed / sentences, 4) if sentences else 0.0,
        unsourced_sentences=unsourced,
        citations=citations,
        resolvability={g.value: grades.get(g.value, 0) for g in Resolvability},
    )


def stored_class(source: str | None, kind: str | None, named: bool | None) -> Specificity:
    """The source class of a stored statement that has no stored class (stored before it was).

    Only the words and the speaker's kind are left, so this is
    :func:`classify_words`; rows stored since then carry the class the
    pipeline gave them, which is what every reader uses.
    """
    if not source:
        return Specificity.UNATTRIBUTED
    sk = SpeakerKind(kind) if kind else SpeakerKind.UNKNOWN
    if source.strip().lower() in PERSON_PRONOUNS and named:
        return _kind_class(sk, named=True)
    return classify_words(source, named=bool(named), kind=sk)


def outlet_profiles(docs: Iterable[Sequence[Any]], atts: Iterable[Sequence[Any]],
                    cits: Iterable[Sequence[Any]]) -> dict[str, SourcingProfile]:
    """Profiles per outlet from stored rows: the same numbers as :func:`profile` of the files.

    ``docs``: (id, outlet, profile JSON or None); ``atts``: (doc id, outlet,
    source text, cue text, speaker kind, named, stored class, stored stance);
    ``cits``: (doc id, outlet, label, kind, reference). A document stored with
    its profile (the pipeline's own counts) is added as it is, so a corpus
    profile equals the per-file one; older rows are recomputed from their words
    (no parse, no sentence counts).
    """
    import json

    n_docs: Counter[str] = Counter()
    spec: dict[str, Counter[str]] = {}
    stance: dict[str, Counter[str]] = {}
    grades: dict[str, Counter[str]] = {}
    sent: dict[str, Counter[str]] = {}
    done: set[Any] = set()
    for row in docs:
        key = row[1] or "(none)"
        n_docs[key] += 1
        for table in (spec, stance, grades, sent):
            table.setdefault(key, Counter())
        stored = json.loads(row[2]) if len(row) > 2 and row[2] else None
        if stored is None:
            continue
        done.add(row[0])
        p = SourcingProfile.model_validate(stored)
        spec[key].update(p.specificity)
        stance[key].update(p.stance)
        grades[key].update(p.resolvability)
        sent[key].update({"sentences": p.sentences, "unattributed": p.unattributed_sentences,
                          "unsourced": p.unsourced_sentences})
    for row in atts:
        doc_id, outlet, source, cue, kind, named = row[:6]
        if doc_id in done:
            continue
        key = outlet or "(none)"
        cls = Specificity(row[6]) if len(row) > 6 and row[6] else \
            stored_class(source, kind, named)
        spec.setdefault(key, Counter())[cls.value] += 1
        st = row[7] if len(row) > 7 and row[7] else stance_of(cue or "").value
        stance.setdefault(key, Counter())[st] += 1
    for doc_id, outlet, label, kind, reference in cits:
        if doc_id in done:
            continue
        cit = Citation(text=label, label=label, start=0, end=0, scope=(0, 0),
                       kind=kind or "label", reference=reference)
        grades.setdefault(outlet or "(none)", Counter())[grade(cit).value] += 1
    empty: Counter[str] = Counter()
    return {o: build_profile(spec.get(o, empty), stance.get(o, empty), grades.get(o, empty),
                             documents=n_docs.get(o, 0),
                             sentences=sent.get(o, empty)["sentences"],
                             unattributed=sent.get(o, empty)["unattributed"],
                             unsourced=sent.get(o, empty)["unsourced"],
                             citations=sum(grades.get(o, empty).values()))
            for o in sorted(n_docs)}


def unattributed_sentences(doc: Document, *, cited: bool = False) -> list[tuple[int, int]]:
    """Sentences no attribution (cue, source or content) touches.

    These are the text's own assertions: the share of them is how much a reader
    must take on the writer's word. With ``cited`` a citation scope also counts
    as sourcing, which gives the *unsourced* sentences.
    """
    covered = attributed(doc)
    if cited:
        for cit in doc.citations:
            covered.append(cit.scope)
            covered.append((cit.start, cit.end))
    # sorted by start with a running maximum of ends: "does any range overlap
    # [a, b)?" is one bisect, so the check stays linear in sentences + ranges
    covered.sort()
    starts = [s for s, _e in covered]
    reach = list(itertools.accumulate((e for _s, e in covered), max))
    out = []
    for sent in doc.sentences:
        if not doc.text[sent.start:sent.end].strip(" \t\n.()[]"):
            continue
        k = bisect.bisect_left(starts, sent.end)  # ranges starting before the sentence ends
        if not (k and reach[k - 1] > sent.start):
            out.append((sent.start, sent.end))
    return out


def attributed(doc: Document) -> list[tuple[int, int]]:
    """The character ranges attributions cover (cue, source and content)."""
    out: list[tuple[int, int]] = []
    for att in doc.attributions:
        out.append((att.cue.start, att.cue.end))
        if att.source is not None:
            out.append((att.source.start, att.source.end))
        if att.content is not None:
            out.extend(att.content.fragments)
    return out


def profile_summary(p: SourcingProfile) -> str:
    """One readable line: "12 attributions: 5 named person (42%), ..."."""
    parts = [f"{n} {k.replace('_', ' ')} ({p.specificity_share[k]:.0%})"
             for k, n in p.specificity.items() if n]
    vague = p.specificity.get("vague_collective", 0) + p.specificity.get("anonymous", 0)
    cits = ", ".join(f"{n} {g}" for g, n in p.resolvability.items() if n) or "none"
    return (f"{p.attributions} attributions: {', '.join(parts) or 'none'}; "
            f"{p.specificity.get('named_person', 0)} name a person, {vague} are vague or "
            f"anonymous; {p.unattributed_sentences}/{p.sentences} sentences unattributed "
            f"({p.unsourced_sentences} with no citation either); "
            f"citations: {cits}")


def main() -> None:  # pragma: no cover - ``python -m whosaid.assess`` prints the table
    print(stance_table_markdown(), end="")


if __name__ == "__main__":  # pragma: no cover
    main()
