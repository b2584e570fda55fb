"""Bounded fuzzing in the default run: odd Unicode never crashes, offsets always slice back.

Hypothesis draws texts with lone surrogates (the issue-16 crash), runs of
quotation marks and brackets (the quadratic tokenizer case), nested quotes,
control characters and arbitrary code points, plus news words and cues so the
extraction code paths run. Bounded to a few seconds; the long run (100,000+
inputs) is benchmarks/fuzz_long.py, its result in docs/speed.md.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from whosaid.model import Document
from whosaid.parse import valid_text
from whosaid.pipeline import extract, extract_many

WORDS = ["said", "told", "according to", "warned", "He", "she", "officials", "the minister",
         "that", ".", ",", "\n", "\n\n", " ", "(Source: AP)", "[1]", "—", "''", "``", "😀"]
QUOTE = st.sampled_from(list("\"'“”‘’«»„()[]"))
RUNS = st.builds(lambda q, n: q * n, QUOTE, st.integers(1, 300))
SURROGATE = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
ANY_CHAR = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
PIECES = st.one_of(st.sampled_from(WORDS), RUNS, SURROGATE, st.text(ANY_CHAR, max_size=10))
TEXTS = st.lists(PIECES, max_size=30).map(" ".join)


def assert_offsets(doc: Document, source: str) -> None:
    text = doc.text
    assert text == valid_text(source)  # lone surrogates -> U+FFFD, one for one
    n = len(text)
    spans = [(p.start, p.end, None) for p in [*doc.paragraphs, *doc.sentences]]
    for att in doc.attributions:
        spans.append((att.cue.start, att.cue.end, att.cue.text))
        if att.source is not None:
            spans.append((att.source.start, att.source.end, att.source.text))
        if att.content is not None:
            spans += [(s, e, None) for s, e in att.content.fragments]
            assert att.content.text == " ".join(text[s:e] for s, e in att.content.fragments)
    spans += [(c.start, c.end, c.text) for c in doc.citations]
    for start, end, piece in spans:
        assert 0 <= start <= end <= n, (start, end, n)
        if piece is not None:
            assert text[start:end] == piece


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(TEXTS)
def test_fuzzed_text_never_crashes_and_offsets_slice_back(text: str) -> None:
    assert_offsets(extract(text), text)


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXTS, min_size=2, max_size=4))
def test_fuzzed_batches_keep_order_and_offsets(texts: list[str]) -> None:
    docs = list(extract_many([(str(i), t, {}) for i, t in enumerate(texts)]))
    assert [d.name for d in docs] == [str(i) for i in range(len(texts))]
    for doc, text in zip(docs, texts, strict=True):
        assert_offsets(doc, text)


def test_pathological_runs_are_linear_and_keep_offsets() -> None:
    """A 40,000-character run of quotation marks took minutes (quadratic); now about a
    second of CPU, with the text unchanged. (CPU time: the wall clock of a shared
    machine says little.)"""
    import time

    for text in ['"' * 40_000, "(“‘" * 5_000 + "’”)" * 5_000, "“We are ready,” she said. " * 400]:
        start = time.process_time()
        doc = extract(text)
        assert time.process_time() - start < 20
        assert_offsets(doc, text)
