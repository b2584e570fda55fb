"""Print a labelling sheet for the speaker gold (``../shared/guides/speaker-gold.md``).

A human (or any careful reader) labels from this sheet: it shows the whole article with
character offsets at each paragraph, then every gold attribution of the first annotator
file with its cue offsets, source span and the start of its content. It decides nothing:
the speaker and kind columns are left for the reader to write. The article text is read
from ``../shared`` and never written into the repository.

    python scripts/speaker_gold_sheet.py ARTICLE [--polnear ../shared/data/polnear/dev]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path


def first_ann(root: Path, article: str) -> Path:
    anns = sorted((root / "attributions").glob(f"{article}_*.ann"))
    if not anns:
        raise SystemExit(f"{root}: no annotation file for {article}")
    return anns[0]


Spans = dict[str, tuple[str, list[tuple[int, int]]]]


def read_ann(path: Path) -> tuple[Spans, list[dict[str, str]]]:
    spans: Spans = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not re.match(r"[A-Z]+\d+\t", line):
            continue  # continuation of a multi-line span text (as whosaid.brat does)
        if line.startswith("T"):
            tid, mid, _ = line.split("\t", 2)
            label, offsets = mid.split(" ", 1)
            frags = [tuple(int(x) for x in part.split()) for part in offsets.split(";")]
            spans[tid] = (label, frags)  # type: ignore[assignment]
        elif line.startswith("E"):
            _, args = line.split("\t", 1)
            roles = dict(arg.split(":", 1) for arg in args.split())
            events.append(roles)
    return spans, events


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("article")
    ap.add_argument("--polnear", default="../shared/data/polnear/dev")
    args = ap.parse_args()
    root = Path(args.polnear)
    text = (root / "text" / f"{args.article}.txt").read_text(encoding="utf-8")
    spans, events = read_ann(first_ann(root, args.article))
    print(f"=== {args.article} (annotator file {first_ann(root, args.article).name})")
    offset = 0
    for para in re.split(r"(\n+)", text):
        if para.strip():
            print(f"[{offset}] {para}")
        offset += len(para)
    print("\n=== attributions: cue_start cue_end | source | cue | content (start)")
    rows = []
    for ev in events:
        cue = spans.get(ev.get("Cue", ""))
        if cue is None:
            continue
        frags = cue[1]
        start, end = frags[0][0], frags[-1][1]
        src = spans.get(ev.get("Source", ""))
        src_text = " ... ".join(text[a:b] for a, b in src[1]) if src else "-"
        con = spans.get(ev.get("Content", ""))
        con_text = " ... ".join(text[a:b] for a, b in con[1])[:90] if con else "-"
        cue_text = " ... ".join(text[a:b] for a, b in frags)
        rows.append((start, end, src_text, cue_text, con_text))
    for start, end, src_text, cue_text, con_text in sorted(rows):
        print(f"{start}\t{end}\t| {src_text} | {cue_text} | {con_text}")


if __name__ == "__main__":
    main()
