"""Error budget on the tune part: the F1 each kind of error costs, by oracle repair.

Each predicted attribution is paired with a gold one of the same annotator file
(greedily, by shared cue characters). Then ONE kind of error is repaired from
gold and the real scorers run again (paragraph protocol over every annotator
file, document level on the first): the gain is what that kind costs. Kinds
overlap, so the rows do not add up; repairing all of them reaches about 1.0.
This is how issue 13's session 8 chose content boundaries as the lever
(docs/accuracy.md).

    python benchmarks/error_budget.py                 # the default model, tune part
    python benchmarks/error_budget.py --pred DIR      # .ann predictions instead

Only articles of part "tune" in eval/dev-split.tsv are read.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from whosaid.brat import BratAttribution, from_document, read_ann
from whosaid.evaluate import (
    Scores,
    _gold_articles,
    _pred_file,
    _read_text,
    read_split,
    score_document,
)
from whosaid.evaluate_paragraph import (
    ParagraphScores,
    annotator_files,
    score_paragraphs,
    spans_from_ann,
    spans_from_attributions,
    units_of,
)

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
SPLIT = ROOT / "eval" / "dev-split.tsv"
QUOTES = set("\"'“”‘’")
PUNCT = set(".,;:!?()[]—–-") | QUOTES
Frags = list[tuple[int, int]]
Article = tuple[str, str, list[BratAttribution], list[Path]]
Fix = Callable[[str, list[BratAttribution], list[BratAttribution]], list[BratAttribution]]


def chars(text: str, frags: Frags) -> set[int]:
    return {i for s, e in frags for i in range(s, e) if not text[i].isspace()}


def pair(text: str, pred: list[BratAttribution], gold: list[BratAttribution]
         ) -> tuple[dict[int, int], dict[int, int]]:
    """One-to-one pairs (pred index -> gold index, and back) by largest cue overlap first."""
    cands = []
    for i, p in enumerate(pred):
        pc = chars(text, p.get("Cue"))
        for j, g in enumerate(gold):
            ov = len(pc & chars(text, g.get("Cue")))
            if ov:
                cands.append((-ov, i, j))
    pm: dict[int, int] = {}
    gm: dict[int, int] = {}
    for _, i, j in sorted(cands):
        if i not in pm and j not in gm:
            pm[i], gm[j] = j, i
    return pm, gm


def _strip(text: str, frags: Frags) -> Frags:
    out = []
    for s, e in frags:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((s, e))
    return out


def _between(text: str, a: int, b: int, own: set[int], others: set[int]) -> str:
    """What lies between a predicted and a gold content edge."""
    seg = text[a:b]
    marks = [ch for ch in seg if not ch.isspace()]
    idx = {i for i in range(a, b) if not text[i].isspace()}
    if all(ch in QUOTES for ch in marks):
        return "quote marks"
    if all(ch in PUNCT for ch in marks):
        return "punctuation"
    if idx & own:
        return "own cue/source"
    if idx & others:
        return "another attribution's cue"
    words = seg.split()
    if len(words) <= 3:
        return "1-3 words"
    if any(w.endswith((".", "?", "!")) for w in words[:-1]):
        return "a sentence or more"
    return "clause (4+ words)"


def content_errors(text: str, p: BratAttribution, g: BratAttribution, pred_cues: set[int]
                   ) -> list[tuple[str, Frags]]:
    """(kind, the prediction's content with that error repaired) for one pair."""
    pc, gc = _strip(text, p.get("Content")), _strip(text, g.get("Content"))
    if chars(text, pc) == chars(text, gc):
        return []
    if not pc:
        return [("no content predicted", g.get("Content"))]
    if not gc:
        return [("content where gold has none", [])]
    if len(pc) != 1 or len(gc) != 1:
        return [("fragments (gold or prediction discontinuous)", g.get("Content"))]
    (ps, pe), (gs, ge) = pc[0], gc[0]
    if ps >= ge or gs >= pe:
        return [("no overlap", g.get("Content"))]
    own = set().union(*(chars(text, x.get(r)) for x in (p, g) for r in ("Cue", "Source")))
    others = pred_cues - chars(text, p.get("Cue"))
    out = []
    if ps != gs:
        what = _between(text, min(ps, gs), max(ps, gs), own, others)
        out.append((f"start {'too early' if ps < gs else 'too late'}: {what}", [(gs, pe)]))
    if pe != ge:
        what = _between(text, min(pe, ge), max(pe, ge), own, others)
        out.append((f"end {'too late' if pe > ge else 'too early'}: {what}", [(ps, ge)]))
    return out


def fixer(kinds: set[str]) -> Fix:
    """The oracle repair of the given kinds ("missed", "fp", "cue", "source", "content",
    or "c:" + a content error kind)."""
    def fix(text: str, pred: list[BratAttribution], gold: list[BratAttribution]
            ) -> list[BratAttribution]:
        pm, gm = pair(text, pred, gold)
        pred_cues = set().union(*(chars(text, p.get("Cue")) for p in pred))
        out = []
        for i, p in enumerate(pred):
            if i not in pm:
                if "fp" not in kinds:
                    out.append(p)
                continue
            g = gold[pm[i]]
            roles = dict(p.roles)
            for kind, role in (("cue", "Cue"), ("source", "Source"), ("content", "Content")):
                if kind in kinds:
                    roles[role] = g.get(role)
            if "content" not in kinds:
                for kind, repaired in content_errors(text, p, g, pred_cues):
                    if "c:" + kind in kinds:
                        roles["Content"] = repaired
                        break
            out.append(BratAttribution(roles))
        if "missed" in kinds:
            out += [g for j, g in enumerate(gold) if j not in gm and g.get("Cue")]
        return out
    return fix


def score(data: list[Article], fix: Fix) -> list[float]:
    """Paragraph exact F1 (source, cue, content; all files), document-level exact F1
    (source, cue, content, whole; first file) and whole overlap F1."""
    para, doc = ParagraphScores(), Scores()
    for _, text, pred, files in data:
        units = units_of(text)
        for k, f in enumerate(files):
            gold = read_ann(f)
            new = fix(text, pred, gold)
            gspans = spans_from_ann(f.read_text(encoding="utf-8"), str(f))
            para.add(score_paragraphs(text, gspans, spans_from_attributions(new), units))
            if k == 0:
                doc.add(score_document(text, gold, new))
    return ([para[r].prf()[2] for r in ("source", "cue", "content")]
            + [doc.f1(r) for r in ("source", "cue", "content", "attribution")]
            + [doc.f1("attribution", "overlap")])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pred", type=Path, help="folder of predicted .ann files")
    args = ap.parse_args()
    if not DEV.is_dir():
        sys.exit(f"error: no PolNeAR dev split in {DEV}")
    wanted = read_split(SPLIT, "tune")
    listed = [(n, t) for n, t, _ in _gold_articles(DEV) if n in wanted]
    texts = {n: _read_text(t) for n, t in listed}
    if args.pred is None:
        from whosaid.pipeline import extract_many

        preds = {d.name: from_document(d)
                 for d in extract_many((n, texts[n], {}) for n, _ in listed)}
    else:
        preds = {}
        for n, _ in listed:
            f = _pred_file(args.pred, n, set(texts))
            preds[n] = read_ann(f) if f else []
    data = [(n, texts[n], preds[n] or [], annotator_files(DEV, n)) for n, _ in listed]
    census: Counter[str] = Counter()
    for _, text, pred, files in data:
        gold = read_ann(files[0])
        pm, gm = pair(text, pred, gold)
        pred_cues = set().union(*(chars(text, p.get("Cue")) for p in pred))
        census["missed"] += sum(1 for j, g in enumerate(gold) if j not in gm and g.get("Cue"))
        census["fp"] += len(pred) - len(pm)
        for i, j in pm.items():
            for role in ("Cue", "Source"):
                if chars(text, pred[i].get(role)) != chars(text, gold[j].get(role)):
                    census[role.lower()] += 1
            for kind, _ in content_errors(text, pred[i], gold[j], pred_cues):
                census["c:" + kind] += 1
                census["content"] += 1
    print("| oracle repair (tune) | n | para. source | para. cue | para. content | doc. source "
          "| doc. cue | doc. content | doc. whole | doc. whole ov. |")
    print("|---|---:|---|---|---|---|---|---|---|---|")
    base = score(data, lambda text, pred, gold: pred)
    print("| model as is (absolute) | | " + " | ".join(f"{v:.3f}" for v in base) + " |")
    rows = [("missed gold attributions (no predicted cue overlaps)", {"missed"}),
            ("false positives (cue overlaps no gold cue)", {"fp"}),
            ("cue edges of found attributions", {"cue"}),
            ("source of found attributions", {"source"}),
            ("content of found attributions", {"content"})]
    rows += [(f"content: {k[2:]}", {k}) for k, _ in census.most_common() if k.startswith("c:")]
    for label, kinds in rows:
        n = sum(census[k] for k in kinds)
        cells = [v - b for v, b in zip(score(data, fixer(kinds)), base, strict=True)]
        print(f"| {label} | {n} | " + " | ".join(f"{v:+.3f}" for v in cells) + " |", flush=True)


if __name__ == "__main__":
    main()
