"""What the cue classifier (extract/cueclass.py) buys on the tune part of dev, by threshold.

Rows: the default model without the classifier (the packaged CRFs copied to a
folder without ``cue_extra.crfsuite``), then with it at each threshold
(``cueclass.THRESHOLD``; the shipped value is marked). Paragraph exact F1 (every
annotator file), document-level exact F1, whole-attribution overlap F1.

    python benchmarks/ablate_cue_classifier.py
    python benchmarks/ablate_cue_classifier.py --thresholds 0.4 0.5 0.6

Only articles of part "tune" in eval/dev-split.tsv are read. Results:
docs/accuracy.md (issue 13). The classifier is trained by
scripts/train_cue_classifier.py.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from whosaid import pipeline
from whosaid.evaluate import ParagraphScores, evaluate_dir, read_split
from whosaid.extract import cueclass
from whosaid.extract.tagger import CUE_MODEL, MODEL_DIR, ROLE_MODEL, CRFTagger

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
SPLIT = ROOT / "eval" / "dev-split.tsv"


def row(label: str, wanted: set[str], tagger: CRFTagger) -> str:
    """One table row for the pipeline with ``tagger`` as the fast model's tagger."""
    saved = pipeline.tagger_for
    pipeline.tagger_for = lambda model: tagger  # type: ignore[assignment]
    try:
        para = ParagraphScores()
        doc, _ = evaluate_dir(DEV, articles=wanted, paragraph=para)
    finally:
        pipeline.tagger_for = saved
    cells = [para[r].prf()[2] for r in ("source", "cue", "content")]
    cells += [doc.f1(r) for r in ("source", "cue", "content", "attribution")]
    cells.append(doc.f1("attribution", "overlap"))
    return f"| {label} | " + " | ".join(f"{v:.3f}" for v in cells) + " |"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--thresholds", type=float, nargs="+", default=[0.4, 0.45, 0.5, 0.6])
    args = ap.parse_args()
    if not DEV.is_dir():
        sys.exit(f"error: no PolNeAR dev split in {DEV}")
    wanted = read_split(SPLIT, "tune")
    shipped = cueclass.THRESHOLD
    print("| variant (tune part) | para. source | para. cue | para. content | doc. source "
          "| doc. cue | doc. content | doc. whole | doc. whole ov. |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in (CUE_MODEL, ROLE_MODEL):
            shutil.copy(MODEL_DIR / name, Path(tmp) / name)
        print(row("no cue classifier", wanted, CRFTagger(Path(tmp))), flush=True)
    tagger = CRFTagger()
    if tagger.extra is None:
        sys.exit("error: no cue classifier in the package; run scripts/train_cue_classifier.py")
    try:
        for th in args.thresholds:
            cueclass.THRESHOLD = th
            mark = " (shipped)" if th == shipped else ""
            print(row(f"cue classifier >= {th}{mark}", wanted, tagger), flush=True)
    finally:
        cueclass.THRESHOLD = shipped


if __name__ == "__main__":
    main()
