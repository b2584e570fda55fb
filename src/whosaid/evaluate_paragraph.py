"""The paragraph protocol of the published PolNeAR results (CofeNet, COLING 2022).

``whosaid eval --protocol paragraph`` scores the way the published systems are
scored (``../shared/guides/paragraph-protocol.md``), so that whosaid's figures
can stand next to theirs. It differs from the document-level metric of
:mod:`whosaid.evaluate` in every respect: no linking of source, cue and content,
token intervals instead of character sets, paragraphs instead of articles, and
every annotator file of an article instead of the first.

Units
    The article is cut at blank lines (a line holding only whitespace); each
    unit is the run of spaCy tokens (whitespace tokens dropped) between two
    cuts, truncated to its first :data:`MAX_TOKENS` tokens: annotations beyond
    that are not scored, for gold and prediction alike.
Labels
    Per role (source, cue, content) one flat B/I/O tag per token. Every
    fragment of every span of the role is its own chunk: its tokens are those
    (s, e) with a < e <= b for the fragment [a, b); the first is B, the rest I.
    Spans are applied in file order, so where two nest the later overwrites
    the earlier's tags on the tokens they share. Chunks are read back per unit:
    a B, or an I after O or at the unit's start, opens a chunk; a chunk
    crossing a unit boundary therefore restarts there.
Matching (per role, counts pooled over all units of all articles: micro)
    * exact: a predicted chunk is correct when its token interval equals a
      gold chunk's; P = correct / predicted, R = correct / gold.
    * begin: the same with only the first token compared.
    * Jaccard: over the gold chunks, the best interval IoU with a predicted
      chunk of the same unit, plus a 0 for every predicted chunk that overlaps
      no gold chunk; the mean of all of them.
Annotators
    With ``annotators="all"`` (the published setup) an article with k
    annotator files counts k times, each copy against its own gold and the
    same prediction; ``"first"`` keeps the lexicographically first file only.

Predictions are projected like gold: the pipeline runs on the whole article
and its character spans become token chunks by the same rule.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from whosaid.brat import BratAttribution
from whosaid.output import markdown_table
from whosaid.scoring import SummedCounts, f1_score, prf_fields, ratio

PROTOCOL_ROLES = ("source", "cue", "content")
_LABEL = {"Source": "source", "Cue": "cue", "Content": "content"}
MAX_TOKENS = 300
ANNOTATORS = ("all", "first")
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_T_LINE = re.compile(r"^T\d+\t(\S+) ([^\t]*)")

Fragments = list[tuple[int, int]]
# One role's spans in file order; each span is its list of fragments.
RoleSpans = dict[str, list[Fragments]]


@dataclass
class ChunkCounts(SummedCounts):
    """Raw counts for one role, summed over units and articles."""

    pred: int = 0
    gold: int = 0
    exact: int = 0  # predicted chunks equal to a gold chunk (= gold chunks matched)
    begin: int = 0  # predicted chunks starting where a gold chunk starts
    jaccard_sum: float = 0.0  # best IoU of each gold chunk
    jaccard_n: int = 0  # gold chunks + predicted chunks overlapping no gold chunk

    def prf(self, kind: str = "exact") -> tuple[float, float, float]:
        """(precision, recall, F1) of ``exact`` or ``begin`` matching."""
        if kind not in ("exact", "begin"):
            raise ValueError(f"unknown kind {kind!r}; choose exact or begin")
        correct = getattr(self, kind)
        p, r = ratio(correct, self.pred), ratio(correct, self.gold)
        return p, r, f1_score(p, r)

    def jaccard(self) -> float:
        return ratio(self.jaccard_sum, self.jaccard_n)


@dataclass
class ParagraphScores:
    """Counts per role; ratios come from the pooled counts."""

    roles: dict[str, ChunkCounts] = field(
        default_factory=lambda: {r: ChunkCounts() for r in PROTOCOL_ROLES}
    )
    units: int = 0
    files: int = 0  # (article, annotator file) pairs scored

    def __getitem__(self, role: str) -> ChunkCounts:
        return self.roles[role]

    def add(self, other: ParagraphScores) -> ParagraphScores:
        for role in PROTOCOL_ROLES:
            self.roles[role].add(other.roles[role])
        self.units += other.units
        self.files += other.files
        return self

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"units": self.units, "annotator_files": self.files}
        for role in PROTOCOL_ROLES:
            c = self.roles[role]
            out[role] = {
                "exact": prf_fields(*c.prf("exact")),
                "begin": prf_fields(*c.prf("begin")),
                "jaccard": round(c.jaccard(), 4),
                "pred_chunks": c.pred,
                "gold_chunks": c.gold,
                "exact_correct": c.exact,
                "begin_correct": c.begin,
            }
        return out

    def markdown(self) -> str:
        """One row per role: exact P/R/F1, begin F1, Jaccard, chunk counts."""
        return markdown_table(
            ("role", "exact P", "exact R", "exact F1", "begin F1", "Jaccard", "gold chunks"),
            [(role, *c.prf("exact"), c.prf("begin")[2], c.jaccard(), c.gold)
             for role, c in ((r, self.roles[r]) for r in PROTOCOL_ROLES)])


# --- spans in file order ------------------------------------------------------------


def spans_from_ann(content: str, name: str = "<ann>") -> RoleSpans:
    """Every Source / Cue / Content ``T`` line of a .ann, in file order.

    All of them count, as in the published preprocessing, whether or not an
    ``E`` line links them (PolNeAR has a handful that none does).
    """
    out: RoleSpans = {r: [] for r in PROTOCOL_ROLES}
    for lineno, line in enumerate(content.splitlines(), 1):
        m = _T_LINE.match(line)
        if not m or m.group(1) not in _LABEL:
            continue
        try:
            frags = [(int(a), int(b)) for a, b in (f.split() for f in m.group(2).split(";"))]
        except ValueError as exc:
            raise ValueError(f"{name}:{lineno}: bad span line {line!r}") from exc
        out[_LABEL[m.group(1)]].append(frags)
    return out


def spans_from_attributions(atts: Iterable[BratAttribution]) -> RoleSpans:
    """The same view of extracted attributions, in the order ``to_ann`` writes them."""
    out: RoleSpans = {r: [] for r in PROTOCOL_ROLES}
    for att in atts:
        for label in ("Content", "Cue", "Source"):
            if att.get(label):
                out[_LABEL[label]].append(list(att.get(label)))
    return out


# --- units and chunks ---------------------------------------------------------------


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    """spaCy's English tokenizer rules (those of the parse), without loading a model."""
    import spacy

    return spacy.blank("en").tokenizer


