"""Score ``whosaid audit`` against the hand-labelled audit set in tests/data/audit.

    python benchmarks/eval_audit.py [--json]

report.txt cites 15 short source documents (sources/, written for this set)
64 times, one claim per citation; labels.tsv gives, for each claim in order,
the flags a correct audit raises ("-" = supported) and how the claim was
written (faithful, paraphrase, wrong speaker, wrong number or date, flipped
negation, missing support, unresolvable or absent source). Prints per-flag
precision and recall over claims, and the share of claims whose flag set is
exactly right.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

from whosaid import extract
from whosaid.audit import FLAGS, audit, load_sources

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "audit"


def labels(path: Path = DATA / "labels.tsv") -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        rows = csv.DictReader((ln for ln in fh if not ln.startswith("#")), delimiter="\t")
        return [{"claim": r["claim"], "kind": r["kind"],
                 "flags": set() if r["flags"] == "-" else set(r["flags"].split(","))}
                for r in rows]


def run(data: Path = DATA) -> dict[str, Any]:
    """Audit the report and compare each claim's flags with the hand labels."""
    text = (data / "report.txt").read_text(encoding="utf-8")
    result = audit(extract(text, name="report.txt"), load_sources(data / "sources"))
    gold = labels(data / "labels.tsv")
    claims = result["claims"]
    by_text = {c["text"].strip(): c for c in claims}
    pairs = []
    for g in gold:
        c = by_text.get(g["claim"].strip())
        pairs.append((g, set(c["flags"]) if c else {"<claim not split>"}, c))
    per_flag = {}
    for f in FLAGS:
        tp = sum(1 for g, p, _ in pairs if f in g["flags"] and f in p)
        fp = sum(1 for g, p, _ in pairs if f not in g["flags"] and f in p)
        fn = sum(1 for g, p, _ in pairs if f in g["flags"] and f not in p)
        per_flag[f] = {"gold": tp + fn, "predicted": tp + fp,
                       "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                       "recall": round(tp / (tp + fn), 4) if tp + fn else None}
    exact = sum(1 for g, p, _ in pairs if g["flags"] == p)
    supported_gold = [(g, p) for g, p, _ in pairs if not g["flags"]]
    errors = [{"claim": g["claim"], "kind": g["kind"], "gold": sorted(g["flags"]),
               "predicted": sorted(p), "details": c.get("details") if c else None,
               "evidence": (c.get("evidence") or c.get("candidate") or {}).get("text")
               if c else None}
              for g, p, c in pairs if g["flags"] != p]
    return {"claims": len(gold), "split_claims": len(claims), "exact": exact,
            "exact_share": round(exact / len(gold), 4),
            "supported_kept": sum(1 for _g, p in supported_gold if not p),
            "supported_gold": len(supported_gold), "semantic": result["semantic"],
            "per_flag": per_flag, "errors": errors}


def markdown(r: dict[str, Any]) -> str:
    lines = [f"{r['claims']} claims; flags exactly right on {r['exact']} "
             f"({r['exact_share']:.1%}); {r['supported_kept']}/{r['supported_gold']} "
             f"supported claims raised no flag (MiniLM: {'on' if r['semantic'] else 'off'})",
             "", "| flag | gold | predicted | precision | recall |",
             "| --- | ---: | ---: | ---: | ---: |"]
    for f, v in r["per_flag"].items():
        p = "-" if v["precision"] is None else f"{v['precision']:.1%}"
        rc = "-" if v["recall"] is None else f"{v['recall']:.1%}"
        lines.append(f"| {f} | {v['gold']} | {v['predicted']} | {p} | {rc} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON, errors included")
    args = parser.parse_args(argv)
    r = run()
    print(json.dumps(r, indent=2) if args.json else markdown(r), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
