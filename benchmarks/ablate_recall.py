"""Which gold attributions the default model misses, by predicate class (tune part only).

A gold attribution (first annotator file, document level) is *missed* when no
predicted cue shares a non-whitespace character with its cue. Its class comes
from the head token of the gold cue in spaCy's parse: "according to",
a nominal cue (noun head), punctuation (colon, dash), or the verb's general
semantic class (``whosaid.extract.lexicon.predicate_class``: speech, belief,
showing/releasing/posting, wanting/planning, proposing/promising/requesting,
deciding, feeling, other).

    python benchmarks/ablate_recall.py                     # the fast model, tune part
    python benchmarks/ablate_recall.py --pred /tmp/pred    # .ann predictions instead
    python benchmarks/ablate_recall.py --lemmas 15         # most missed lemmas per class
    python benchmarks/ablate_recall.py --ablate            # each recall rule switched off
    python benchmarks/ablate_recall.py --ablate --model-dir "old CRFs=/tmp/old"
    python benchmarks/ablate_recall.py --boundaries        # content boundary errors by class

Only articles of part "tune" in eval/dev-split.tsv are read: the "check" part
stays unseen.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from whosaid import pipeline
from whosaid.brat import from_document, polnear_articles, read_ann
from whosaid.evaluate import (
    ParagraphScores,
    _chars,
    _pred_file,
    _read_text,
    evaluate_dir,
    read_split,
)
from whosaid.evaluate_paragraph import _labels, chunks, spans_from_attributions, units_of
from whosaid.extract.lexicon import ATTRIBUTIVE_PREPS, predicate_class
from whosaid.extract.tagger import CRFTagger
from whosaid.parse import load_nlp

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
SPLIT = ROOT / "eval" / "dev-split.tsv"
CLASSES = {
    "speech": "speech verbs",
    "belief": "believing/knowing",
    "show": "showing/releasing/posting",
    "want": "wanting/planning",
    "propose": "proposing/promising/requesting",
    "decide": "deciding",
    "feel": "feeling",
    "nominal": "nominal cues",
    "according": "according to",
    "punct": "punctuation (colon, dash)",
    "none": "other",
}


def cue_class_of(sdoc, start: int, end: int) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """(class, head lemma) of the gold cue at characters [start, end)."""
    toks = [t for t in sdoc if t.idx < end and t.idx + len(t.text) > start and not t.is_space]
    if not toks:
        return "none", ""
    ids = {t.i for t in toks}
    head = next((t for t in toks if t.head.i not in ids or t.head.i == t.i), toks[0])
    lemma = head.lemma_.lower()
    if toks[0].lower_ in ATTRIBUTIVE_PREPS or lemma in ATTRIBUTIVE_PREPS:
        return "according", lemma
    if all(t.is_punct for t in toks):
        return "punct", head.text
    if head.pos_ in ("NOUN", "PROPN"):
        return "nominal", lemma
    verb = next((t for t in toks if t.pos_ == "VERB"), head)
    return predicate_class(verb.lemma_), verb.lemma_.lower()


def ablation_row(label: str, wanted: set[str], *, nested: bool = True, subject: bool = True,
                 model_dir: Path | None = None) -> str:
    """One row: paragraph exact F1 (all annotators) and document-level F1 on the tune part."""
    saved = pipeline.drop_nested, pipeline.inherit_subject, pipeline.tagger_for
    if not nested:
        pipeline.drop_nested = lambda found: found
    if not subject:
        pipeline.inherit_subject = lambda doc, found: None
    if model_dir is not None:
        tagger = CRFTagger(model_dir)
        pipeline.tagger_for = lambda model: tagger  # type: ignore[assignment]
    try:
        para = ParagraphScores()
        doc, _ = evaluate_dir(DEV, articles=wanted, paragraph=para)
    finally:
        pipeline.drop_nested, pipeline.inherit_subject, pipeline.tagger_for = saved
    cells = [para[r].prf()[2] for r in ("source", "cue", "content")]
    cells += [doc.f1(r) for r in ("source", "cue", "content", "attribution")]
    cells.append(doc.f1("attribution", "overlap"))
    return f"| {label} | " + " | ".join(f"{v:.3f}" for v in cells) + " |"


def ablate(wanted: set[str], model_dirs: list[str]) -> None:
    print("| variant (tune part) | para. source | para. cue | para. content | doc. source "
          "| doc. cue | doc. content | doc. whole | doc. whole ov. |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(ablation_row("shipped", wanted), flush=True)
    print(ablation_row("no inherited subjects", wanted, subject=False), flush=True)
    print(ablation_row("no nesting rule", wanted, nested=False), flush=True)
    print(ablation_row("neither rule", wanted, nested=False, subject=False), flush=True)
    for spec in model_dirs:
        name, _, folder = spec.partition("=")
        print(ablation_row(name, wanted, model_dir=Path(folder)), flush=True)


PUNCT_CHARS = set(".,;:!?\"'“”‘’()[]—–-")
COMPLEMENTISERS = frozenset({"that", "to", "whether", "if", "how", "why", "what"})


def boundary_class(words: list[str], has_cue: bool) -> str:
    """What the tokens between a predicted and a gold content boundary are."""
    if all(all(ch in PUNCT_CHARS for ch in w) for w in words):
        return "punctuation only"
    if len(words) == 1 and words[0].lower() in COMPLEMENTISERS:
        return "complementiser (that, to, whether...)"
    if has_cue:
        return "holds a cue (another attribution)"
    if any(w in (".", "?", "!") for w in words[:-1]) or (words[-1] in ".?!" and len(words) > 3):
        return "a sentence or more"
    if len(words) <= 3:
        return "1-3 words"
    return "a clause (4+ words)"


def boundaries(arts: list[tuple[str, Path, Path | None]], texts: dict[str, str],
               preds: dict[str, list]) -> None:  # type: ignore[type-arg]
    """Content chunks (paragraph protocol, first annotator file) by boundary outcome:
    exact, no overlapping gold / prediction, and for overlapping ones what lies
    between the predicted and the gold start or end."""
    outcome: Counter[str] = Counter()
    sides: Counter[tuple[str, str]] = Counter()
    for name, _, gold_ann in arts:
        text = texts[name]
        units = units_of(text)
        toks = [t for u in units for t in u]
        gold = spans_from_attributions(read_ann(gold_ann))  # type: ignore[arg-type]
        pred = spans_from_attributions(preds[name])
        gl, pl = _labels(toks, gold["content"]), _labels(toks, pred["content"])
        cue = [g != "O" or p != "O" for g, p in zip(_labels(toks, gold["cue"]),
                                                    _labels(toks, pred["cue"]), strict=True)]
        at = 0
        for unit in units:
            k = len(unit)
            gc, pc = chunks(gl[at:at + k]), chunks(pl[at:at + k])
            for p in pc:
                over = [g for g in gc if min(g[1], p[1]) > max(g[0], p[0])]
                if p in gc:
                    outcome["exact"] += 1
                elif not over:
                    outcome["predicted, no gold overlaps"] += 1
                else:
                    outcome["overlaps gold, not exact"] += 1
                    g = max(over, key=lambda g: min(g[1], p[1]) - max(g[0], p[0]))
                    for side, a, b in (("starts early", p[0], g[0]), ("starts late", g[0], p[0]),
                                       ("ends early", p[1], g[1]), ("ends late", g[1], p[1])):
                        if a < b:
                            words = [text[s:e] for s, e in unit[a:b]]
                            sides[side, boundary_class(words, any(cue[at + a:at + b]))] += 1
            outcome["gold, no prediction overlaps"] += sum(
                1 for g in gc if not any(min(g[1], p[1]) > max(g[0], p[0]) for p in pc))
            at += k
    print("| content chunks (tune, first annotator file) | count |\n|---|---:|")
    for key, n in outcome.most_common():
        print(f"| {key} | {n} |")
    print("\n| boundary difference | starts early | starts late | ends early | ends late | total |")
    print("|---|---:|---:|---:|---:|---:|")
    classes = sorted({c for _, c in sides}, key=lambda c: -sum(sides[s, c] for s, _ in sides))
    for cls in classes:
        row = [sides[s, cls] for s in ("starts early", "starts late", "ends early", "ends late")]
        print(f"| {cls} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pred", type=Path, help="folder of predicted .ann files")
    ap.add_argument("--model", default="fast")
    ap.add_argument("--part", default="tune", choices=["tune"])
    ap.add_argument("--lemmas", type=int, default=8, help="missed lemmas shown per class")
    ap.add_argument("--ablate", action="store_true", help="print the rule ablation table")
    ap.add_argument("--boundaries", action="store_true",
                    help="content chunks by boundary error class instead of the miss table")
    ap.add_argument("--model-dir", action="append", default=[],
                    help="NAME=DIR: an extra ablation row with the CRFs in DIR")
    args = ap.parse_args()
    if not DEV.is_dir():
        sys.exit(f"error: no PolNeAR dev split in {DEV}")
    wanted = read_split(SPLIT, args.part)
    if args.ablate:
        ablate(wanted, args.model_dir)
        return
    arts = [(n, t, g) for n, t, g in polnear_articles(DEV) if n in wanted and g is not None]
    texts = {n: _read_text(t) for n, t, _ in arts}
    if args.pred is None:
        from whosaid.pipeline import extract_many

        preds = {d.name: from_document(d)
                 for d in extract_many(((n, texts[n], {}) for n, _, _ in arts), model=args.model)}
    else:
        preds = {}
        for n, _, _ in arts:
            f = _pred_file(args.pred, n, set(texts))
            preds[n] = read_ann(f) if f else []
    if args.boundaries:
        boundaries(arts, texts, preds)
        return
    nlp = load_nlp()
    total: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    lemmas: dict[str, Counter[str]] = {c: Counter() for c in CLASSES}
    for (name, _, gold_ann), sdoc in zip(arts, nlp.pipe(texts[n] for n, _, _ in arts),
                                         strict=True):
        text = texts[name]
        pred_cues = [_chars(text, p.get("Cue")) for p in preds[name]]
        for g in read_ann(gold_ann):
            frags = g.get("Cue")
            if not frags:
                continue
            cue = _chars(text, frags)
            cls, lemma = cue_class_of(sdoc, frags[0][0], frags[-1][1])
            total[cls] += 1
            if not any(cue & p for p in pred_cues):
                missed[cls] += 1
                lemmas[cls][lemma] += 1
    n_gold, n_missed = sum(total.values()), sum(missed.values())
    print(f"{len(arts)} tune articles, {n_gold} gold attributions with a cue, "
          f"{n_missed} missed ({n_missed / n_gold:.1%})\n")
    print("| predicate class | gold | missed | missed share of class | share of all misses "
          "| most missed lemmas |")
    print("|---|---:|---:|---:|---:|---|")
    for cls in sorted(CLASSES, key=lambda c: -missed[c]):
        if not total[cls]:
            continue
        top = ", ".join(f"{w} {k}" for w, k in lemmas[cls].most_common(args.lemmas))
        print(f"| {CLASSES[cls]} | {total[cls]} | {missed[cls]} | "
              f"{missed[cls] / total[cls]:.0%} | {missed[cls] / max(1, n_missed):.0%} | {top} |")


if __name__ == "__main__":
    main()
