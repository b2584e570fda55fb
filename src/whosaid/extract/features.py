"""Token features for the two CRF taggers (cues, then source/content per cue).

Features are plain strings so python-crfsuite can consume them directly. The
role features describe each token *relative to one cue*: where it sits in the
dependency tree (which child of the cue dominates it), which side of the cue it
is on, and whether it is inside quotation marks. That relation is what tells
a subject-source from an object-content, whatever the words are.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from whosaid.extract.lexicon import QUOTE_CHARS, cue_class, noun_predicate_class, predicate_class

OPENING = frozenset("“«„‟")
CLOSING = frozenset("”»")


def is_quote(text: str) -> bool:
    """A quotation-mark token, including NYT-style doubled apostrophes."""
    return (len(text) == 1 and text in QUOTE_CHARS) or text in ("''", "``")


def _bucket(n: int) -> str:
    if n <= 3:
        return str(n)
    if n <= 6:
        return "4-6"
    if n <= 12:
        return "7-12"
    if n <= 25:
        return "13-25"
    return "26+"


@dataclass
class DocInfo:
    """Per-document arrays computed once and shared by both taggers."""

    doc: Doc
    sent_of: list[int]  # sentence index of each token
    sent_bounds: list[tuple[int, int]]  # token range of each sentence
    in_quote: list[bool]
    quote_id: list[int]  # which quotation a token is in (-1 outside)
    base: list[list[str]]  # context-free features of each token
    short: list[list[str]]  # a smaller set for neighbours

    @classmethod
    def build(cls, doc: Doc) -> DocInfo:
        sent_of = [0] * len(doc)
        bounds = []
        for si, sent in enumerate(doc.sents):
            bounds.append((sent.start, sent.end))
            for i in range(sent.start, sent.end):
                sent_of[i] = si
        in_quote, quote_id = _quotes(doc)
        return cls(doc, sent_of, bounds, in_quote, quote_id, *_base_features(doc))


def _quotes(doc: Doc) -> tuple[list[bool], list[int]]:
    """Inside-quotation flag and quotation id per token; a paragraph break resets."""
    inside = False
    flags: list[bool] = []
    ids: list[int] = []
    current = -1
    for tok in doc:
        t = tok.text
        if "\n" in t:
            inside = False
        if is_quote(t):
            if not inside:
                current += 1
            inside = t in OPENING or (t not in CLOSING and not inside)
            flags.append(True)
            ids.append(current)
            continue
        flags.append(inside)
        ids.append(current if inside else -1)
    return flags, ids


PREDICATE_CLASSES_ON = False  # measured but not shipped (docs/accuracy.md, recall section)


def _predicate_class(tok: Token) -> str:
    """General semantic class of a verb or of the act a noun names, with the part of speech.

    Lets the cue CRF share evidence across the long tail of PolNeAR's cues
    ("released", "proposed", "decision") that no list of speech verbs holds.
    """
    if tok.pos_ in ("VERB", "AUX"):
        return "V:" + predicate_class(tok.lemma_)
    if tok.pos_ == "NOUN":
        return "N:" + noun_predicate_class(tok.lemma_)
    return "-"


def _base_features(doc: Doc) -> tuple[list[list[str]], list[list[str]]]:
    base, short = [], []
    for tok in doc:
        lemma = tok.lemma_.lower()
        text = tok.text
        shape = "X" if text[:1].isupper() else ("d" if text[:1].isdigit() else "x")
        f = [
            "w=" + text.lower(),
            "l=" + lemma,
            "p=" + tok.pos_,
            "t=" + tok.tag_,
            "d=" + tok.dep_,
            "s=" + shape,
            "e=" + (tok.ent_type_ or "-"),
            "cc=" + cue_class(lemma),
            "hl=" + tok.head.lemma_.lower(),
            "hd=" + tok.head.dep_ + "|" + tok.dep_,
        ]
        if is_quote(text):
            f.append("quote")
        f.append("hcc=" + cue_class(tok.head.lemma_) + "|" + tok.dep_)
        f.append("hp=" + tok.head.pos_)
        if PREDICATE_CLASSES_ON:
            f.append("pc=" + _predicate_class(tok))
            f.append("hpc=" + _predicate_class(tok.head) + "|" + tok.dep_)
        for c in tok.children:
            if c.dep_ in ("ccomp", "nsubj", "nsubjpass", "dobj", "xcomp", "agent", "prep",
                          "mark", "dative", "parataxis", "advcl", "aux", "auxpass", "neg"):
                f.append("kid=" + c.dep_)
                if c.dep_ in ("dobj", "prep", "dative", "nsubj"):
                    f.append("kidl=" + c.dep_ + ":" + c.lemma_.lower())
                if c.dep_ in ("nsubj", "nsubjpass"):
                    f.append("subj=" + (c.ent_type_ or c.tag_))
        base.append(f)
        short.append(f[:5] + f[7:8])
    return base, short


def cue_features(info: DocInfo, start: int, end: int) -> list[list[str]]:
    """Features for tagging cues in tokens [start, end) (one sentence)."""
    doc, base, short = info.doc, info.base, info.short
    rows = []
    for i in range(start, end):
        f = list(base[i])
        f.append("q=" + str(info.in_quote[i]))
        for off in (-2, -1, 1, 2):
            j = i + off
            if start <= j < end:
                f.extend(f"{off}:{x}" for x in short[j])
            else:
                f.append(f"{off}:edge")
        for off in (-3, 3):
            j = i + off
            if start <= j < end:
                f.append(f"{off}:l={doc[j].lemma_.lower()}")
        tok = doc[i]
        if tok.dep_ in ("ccomp", "parataxis") and tok.head.i != i:
            f.append("is_ccomp_head")
        rows.append(f)
    return rows


MAX_DEPTH = 40  # tree walks stop here: a parse of run-on text can be thousands deep


def _ancestors(heads: list[int], i: int) -> list[int]:
    """Token i and its ancestors, nearest first, at most MAX_DEPTH of them."""
    chain = [i]
    while heads[i] != i and len(chain) < MAX_DEPTH:
        i = heads[i]
        chain.append(i)
    return chain


MAX_BEFORE = 120  # tokens: bounds the work per cue in run-on "sentences"
MAX_AFTER = 200


def role_window(info: DocInfo, cue: list[int], before: int = 1, after: int = 2) -> tuple[int, int]:
    """Token range a cue's source and content are looked for in (sentences around it)."""
    cs = info.sent_of[cue[0]]
    lo = info.sent_bounds[max(0, cs - before)][0]
    hi = info.sent_bounds[min(len(info.sent_bounds) - 1, cs + after)][1]
    return max(lo, cue[0] - MAX_BEFORE), min(hi, cue[-1] + 1 + MAX_AFTER)