def units_of(text: str, max_tokens: int = MAX_TOKENS) -> list[list[tuple[int, int]]]:
    """Token character offsets of each blank-line unit, cut to ``max_tokens``."""
    cuts = [0] + [m.end() for m in _BLANK_LINE.finditer(text)] + [len(text) + 1]
    units: list[list[tuple[int, int]]] = [[] for _ in range(len(cuts) - 1)]
    k = 0
    for tok in _tokenizer()(text):
        if tok.is_space:
            continue
        while tok.idx >= cuts[k + 1]:
            k += 1
        units[k].append((tok.idx, tok.idx + len(tok.text)))
    return [u[:max_tokens] for u in units if u]


def _labels(tokens: list[tuple[int, int]], spans: list[Fragments]) -> list[str]:
    """Flat B/I/O tags of the whole article for one role; later spans overwrite."""
    labels = ["O"] * len(tokens)
    ends = [e for _, e in tokens]
    for frags in spans:
        for a, b in frags:
            # token (s, e) is in [a, b) when a < e <= b: e in (a, b]
            first = bisect.bisect_right(ends, a)
            last = bisect.bisect_right(ends, b)
            for i in range(first, last):
                labels[i] = "B" if i == first else "I"
    return labels


def chunks(labels: list[str]) -> list[tuple[int, int]]:
    """[start, end) intervals of one unit's tags: B, or I after O / at the start, opens one."""
    out: list[tuple[int, int]] = []
    start = None
    for i, lab in enumerate(labels):
        if lab == "B" or (lab == "I" and start is None):
            if start is not None:
                out.append((start, i))
            start = i
        elif lab == "O" and start is not None:
            out.append((start, i))
            start = None
    if start is not None:
        out.append((start, len(labels)))
    return out


def _iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    return inter / (max(a[1], b[1]) - min(a[0], b[0]))


def match_chunks(gold: list[tuple[int, int]], pred: list[tuple[int, int]]) -> ChunkCounts:
    """Counts of one unit and role (see the module docstring)."""
    gs, ps = set(gold), set(pred)
    gold_starts = {s for s, _ in gs}
    c = ChunkCounts(pred=len(ps), gold=len(gs), exact=len(gs & ps),
                    begin=sum(s in gold_starts for s, _ in ps))
    c.jaccard_sum = sum(max((_iou(g, p) for p in ps), default=0.0) for g in gs)
    c.jaccard_n = len(gs) + sum(all(_iou(p, g) == 0.0 for g in gs) for p in ps)
    return c


def score_paragraphs(text: str, gold: RoleSpans, pred: RoleSpans,
                     units: list[list[tuple[int, int]]] | None = None) -> ParagraphScores:
    """Counts for one article against one annotator file."""
    for spans in (*gold.values(), *pred.values()):
        for frags in spans:
            for a, b in frags:
                if not 0 <= a <= b <= len(text):
                    raise ValueError(f"span {a}-{b} outside the text (length {len(text)})")
    units = units_of(text) if units is None else units
    tokens = [t for u in units for t in u]
    scores = ParagraphScores(units=len(units), files=1)
    for role in PROTOCOL_ROLES:
        g_lab = _labels(tokens, gold.get(role, []))
        p_lab = _labels(tokens, pred.get(role, []))
        at = 0
        for unit in units:
            n = len(unit)
            scores.roles[role].add(
                match_chunks(chunks(g_lab[at:at + n]), chunks(p_lab[at:at + n]))
            )
            at += n
    return scores


# --- a folder -----------------------------------------------------------------------


def annotator_files(gold_dir: Path, article: str) -> list[Path]:
    """All ``<article>_<annotator>.ann`` files (or ``<article>.ann``), sorted."""
    ann_dir = gold_dir / "attributions"
    files = sorted(p for p in ann_dir.glob(f"{article}_*.ann")
                   if p.stem.rsplit("_", 1)[0] == article)
    exact = ann_dir / f"{article}.ann"
    return files or ([exact] if exact.is_file() else [])
