"""Speaker-merge accuracy on a hand-made gold set from PolNeAR dev.

The gold (``tests/data/speaker_merge_gold.tsv``) lists Source spans of PolNeAR
dev articles that name a person or an organisation, each with a hand-assigned
cluster id: one cluster per real-world entity, across articles. This script

1. ingests the gold's articles (``../shared/data/polnear/dev/text``) into a
   temporary SQLite corpus through the public API (``read_inputs`` then
   ``Corpus.ingest``), so the store's speaker pass runs exactly as in
   ``whosaid ingest``;
2. maps each gold mention to the corpus speaker of the stored attribution
   whose source span overlaps the gold span most (ties: the earlier one);
   a gold mention with no overlapping extracted source, or one whose source
   has no speaker, is *unmatched*;
3. scores the matched mentions pairwise: a pair is a predicted merge when both
   mentions got the same speaker and a gold merge when they share a cluster.
   Precision = correct merges / predicted merges, recall = correct merges /
   gold merges, over all pairs and over cross-document pairs only (the latter
   is what the corpus-wide merging decides; same-document pairs come from
   in-document resolution). "End-to-end" recall counts the gold merges that
   involve an unmatched mention as missed.

    python benchmarks/eval_speaker_merge.py                  # all gold articles
    python benchmarks/eval_speaker_merge.py --errors 15      # and list wrong/missed merges
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT / "tests" / "data" / "speaker_merge_gold.tsv"
DEV = ROOT.parent / "shared" / "data" / "polnear" / "dev"
COLUMNS = ("article", "start", "end", "cluster", "mention")
MAX_MENTION = 40  # the mention column is a reminder, never a copy of the article


@dataclass(frozen=True)
class GoldMention:
    article: str
    start: int
    end: int
    cluster: str
    mention: str = ""


class GoldError(ValueError):
    """A gold file that is not well-formed; the message names the line."""


def load_gold(path: Path = GOLD) -> list[GoldMention]:
    """Read the gold TSV (``#`` comment lines, a header, then one mention per line)."""
    rows: list[GoldMention] = []
    seen: set[tuple[str, int, int]] = set()
    header: list[str] | None = None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if header is None:
            header = cells
            if tuple(cells[:4]) != COLUMNS[:4]:
                raise GoldError(f"{path}:{lineno}: header must start with "
                                f"{' '.join(COLUMNS[:4])}, got {cells}")
            continue
        if len(cells) not in (4, 5):
            raise GoldError(f"{path}:{lineno}: expected 4 or 5 tab-separated cells")
        article, start, end, cluster = cells[:4]
        mention = cells[4] if len(cells) == 5 else ""
        if not (start.isdigit() and end.isdigit()) or int(start) >= int(end):
            raise GoldError(f"{path}:{lineno}: offsets must be integers with start < end")
        if not article or not cluster or any(c.isspace() for c in cluster):
            raise GoldError(f"{path}:{lineno}: empty article or cluster, or space in cluster")
        if len(mention) > MAX_MENTION:
            raise GoldError(f"{path}:{lineno}: mention longer than {MAX_MENTION} characters")
        key = (article, int(start), int(end))
        if key in seen:
            raise GoldError(f"{path}:{lineno}: duplicate mention {key}")
        seen.add(key)
        rows.append(GoldMention(article, int(start), int(end), cluster, mention))
    if header is None or not rows:
        raise GoldError(f"{path}: no header or no mentions")
    return rows


def check_against_texts(gold: Iterable[GoldMention], dev: Path = DEV) -> list[str]:
    """Problems with the gold against the dev texts: missing article, bad offsets, wrong text."""
    problems = []
    texts: dict[str, str | None] = {}
    for g in gold:
        if g.article not in texts:
            path = dev / "text" / f"{g.article}.txt"
            texts[g.article] = path.read_text(encoding="utf-8") if path.is_file() else None
        text = texts[g.article]
        if text is None:
            problems.append(f"{g.article}: no such dev text")
        elif g.end > len(text):
            problems.append(f"{g.article} {g.start}-{g.end}: past the end of the text")
        else:
            span = " ".join(text[g.start:g.end].split())
            shown = g.mention.removesuffix("...")
            if shown and not span.startswith(shown):
                problems.append(f"{g.article} {g.start}-{g.end}: text {span[:40]!r} "
                                f"is not the mention {g.mention!r}")
    return problems


@dataclass
class Predicted:
    speaker_id: int | None  # None: unmatched
    speaker: str = ""
    key: str = ""
    source: str = ""
    reason: str = ""  # why unmatched: "no source" or "source without speaker"


def predict(gold: Sequence[GoldMention], dev: Path, db: Path) -> dict[GoldMention, Predicted]:
    """Ingest the gold's articles into ``db`` and map each gold mention to a speaker."""
    from sqlalchemy import select

    from whosaid.ingest import read_inputs
    from whosaid.store import Corpus
    from whosaid.store.schema import attributions, doc_speakers, documents, speakers

    articles = sorted({g.article for g in gold})
    files = [dev / "text" / f"{a}.txt" for a in articles]
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise FileNotFoundError(f"dev texts missing: {', '.join(missing[:3])}")
    with Corpus(db) as corpus:
        report = corpus.ingest(read_inputs(files))
        if report.errors:
            raise RuntimeError(f"ingest errors: {report.errors}")
        query = select(
            documents.c.name, attributions.c.source_start, attributions.c.source_end,
            attributions.c.source_text, speakers.c.id, speakers.c.name, speakers.c.key,
        ).select_from(attributions.join(documents, documents.c.id == attributions.c.document_id)
                      .outerjoin(doc_speakers,
                                 doc_speakers.c.id == attributions.c.doc_speaker_id)
                      .outerjoin(speakers, speakers.c.id == doc_speakers.c.speaker_id)
                      ).where(attributions.c.source_start.is_not(None)
                              ).order_by(attributions.c.id)
        by_doc: dict[str, list[Any]] = defaultdict(list)
        with corpus.engine.connect() as conn:
            for row in conn.execute(query):
                by_doc[row[0]].append(row)
        speaker_names = {s.id: s.name for s in corpus.speakers(min_count=0)}
    out: dict[GoldMention, Predicted] = {}
    for g in gold:
        best, overlap = None, 0
        for row in by_doc.get(g.article, []):
            size = min(g.end, row.source_end) - max(g.start, row.source_start)
            if size > overlap:
                best, overlap = row, size
        if best is None:
            out[g] = Predicted(None, reason="no source")
        elif best[4] is None:
            out[g] = Predicted(None, source=best.source_text, reason="source without speaker")
        else:
            out[g] = Predicted(best[4], speaker_names.get(best[4], best[5]), best[6],
                               best.source_text)
    return out


def _pairs(items: Sequence[GoldMention], cross_only: bool) -> Iterable[tuple[GoldMention,
                                                                            GoldMention]]:
    for a, b in combinations(items, 2):
        if not cross_only or a.article != b.article:
            yield a, b


def score(gold: Sequence[GoldMention], pred: dict[GoldMention, Predicted]) -> dict[str, Any]:
    """Pairwise merge precision and recall (see the module docstring)."""
    matched = [g for g in gold if pred[g].speaker_id is not None]
    out: dict[str, Any] = {"mentions": len(gold), "matched": len(matched),
                           "articles": len({g.article for g in gold}),
                           "clusters": len({g.cluster for g in gold}),
                           "unmatched": Counter(pred[g].reason for g in gold
                                                if pred[g].speaker_id is None)}
    for scope, cross in (("all", False), ("cross", True)):
        tp = fp = fn = 0
        for a, b in _pairs(matched, cross):
            same_gold = a.cluster == b.cluster
            same_pred = pred[a].speaker_id == pred[b].speaker_id
            tp += same_gold and same_pred
            fp += same_pred and not same_gold
            fn += same_gold and not same_pred
        gold_pairs_all = sum(a.cluster == b.cluster for a, b in _pairs(gold, cross))
        out[scope] = {"tp": tp, "fp": fp, "fn": fn, "gold_pairs_all": gold_pairs_all,
                      "precision": tp / (tp + fp) if tp + fp else 1.0,
                      "recall": tp / (tp + fn) if tp + fn else 1.0,
                      "recall_e2e": tp / gold_pairs_all if gold_pairs_all else 1.0}
    return out


def errors(gold: Sequence[GoldMention], pred: dict[GoldMention, Predicted]
           ) -> tuple[list[str], list[str], list[str]]:
    """Wrong merges (speakers holding several gold clusters), split clusters, unmatched."""
    by_speaker: dict[int, set[str]] = defaultdict(set)
    by_cluster: dict[str, Counter[str]] = defaultdict(Counter)
    unmatched = []
    for g in gold:
        p = pred[g]
        if p.speaker_id is None:
            unmatched.append(f"{g.article[:40]} {g.start}: {g.mention!r} ({p.reason}"
                             + (f": {p.source!r}" if p.source else "") + ")")
            continue
        by_speaker[p.speaker_id].add(g.cluster)
        by_cluster[g.cluster][f"{p.speaker} [{p.key}]"] += 1
    names = {p.speaker_id: p.speaker for p in pred.values() if p.speaker_id is not None}
    wrong = [f"speaker {sid} {names[sid]!r} holds {', '.join(sorted(c))}"
             for sid, c in sorted(by_speaker.items()) if len(c) > 1]
    split = [f"{c}: " + "; ".join(f"{n} x{k}" for n, k in speakers.most_common())
             for c, speakers in sorted(by_cluster.items()) if len(speakers) > 1]
    return wrong, split, unmatched


def report(s: dict[str, Any], command: str) -> str:
    un = s["unmatched"]
    lines = [f"Command: `{command}`", "",
             f"Gold: {s['mentions']} mentions in {s['articles']} articles, {s['clusters']} "
             f"entities; {s['matched']} matched an extracted source with a speaker, "
             f"{un.get('no source', 0)} had no overlapping source, "
             f"{un.get('source without speaker', 0)} a source without a speaker.", "",
             "| pairs | predicted merges | correct | gold merges (matched) | precision "
             "| recall | gold merges (all) | end-to-end recall |",
             "|---|---|---|---|---|---|---|---|"]
    for scope, label in (("all", "all"), ("cross", "cross-document only")):
        m = s[scope]
        lines.append(f"| {label} | {m['tp'] + m['fp']} | {m['tp']} | {m['tp'] + m['fn']} | "
                     f"{m['precision']:.3f} | {m['recall']:.3f} | {m['gold_pairs_all']} | "
                     f"{m['recall_e2e']:.3f} |")
    return "\n".join(lines) + "\n"


def evaluate(gold: Sequence[GoldMention], dev: Path = DEV, db: Path | None = None
             ) -> tuple[dict[str, Any], dict[GoldMention, Predicted]]:
    """Ingest, predict and score; a temporary SQLite file unless ``db`` is given."""
    with tempfile.TemporaryDirectory() as tmp:
        pred = predict(gold, dev, db or Path(tmp) / "merge.db")
    return score(gold, pred), pred


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--dev", type=Path, default=DEV, help="PolNeAR dev folder (text/)")
    ap.add_argument("--articles", type=int, default=None,
                    help="use only the first N gold articles (by name)")
    ap.add_argument("--db", type=Path, default=None,
                    help="keep the corpus in this SQLite file (must not exist)")
    ap.add_argument("--errors", type=int, default=0, metavar="N",
                    help="list up to N wrong merges, split entities and unmatched mentions")
    args = ap.parse_args()

    if not (args.dev / "text").is_dir():
        sys.exit(f"error: no PolNeAR dev texts in {args.dev / 'text'} (expected "
                 "../shared/data/polnear/dev next to the repository)")
    gold = load_gold(args.gold)
    problems = check_against_texts(gold, args.dev)
    if problems:
        sys.exit("error: gold does not fit the dev texts:\n  " + "\n  ".join(problems[:10]))
    if args.articles:
        keep = set(sorted({g.article for g in gold})[:args.articles])
        gold = [g for g in gold if g.article in keep]
    if args.db is not None and args.db.exists():
        sys.exit(f"error: {args.db} exists; the evaluation needs a fresh database")
    result, pred = evaluate(gold, args.dev, args.db)
    print(report(result, " ".join(["python", "benchmarks/eval_speaker_merge.py",
                                   *sys.argv[1:]])))
    if args.errors:
        wrong, split, unmatched = errors(gold, pred)
        for title, items in (("Wrong merges", wrong), ("Split entities", split),
                             ("Unmatched gold mentions", unmatched)):
            print(f"{title} ({len(items)}):")
            for item in items[:args.errors]:
                print(f"  {item}")


if __name__ == "__main__":
    main()
