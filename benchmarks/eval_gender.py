"""Speaker gender against the hand-labelled samples in eval/gender/.

    python benchmarks/eval_gender.py            # the tune table for docs/gender.md
    python benchmarks/eval_gender.py --errors   # also every row the pipeline got wrong
    python benchmarks/eval_gender.py --sample eval/gender/check.tsv --part check  # held out

Runs the whole pipeline on the PolNeAR dev articles named in the sample (by default
eval/gender/sample.tsv, "tune" articles only; check.tsv holds the "check" articles)
(../shared/data/polnear/dev/text), finds each labelled speaker among the
document's speakers by name, and reports precision of "female" and "male"
(of the speakers given that gender, how many the reader labelled so), the
share left unknown, and the same split by how the reader knew (the text said
it, or only the name did).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "eval" / "gender" / "sample.tsv"
SPLIT = ROOT / "eval" / "dev-split.tsv"
TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"


def read_sample(path: Path = SAMPLE) -> list[dict[str, str]]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for n, row in enumerate(rows, 1):
        if row["gender"] not in ("female", "male", "unknown"):
            sys.exit(f"{path}: row {n}: gender must be female, male or unknown")
    return rows


def split_articles(part: str = "tune") -> set[str]:
    """The articles of one part of eval/dev-split.tsv, so a sample cannot cross parts."""
    out = set()
    for line in SPLIT.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and parts[1] == part:
            out.add(parts[0])
    return out


def tune_articles() -> set[str]:
    """The tune articles (kept for callers of the earlier name)."""
    return split_articles("tune")


def find(people: dict[str, Any], name: str) -> Any:
    """The labelled speaker among a document's person speakers: by name, else by surname.

    The sample names speakers as the pipeline did when it was labelled; when
    resolution later gives the same person a fuller or shorter name ("Kaine"
    becomes "Tim Kaine"), the one person speaker whose name ends with the
    other is taken ("Bill Clinton" never matches "Hillary Clinton").
    """
    if name in people:
        return people[name]
    want = name.lower().split()

    def extends(a: list[str], b: list[str]) -> bool:  # "kaine" and "tim kaine"
        return bool(a) and bool(b) and (a[-len(b):] == b or b[-len(a):] == a)

    same = [sp for n, sp in people.items() if extends(n.lower().split(), want)]
    return same[0] if len(same) == 1 else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--errors", action="store_true", help="print every wrong or missed row")
    ap.add_argument("--json", action="store_true", help="the figures as JSON")
    ap.add_argument("--sample", type=Path, default=SAMPLE,
                    help="labelled sample (default: eval/gender/sample.tsv)")
    ap.add_argument("--part", choices=("tune", "check"), default="tune",
                    help="the dev-split part every article of the sample must belong to")
    args = ap.parse_args()
    if not TEXTS.is_dir():
        sys.exit(f"{TEXTS} not found: the PolNeAR dev texts live in ../shared")
    rows = read_sample(args.sample)
    allowed = split_articles(args.part)
    stems = sorted({r["article"] for r in rows})
    for stem in stems:  # a tune sample must never reach into the held-out half, nor the reverse
        if not any(stem.startswith(a) for a in allowed):
            sys.exit(f"{args.sample}: {stem} is not a {args.part} article")

    from whosaid.model import SpeakerKind
    from whosaid.pipeline import extract_many

    items = [(s, (TEXTS / f"{s}.txt").read_text(encoding="utf-8"), {}) for s in stems]
    people = {}
    for doc in extract_many(items):
        people[doc.name] = {s.name: s for s in doc.speakers if s.kind is SpeakerKind.PERSON}
    pred_n: Counter[str] = Counter()
    right: Counter[str] = Counter()
    unknown_by: Counter[str] = Counter()
    gold_by: Counter[str] = Counter()
    missing, errors = 0, []
    for row in rows:
        sp = find(people.get(row["article"], {}), row["speaker"])
        if sp is None:
            missing += 1
            errors.append({**row, "predicted": "(speaker not found)"})
            continue
        pred = sp.gender.value if sp.gender else "unknown"
        known = row["gender"] != "unknown"
        gold_by[row["basis"]] += 1
        if pred == "unknown":
            unknown_by[row["basis"]] += 1
        else:
            pred_n[pred] += 1
            right[pred] += pred == row["gender"]
        if pred != row["gender"] and (pred != "unknown" or known):
            errors.append({**row, "predicted": pred, "evidence": sp.gender_evidence})
    scored = len(rows) - missing
    figures = {
        "rows": len(rows), "articles": len(stems), "found": scored,
        "precision_female": round(right["female"] / pred_n["female"], 4) if pred_n["female"]
        else None,
        "precision_male": round(right["male"] / pred_n["male"], 4) if pred_n["male"] else None,
        "predicted_female": pred_n["female"], "predicted_male": pred_n["male"],
        "unknown_share": round(sum(unknown_by.values()) / scored, 4) if scored else None,
        "unknown_share_by_basis": {b: round(unknown_by[b] / n, 4) for b, n in gold_by.items()},
        "gold": dict(Counter(r["gender"] for r in rows)),
    }
    if args.json:
        print(json.dumps({**figures, "errors": errors if args.errors else []}, indent=1))
        return
    print(f"{figures['rows']} labelled speakers in {figures['articles']} {args.part} articles; "
          f"{figures['found']} found among the pipeline's person speakers")
    print()
    print("| | given | correct | precision |")
    print("| --- | ---: | ---: | ---: |")
    for g in ("female", "male"):
        p = figures[f"precision_{g}"]
        print(f"| {g} | {pred_n[g]} | {right[g]} | {p:.1%} |" if p is not None
              else f"| {g} | 0 | 0 | - |")
    print()
    print(f"left unknown: {figures['unknown_share']:.1%} of the found speakers "
          + "(" + ", ".join(f"{b}: {s:.0%}" for b, s in
                            sorted(figures["unknown_share_by_basis"].items())) + " by basis)")
    if args.errors:
        print()
        for e in errors:
            print(f"{e['article']}\t{e['speaker']}\tgold {e['gender']} ({e['basis']})\t"
                  f"predicted {e['predicted']}\t{e.get('evidence', '')}")


if __name__ == "__main__":
    main()
