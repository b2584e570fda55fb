"""Worst-case inputs: time per character against ordinary news, and peak memory.

Each case runs ``whosaid.pipeline.extract`` on one text of ``--chars``
characters (default 1,000,000: the web server's limit) in its own subprocess,
which reports wall time and peak RSS; the reference is ordinary news (the
example articles, repeated to the same size, parsed as one document) in the
same kind of subprocess, run first and last and averaged. Times are CPU
seconds of the analysing process (one BLAS thread): on a shared machine the
wall clock measures the neighbours. The target (issue 16): every case at most
3x the reference's time per character and under 1.5 GB.

    python benchmarks/bench_worst_cases.py                 # 1 MB each, prints a markdown table
    python benchmarks/bench_worst_cases.py --chars 100000  # quick look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NEWS = sorted((ROOT / "examples").glob("*.txt"))


def _fill(unit: str, n: int) -> str:
    return (unit * (n // len(unit) + 1))[:n]


def news(n: int) -> str:
    return _fill("\n\n".join(p.read_text(encoding="utf-8") for p in NEWS) + "\n\n", n)


CASES = {
    "ordinary news (reference)": news,
    'straight quotation marks (`"` x N)': lambda n: '"' * n,
    "curly quotation runs (`“` x 500, space)": lambda n: _fill("“" * 500 + " ", n),
    "short quotation runs (`\"` x 6, space: below the cut)": lambda n: _fill('""""""' + " ", n),
    "one long quotation, then `she said.`": lambda n: "“" + _fill("We are ready and we "
                                                                   "will go on, ", n - 12)
    + "” she said.",
    "`“We are ready,” she said.` repeated": lambda n: _fill("“We are ready,” she said. ", n),
    "one sentence, no punctuation": lambda n: _fill(" ".join(f"word{i}" for i in range(97))
                                                    + " ", n),
    "deep nesting `(“‘(“‘…’”)’”)`": lambda n: _fill("(“‘", n // 2) + _fill("’”)", n - n // 2),
    "lone surrogates and quotes mixed": lambda n: _fill('\ud800"“ he said ”\udfff ', n),
}


def child(name: str, n: int) -> None:
    """Run one case in this (fresh) process and print its figures as JSON."""
    import resource

    from whosaid.pipeline import extract

    extract("Officials said it would reopen.")  # load the models first
    text = CASES[name](n)
    start, cpu = time.perf_counter(), time.process_time()
    doc = extract(text)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert len(doc.text) == len(text)
    print(json.dumps({"seconds": cpu, "wall": seconds, "chars": len(text),
                      "attributions": len(doc.attributions),
                      "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_case(name: str, n: int) -> dict[str, float]:
    """One case in a fresh interpreter: seconds, peak RSS (MB), attributions."""
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    out = subprocess.run([sys.executable, __file__, "--child", name, "--chars", str(n)],
                         capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--only", default=None, help="run only cases containing this text")
    parser.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.chars)
        return
    names = [k for k in CASES if args.only is None or args.only in k or "reference" in k]
    started = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    load = os.getloadavg()[0]
    ref1 = run_case(names[0], args.chars)
    results = {}
    for name in names[1:]:
        results[name] = run_case(name, args.chars)
        print(name, results[name], file=sys.stderr, flush=True)
    ref2 = run_case(names[0], args.chars)
    ref_us = (ref1["seconds"] + ref2["seconds"]) / 2 / args.chars * 1e6
    lines = [f"`python benchmarks/bench_worst_cases.py --chars {args.chars}` ({started}, "
             f"nproc {os.cpu_count()}, load {load:.1f} at start)", "",
             "| case | chars | CPU s | µs/char | x reference | peak RSS MB | attributions |",
             "| --- | --- | --- | --- | --- | --- | --- |",
             f"| ordinary news (reference, mean of first and last run) | {args.chars:,} | "
             f"{(ref1['seconds'] + ref2['seconds']) / 2:.1f} | {ref_us:.0f} | 1.00 | "
             f"{max(ref1['rss_mb'], ref2['rss_mb']):.0f} | {ref1['attributions']} |"]
    for name, r in results.items():
        us = r["seconds"] / r["chars"] * 1e6
        lines.append(f"| {name} | {r['chars']:,} | {r['seconds']:.1f} | {us:.0f} | "
                     f"{us / ref_us:.2f} | {r['rss_mb']:.0f} | {r['attributions']} |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
