"""Token features for the two CRF taggers (cues, then source/content per cue).

Features are plain strings so python-crfsuite can consume them directly. The
role features describe each token *relative to one cue*: where it sits in the
dependency tree (which child of the cue dominates it), which side of the cue it
is on, and whether it is inside quotation marks. That relation is what tells
a subject-source from an object-content, whatever the words are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, LEMMA, ORTH, POS, TAG
from spacy.parts_of_speech import NAMES as _POS_IDS
from spacy.tokens import Doc, Token

from whosaid.extract.lexicon import QUOTE_CHARS, cue_class, noun_predicate_class, predicate_class

OPENING = frozenset("“«„‟")
CLOSING = frozenset("”»")
POS_NAMES: dict[int, str] = {int(k): v for k, v in _POS_IDS.items()}
IOB_NAMES = Token.iob_strings()  # ("", "I", "O", "B"), as ``Token.ent_iob_``


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
    """Per-document arrays computed once and shared by both taggers.

    The per-token attribute lists (``texts`` ... ``heads``) are read from the Doc
    in one ``to_array`` call: the feature code indexes them instead of creating
    a spaCy ``Token`` per attribute access, which was most of the featurising
    time (docs/speed.md).
    """

    doc: Doc
    sent_of: list[int]  # sentence index of each token
    sent_bounds: list[tuple[int, int]]  # token range of each sentence
    in_quote: list[bool]
    quote_id: list[int]  # which quotation a token is in (-1 outside)
    base: list[list[str]]  # context-free features of each token
    short: list[list[str]]  # a smaller set for neighbours
    attrs: TokenAttrs = field(repr=False)  # per-token attribute lists

    @classmethod
    def build(cls, doc: Doc) -> DocInfo:
        sent_of = [0] * len(doc)
        bounds = []
        for si, sent in enumerate(doc.sents):
            bounds.append((sent.start, sent.end))
            sent_of[sent.start:sent.end] = [si] * (sent.end - sent.start)
        attrs = TokenAttrs.of(doc)
        in_quote, quote_id = _quotes(attrs.texts)
        return cls(doc, sent_of, bounds, in_quote, quote_id, *_base_features(attrs), attrs)


@dataclass
class TokenAttrs:
    """The token attributes the features use, one list each, indexed by token."""

    texts: list[str]
    lemmas: list[str]
    lemmas_lower: list[str]
    pos: list[str]
    tags: list[str]
    deps: list[str]
    ent_types: list[str]
    ent_iobs: list[str]
    heads: list[int]
    children: list[list[int]]  # in token order, as ``Token.children`` yields them

    @classmethod
    def of(cls, doc: Doc) -> TokenAttrs:
        n = len(doc)
        if n == 0:
            return cls([], [], [], [], [], [], [], [], [], [])
        arr = doc.to_array([ORTH, LEMMA, POS, TAG, DEP, ENT_TYPE, ENT_IOB, HEAD])
        strings = doc.vocab.strings
        cache: dict[int, str] = {0: ""}

        def names(col: list[int]) -> list[str]:
            out = []
            for h in col:
                s = cache.get(h)
                if s is None:
                    s = cache[h] = strings[h]
                out.append(s)
            return out

        cols = arr.T.tolist()
        lemmas = names(cols[1])
        lower: dict[str, str] = {}
        heads = (arr[:, 7].astype("int64") + np.arange(n, dtype="int64")).tolist()
        children: list[list[int]] = [[] for _ in range(n)]
        for i, h in enumerate(heads):
            if h != i:
                children[h].append(i)
        return cls(
            texts=names(cols[0]),
            lemmas=lemmas,
            lemmas_lower=[lower.get(x) or lower.setdefault(x, x.lower()) for x in lemmas],
            pos=[POS_NAMES[p] for p in cols[2]],
            tags=names(cols[3]),
            deps=names(cols[4]),
            ent_types=names(cols[5]),
            ent_iobs=[IOB_NAMES[x] for x in cols[6]],
            heads=heads,
            children=children,
        )


def _quotes(texts: list[str]) -> tuple[list[bool], list[int]]:
    """Inside-quotation flag and quotation id per token; a paragraph break resets."""
    inside = False
    flags: list[bool] = []
    ids: list[int] = []
    current = -1
    for t in texts:
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


def _predicate_class(pos: str, lemma: str) -> str:
    """General semantic class of a verb or of the act a noun names, with the part of speech.

    Lets the cue CRF share evidence across the long tail of PolNeAR's cues
    ("released", "proposed", "decision") that no list of speech verbs holds.
    """
    if pos in ("VERB", "AUX"):
        return "V:" + predicate_class(lemma)
    if pos == "NOUN":
        return "N:" + noun_predicate_class(lemma)
    return "-"


_KID_DEPS = frozenset(("ccomp", "nsubj", "nsubjpass", "dobj", "xcomp", "agent", "prep",
                       "mark", "dative", "parataxis", "advcl", "aux", "auxpass", "neg"))
_KIDL_DEPS = frozenset(("dobj", "prep", "dative", "nsubj"))
_SUBJ_DEPS = frozenset(("nsubj", "nsubjpass"))


def _base_features(a: TokenAttrs) -> tuple[list[list[str]], list[list[str]]]:
    base, short = [], []
    lemmas, low, pos, deps, heads = a.lemmas, a.lemmas_lower, a.pos, a.deps, a.heads
    cls_of: dict[str, str] = {}  # cue_class per lemma, computed once per document
    # one string object per distinct feature, shared by every token that has it: a
    # 1 MB text has ~400,000 tokens, and a fresh string per token and feature made
    # this step ~1 KB a token (docs/speed.md, worst cases)
    one: dict[str, str] = {}
    for i, text in enumerate(a.texts):
        lemma = low[i]
        dep = deps[i]
        h = heads[i]
        shape = "X" if text[:1].isupper() else ("d" if text[:1].isdigit() else "x")
        hlemma = lemmas[h]
        ccls = cls_of.get(lemma)
        if ccls is None:
            ccls = cls_of[lemma] = cue_class(lemma)
        hcls = cls_of.get(hlemma)
        if hcls is None:
            hcls = cls_of[hlemma] = cue_class(hlemma)
        f = [
            "w=" + text.lower(),
            "l=" + lemma,
            "p=" + pos[i],
            "t=" + a.tags[i],
            "d=" + dep,
            "s=" + shape,
            "e=" + (a.ent_types[i] or "-"),
            "cc=" + ccls,
            "hl=" + low[h],
            "hd=" + deps[h] + "|" + dep,
        ]
        if is_quote(text):
            f.append("quote")
        f.append("hcc=" + hcls + "|" + dep)
        f.append("hp=" + pos[h])
        if PREDICATE_CLASSES_ON:
            f.append("pc=" + _predicate_class(pos[i], lemmas[i]))
            f.append("hpc=" + _predicate_class(pos[h], hlemma) + "|" + dep)
        for c in a.children[i]:
            cdep = deps[c]
            if cdep in _KID_DEPS:
                f.append("kid=" + cdep)
                if cdep in _KIDL_DEPS:
                    f.append("kidl=" + cdep + ":" + low[c])
                if cdep in _SUBJ_DEPS:
                    f.append("subj=" + (a.ent_types[c] or a.tags[c]))
        f = [one.setdefault(x, x) for x in f]
        base.append(f)
        short.append(f[:5] + f[7:8])
    return base, short


def cue_features(info: DocInfo, start: int, end: int) -> list[list[str]]:
    """Features for tagging cues in tokens [start, end) (one sentence)."""
    base, short, a = info.base, info.short, info.attrs
    in_quote, deps, heads, low = info.in_quote, a.deps, a.heads, a.lemmas_lower
    rows = []
    for i in range(start, end):
        f = list(base[i])
        f.append("q=" + str(in_quote[i]))
        for off, prefix in _NEIGHBOURS:
            j = i + off
            if start <= j < end:
                f += [prefix + x for x in short[j]]
            else:
                f.append(prefix + "edge")
        if i - 3 >= start:
            f.append("-3:l=" + low[i - 3])
        if i + 3 < end:
            f.append("3:l=" + low[i + 3])
        if deps[i] in ("ccomp", "parataxis") and heads[i] != i:
            f.append("is_ccomp_head")
        rows.append(f)
    return rows


_NEIGHBOURS = ((-2, "-2:"), (-1, "-1:"), (1, "1:"), (2, "2:"))


_BUCKETS = [_bucket(n) for n in range(26)]  # _bucket(n) for n < 26; "26+" above

MAX_DEPTH = 40  # tree walks stop here: a parse of run-on text can be thousands deep
CHAIN_CACHE = 4096  # ancestor chains kept per document (a few role windows' worth)


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
    """Features of every token in a window relative to one cue.

    Everything that does not depend on the cue (attribute strings, each token's
    ancestor chain, the parts of each relation string) is computed once per
    document and reused by every cue whose window holds the token.
    """

    def __init__(self, info: DocInfo) -> None:
        self.info = info
        a = info.attrs
        self.heads = a.heads
        self.deps = a.deps
        n = len(a.texts)
        # Every string below is made once per distinct value and shared by the tokens
        # that have it (``_one``): a 1 MB text has hundreds of thousands of tokens,
        # and one string per token and feature cost ~300 MB (docs/speed.md, worst cases).
        one: dict[str, str] = {}

        def _one(value: str) -> str:
            return one.setdefault(value, value)

        # the first features of every row: short features, dependency, entity
        self._head = [[*s, _one("dep=" + d), _one("ent=" + (t or "-") + b)] for s, d, t, b in
                      zip(info.short, a.deps, a.ent_types, a.ent_iobs, strict=True)]
        lower = [_one(t.lower()) for t in a.texts]
        quoted = [str(q) for q in info.in_quote]
        self._q = [_one("q=" + q) for q in quoted]
        self._prev = [(_one("-1:w=" + lower[t - 1]), _one("-1:q=" + quoted[t - 1])) if t
                      else ("", "") for t in range(n)]
        self._next = [(_one("1:w=" + lower[t + 1]), _one("1:q=" + quoted[t + 1])) if t + 1 < n
                      else ("", "") for t in range(n)]
        self._quote = [is_quote(t) for t in a.texts]
        self._sent_start = [False] * n
        self._sent_end = [False] * n
        for s, e in info.sent_bounds:
            self._sent_start[s] = True
            self._sent_end[e - 1] = True
        self._chains: dict[int, list[int]] = {}
        self._parts: dict[str, tuple[str, str]] = {}

    def _chain(self, t: int) -> list[int]:
        chain = self._chains.get(t)
        if chain is None:
            if len(self._chains) >= CHAIN_CACHE:
                self._chains.clear()  # bounded memory on huge texts; windows are local
            chain = self._chains[t] = _ancestors(self.heads, t)
        return chain

    def _rel_parts(self, rel: str) -> tuple[str, str]:
        """(relc, rel2) of a relation string: its first two fields, and all but the third."""
        parts = self._parts.get(rel)
        if parts is None:
            fields = rel.split(":")
            parts = self._parts[rel] = (":".join(fields[:2]), ":".join(fields[:2] + fields[3:]))
        return parts

    def relation(self, t: int, cue: set[int], cue_head: int, head_chain: list[int],
                 head_pos: dict[int, int]) -> str:
        """The tree path from token t to the cue, summarised as one string."""
        deps = self.deps
        chain = self._chain(t)
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
        info, heads = self.info, self.heads
        a = info.attrs
        cue = set(cue_tokens)
        head = next((i for i in cue_tokens if heads[i] not in cue or heads[i] == i),
                    cue_tokens[0])
        cls = cue_class(a.lemmas[head])
        cs = info.sent_of[cue_tokens[0]]
        c0, c1 = min(cue), max(cue)
        cq = "cq=" + str(info.in_quote[head])
        cl = "cl=" + a.lemmas_lower[head]
        head_chain = _ancestors(heads, head)
        head_pos = {x: k for k, x in enumerate(head_chain)}
        rels = [self.relation(t, cue, head, head_chain, head_pos) for t in range(lo, hi)]
        relcs = [self._rel_parts(r) for r in rels]
        qid, sent_of = info.quote_id, info.sent_of
        head_f, q_f, quote = self._head, self._q, self._quote
        prev_f, next_f = self._prev, self._next
        sent_start, sent_end = self._sent_start, self._sent_end
        near = {qid[j] for j in range(max(lo, c0 - 4), min(hi, c1 + 5)) if qid[j] >= 0}
        rows = []
        for t in range(lo, hi):
            k = t - lo
            rel = rels[k]
            relc, rel2 = relcs[k]
            if t in cue:
                side = "C"
                dist = "0"
            elif t < c0:
                side, dist = "L", _BUCKETS[c0 - t] if c0 - t < len(_BUCKETS) else "26+"
            else:
                side, dist = "R", _BUCKETS[t - c1] if t - c1 < len(_BUCKETS) else "26+"
            f = head_f[t] + [
                "side=" + side,
                "dist=" + side + dist,
                "so=" + str(sent_of[t] - cs),
                "rel=" + rel,
                "relc=" + relc,
                "rel2=" + rel2,
                "rcls=" + rel + "|" + cls,
                q_f[t] + side,
                cq,
                cl,
            ]
            if quote[t]:
                f.append("quote")
            if qid[t] >= 0:
                f.append("adjq=" + str(qid[t] in near) + side)
            if sent_end[t]:
                f.append("sent_end")
            if k >= 2:
                f.append("-2:relc=" + relcs[k - 2][0])
            if t + 2 < hi:
                f.append("2:relc=" + relcs[k + 2][0])
            if k >= 1:
                f.append("-1:rel=" + rels[k - 1])
                f += prev_f[t]
            else:
                f.append("-1:edge")
            if t + 1 < hi:
                f.append("1:rel=" + rels[k + 1])
                f += next_f[t]
            else:
                f.append("1:edge")
            if sent_start[t]:
                f.append("sent_start")
            rows.append(f)
        return rows
