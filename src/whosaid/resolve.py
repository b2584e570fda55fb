"""Resolve: who is behind each source mention.

Three jobs, all within one document (merging across documents belongs to the
corpus store): classify the mention (person, organisation, vague group,
anonymous), resolve pronouns to an earlier person ("He noted" -> the general
named in the previous sentence), and give mentions of one entity one speaker
with the fullest name seen ("Stoltenberg" -> "Jens Stoltenberg"), keeping
titles and apposition roles.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from whosaid.extract.lexicon import (
    ANONYMITY_MARKERS,
    ANONYMOUS_HEADS,
    ORG_HEADS,
    TITLE_WORDS,
    VAGUE_HEADS,
)
from whosaid.model import Attribution, Document, Speaker, SpeakerKind
from whosaid.model import Span as TextSpan

PRONOUNS_PERSON = frozenset({"he", "she", "him", "her", "i", "me"})
PRONOUNS_GROUP = frozenset({"they", "them", "we", "us"})
PRONOUNS_THING = frozenset({"it"})
VAGUE_PRONOUNS = frozenset({"some", "many", "others", "few", "most", "several", "someone",
                            "somebody", "anyone", "everyone", "people"})
PERSON_ENTS = frozenset({"PERSON"})
ORG_ENTS = frozenset({"ORG", "GPE", "NORP", "FAC"})
MAX_BACK_SENTENCES = 6
DOCUMENT_HEADS = frozenset("""
report study statement survey analysis poll estimate review investigation memo letter
filing audit assessment document paper release briefing
""".split())


@dataclass
class Mention:
    """A candidate antecedent: a named person or organisation in the text."""

    start: int
    end: int
    name: str
    kind: SpeakerKind
    sentence: int
    salience: int  # 0 = was a source, 1 = a grammatical subject, 2 = other


def _head(span: Span) -> Token:
    return span.root


def _strip_title(tokens: list[Token]) -> tuple[str, str | None]:
    """Split "Lieutenant General Johnny Stringer" into name and title."""
    words = [t for t in tokens if not t.is_punct or t.text == "."]
    i = 0
    while i < len(words) - 1 and words[i].text in TITLE_WORDS:
        i += 1
    title = " ".join(t.text for t in words[:i]) or None
    name = " ".join(t.text for t in words[i:])
    return name.removesuffix("’s").removesuffix("'s").strip(), title


def _entity_in(span: Span, labels: frozenset[str]) -> Span | None:
    ents = [e for e in span.ents if e.label_ in labels]
    return max(ents, key=len) if ents else None


def _author(head: Token) -> Span | None:
    """ "A report by the water authority": the speaker is who wrote the document."""
    if head.lemma_.lower() not in DOCUMENT_HEADS:
        return None
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return head.doc[obj.left_edge.i : obj.right_edge.i + 1]
    return None


def classify(span: Span) -> tuple[SpeakerKind, bool, str, str | None, str | None]:
    """(kind, named, name, title, role) of a source mention, from its words and entities."""
    head = _head(span)
    author = _author(head)
    if author is not None:
        return classify(author)
    lower = head.lower_
    role = None
    appos = [c for c in head.children if c.dep_ == "appos" and c.i < span.end]
    if appos:
        a = appos[0]
        role = span.doc[a.left_edge.i : a.right_edge.i + 1].text
    person = _entity_in(span, PERSON_ENTS)
    if person is not None and (head in person or head.pos_ == "PROPN" or appos):
        name, title = _strip_title(list(person))
        before = [t for t in span.doc[span.start : person.start] if t.text in TITLE_WORDS]
        if before and not title:
            title = " ".join(t.text for t in before)
        return SpeakerKind.PERSON, True, name, title, role
    org = _entity_in(span, ORG_ENTS)
    words = {t.lower_ for t in span}
    if lower in ANONYMOUS_HEADS or lower.rstrip("s") in ANONYMOUS_HEADS:
        return SpeakerKind.ANONYMOUS, False, _plain(span), None, role
    if lower in VAGUE_PRONOUNS or lower in VAGUE_HEADS or words & ANONYMITY_MARKERS:
        kind = SpeakerKind.ANONYMOUS if words & ANONYMITY_MARKERS else SpeakerKind.GROUP
        return kind, False, _plain(span), None, role
    if org is not None:
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
    if head.tag_ in ("NNS", "NNPS"):
        return SpeakerKind.GROUP, False, _plain(span), None, role
    return SpeakerKind.UNKNOWN, False, _plain(span), None, role


def _plain(span: Span) -> str:
    """The mention without a leading determiner, as a readable speaker name."""
    toks = list(span)
    while toks and (toks[0].pos_ == "DET" or toks[0].is_punct) and len(toks) > 1:
        toks = toks[1:]
    head = span.root
    toks = [t for t in toks if t.i <= head.i] or toks
    return span.doc[toks[0].i : toks[-1].i + 1].text


def _mentions(doc: Doc, sent_of: list[int], sources: set[int]) -> list[Mention]:
    """Named people and organisations, in text order, as pronoun antecedents."""
    out = []
    for ent in doc.ents:
        if ent.label_ in PERSON_ENTS:
            kind = SpeakerKind.PERSON
            name, _ = _strip_title(list(ent))
        elif ent.label_ in ("ORG", "NORP"):
            kind = SpeakerKind.ORGANISATION
            name = ent.text
        else:
            continue
        root = ent.root
        if any(t.i in sources for t in ent):
            sal = 0
        elif root.dep_ in ("nsubj", "nsubjpass") or root.head.dep_ in ("nsubj", "nsubjpass"):
            sal = 1
        else:
            sal = 2
        out.append(Mention(ent.start_char, ent.end_char, name, kind, sent_of[ent.start], sal))
    return out


def _antecedent(pron: Token, mentions: list[Mention], sent_of: list[int]) -> Mention | None:
    """Most salient compatible mention in the nearest earlier sentences."""
    lower = pron.lower_
    want = SpeakerKind.PERSON if lower in PRONOUNS_PERSON else SpeakerKind.ORGANISATION
    here = sent_of[pron.i]
    best: tuple[int, int, int] | None = None
    chosen = None
    for m in mentions:
        if m.start >= pron.idx or here - m.sentence > MAX_BACK_SENTENCES:
            continue
        if lower in PRONOUNS_GROUP and m.kind is SpeakerKind.PERSON:
            continue
        if lower not in PRONOUNS_GROUP and m.kind is not want:
            continue
        key = (here - m.sentence, m.salience, -m.start)
        if best is None or key < best:
            best, chosen = key, m
    return chosen


def _canonical(speakers: list[Speaker]) -> None:
    """Give mentions that share a person's surname the fullest name seen for it.

    A bare surname is often mislabelled an organisation by the small NER model
    ("Stoltenberg stated"); when the same document names a person with that
    surname, the surname mention is that person.
    """
    full: dict[str, str] = {}
    for sp in speakers:
        if sp.kind is SpeakerKind.PERSON and sp.named and sp.name.split():
            last = sp.name.split()[-1].lower()
            if len(sp.name) > len(full.get(last, "")):
                full[last] = sp.name
    for sp in speakers:
        words = sp.name.split()
        if not sp.named or not words:
            continue
        last = words[-1].lower()
        if last in full and (sp.kind is SpeakerKind.PERSON or len(words) == 1):
            sp.name = full[last]
            sp.kind = SpeakerKind.PERSON


def resolve_speakers(doc: Document, sdoc: Doc, sent_of: list[int]) -> None:
    """Fill ``source.speaker`` of every attribution and the document's speaker list."""
    sources: set[int] = set()
    spans: list[tuple[Attribution, Span]] = []
    for att in doc.attributions:
        if att.source is None:
            continue
        span = sdoc.char_span(att.source.start, att.source.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        sources.update(t.i for t in span)
        spans.append((att, span))
    mentions = _mentions(sdoc, sent_of, sources)
    speakers: list[Speaker] = []
    for att, span in spans:
        head = span.root
        src = att.source
        assert src is not None
        if len(span) == 1 and head.lower_ in PRONOUNS_PERSON | PRONOUNS_GROUP | PRONOUNS_THING:
            ante = _antecedent(head, mentions, sent_of)
            if ante is not None:
                src.speaker = Speaker(name=ante.name, kind=ante.kind, named=True)
                src.resolved_from = TextSpan(text=doc.text[ante.start:ante.end],
                                             start=ante.start, end=ante.end)
            else:
                kind = SpeakerKind.PERSON if head.lower_ in PRONOUNS_PERSON else SpeakerKind.UNKNOWN
                src.speaker = Speaker(name=head.text, kind=kind, named=False)
        else:
            kind, named, name, title, role = classify(span)
            src.speaker = Speaker(name=name, kind=kind, named=named, title=title, role=role)
            if kind is SpeakerKind.PERSON and named:
                sal = 0
                mentions.append(Mention(span.start_char, span.end_char, name, kind,
                                        sent_of[span.start], sal))
                mentions.sort(key=lambda m: m.start)
        speakers.append(src.speaker)
    _canonical(speakers)
    doc.speakers = _dedupe(speakers)


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
