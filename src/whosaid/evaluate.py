"""Score attributions against PolNeAR gold: ``whosaid eval --gold DIR [--pred DIR]``.

Each article is scored with :func:`score_document`; counts are summed over
articles and P/R/F1 computed once from the sums (micro-averaging), so long
articles weigh more than short ones, as they do in PolNeAR's own figures.

Roles are ``cue``, ``source``, ``content`` and ``attribution`` (all three
together). Two families of measure:

Exact
    A role's value is the set of character offsets its fragments cover,
    whitespace characters removed, so a span that differs only by a trailing
    space or a line break still matches. An absent role is the empty set.

    * cue: a predicted cue is correct if it equals some gold cue.
    * source / content: a prediction is correct if its cue overlaps (shares a
      non-whitespace offset with) a gold attribution's cue and the two sources
      (contents) are equal; two absent sources (contents) are equal, because
      "no source" is itself a claim the extractor makes.
    * attribution: correct if cue, source and content all equal those of one
      gold attribution.

    Precision is correct predictions / predictions; recall is gold
    attributions matched by at least one correct prediction / gold
    attributions (each gold counted once, no one-to-one alignment).

    What counts as a prediction (and a gold item) for a role: for ``cue``, an
    attribution with a cue; for ``source`` and ``content``, an attribution with
    a cue (its role may be absent) or, lacking a cue, one that has that role;
    for ``attribution``, one with any role at all. A gold attribution with no
    cue (rare in PolNeAR) therefore still counts in recall for the roles it
    has, and can only be matched as a whole attribution; an attribution with no
    roles at all (PolNeAR has one) is ignored.

Overlap (token level)
    Tokens are the ``\\w+|[^\\w\\s]`` matches of the text; a token is inside a
    span set when every one of its characters is covered by the set's
    fragments. For each role, the predicted tokens are those inside the union
    of all predicted spans of that role, the gold tokens likewise. Precision is
    the share of predicted tokens inside the gold spans of the role, recall the
    share of gold tokens inside the predicted spans. For ``attribution`` the
    span set is the union of all three roles' spans: it measures how much of
    the attributed text (who + cue + what) was found, regardless of role.

A ratio whose denominator is zero is reported as 0.0.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from whosaid.brat import BratAttribution, Fragments, parse_ann, polnear_articles, read_ann
from whosaid.evaluate_paragraph import (
    ANNOTATORS,
    ParagraphScores,
    RoleSpans,
    annotator_files,
    score_paragraphs,
    spans_from_ann,
    spans_from_attributions,
    units_of,
)
from whosaid.output import markdown_table
from whosaid.scoring import SummedCounts, f1_score, prf_fields, ratio
from whosaid.scoring import solid_chars as _chars  # the exact-match value of a role

ROLES = ("cue", "source", "content", "attribution")
_BRAT_ROLE = {"cue": "Cue", "source": "Source", "content": "Content"}
_TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass
class RoleCounts(SummedCounts):
    """Raw counts for one role; kept raw so that articles can be summed."""

    pred_total: int = 0
    pred_correct: int = 0
    gold_total: int = 0
    gold_matched: int = 0
    pred_tokens: int = 0
    pred_tokens_in_gold: int = 0
    gold_tokens: int = 0
    gold_tokens_in_pred: int = 0

    def exact(self) -> tuple[float, float, float]:
        """(precision, recall, F1) of exact matching."""
        p = ratio(self.pred_correct, self.pred_total)
        r = ratio(self.gold_matched, self.gold_total)
        return p, r, f1_score(p, r)

    def overlap(self) -> tuple[float, float, float]:
        """(precision, recall, F1) of token overlap."""
        p = ratio(self.pred_tokens_in_gold, self.pred_tokens)
        r = ratio(self.gold_tokens_in_pred, self.gold_tokens)
        return p, r, f1_score(p, r)


@dataclass
class Scores:
    """Counts for every role; ``add`` sums articles, the ratios come from the sums."""

    roles: dict[str, RoleCounts] = field(
        default_factory=lambda: {role: RoleCounts() for role in ROLES}
    )

    def __getitem__(self, role: str) -> RoleCounts:
        return self.roles[role]

    def add(self, other: Scores) -> Scores:
        """Add another article's (or corpus's) counts in place; returns self."""
        for role in ROLES:
            self.roles[role].add(other.roles[role])
        return self

    def precision(self, role: str, kind: str = "exact") -> float:
        return self._prf(role, kind)[0]

    def recall(self, role: str, kind: str = "exact") -> float:
        return self._prf(role, kind)[1]

    def f1(self, role: str, kind: str = "exact") -> float:
        return self._prf(role, kind)[2]

    def _prf(self, role: str, kind: str) -> tuple[float, float, float]:
        if kind == "exact":
            return self.roles[role].exact()
        if kind == "overlap":
            return self.roles[role].overlap()
        raise ValueError(f"unknown kind {kind!r}; choose exact or overlap")

    def as_dict(self) -> dict[str, dict[str, dict[str, float | int]]]:
        """``{role: {"exact": {p, r, f1, counts...}, "overlap": {...}}}`` for JSON."""
        out: dict[str, dict[str, dict[str, float | int]]] = {}
        for role in ROLES:
            c = self.roles[role]
            out[role] = {
                "exact": {
                    **prf_fields(*c.exact()),
                    "pred_total": c.pred_total,
                    "pred_correct": c.pred_correct,
                    "gold_total": c.gold_total,
                    "gold_matched": c.gold_matched,
                },
                "overlap": {
                    **prf_fields(*c.overlap()),
                    "pred_tokens": c.pred_tokens,
                    "pred_tokens_in_gold": c.pred_tokens_in_gold,
                    "gold_tokens": c.gold_tokens,
                    "gold_tokens_in_pred": c.gold_tokens_in_pred,
                },
            }
        return out

    def markdown(self) -> str:
        """A markdown table: one row per role, exact then overlap P/R/F1."""
        return markdown_table(
            ("role", "exact P", "exact R", "exact F1", "overlap P", "overlap R", "overlap F1"),
            [(role, *self.roles[role].exact(), *self.roles[role].overlap()) for role in ROLES])


# --- one document -----------------------------------------------------------------


def _check(text: str, frags: Fragments) -> None:
    for s, e in frags:
        if not 0 <= s <= e <= len(text):
            raise ValueError(f"span {s}-{e} outside the text (length {len(text)})")


@dataclass(frozen=True)
class _Sets:
    cue: frozenset[int]
    source: frozenset[int]
    content: frozenset[int]

    def counts_for(self, role: str) -> bool:
        """Whether this attribution is a prediction (gold item) for ``role``."""
        if role == "cue":
            return bool(self.cue)
        if role == "attribution":
            return bool(self.cue or self.source or self.content)
        return bool(self.cue or getattr(self, role))


def _sets(text: str, att: BratAttribution) -> _Sets:
    return _Sets(*(_chars(text, att.get(_BRAT_ROLE[r])) for r in ("cue", "source", "content")))


def _correct(role: str, p: _Sets, g: _Sets) -> bool:
    """Whether prediction ``p`` is correct for ``role`` against gold ``g``."""
    if role == "cue":
        return bool(p.cue) and p.cue == g.cue
    if role == "attribution":
        return p == g
    return not p.cue.isdisjoint(g.cue) and getattr(p, role) == getattr(g, role)


def _inside(tokens: list[tuple[int, int]], covered: set[int]) -> set[int]:
    """Indices of the tokens whose every character is covered."""
    return {k for k, (s, e) in enumerate(tokens) if all(i in covered for i in range(s, e))}


def _covered(atts: list[BratAttribution], role: str) -> set[int]:
    names = list(_BRAT_ROLE.values()) if role == "attribution" else [_BRAT_ROLE[role]]
    return {i for att in atts for name in names for s, e in att.get(name) for i in range(s, e)}


def score_document(text: str, gold: list[BratAttribution], pred: list[BratAttribution]) -> Scores:
    """Counts for one article; see the module docstring for the definitions."""
    for att in (*gold, *pred):
        for frags in att.roles.values():
            _check(text, frags)
    gold_sets = [_sets(text, a) for a in gold]
    pred_sets = [_sets(text, a) for a in pred]
    tokens = [m.span() for m in _TOKEN.finditer(text)]
    scores = Scores()
    for role in ROLES:
        c = scores.roles[role]
        golds = [g for g in gold_sets if g.counts_for(role)]
        preds = [p for p in pred_sets if p.counts_for(role)]
        c.gold_total, c.pred_total = len(golds), len(preds)
        c.pred_correct = sum(any(_correct(role, p, g) for g in golds) for p in preds)
        c.gold_matched = sum(any(_correct(role, p, g) for p in preds) for g in golds)
        gold_tok = _inside(tokens, _covered(gold, role))
        pred_tok = _inside(tokens, _covered(pred, role))
        c.gold_tokens, c.pred_tokens = len(gold_tok), len(pred_tok)
        c.pred_tokens_in_gold = c.gold_tokens_in_pred = len(gold_tok & pred_tok)
    return scores


# --- a folder ---------------------------------------------------------------------


def _read_text(path: Path) -> str:
    # newline="" keeps "\r\n" as two characters: brat offsets count them both.
    with path.open(encoding="utf-8", newline="") as fh:
        return fh.read()


def _pred_file(pred_dir: Path, article: str, articles: set[str]) -> Path | None:
    """``<article>.ann``, else the first ``<article>_*.ann`` that is not another article's."""
    exact = pred_dir / f"{article}.ann"
    if exact.is_file():
        return exact
    candidates = sorted(
        p
        for p in pred_dir.glob("*.ann")
        if p.stem.startswith(f"{article}_")
        and p.stem.rsplit("_", 1)[0] == article
        and p.stem not in articles
    )
    return candidates[0] if candidates else None


