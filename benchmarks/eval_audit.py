"""Score ``whosaid audit`` on the hand-labelled audit sets.

    python benchmarks/eval_audit.py [--set tests|tune|check ...] [--errors] [--write]
    python benchmarks/eval_audit.py --calibrate      # tune to tune4 only: threshold tables
    python benchmarks/eval_audit.py --loso           # leave-one-set-out table (never check)
    python benchmarks/eval_audit.py --no-markers ... # ablation: no citation marker found
    python benchmarks/eval_audit.py --no-links ...   # ablation: markers found, none linked

``--no-markers`` scores a set as if its citation style were one nobody described: every
report is audited with no citation marker at all (the report's own patterns and the
source-driven discovery both switched off), so a claim is found only by a mechanism that
does not read markers. Its figures are how much of a set survives an unseen style.

``--no-links`` scores the other half of an unseen style: every marker is found but links
to nothing and has no near miss (``link`` answers nothing), as when a report's markers are
short keys into something whosaid does not parse. Claims under citations that name a
provided source are then found only by reading them against the sources.

Sets (see docs/sourcing.md):

* ``tests`` - tests/data/audit: report.txt, labels.tsv and sources/ (the first,
  small set; the thresholds were once set on it);
* ``tune`` / ``tune2`` ... ``tune7`` / ``check`` / ``check2`` - eval/audit/<set>/: sources/ and
  reports/<id>.txt|.md|.html with <id>.labels.tsv (claim, flags, kind per cited claim, in order) and
  <id>.citations.tsv (citation marker, the source file it names or "-", in order).
  The check sets (``check``, ``check2``, ``check3``) are held out: only their aggregate figures
  are ever printed.

Prints, per set, precision/recall/F1 of the seven labels (the six flags and
"supported" = no flag) over claims, their macro-F1, and citation linking:
citations naming a provided source linked right / linked wrong / missed, and
citations naming none correctly left unlinked / wrongly linked. ``--write``
puts the tables into docs/sourcing.md between the audit-eval markers.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from whosaid import extract
from whosaid.audit import (
    FIGURE_WEIGHT,
    FLAGS,
    FOUND_SUM,
    NOVEL_WEIGHT,
    audit,
    found_score,
    load_sources,
    report_text,
)

ROOT = Path(__file__).resolve().parent.parent
LABELS = ("supported", *FLAGS)
SETS = {"tests": ROOT / "tests" / "data" / "audit", "tune": ROOT / "eval" / "audit" / "tune",
        "tune2": ROOT / "eval" / "audit" / "tune2", "tune3": ROOT / "eval" / "audit" / "tune3",
        "tune4": ROOT / "eval" / "audit" / "tune4", "tune5": ROOT / "eval" / "audit" / "tune5",
        "tune6": ROOT / "eval" / "audit" / "tune6", "tune7": ROOT / "eval" / "audit" / "tune7",
        "tune8": ROOT / "eval" / "audit" / "tune8", "check": ROOT / "eval" / "audit" / "check",
        "check2": ROOT / "eval" / "audit" / "check2", "check3": ROOT / "eval" / "audit" / "check3",
        "check4": ROOT / "eval" / "audit" / "check4", "tune9": ROOT / "eval" / "audit" / "tune9",
        "check5": ROOT / "eval" / "audit" / "check5", "check6": ROOT / "eval" / "audit" / "check6",
        "check7": ROOT / "eval" / "audit" / "check7"}
# scored for aggregates only: no --errors, never fitted on
HELD_OUT = ("check", "check2", "check3", "check4", "check5", "check6", "check7")
DOC = ROOT / "docs" / "sourcing.md"
MATCH = 75  # fuzzy similarity (0-100) at which a labelled claim is the audit's claim


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def _flags(value: str) -> set[str]:
    value = value.strip()
    return set() if value in ("-", "") else {f.strip() for f in value.split(",") if f.strip()}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def reports(data: Path) -> list[tuple[str, str, Path, Path | None]]:
    """(id, text, labels.tsv, citations.tsv or None) per report of a set."""
    if (data / "report.txt").exists() and not (data / "reports").exists():
        return [("report", (data / "report.txt").read_text("utf-8"), data / "labels.tsv", None)]
    out = []
    for path in sorted((data / "reports").iterdir()):
        if path.suffix.lower() not in (".txt", ".md", ".html", ".htm") or \
                path.name.endswith(".tsv"):
            continue
        # read as the CLI and the web read a report (an HTML report: its text with links kept)
        text = report_text(path.read_text("utf-8"), path.name)
        cits = path.with_name(f"{path.stem}.citations.tsv")
        out.append((path.stem, text, path.with_name(f"{path.stem}.labels.tsv"),
                    cits if cits.exists() else None))
    return out


def _align(gold: list[str], pred: list[str], window: int = 8) -> list[int | None]:
    """For each gold text, the index of the predicted text it is (in order), or None."""
    out: list[int | None] = []
    j = 0
    for g in gold:
        best, k_best = 0.0, None
        for k in range(j, min(len(pred), j + window)):
            score = fuzz.ratio(_norm(g), _norm(pred[k]))
            if _norm(g) in _norm(pred[k]) or _norm(pred[k]) in _norm(g):
                score = max(score, 90.0)
            if score > best:
                best, k_best = score, k
            if score >= 90:  # the first good match, so a repeated marker keeps its order
                break
        if k_best is not None and best >= MATCH:
            out.append(k_best)
            j = k_best + 1
        else:
            out.append(None)
    return out


def _unmarked(claim: str, markers: list[str]) -> str:
    """A labelled claim without the citation markers written in it."""
    for m in markers:
        if len(m) >= 12 and m in claim:
            claim = claim.replace(m, " ")
    claim = re.sub(r"\(\s*\)|\[\s*\]", " ", claim)
    return re.sub(r"\s+([.,;:])", r"\1", re.sub(r",?\s+(?=[.;]?\s*$)", "", claim)).strip()


def _source_name(sources: dict[str, str], doc_id: str | None) -> str:
    return sources.get(doc_id or "", doc_id or "-") if doc_id else "-"


def _without_markers(report: Any, sources: Any, idf: Any, month_first: Any = None
                     ) -> tuple[Any, set[Any]]:
    """:func:`whosaid.audit.discovered` for ``--no-markers``: the report with no citation,
    none discovered."""
    return report.model_copy(update={"citations": []}), set()


def _no_link(*_args: Any, **_kw: Any) -> dict[str, Any]:
    """:func:`whosaid.audit.link` for ``--no-links``: no link, no near miss."""
    return {"link": None, "near_miss": None, "best": 0.0, "scored": []}


def run(data: Path, no_markers: bool = False, no_links: bool = False) -> dict[str, Any]:
    """Audit every report of a set and compare with the labels (``no_markers``: with
    marker finding switched off, the ablation that stands for an unseen style;
    ``no_links``: markers found, none linked)."""
    if no_links:
        import whosaid.audit as audit_mod

        real_link = audit_mod.link
        audit_mod.link = _no_link  # type: ignore[assignment]
        try:
            return run(data, no_markers=no_markers)
        finally:
            audit_mod.link = real_link  # type: ignore[assignment]
    if no_markers:
        import whosaid.audit as audit_mod

        real = audit_mod.discovered
        audit_mod.discovered = _without_markers  # type: ignore[assignment]
        try:
            return run(data)
        finally:
            audit_mod.discovered = real  # type: ignore[assignment]
    srcs = load_sources(data / "sources")
    names = {s.id: Path(s.path).name for s in srcs}
    pairs: list[tuple[set[str], set[str], dict[str, Any]]] = []
    links = {"linked_right": 0, "linked_wrong": 0, "missed": 0, "unlinked_right": 0,
             "linked_spurious": 0, "not_found": 0}
    link_errors: list[dict[str, Any]] = []
    seconds = 0.0
    semantic = False
    for rid, text, labels, cit_path in reports(data):
        t0 = time.perf_counter()
        result = audit(extract(text, name=rid), srcs)
        seconds += time.perf_counter() - t0
        semantic = result["semantic"]
        gold = _rows(labels)
        claims = result["claims"]
        # a labelled claim may keep its marker ("..., according to the X report."); the
        # audit's claim has it blanked: compare them without it
        markers = sorted({r["citation"] for r in _rows(cit_path)} if cit_path else set(),
                         key=len, reverse=True)
        where = _align([_unmarked(g["claim"], markers) for g in gold],
                       [c["text"] for c in claims])
        for g, k in zip(gold, where, strict=True):
            c = claims[k] if k is not None else None
            pred = set(c["flags"]) if c else {"<claim not split>"}
            pairs.append((_flags(g["flags"]), pred, {
                "report": rid, "claim": g["claim"], "kind": g.get("kind", ""),
                "details": c.get("details") if c else None,
                "evidence": ((c.get("evidence") or c.get("candidate") or {}).get("text")
                             if c else None),
                "score": {k: (c.get("evidence") or c.get("candidate") or {}).get(k)
                          for k in ("coverage", "cosine", "figures", "novel")} if c else None}))
        if cit_path is None:
            continue
        cgold = _rows(cit_path)
        cits = result["citations"]
        where = _align([g["citation"] for g in cgold],
                       [c["text"] for c in cits], window=12)
        for g, k in zip(cgold, where, strict=True):
            want = g["source"].strip()
            if k is None:
                links["not_found"] += 1
                link_errors.append({"report": rid, "citation": g["citation"], "gold": want,
                                    "predicted": "<marker not found>"})
                continue
            got = cits[k]["link"]
            got_name = _source_name(names, got["document"]) if got else "-"
            if want != "-":
                key = ("linked_right" if got_name == want else
                       "missed" if got is None else "linked_wrong")
            else:
                key = "unlinked_right" if got is None else "linked_spurious"
            links[key] += 1
            if key not in ("linked_right", "unlinked_right"):
                link_errors.append({"report": rid, "citation": g["citation"], "gold": want,
                                    "predicted": got_name, "note": cits[k]["note"]})
    per: dict[str, dict[str, Any]] = {}
    for lab in LABELS:
        def has(flags: set[str], lab: str = lab) -> bool:
            return not flags if lab == "supported" else lab in flags
        tp = sum(1 for g, p, _ in pairs if has(g) and has(p))
        fp = sum(1 for g, p, _ in pairs if not has(g) and has(p))
        fn = sum(1 for g, p, _ in pairs if has(g) and not has(p))
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"gold": tp + fn, "predicted": tp + fp, "precision": round(prec, 4),
                    "recall": round(rec, 4), "f1": round(f1, 4)}
    present = [v["f1"] for v in per.values() if v["gold"]]
    errors = [{**info, "gold": sorted(g), "predicted": sorted(p)}
              for g, p, info in pairs if g != p]
    return {"claims": len(pairs), "exact": sum(1 for g, p, _ in pairs if g == p),
            "macro_f1": round(sum(present) / len(present), 4) if present else 0.0,
            "per_label": per, "links": links, "semantic": semantic,
            "seconds": round(seconds, 2), "errors": errors, "link_errors": link_errors}


def markdown(name: str, r: dict[str, Any]) -> str:
    lk = r["links"]
    named = lk["linked_right"] + lk["linked_wrong"] + lk["missed"]
    lines = [f"**{name}**: {r['claims']} claims, flags exactly right on {r['exact']}; "
             f"macro-F1 over the seven labels **{r['macro_f1']:.3f}** "
             f"(MiniLM: {'on' if r['semantic'] else 'off'})", "",
             "| label | gold | predicted | precision | recall | F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for lab, v in r["per_label"].items():
        lines.append(f"| {lab} | {v['gold']} | {v['predicted']} | {v['precision']:.3f} | "
                     f"{v['recall']:.3f} | {v['f1']:.3f} |")
    if named or lk["unlinked_right"] or lk["linked_spurious"]:
        lines += ["", f"Citations naming a provided source: {named}; linked right "
                  f"{lk['linked_right']}, linked wrong {lk['linked_wrong']}, missed "
                  f"{lk['missed']}. Citations naming none: left unlinked "
                  f"{lk['unlinked_right']}, linked anyway {lk['linked_spurious']}."
                  + (f" Markers not found: {lk['not_found']}." if lk["not_found"] else "")]
    return "\n".join(lines) + "\n"


def write_doc(text: str, doc: Path = DOC) -> None:
    """Replace the block between the audit-eval markers of docs/sourcing.md."""
    body = doc.read_text("utf-8")
    start, end = "<!-- audit-eval -->", "<!-- /audit-eval -->"
    if start not in body or end not in body:
        raise SystemExit(f"{doc}: the {start} ... {end} markers are missing")
    head, rest = body.split(start, 1)
    _old, tail = rest.split(end, 1)
    doc.write_text(f"{head}{start}\n{text}{end}{tail}", encoding="utf-8")


def calibrate(datas: list[Path]) -> dict[str, Any]:
    """Link scores per labelled citation, found scores per claim and, for claims whose
    figure differs from the evidence, detail scores, on the tune sets together, with
    the thresholds that separate them best (the method in docs/sourcing.md)."""
    link_pos: list[float] = []
    link_neg: list[float] = []
    found_pos: list[tuple[float, ...]] = []
    found_neg: list[tuple[float, ...]] = []
    detail_pos: list[float] = []
    detail_neg: list[float] = []
    for data in datas:
        _calibrate_set(data, link_pos, link_neg, found_pos, found_neg, detail_pos, detail_neg)

    def cut(pos: list[float], neg: list[float]) -> dict[str, Any]:
        # the threshold with the fewest errors; among ties, the midpoint of the widest gap
        cands = sorted(set(pos + neg))
        scored = [(sum(p >= t for p in pos) + sum(n < t for n in neg), t) for t in cands]
        most = max((c for c, _t in scored), default=0)
        best = (0.0, 0.0, 0.0)
        for c, t in scored:
            if c != most:
                continue
            lo = max([x for x in pos + neg if x < t], default=t)
            if t - lo >= best[0]:
                best = (t - lo, lo, t)
        _gap, lo, hi = best
        return {"threshold": round((lo + hi) / 2, 4), "correct": most,
                "of": len(pos) + len(neg), "lowest_positive": round(min(pos), 4) if pos else None,
                "highest_below": round(lo, 4)}

    # the found score's weights: a grid, each with its best threshold; fewest errors,
    # ties -> the widest gap
    grid = []
    for fw in (0.0, 0.15, 0.3, 0.45, 0.6, 0.75):
        for nw in (0.0, 0.25, 0.5, 0.75, 1.0):
            def score(x: tuple[float, ...], fw: float = fw, nw: float = nw) -> float:
                return _found_value(x, (1.0, fw, nw))
            c = cut([score(x) for x in found_pos], [score(x) for x in found_neg])
            gap = c["threshold"] - c["highest_below"]
            grid.append((c["correct"], gap, fw, nw, c))
    grid.sort(key=lambda g: (-g[0], -g[1]))
    _c, _g, fw, nw, best = grid[0]

    now = sum(_found_value(x) >= FOUND_SUM for x in found_pos) + sum(
        _found_value(x) < FOUND_SUM for x in found_neg)
    return {"link": {**cut(link_pos, link_neg), "positives": sorted(round(x, 3) for x in link_pos)},
            "found": {**best, "figure_weight": fw, "novel_weight": nw,
                      "runner_up": [(g[0], g[2], g[3], g[4]["threshold"]) for g in grid[1:6]],
                      "with_current_constants": {"correct": now,
                                                 "of": len(found_pos) + len(found_neg)},
                      "plain_coverage_plus_cosine": {k: v for k, v in cut(
                          [x[0] + x[1] for x in found_pos],
                          [x[0] + x[1] for x in found_neg]).items()
                          if k in ("threshold", "correct", "of")}},
            "detail": {**cut(detail_pos, detail_neg),
                       "detail": sorted(round(x, 3) for x in detail_pos),
                       "not_found": sorted(round(x, 3) for x in detail_neg)}}


def _found_value(x: tuple[float, ...], w: tuple[float, float, float] = (
        1.0, FIGURE_WEIGHT, NOVEL_WEIGHT)) -> float:
    """The audit's own found score (:func:`whosaid.audit.found_score`) of a claim's
    (coverage, cosine, figures, novel) under weights ``w`` (cosine, figures, novel)."""
    return found_score({"coverage": x[0], "cosine": x[1], "figures": x[2], "novel": x[3]}, *w)


def _right(pos: list[tuple[float, ...]], neg: list[tuple[float, ...]],
           w: tuple[float, float, float], t: float) -> int:
    return sum(_found_value(x, w) >= t for x in pos) + sum(_found_value(x, w) < t for x in neg)


def _fit_found(pos: list[tuple[float, ...]], neg: list[tuple[float, ...]]
               ) -> tuple[tuple[float, float, float], float]:
    """The found score's weights (cosine, figures, novel) and threshold with the fewest
    errors on ``pos`` (found) and ``neg`` (not found); ties: the widest gap below the
    threshold, then the weights nearest the current ones (1, 0.3, 0.5)."""
    best: tuple[Any, ...] | None = None
    for cw in (0.5, 0.75, 1.0, 1.25, 1.5):
        for fw in (0.0, 0.15, 0.3, 0.45, 0.6):
            for nw in (0.0, 0.25, 0.5, 0.75, 1.0):
                w = (cw, fw, nw)
                # sweep the threshold up through the sorted scores: each step past a
                # positive loses it, past a negative gains it
                vals = sorted([(_found_value(x, w), 1) for x in pos]
                              + [(_found_value(x, w), 0) for x in neg])
                correct = len(pos)
                near = abs(cw - 1) + abs(fw - FIGURE_WEIGHT) + abs(nw - NOVEL_WEIGHT)
                for k, (v, is_pos) in enumerate(vals):
                    below = vals[k - 1][0] if k else v - 1.0
                    if v > below:
                        key = (correct, round(v - below, 6), -near)
                        if best is None or key > best[0]:
                            best = (key, w, (v + below) / 2)
                    correct += -1 if is_pos else 1
    assert best is not None
    return best[1], best[2]


def loso(names: list[str]) -> list[dict[str, Any]]:
    """Leave one set out: the found decision fitted on the other sets (weights and
    threshold, :func:`_fit_found`) and scored on the one left out, against the
    current constants on the same claims. The model-selection yardstick: a change
    must not buy one set's claims with another's."""
    per: dict[str, tuple[list[tuple[float, ...]], list[tuple[float, ...]]]] = {}
    for name in names:
        pos: list[tuple[float, ...]] = []
        neg: list[tuple[float, ...]] = []
        _calibrate_set(SETS[name], [], [], pos, neg, [], [])
        per[name] = (pos, neg)
    rows = []
    for name in names:
        w, t = _fit_found([x for n in names if n != name for x in per[n][0]],
                          [x for n in names if n != name for x in per[n][1]])
        hp, hn = per[name]
        rows.append({"held_out": name, "claims": len(hp) + len(hn), "not_found": len(hn),
                     "fitted": {"cosine": w[0], "figures": w[1], "novel": w[2],
                                "threshold": round(t, 4)},
                     "right_fitted": _right(hp, hn, w, t),
                     "right_current": _right(hp, hn, (1.0, FIGURE_WEIGHT, NOVEL_WEIGHT),
                                             FOUND_SUM)})
    return rows


def _calibrate_set(data: Path, link_pos: list[float], link_neg: list[float],
                   found_pos: list[tuple[float, ...]], found_neg: list[tuple[float, ...]],
                   detail_pos: list[float],
                   detail_neg: list[float]) -> None:
    """Fill the score lists from one set: link base scores per (citation, source) pair;
    coverage + cosine of the evidence the audit chose, per claim under a linked
    citation (found: any label but claim_not_found) and per claim whose figure the
    evidence lacks (detail: unsupported_detail against claim_not_found)."""
    from whosaid.audit_sources import _idf, citation_fields, score_source

    srcs = load_sources(data / "sources")
    idf = _idf(srcs)
    for rid, text, labels, cit_path in reports(data):
        doc = extract(text, name=rid)
        result = audit(doc, srcs)
        gold_rows = _rows(labels)
        at = _align([g["claim"] for g in gold_rows], [c["text"] for c in result["claims"]])
        for g, k in zip(gold_rows, at, strict=True):
            c = result["claims"][k] if k is not None else None
            ev = (c.get("evidence") or c.get("candidate")) if c else None
            gf = _flags(g["flags"])
            # a claim by content (no citation found, source inferred) calibrates no link
            if c is None or ev is None or ev.get("cosine") is None or c["citation"] is None \
                    or result["citations"][c["citation"]]["link"] is None \
                    or gf & {"source_not_provided", "unresolvable_citation"}:
                continue
            value = ev["coverage"] + ev["cosine"]
            parts = (ev["coverage"], ev["cosine"], ev.get("figures", 0.0), ev.get("novel", 0.0))
            (found_neg if "claim_not_found" in gf else found_pos).append(parts)
            if c.get("details") and gf & {"unsupported_detail", "claim_not_found"}:
                (detail_pos if "unsupported_detail" in gf else detail_neg).append(value)
        cgold = _rows(cit_path) if cit_path else []
        where = _align([g["citation"] for g in cgold], [c.text for c in doc.citations], 12)
        for g, k in zip(cgold, where, strict=True):
            if k is None:
                continue
            cf = citation_fields(doc.citations[k].label, doc.citations[k].reference)
            scores = {Path(s.path).name: score_source(cf, s, idf) for s in srcs}
            ok = {n: v for n, v in scores.items() if not v["conflicts"]}
            want = g["source"].strip()
            if want != "-":
                link_pos.append(ok.get(want, {"base": 0.0})["base"])
                link_neg += [v["base"] for n, v in ok.items() if n != want]
            else:
                link_neg += [v["base"] for v in ok.values()]


def speed() -> dict[str, Any]:
    """Seconds for a 20-claim report against 30 sources (extraction of the report
    included): cold (models loading), then warm with the sources seen before (the
    usual case: one folder, several reports or edits), then warm with the source
    caches emptied (every source new, models loaded)."""
    import whosaid.audit as audit_mod

    tune = SETS["tune"]
    folder = load_sources(tune / "sources") + load_sources(SETS["tests"] / "sources")
    folder = folder[:30]
    text = (tune / "reports" / "briefing.txt").read_text("utf-8")
    paras = text.split("\n\n")
    out: dict[str, Any] = {"sources": len(folder)}
    for n in range(1, len(paras) + 1):
        report = "\n\n".join(paras[:n])
        if len(audit(extract(report, name="r"), [])["claims"]) >= 20:
            break
    runs = []
    for fresh in (False, False, True):
        if fresh:
            audit_mod._CACHE.clear()
            for src in folder:
                src.cache.clear()
                src.analysed = None
        t0, c0 = time.perf_counter(), time.process_time()
        result = audit(extract(report, name="r"), folder)
        runs.append((round(time.perf_counter() - t0, 2), round(time.process_time() - c0, 2)))
    # CPU seconds of this process (all threads) beside the wall clock: the machine is
    # shared, so the wall clock of one run says more about the load than about the code
    out.update(claims=len(result["claims"]),
               first={"wall_s": runs[0][0], "cpu_s": runs[0][1]},
               again={"wall_s": runs[1][0], "cpu_s": runs[1][1]},
               new_sources={"wall_s": runs[2][0], "cpu_s": runs[2][1]})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", dest="sets", action="append", choices=list(SETS),
                        help="set to score (repeatable; default: tests and tune)")
    parser.add_argument("--errors", action="store_true",
                        help="print the wrong claims and links as JSON (not for check)")
    parser.add_argument("--write", action="store_true", help="write the tables into "
                                                            "docs/sourcing.md")
    parser.add_argument("--calibrate", action="store_true",
                        help="print link, found and detail score tables of tune to tune4")
    parser.add_argument("--loso", action="store_true",
                        help="leave-one-set-out table of the found decision over the --set "
                             "sets (default: tests and tune to tune9; never check)")
    parser.add_argument("--no-markers", action="store_true",
                        help="ablation: audit with no citation marker found (an unseen style)")
    parser.add_argument("--no-links", action="store_true",
                        help="ablation: markers found but none linked, no near miss")
    parser.add_argument("--speed", action="store_true",
                        help="time a 20-claim report against 30 sources")
    args = parser.parse_args(argv)
    if args.calibrate:
        print(json.dumps(calibrate([SETS["tune"], SETS["tune2"], SETS["tune3"], SETS["tune4"]]),
                         indent=2))
        return 0
    if args.speed:
        print(json.dumps(speed(), indent=2))
        return 0
    if args.loso:
        names = args.sets or ["tests", "tune", "tune2", "tune3", "tune4", "tune5", "tune6",
                              "tune7", "tune8", "tune9"]
        if set(names) & set(HELD_OUT):
            parser.error("--loso fits on every set it is given: never on a check set")
        rows = loso([n for n in names if SETS[n].exists()])
        print("| held out | claims (not found) | fitted on the others: cosine, figures, "
              "novel, threshold | right, fitted | right, current constants |")
        print("| --- | ---: | --- | ---: | ---: |")
        for r in rows:
            f = r["fitted"]
            print(f"| {r['held_out']} | {r['claims']} ({r['not_found']}) | {f['cosine']}, "
                  f"{f['figures']}, {f['novel']}, {f['threshold']} | {r['right_fitted']} | "
                  f"{r['right_current']} |")
        tot = sum(r["claims"] for r in rows)
        print(f"| all | {tot} | | {sum(r['right_fitted'] for r in rows)} | "
              f"{sum(r['right_current'] for r in rows)} |")
        return 0
    chosen = args.sets or ["tests", "tune"]
    if args.errors and set(chosen) & set(HELD_OUT):
        parser.error("--errors is not allowed on a held-out check set")
    parts = []
    for name in chosen:
        if not SETS[name].exists():
            print(f"{SETS[name]}: not found, skipped", file=sys.stderr)
            continue
        r = run(SETS[name], no_markers=args.no_markers, no_links=args.no_links)
        parts.append(markdown(name + (" (no markers)" if args.no_markers else "")
                              + (" (no links)" if args.no_links else ""), r))
        print(parts[-1])
        if args.errors:
            print(json.dumps({"errors": r["errors"], "link_errors": r["link_errors"]},
                             indent=2, ensure_ascii=False))
    if args.write and (args.no_markers or args.no_links):
        parser.error("--write takes the normal figures, not an ablation")
    if args.write:
        cmd = "python benchmarks/eval_audit.py --write " + " ".join(
            f"--set {n}" for n in chosen)
        write_doc(f"`{cmd}`\n\n" + "\n".join(parts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
