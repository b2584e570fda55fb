"""Content boundaries re-drawn by a small model over candidate cut points.

The role CRF draws a content's edges token by token; where it ends a content
one clause too early or too late it has no way to compare whole alternatives.
For a content the role CRF gives as one run, this model scores every
plausible cut point near its end (punctuation, quotation marks, sentence ends,
edges of the cue's and the content head's child subtrees) with the role CRF's
own content probabilities and the words and tree relations around the cut,
and moves the edge to the best one. It is a maximum-entropy model (crfsuite
over one-item sequences, so no new dependency) trained by ``whosaid train``
on the role CRF's contents against gold on PolNeAR train. Without the model
file the role CRF's edges stay as they are.

Measured on the tune part of dev (docs/accuracy.md, issue 13): the error
budget put content boundaries of found attributions at 0.18 paragraph content
F1, spread over many kinds; this model takes the part a cut-point choice can.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pycrfsuite

from whosaid.extract.features import DocInfo

BOUNDS_MODEL = "bounds.crfsuite"
# Which edges are re-drawn: "E" the end (last token), "S" the start.
SIDES = "E"
BOUNDS_PARAMS = {"c1": 1.0, "c2": 0.01, "max_iterations": 200,
                 "feature.possible_transitions": False}
SPAN = 40  # candidate cut points within this many tokens of the CRF's edge
FUNCTION_DEPS = frozenset({"prep", "agent", "dative", "mark", "advmod", "cc", "punct",
                           "npadvmod", "prt"})
CUT_PUNCT = frozenset({",", ";", ":", "—", "--", "-", "―", "–", "(", ")", ".", "?", "!"})
QUOTES = frozenset({'"', "“", "”", "''", "``", "'", "‘", "’"})


def _dist(d: int) -> str:
    a = abs(d)
    b = ("0" if a == 0 else "1" if a == 1 else "2" if a <= 3 else "4" if a <= 7
         else "8" if a <= 15 else "16")
    return ("-" if d < 0 else "+") + b


def _prob(p: float) -> str:
    return ("0" if p < 0.05 else "1" if p < 0.2 else "2" if p < 0.5 else "3" if p < 0.8
            else "4" if p < 0.95 else "5")


def _sent_start(info: DocInfo, t: int) -> bool:
    return t == 0 or info.sent_of[t] != info.sent_of[t - 1]


def child_key(info: DocInfo, t: int, cue_head: int) -> str:
    """Dependency (and function word) of the cue head's child whose subtree holds t:
    train shows "as ..." objects are content and "during ..." adjuncts are not."""
    a = info.attrs
    x = t
    prev = -1
    for _ in range(60):
        if x == cue_head:
            if prev < 0:
                return "self"
            dep = a.deps[prev]
            w = a.texts[prev].lower() if dep in FUNCTION_DEPS else ""
            if dep == "advcl":
                marks = [a.texts[c].lower() for c in a.children[prev] if a.deps[c] == "mark"]
                w = marks[0] if marks else "-"
            return dep + ":" + w
        if a.heads[x] == x:
            return "out"
        prev, x = x, a.heads[x]
    return "out"


def end_candidates(info: DocInfo, s: int, e: int, hi: int, heads: Sequence[int]) -> list[int]:
    """Last-token positions a content starting at s (CRF end e) could end at."""
    texts, n = info.attrs.texts, len(info.attrs.texts)
    top = min(hi - 1, e + SPAN)
    cands = {e}
    for t in range(s, top + 1):
        if (t + 1 >= n or t + 1 >= hi or _sent_start(info, t + 1) or texts[t + 1] in CUT_PUNCT
                or texts[t] in QUOTES or texts[t + 1] in QUOTES):
            cands.add(t)
    doc = info.doc
    for h in heads:
        for c in doc[h].children:
            for t in (c.left_edge.i - 1, c.right_edge.i):
                if s <= t <= top:
                    cands.add(t)
    return sorted(cands)


def start_candidates(info: DocInfo, s: int, e: int, lo: int, heads: Sequence[int]
                     ) -> list[int]:
    """First-token positions a content ending at e (CRF start s) could start at."""
    texts = info.attrs.texts
    bot = max(lo, s - SPAN)
    cands = {s}
    for t in range(bot, e + 1):
        if (t == 0 or t <= lo or _sent_start(info, t) or texts[t - 1] in CUT_PUNCT
                or texts[t] in QUOTES or texts[t - 1] in QUOTES):
            cands.add(t)
    doc = info.doc
    for h in heads:
        for c in doc[h].children:
            for t in (c.left_edge.i, c.right_edge.i + 1):
                if bot <= t <= e:
                    cands.add(t)
    return sorted(cands)


def _tok(info: DocInfo, i: int, lo: int, hi: int, pre: str) -> list[str]:
    if i < lo or i >= hi:
        return [pre + "edge"]
    a = info.attrs
    return [pre + "w=" + a.texts[i].lower(), pre + "p=" + a.tags[i], pre + "d=" + a.deps[i]]


def features(info: DocInfo, side: str, t: int, ref: int, cue: set[int], cue_head: int,
             source: set[int], m_in: Callable[[int], float], lo: int, hi: int) -> list[str]:
    """Features of cut point t (side "E": t is the last content token, "S": the first)
    against the role CRF's edge ``ref``."""
    d = t - ref
    f = ["bias", side + "d=" + _dist(d)]
    if d == 0:
        f.append(side + "crf")
    a, b = (t, t + 1) if side == "E" else (t - 1, t)  # the cut lies between a and b
    f += _tok(info, a, lo, hi, side + "a:") + _tok(info, b, lo, hi, side + "b:")
    ma = m_in(a) if lo <= a < hi else 0.0
    mb = m_in(b) if lo <= b < hi else 0.0
    f += [side + "ma=" + _prob(ma), side + "mb=" + _prob(mb), side + "mab=" + _prob(ma) + _prob(mb)]
    ka = child_key(info, a, cue_head) if lo <= a < hi else "edge"
    kb = child_key(info, b, cue_head) if lo <= b < hi else "edge"
    f += [side + "ka=" + ka, side + "kb=" + kb, side + "kab=" + str(ka == kb)]
    if lo <= b < hi and _sent_start(info, b):
        f.append(side + "sentcut")
    x, y = sorted((t, ref))
    stretch = range(x + 1, y + 1) if side == "E" else range(x, y)  # tokens the move adds/drops
    if stretch:
        texts = info.attrs.texts
        f.append(side + "len=" + _dist(len(stretch)))
        if any(i in cue for i in stretch):
            f.append(side + "has_cue")
        if any(i in source for i in stretch):
            f.append(side + "has_src")
        if any(_sent_start(info, i) for i in stretch):
            f.append(side + "has_sent")
        if any(texts[i] in QUOTES for i in stretch):
            f.append(side + "has_quote")
        mean = sum(m_in(i) for i in stretch if lo <= i < hi) / len(stretch)
        f.append(side + "mstretch=" + _prob(mean) + ("+" if (d > 0) == (side == "E") else "-"))
    return f