def _gold_articles(gold_dir: Path) -> list[tuple[str, Path, Path]]:
    if not gold_dir.is_dir():
        raise FileNotFoundError(f"{gold_dir}: gold folder does not exist")
    if not (gold_dir / "attributions").is_dir():
        raise FileNotFoundError(
            f"{gold_dir}: no attributions/ folder (expected PolNeAR layout: text/, attributions/)"
        )
    listed = polnear_articles(gold_dir)  # raises FileNotFoundError without text/
    if not listed:
        raise ValueError(f"{gold_dir}: text/ holds no .txt articles")
    scored = [(name, txt, ann) for name, txt, ann in listed if ann is not None]
    if not scored:
        raise ValueError(f"{gold_dir}: no article in text/ has a gold .ann in attributions/")
    return scored


def read_split(path: Path, part: str) -> set[str]:
    """Articles of ``part`` in a two-column TSV (article, part; ``#`` comments, a header).

    ``eval/dev-split.tsv`` splits PolNeAR dev into "tune" and "check" so that a
    part can be kept unseen while code changes.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{path}: split file does not exist")
    parts: dict[str, set[str]] = {}
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) != 2:
            raise ValueError(f"{path}:{lineno}: expected two tab-separated columns, got {line!r}")
        if cols == ["article", "part"]:
            continue
        parts.setdefault(cols[1].strip(), set()).add(cols[0].strip())
    if part not in parts:
        known = ", ".join(sorted(parts)) or "none"
        raise ValueError(f"{path}: no article is in part {part!r} (parts: {known})")
    return parts[part]


def evaluate_dir(
    gold_dir: Path,
    pred_dir: Path | None = None,
    *,
    model: str = "fast",
    progress: Callable[[int, int], None] | None = None,
    per_article: dict[str, Scores] | None = None,
    articles: Collection[str] | None = None,
    paragraph: ParagraphScores | None = None,
    annotators: str = "all",
) -> tuple[Scores, int]:
    """Score a PolNeAR-layout folder; returns the micro-summed scores and the article count.

    Gold is the lexicographically first annotator file per article; articles
    with no gold file are skipped, and so are those not in ``articles`` when
    it is given. With ``pred_dir`` the predictions are read
    from ``<article>.ann`` (or ``<article>_*.ann``) there, or in its
    ``attributions/`` folder when it is itself PolNeAR layout, and a missing
    file counts as no predictions; without it the pipeline runs on each text.
    ``progress(done, total)`` is called after each article, and ``per_article``,
    when given, is filled with each article's own scores. ``paragraph``, when
    given, is filled with the paragraph-protocol counts of the same predictions
    (:mod:`whosaid.evaluate_paragraph`) against ``annotators`` ("all" files of
    an article, the published setup, or the "first").
    """
    gold_dir = Path(gold_dir)
    listed = _gold_articles(gold_dir)
    if articles is not None:
        wanted = set(articles)
        listed = [a for a in listed if a[0] in wanted]
        if not listed:
            raise ValueError(f"{gold_dir}: no article of the split has gold")
    if annotators not in ANNOTATORS:
        raise ValueError(f"unknown annotators {annotators!r}; choose all or first")
    texts = {name: _read_text(txt) for name, txt, _ in listed}
    total = len(listed)

    predictions: Iterator[tuple[list[BratAttribution], RoleSpans | None]]
    if pred_dir is None:
        from whosaid.brat import from_document
        from whosaid.pipeline import extract_many

        docs = extract_many(((name, texts[name], {}) for name, _, _ in listed), model=model)
        predictions = ((from_document(d), None) for d in docs)
    else:
        pred_dir = Path(pred_dir)
        if not pred_dir.is_dir():
            raise FileNotFoundError(f"{pred_dir}: prediction folder does not exist")
        if not any(pred_dir.glob("*.ann")) and (pred_dir / "attributions").is_dir():
            pred_dir = pred_dir / "attributions"
        names = set(texts)
        files = [_pred_file(pred_dir, name, names) for name, _, _ in listed]
        predictions = (_read_pred(f) for f in files)

    scores = Scores()
    for done, ((name, _, gold_ann), (pred, spans)) in enumerate(
        zip(listed, predictions, strict=True), 1
    ):
        try:
            doc_scores = score_document(texts[name], read_ann(gold_ann), pred)
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from exc
        scores.add(doc_scores)
        if per_article is not None:
            per_article[name] = doc_scores
        if paragraph is not None:
            pred_spans = spans if spans is not None else spans_from_attributions(pred)
            _score_paragraphs(gold_dir, name, texts[name], pred_spans, annotators, paragraph)
        if progress is not None:
            progress(done, total)
    return scores, total


def _read_pred(path: Path | None) -> tuple[list[BratAttribution], RoleSpans | None]:
    if path is None:
        return [], None
    content = path.read_text(encoding="utf-8")
    return parse_ann(content, str(path)), spans_from_ann(content, str(path))


def _score_paragraphs(gold_dir: Path, name: str, text: str, pred: RoleSpans,
                      annotators: str, into: ParagraphScores) -> None:
    units = units_of(text)
    files = annotator_files(gold_dir, name)
    for ann in files if annotators == "all" else files[:1]:
        gold = spans_from_ann(ann.read_text(encoding="utf-8"), str(ann))
        try:
            into.add(score_paragraphs(text, gold, pred, units))
        except ValueError as exc:
            raise ValueError(f"{ann}: {exc}") from exc
