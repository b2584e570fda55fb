"""Deterministic patterns that complement the tagger.

The CRF learns PolNeAR's verb-centred attributions well but rarely fires on
nominal ones ("Stoltenberg's perspective that ...", "a belief among alliance
leaders that ...", "the remarks from the leadership centred on the idea
that ..."), which briefings and reports use constantly. These rules add such
attributions only where the tagger found no cue, so they cannot undo what it
got right. They also keep citation markers out of every role.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from whosaid.extract.lexicon import CUE_NOUNS
from whosaid.extract.tagger import TaggedAttribution

NOMINAL_CUES = CUE_NOUNS - {"told", "report", "reports", "idea", "notion", "letter", "post",
                            "memo", "message", "note", "interview", "speech", "tweet"}
# Verbs that report speech or belief whatever the context, for the fallback rule.
CORE_VERBS = frozenset("""
say state argue claim warn assert note stress emphasise emphasize believe insist
contend maintain allege announce declare discuss acknowledge admit
""".split())
SOURCE_PREPS = frozenset({"from", "by", "among", "of"})
HOLDER_KINDS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def _subtree(tok: Token) -> list[int]:
    return list(range(tok.left_edge.i, tok.right_edge.i + 1))


def _np(tok: Token) -> list[int]:
    """A noun phrase without its trailing relative or prepositional clauses."""
    left = tok.left_edge.i
    right = tok.i
    return list(range(left, right + 1))


def _holder(noun: Token) -> Token | None:
    """Who holds the view or made the remarks: possessor or from/by/among-phrase."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in SOURCE_PREPS:
            objs = [c for c in child.children if c.dep_ == "pobj"]
            if objs:
                obj = objs[0]
                if child.lower_ == "of" and obj.ent_type_ not in HOLDER_KINDS:
                    continue
                return obj
    return None


def _clause(noun: Token) -> list[int] | None:
    """The content of a nominal cue: its that-clause, or what the cue noun is about."""
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp", "relcl") and any(
            c.dep_ == "mark" and c.lower_ == "that" for c in child.children
        ):
            return _subtree(child)
    for child in noun.children:
        if child.dep_ in ("acl", "ccomp") and child.pos_ in ("VERB", "AUX"):
            return _subtree(child)
    after = noun.right_edge.i + 1
    doc = noun.doc
    if after < len(doc) and doc[after].lower_ == "that" and doc[after].sent == noun.sent:
        # The parser often misattaches "a belief among X that ..."; the surface
        # order is reliable: the that-clause runs to the end of the sentence.
        end = noun.sent.end
        while end > after + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space):
            end -= 1
        return list(range(after, end))
    if noun.dep_ in ("nsubj", "nsubjpass"):
        verb = noun.head
        for child in verb.children:
            if child.dep_ == "dobj":
                return _subtree(child)
            if child.dep_ == "prep" and child.lower_ in ("on", "to", "about"):
                objs = [c for c in child.children if c.dep_ == "pobj"]
                if objs:
                    return _subtree(objs[0])
    return None


def _nominal(tok: Token) -> tuple[list[int], list[int]] | None:
    """(source, content) of a cue noun with a holder and a content clause."""
    holder = _holder(tok)
    content = _clause(tok)
    if holder is None or not content:
        return None
    source = _np(holder)
    if set(source) & set(content) or tok.i in content:
        return None
    return source, content


def nominal_attributions(doc: Doc, found: list[TaggedAttribution]) -> list[TaggedAttribution]:
    """Attributions headed by a cue noun; completes tagger cues on such nouns too."""
    by_token = {i: att for att in found for i in att.cue}
    out = []
    for tok in doc:
        if tok.pos_ != "NOUN" or tok.lemma_.lower() not in NOMINAL_CUES:
            continue
        roles = _nominal(tok)
        if roles is None:
            continue
        att = by_token.get(tok.i)
        if att is None:
            out.append(TaggedAttribution([tok.i], roles[0], [roles[1]], 0.5, "rule:nominal"))
        elif not att.content:
            att.source, att.content = roles[0], [roles[1]]
    return out


