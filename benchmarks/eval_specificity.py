"""Score the source-specificity classes against the hand-labelled PolNeAR gold.

    python benchmarks/eval_specificity.py [--polnear ../shared/data/polnear/dev] [--json]

tests/data/specificity_gold.tsv holds only ``article``, ``start``, ``end`` (the
source mention's character offsets, or the cue's for an attribution with no
source) and the hand label: the PolNeAR text itself is research data and is
read from ../shared at run time. Each gold mention is classified the way the
pipeline does it (resolution, then :func:`whosaid.assess.specificity`), but on
PolNeAR's own source span, so extraction errors do not blur the score of the
classifier. Exits 0 with a note when PolNeAR is absent.

``--sample N`` writes a fresh candidate list (with context, for labelling by
hand) instead of scoring; that is how the gold file was started.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from whosaid.assess import specificity
from whosaid.brat import polnear_articles, read_ann
from whosaid.model import Attribution, Document, Source, Specificity, span_of
from whosaid.parse import load_nlp
from whosaid.resolve import resolve_speakers

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "data" / "specificity_gold.tsv"
POLNEAR = ROOT.parent / "shared" / "data" / "polnear" / "dev"
CLASSES = [s.value for s in Specificity]


def mentions(split: Path) -> dict[str, tuple[str, list[tuple[int, int, int, int, bool]]]]:
    """article -> (text, [(start, end, cue_start, cue_end, has_source)]) from the gold .ann."""
    out = {}
    for art, txt, ann in polnear_articles(split):
        if ann is None:
            continue
        rows = []
        for a in read_ann(ann):
            cue = a.get("Cue")
            if not cue:
                continue
            src = a.get("Source")
            if src:
                rows.append((src[0][0], src[-1][1], cue[0][0], cue[-1][1], True))
            else:
                rows.append((cue[0][0], cue[-1][1], cue[0][0], cue[-1][1], False))
        out[art] = (txt.read_text(encoding="utf-8"), rows)
    return out


def predict(text: str, rows: list[tuple[int, int, int, int, bool]]) -> dict[tuple[int, int], str]:
    """Classify every gold mention of one article, as the pipeline would."""
    sdoc = load_nlp()(text)
    sent_of = [0] * len(sdoc)
    for k, sent in enumerate(sdoc.sents):
        for tok in sent:
            sent_of[tok.i] = k
    doc = Document(text=text)
    keyed = []
    for s, e, cs, ce, has_source in sorted(rows, key=lambda r: (r[0], r[1])):
        src = Source(text=text[s:e], start=s, end=e) if has_source else None
        att = Attribution(source=src, cue=span_of(text, cs, ce))
        doc.attributions.append(att)
        keyed.append(((s, e), att))
    resolve_speakers(doc, sdoc, sent_of)
    out = {}
    for key, att in keyed:
        att.specificity = specificity(att, doc, sdoc)
        out[key] = att.specificity.value
    return out


def sample(split: Path, n: int, out: Path) -> None:
    """A labelling sheet, with context: a random draw of ``n`` mentions, then
    ``n // 2`` more from the mentions without a capital letter (common nouns such as
    "critics" or "a senior official", rare in a random draw), then ``n // 10``
    attributions with no source."""
    data = mentions(split)
    rng = random.Random(6)
    pool = [(art, r) for art, (_t, rows) in sorted(data.items()) for r in rows]
    picked = rng.sample(pool, n)
    rest = [x for x in pool if x not in picked]
    lower = [x for x in rest if x[1][4] and not any(ch.isupper() for ch in
             data[x[0]][0][x[1][0]:x[1][1]]) and data[x[0]][0][x[1][0]:x[1][1]].lower()
             not in {"he", "she", "it", "they", "who", "which", "we", "i", "you", "that"}]
    picked += rng.sample(lower, n // 2)
    nosrc = [x for x in rest if not x[1][4] and x not in picked]
    picked += rng.sample(nosrc, min(len(nosrc), n // 10))
    by_art: dict[str, list[tuple[int, int, int, int, bool]]] = defaultdict(list)
    for art, r in picked:
        by_art[art].append(r)
    with out.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, delimiter="\t")
        for art, rows in sorted(by_art.items()):
            text = data[art][0]
            pred = predict(text, data[art][1])
            for s, e, _cs, _ce, _has in sorted(rows):
                ctx = text[max(0, s - 160):s] + "[[" + text[s:e] + "]]" + text[e:e + 60]
                w.writerow([art, s, e, pred[(s, e)], text[s:e].replace("\n", " "),
                            ctx.replace("\n", " ").replace("\t", " ")])


def evaluate(split: Path) -> dict[str, object]:
    data = mentions(split)
    gold: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    with GOLD.open(encoding="utf-8") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")),
                                  delimiter="\t"):
            gold[row["article"]].append((int(row["start"]), int(row["end"]), row["label"]))
    pairs: list[tuple[str, str]] = []
    errors = []
    for art, items in sorted(gold.items()):
        text, rows = data[art]
        pred = predict(text, rows)  # the whole article, so pronouns see earlier sources
        for s, e, label in items:
            p = pred[(s, e)]
            pairs.append((label, p))
            if p != label:
                errors.append({"article": art, "start": s, "end": e,
                               "mention": text[s:e], "gold": label, "predicted": p})
    per_class = {}
    for c in CLASSES:
        tp = sum(1 for g, p in pairs if g == c and p == c)
        n_pred = sum(1 for _g, p in pairs if p == c)
        n_gold = sum(1 for g, _p in pairs if g == c)
        per_class[c] = {"gold": n_gold, "predicted": n_pred,
                        "precision": round(tp / n_pred, 4) if n_pred else None,
                        "recall": round(tp / n_gold, 4) if n_gold else None}
    correct = sum(1 for g, p in pairs if g == p)
    return {"mentions": len(pairs), "articles": len(gold),
            "accuracy": round(correct / len(pairs), 4) if pairs else None,
            "per_class": per_class, "confusion": Counter(f"{g}->{p}" for g, p in pairs
                                                         if g != p).most_common(),
            "errors": errors}


def markdown(result: dict[str, object]) -> str:
    lines = [f"{result['mentions']} mentions in {result['articles']} articles; "
             f"accuracy **{result['accuracy']:.1%}**", "",
             "| class | gold | predicted | precision | recall |",
             "| --- | ---: | ---: | ---: | ---: |"]
    per_class = result["per_class"]
    assert isinstance(per_class, dict)
    for c, r in per_class.items():
        p = "-" if r["precision"] is None else f"{r['precision']:.1%}"
        rc = "-" if r["recall"] is None else f"{r['recall']:.1%}"
        lines.append(f"| {c} | {r['gold']} | {r['predicted']} | {p} | {rc} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--polnear", type=Path, default=POLNEAR)
    parser.add_argument("--json", action="store_true", help="print JSON, errors included")
    parser.add_argument("--sample", type=int, help="write N candidates to --out instead")
    parser.add_argument("--out", type=Path, default=Path("specificity_candidates.tsv"))
    args = parser.parse_args(argv)
    if not (args.polnear / "text").is_dir():
        print(f"skipped: PolNeAR not found at {args.polnear}", file=sys.stderr)
        return 0
    if args.sample:
        sample(args.polnear, args.sample, args.out)
        return 0
    result = evaluate(args.polnear)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(markdown(result), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
