"""Long fuzz run: many random texts through the pipeline, counting crashes and bad offsets.

The default test run has a bounded property test (tests/test_fuzz.py); this is
the long run (issue 16: at least 100,000 inputs). Texts are drawn from a seeded
generator mixing news words and cues, quotation marks of every kind (single,
in runs, nested), brackets, lone surrogates, control characters, emoji, random
code points from the whole Unicode range, newlines and long unpunctuated
stretches. Each document is checked: no exception, ``doc.text`` is the input
under the invalid-code-point rule, and every span's ``text[start:end]`` is its
text.

    nice python benchmarks/fuzz_long.py --inputs 100000 --seed 16   # ~1 h on 1 core
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time
import traceback
from typing import Any

NEWSY = ["said", "says", "told", "according to", "believes", "warned", "He", "she",
         "officials", "a source familiar with the talks", "the minister", "that", ".", ",",
         "(Source: AP)", "(Citation: NATO)", "[1]", "Source: Reuters", "—", "–", ":", ";",
         "\n", "\n\n", " ", "\t", "\r\n", "\u200b", "\ufeff", "😀", "ﬁ", "é", "\x00", "\x7f",
         "\u2028", "\u0301", "''", "``", "'s", "n't", "Mr.", "Dr.", "U.S."]
BATCH = 64
QUOTES = "\"'“”‘’«»„‹›「」()[]{}"


def random_text(rng: random.Random) -> str:
    """One fuzz input: mostly short (about a hundred characters), 1 in 100 long."""
    parts: list[str] = []
    for _ in range(rng.randint(0, 12 if rng.random() > 0.01 else 150)):
        r = rng.random()
        if r < 0.5:
            parts.append(rng.choice(NEWSY))
        elif r < 0.62:
            parts.append(rng.choice(QUOTES) * rng.choice((1, 1, 2, 3, 4, 5, 9, 40, 250)))
        elif r < 0.7:
            parts.append(chr(rng.randint(0xD800, 0xDFFF)))  # lone surrogate
        elif r < 0.85:
            parts.append("".join(chr(rng.randint(0x20, 0x2FFF)) for _ in range(rng.randint(1, 12))))
        elif r < 0.95:
            parts.append("".join(chr(rng.randint(0, 0x10FFFF)) for _ in range(rng.randint(1, 6))))
        elif r < 0.99:
            parts.append(rng.choice(NEWSY).upper())
        else:
            parts.append(" ".join(f"word{k}" for k in range(rng.randint(50, 300))))
    sep = rng.choice([" ", "", " ", "\n"])
    return sep.join(parts)


def offsets_problem(doc: Any, expected_text: str) -> str | None:
    """None when every span of ``doc`` slices back to its text."""
    text = doc.text
    if text != expected_text:
        return "doc.text differs from the input"
    n = len(text)

    def bad(s: int, e: int) -> bool:
        return not (0 <= s <= e <= n)

    for seq in (doc.paragraphs, doc.sentences):
        for sp in seq:
            if bad(sp.start, sp.end):
                return f"span out of bounds {sp}"
    for att in doc.attributions:
        if bad(att.cue.start, att.cue.end) or text[att.cue.start:att.cue.end] != att.cue.text:
            return f"cue {att.cue}"
        if att.source is not None and (bad(att.source.start, att.source.end)
                                       or text[att.source.start:att.source.end]
                                       != att.source.text):
            return f"source {att.source}"
        if att.content is not None:
            if any(bad(s, e) for s, e in att.content.fragments):
                return f"content {att.content}"
            if att.content.text != " ".join(text[s:e] for s, e in att.content.fragments):
                return f"content text {att.content}"
    for cit in doc.citations:
        if bad(cit.start, cit.end) or text[cit.start:cit.end] != cit.text:
            return f"citation {cit}"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--report-every", type=int, default=5000)
    args = parser.parse_args()

    def stop(*_: object) -> None:  # SIGTERM (a time limit): summary of what was done
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    from whosaid.parse import valid_text
    from whosaid.pipeline import extract, extract_many

    rng = random.Random(args.seed)
    counts = {"done": 0, "crashes": 0, "bad": 0, "chars": 0}
    examples: list[dict[str, str]] = []
    start = time.perf_counter()

    def note(text: str, **what: str) -> None:
        if len(examples) < 10:
            examples.append({"input": repr(text[:300]), **what})

    try:
        while counts["done"] < args.inputs:
            texts = [random_text(rng) for _ in range(min(BATCH, args.inputs - counts["done"]))]
            counts["chars"] += sum(map(len, texts))
            try:  # batched as in the CLI; a batch that raises is redone one by one
                docs: list[Any] = list(extract_many([(None, t, {}) for t in texts]))
            except Exception:
                docs = []
                for text in texts:
                    try:
                        docs.append(extract(text))
                    except Exception as exc:
                        counts["crashes"] += 1
                        docs.append(None)
                        note(text, error=repr(exc), trace=traceback.format_exc()[-800:])
            for text, doc in zip(texts, docs, strict=True):
                problem = None if doc is None else offsets_problem(doc, valid_text(text))
                if problem is not None:
                    counts["bad"] += 1
                    note(text, bad_offsets=problem)
            before = counts["done"]
            counts["done"] += len(texts)
            if counts["done"] // args.report_every > before // args.report_every:
                print(f"{counts['done']} inputs, {counts['crashes']} crashes, "
                      f"{counts['bad']} bad offsets, {time.perf_counter() - start:.0f} s",
                      file=sys.stderr, flush=True)
    except KeyboardInterrupt:
        print("stopped early: the summary covers the inputs done", file=sys.stderr)
    summary = {"inputs": counts["done"], "asked": args.inputs, "seed": args.seed,
               "characters": counts["chars"], "crashes": counts["crashes"],
               "bad_offsets": counts["bad"],
               "seconds": round(time.perf_counter() - start, 1), "examples": examples}
    print(json.dumps(summary, indent=2))
    sys.exit(1 if counts["crashes"] or counts["bad"] else 0)


if __name__ == "__main__":
    main()