def content_probs(tagger: pycrfsuite.Tagger, n: int, near: tuple[int, int] | None = None
                  ) -> list[float]:
    """P(content) of each window position after the role tagger's last ``tag`` call;
    with ``near`` (a run's first and last window position) only the positions the
    candidates of that run can read are computed, the rest are 0 (one C call each)."""
    labels = [lab for lab in ("B-C", "I-C") if lab in set(tagger.labels())]
    if near is None:
        first, last = 0, n - 1
    else:  # the start side reads up to SPAN + 1 before the run, the end side after it
        first = max(0, near[0] - SPAN - 1) if "S" in SIDES else near[0]
        last = min(n - 1, near[1] + SPAN + 1)
    marginal = tagger.marginal
    if len(labels) == 2:
        b, i = labels
        return [marginal(b, k) + marginal(i, k) if first <= k <= last else 0.0
                for k in range(n)]
    return [sum(marginal(lab, k) for lab in labels) if first <= k <= last else 0.0
            for k in range(n)]


class _Edges:
    """What the candidates of one content need: its CRF run and the tree around it."""

    def __init__(self, info: DocInfo, cue: list[int], source: list[int], run: list[int],
                 lo: int, hi: int, probs: list[float]) -> None:
        self.info, self.lo, self.hi, self.probs = info, lo, hi, probs
        self.cue, self.source = set(cue), set(source)
        heads = info.attrs.heads
        self.cue_head = next((i for i in cue if heads[i] not in self.cue or heads[i] == i),
                             cue[0])
        inside = set(run)
        self.s, self.e = run[0], run[-1]
        content_head = next((i for i in run if heads[i] not in inside or heads[i] == i), self.s)
        self.heads = [self.cue_head, content_head]

    def m_in(self, i: int) -> float:
        return self.probs[i - self.lo]

    def rows(self, side: str) -> tuple[list[int], list[list[str]], int]:
        """(candidates, their features, index of the CRF's own edge) for one side."""
        if side == "E":
            cands, ref = end_candidates(self.info, self.s, self.e, self.hi, self.heads), self.e
        else:
            cands, ref = start_candidates(self.info, self.s, self.e, self.lo, self.heads), self.s
        feats = [features(self.info, side, c, ref, self.cue, self.cue_head, self.source,
                          self.m_in, self.lo, self.hi) for c in cands]
        return cands, feats, cands.index(ref)