def verb_attributions(doc: Doc, found: list[TaggedAttribution]) -> list[TaggedAttribution]:
    """A reporting verb with a subject and a clause or object the tagger passed over."""
    taken = {i for att in found for i in att.cue}
    out = []
    for tok in doc:
        if tok.pos_ != "VERB" or tok.i in taken:
            continue
        if tok.lemma_.lower() not in CORE_VERBS:
            continue
        subj = [c for c in tok.children if c.dep_ == "nsubj" and c.lower_ not in ("it", "this")]
        if not subj:
            continue
        clause = [c for c in tok.children if c.dep_ == "ccomp"
                  and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)]
        if clause:
            content = _subtree(clause[0])
        elif tok.dep_ in ("relcl", "acl") and tok.head.pos_ == "NOUN":
            content = _np(tok.head)
        else:
            continue
        source = _subtree(subj[0])
        if set(source) & set(content):
            continue
        out.append(TaggedAttribution([tok.i], source, [content], 0.5, "rule:verb"))
    return out


def according_to_source(doc: Doc, found: list[TaggedAttribution]) -> None:
    """In "according to X", X is the source: the object of "to" is never content."""
    for att in found:
        cue = [doc[i] for i in att.cue]
        if len(cue) < 2 or cue[0].lower_ != "according" or cue[-1].lower_ != "to":
            continue
        objs = [c for c in cue[-1].children if c.dep_ == "pobj"]
        if not objs:
            continue
        source = _subtree(objs[0])
        if att.source == source:
            continue
        att.source = source
        taken = set(source)
        kept = [[i for i in run if i not in taken] for run in att.content]
        att.content = [r for run in kept for r in _split(run) if r]


def strip_prepositions(doc: Doc, found: list[TaggedAttribution]) -> None:
    """ "among alliance leaders" -> "alliance leaders": a source is a noun phrase."""
    for att in found:
        while len(att.source) > 1 and doc[att.source[0]].pos_ == "ADP":
            att.source = att.source[1:]


def relative_clause_content(doc: Doc, found: list[TaggedAttribution]) -> None:
    """ "a paradox that observers discuss": the noun a reporting clause modifies is its content."""
    for att in found:
        if att.content:
            continue
        cue = doc[att.cue[-1]]
        if cue.dep_ in ("relcl", "acl") and cue.head.pos_ in ("NOUN", "PROPN"):
            content = _np(cue.head)
            if not set(content) & set(att.source):
                att.content = [content]


def drop_markers(found: list[TaggedAttribution], markers: list[tuple[int, int]],
                 doc: Doc) -> list[TaggedAttribution]:
    """Citation markers are metadata, not speech: no role may use their tokens."""
    if not markers:
        return found
    inside = {t.i for t in doc for s, e in markers if s <= t.idx < e}
    out = []
    for att in found:
        if inside & set(att.cue):
            continue
        if inside & set(att.source):
            att.source = []
        kept = [[i for i in run if i not in inside] for run in att.content]
        att.content = [r for run in kept for r in _split(run)]
        out.append(att)
    return out


def _split(tokens: list[int]) -> list[list[int]]:
    runs: list[list[int]] = []
    for i in tokens:
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


DASHES = frozenset("―—–")


def dash_attributions(doc: Doc, quote_id: list[int], found: list[TaggedAttribution]
                      ) -> list[TaggedAttribution]:
    """Pull-quote style: “...” ― Sonya Herridge. The dash is the cue."""
    taken = {i for att in found for i in att.cue}
    out = []
    for tok in doc[1:]:
        if tok.text not in DASHES or tok.i in taken or quote_id[tok.i - 1] < 0:
            continue
        qid = quote_id[tok.i - 1]
        if doc[tok.i - 1].text not in ("”", '"', "''"):
            continue
        name = []
        j = tok.i + 1
        while j < len(doc) and doc[j].pos_ == "PROPN" and doc[j].sent == tok.sent:
            name.append(j)
            j += 1
        if not name:
            continue
        content = [i for i in range(tok.i) if quote_id[i] == qid]
        out.append(TaggedAttribution([tok.i], name, [content], 0.6, "rule:dash"))
    return out