class RoleFeaturizer:
    """Features of every token in a window relative to one cue."""

    def __init__(self, info: DocInfo) -> None:
        self.info = info
        self.heads = [t.head.i for t in info.doc]
        self.deps = [t.dep_ for t in info.doc]

    def relation(self, t: int, cue: set[int], cue_head: int, head_chain: list[int],
                 head_pos: dict[int, int]) -> str:
        """The tree path from token t to the cue, summarised as one string."""
        deps = self.deps
        chain = _ancestors(self.heads, t)
        prev = None
        for depth, a in enumerate(chain):
            if a in cue:
                if prev is None:
                    return "in"
                second = deps[chain[depth - 2]] if depth >= 2 else "-"
                return f"sub:{deps[prev]}:{_bucket(depth)}:{second}"
            prev = a
        if t in head_pos:
            return f"anc:{deps[cue_head]}:{_bucket(head_pos[t])}"
        for depth, a in enumerate(chain):
            if a in head_pos:
                k = head_pos[a]
                side_t = deps[chain[depth - 1]] if depth else "-"
                side_c = deps[head_chain[k - 1]] if k else "-"
                return f"lca:{side_c}>{side_t}"
        return "far"

    def features(self, lo: int, hi: int, cue_tokens: list[int]) -> list[list[str]]:
        info, doc = self.info, self.info.doc
        cue = set(cue_tokens)
        head = next(
            (i for i in cue_tokens if doc[i].head.i not in cue or doc[i].head.i == i),
            cue_tokens[0],
        )
        cls = cue_class(doc[head].lemma_)
        cs = info.sent_of[cue_tokens[0]]
        c0, c1 = min(cue), max(cue)
        cue_in_quote = info.in_quote[head]
        head_chain = _ancestors(self.heads, head)
        head_pos = {a: k for k, a in enumerate(head_chain)}
        rels = [self.relation(t, cue, head, head_chain, head_pos) for t in range(lo, hi)]
        qid = info.quote_id
        near = {qid[j] for j in range(max(lo, c0 - 4), min(hi, c1 + 5)) if qid[j] >= 0}
        rows = []
        for t in range(lo, hi):
            rel = rels[t - lo]
            if t in cue:
                side = "C"
                dist = "0"
            elif t < c0:
                side, dist = "L", _bucket(c0 - t)
            else:
                side, dist = "R", _bucket(t - c1)
            so = info.sent_of[t] - cs
            f = list(info.short[t])
            f += [
                "dep=" + doc[t].dep_,
                "ent=" + (doc[t].ent_type_ or "-") + doc[t].ent_iob_,
                "side=" + side,
                "dist=" + side + dist,
                "so=" + str(so),
                "rel=" + rel,
                "relc=" + ":".join(rel.split(":")[:2]),
                "rel2=" + ":".join(rel.split(":")[:2] + rel.split(":")[3:]),
                "rcls=" + rel + "|" + cls,
                "q=" + str(info.in_quote[t]) + side,
                "cq=" + str(cue_in_quote),
                "cl=" + doc[head].lemma_.lower(),
            ]
            if is_quote(doc[t].text):
                f.append("quote")
            if qid[t] >= 0:
                f.append("adjq=" + str(qid[t] in near) + side)
            if t + 1 == info.sent_bounds[info.sent_of[t]][1]:
                f.append("sent_end")
            for off in (-2, 2):
                j = t + off
                if lo <= j < hi:
                    f.append(f"{off}:relc=" + ":".join(rels[j - lo].split(":")[:2]))
            for off in (-1, 1):
                j = t + off
                if lo <= j < hi:
                    f.append(f"{off}:rel={rels[j - lo]}")
                    f.append(f"{off}:w={doc[j].text.lower()}")
                    f.append(f"{off}:q={info.in_quote[j]}")
                else:
                    f.append(f"{off}:edge")
            if info.sent_bounds[info.sent_of[t]][0] == t:
                f.append("sent_start")
            rows.append(f)
        return rows
