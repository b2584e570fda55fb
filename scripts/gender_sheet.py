"""Print a labelling sheet for the speaker-gender gold (``eval/gender/*.tsv``).

The sampling frame is every named person speaker whosaid finds in an article; the
sheet lists each one with the article's sentences that name it (any word of the
name), so that a reader can label female / male / unknown and the basis. It shows
no gender prediction: gender is switched off (``WHOSAID_GENDER=0``) before the
pipeline runs, so the labeller cannot be steered by it. Group speakers
("X + Y") are listed apart, as the gold leaves them out. The article text is read
from ``../shared`` and never written into the repository.

    python scripts/gender_sheet.py --part check        # every check article of eval/dev-split.tsv
    python scripts/gender_sheet.py ARTICLE [ARTICLE ...]
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPLIT = ROOT / "eval" / "dev-split.tsv"
TEXTS = ROOT.parent / "shared" / "data" / "polnear" / "dev" / "text"


def split_articles(part: str) -> list[str]:
    """The articles of one part of the dev split, in file order."""
    out = []
    for line in SPLIT.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) == 2 and cols[1] == part:
            out.append(cols[0])
    return out


# a full stop after these is no sentence end ("Mr. Clarke", "Charles E. Grassley")
_NO_END = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|St|Jr|Sr|Sgt|Col)|\b[A-Z])\.$")


def sentences(text: str) -> list[str]:
    """Rough sentence split: enough to show a reader where a name occurs."""
    out: list[str] = []
    for para in text.split("\n"):
        parts = [p for p in re.split(r"(?<=[.!?\"”])\s+(?=[A-Z“\"])", para) if p.strip()]
        sents: list[str] = []
        for part in parts:
            if sents and _NO_END.search(sents[-1]):
                sents[-1] += " " + part.strip()
            else:
                sents.append(part.strip())
        out.extend(sents)
    return out


def naming(sents: list[str], name: str) -> list[str]:
    """Sentences that contain any capitalised word of the name, as a whole word."""
    words = [w for w in re.findall(r"[\w'’.-]+", name) if w[:1].isupper() and len(w) > 1]
    pats = [re.compile(rf"\b{re.escape(w)}\b") for w in words]
    return [s for s in sents if any(p.search(s) for p in pats)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("articles", nargs="*", help="article stems (default: --part)")
    ap.add_argument("--part", choices=("tune", "check"), help="every article of this part")
    args = ap.parse_args()
    stems = args.articles or (split_articles(args.part) if args.part else [])
    if not stems:
        ap.error("give articles or --part")
    os.environ["WHOSAID_GENDER"] = "0"  # the sheet must never show a prediction

    from whosaid.model import SpeakerKind
    from whosaid.pipeline import extract_many

    texts = {s: (TEXTS / f"{s}.txt").read_text(encoding="utf-8") for s in stems}
    for doc in extract_many([(s, texts[s], {}) for s in stems]):
        persons = [sp for sp in doc.speakers if sp.kind is SpeakerKind.PERSON and sp.named]
        print(f"=== {doc.name} ({len(persons)} named person speakers)")
        sents = sentences(texts[str(doc.name)])
        seen: set[str] = set()
        for sp in persons:
            if sp.name in seen:  # the gold has one row per name and article
                continue
            seen.add(sp.name)
            if "+" in sp.name:
                print(f"--- [group, left out] {sp.name}")
                continue
            extra = ", ".join(x for x in (sp.title, sp.role) if x)
            print(f"--- {doc.name}\t{sp.name}" + (f"   [{extra}]" if extra else ""))
            for s in naming(sents, sp.name):
                print(f"      {s}")
        print()


if __name__ == "__main__":
    main()