def training_items(info: DocInfo, cue: list[int], source: list[int], content: list[list[int]],
                   gold: list[int], lo: int, hi: int, probs: list[float]
                   ) -> list[tuple[list[str], str]]:
    """(features, "y"|"n") of every cut point of a one-run content that overlaps gold:
    "y" where gold puts the edge."""
    if len(content) != 1 or not gold:
        return []
    run = content[0]
    if not (run[0] <= max(gold) and min(gold) <= run[-1]):
        return []
    edges = _Edges(info, cue, source, run, lo, hi, probs)
    out = []
    for side in SIDES:
        want = max(gold) if side == "E" else min(gold)
        cands, feats, _ = edges.rows(side)
        out += [(f, "y" if c == want else "n") for c, f in zip(cands, feats, strict=True)]
    return out


def train(items: list[tuple[list[str], str]], path: Path) -> Path:
    """Fit the cut-point model (deterministic L-BFGS) and write it to ``path``."""
    trainer = pycrfsuite.Trainer(verbose=False)
    for f, y in items:
        trainer.append([f], [y])
    trainer.set_params(BOUNDS_PARAMS)
    trainer.train(str(path))
    return path


class BoundaryModel:
    """The trained cut-point model; ``redraw`` moves a one-run content's edges."""

    def __init__(self, tagger: pycrfsuite.Tagger) -> None:
        self.tagger = tagger

    def _best(self, feats: list[list[str]], crf_k: int) -> int:
        # Trained on one-item sequences, the model has no transition weights: the
        # candidates are scored independently in one call.
        self.tagger.set(feats)
        probs = [self.tagger.marginal("y", k) for k in range(len(feats))]
        best = max(range(len(probs)), key=lambda k: probs[k])
        return best if probs[best] > probs[crf_k] else crf_k

    def redraw(self, info: DocInfo, cue: list[int], source: list[int], run: list[int],
               lo: int, hi: int, probs: list[float]) -> list[list[int]]:
        """The content's runs after moving its edges to the best cut points (cue and
        source tokens stay out)."""
        edges = _Edges(info, cue, source, run, lo, hi, probs)
        new = {"S": edges.s, "E": edges.e}
        for side in SIDES:
            cands, feats, crf_k = edges.rows(side)
            new[side] = cands[self._best(feats, crf_k)]
        s, e = new["S"], new["E"]
        if (s, e) == (edges.s, edges.e) or s > e:
            return [run]
        toks = [i for i in range(s, e + 1) if i not in edges.cue and i not in edges.source]
        if not toks:
            return [run]
        runs = [[toks[0]]]
        for i in toks[1:]:
            if i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        return runs
