"""Train the default model's cue classifier (models/cue_extra.crfsuite) from PolNeAR train.

Run after ``whosaid train`` (it uses the same parse and ``train.CUE_PARAMS``):

    python scripts/train_cue_classifier.py                       # parses train (12-22 min)
    python scripts/train_cue_classifier.py --train-parse train.spacy --work /tmp/cuecls

``--train-parse`` is a DocBin of ``load_nlp()``'s parse of the annotated train
articles in ``polnear_articles`` order; ``--work`` keeps the four cross-fitting
CRFs (about 2 CPU-minutes each, two at a time), so a rerun only refits the
classifier (about 1.5 CPU-minutes). Deterministic: the same inputs give the
same file. Why and what it buys: whosaid.extract.cueclass, docs/accuracy.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from spacy.tokens import DocBin

from whosaid.brat import polnear_articles, read_ann
from whosaid.extract import cueclass
from whosaid.extract.features import DocInfo
from whosaid.extract.tagger import EXTRA_MODEL, MODEL_DIR
from whosaid.parse import load_nlp
from whosaid.train import tokens_in

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared/data/polnear/train")
    ap.add_argument("--train-parse", type=Path, help="cached DocBin of the train parse")
    ap.add_argument("--work", type=Path, help="folder that keeps the cross-fitting CRFs")
    ap.add_argument("--out", type=Path, default=MODEL_DIR / EXTRA_MODEL)
    args = ap.parse_args()
    start = time.process_time()
    articles = [(t, g) for _, t, g in polnear_articles(args.corpus) if g is not None]
    nlp = load_nlp()
    if args.train_parse is not None:
        docs = list(DocBin().from_disk(args.train_parse).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((t.read_text(encoding="utf-8") for t, _ in articles), batch_size=16))
    if len(docs) != len(articles):
        sys.exit(f"error: {len(docs)} parsed documents for {len(articles)} annotated articles")
    gold = []
    for doc, (_, ann) in zip(docs, articles, strict=True):
        starts = [t.idx for t in doc]
        gold.append([c for c in (tokens_in(doc, starts, a.get("Cue")) for a in read_ann(ann))
                     if c])
    infos = [DocInfo.build(d) for d in docs]
    out = cueclass.train(infos, gold, args.out, work=args.work)
    print(f"{out} ({out.stat().st_size:,} bytes, {time.process_time() - start:.0f} CPU s "
          "in this process)")


if __name__ == "__main__":
    main()
