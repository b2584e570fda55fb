"""The pipeline: parse -> extract -> resolve, as a function and a spaCy component.

Every front end (CLI, API, Spark job) calls :func:`extract_many`, so they all
produce identical documents for identical input.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from whosaid.assess import assess_document
from whosaid.extract.citations import find_citations
from whosaid.extract.features import DocInfo
from whosaid.extract.kinds import classify_types
from whosaid.extract.quotes import extend_quotes, quotations, snap_to_quotations
from whosaid.extract.rules import (
    according_to_source,
    dash_attributions,
    drop_markers,
    drop_nested,
    headline_attributions,
    inherit_subject,
    nominal_attributions,
    relative_clause_content,
    speaker_label_attributions,
    strip_prepositions,
    verb_attributions,
)
from whosaid.extract.tagger import CRFTagger, TaggedAttribution
from whosaid.gender import assign_genders
from whosaid.gender import enabled as gender_enabled
from whosaid.model import Attribution, Document, Source, content_of, span_of
from whosaid.parse import load_nlp, paragraphs_of, pipe, sentences_of, valid_text
from whosaid.resolve import resolve_speakers

Item = tuple[str | None, str, dict[str, str]]  # (name, text, metadata)
MODELS = ("fast", "accurate")


def analyse(sdoc: Doc, *, name: str | None = None, metadata: dict[str, str] | None = None,
            model: str = "fast") -> Document:
    """Turn one parsed spaCy Doc into a whosaid Document."""
    text = sdoc.text
    paragraphs = paragraphs_of(text)
    sentences = sentences_of(sdoc)
    doc = Document(
        name=name,
        text=text,
        metadata=dict(metadata or {}),
        paragraphs=paragraphs,
        sentences=sentences,
        model=model,
    )
    doc.citations = find_citations(text, paragraphs, sentences)
    info = DocInfo.build(sdoc)
    tagged = drop_markers(tagger_for(model)(info), [(c.start, c.end) for c in doc.citations], sdoc)
    relative_clause_content(sdoc, tagged)
    tagged += nominal_attributions(sdoc, tagged)
    tagged += dash_attributions(sdoc, info.quote_id, tagged)
    tagged += speaker_label_attributions(sdoc, tagged)
    tagged += headline_attributions(sdoc, tagged)
    tagged += verb_attributions(sdoc, tagged)
    strip_prepositions(sdoc, tagged)
    according_to_source(sdoc, tagged)
    tagged = drop_nested(tagged)
    inherit_subject(sdoc, tagged)
    tagged.sort(key=lambda t: t.cue[0])
    doc.attributions = [_to_attribution(sdoc, text, t) for t in tagged]
    quotes = quotations(text, paragraphs)
    snap_to_quotations(text, quotes, doc.attributions)
    extend_quotes(text, quotes, doc.attributions)
    # typed last, on the final content: widening can turn a mixed quote direct
    classify_types(text, quotes, doc.attributions, [_cue_lemma(sdoc, t) for t in tagged])
    resolve_speakers(doc, sdoc, info.sent_of)
    assess_document(doc, sdoc)
    if gender_enabled():  # after assess: it settles which speakers are persons
        assign_genders(doc)
    return doc


@cache
def tagger_for(model: str) -> Callable[[DocInfo], list[TaggedAttribution]]:
    """The trained tagger behind a model name, built once per process (analyse calls this
    for every document)."""
    if model == "accurate":
        from whosaid.extract.neural import AccurateTagger  # torch loads only when asked for

        return AccurateTagger()
    return CRFTagger()


def _char_span(sdoc: Doc, toks: list[int]) -> tuple[int, int]:
    first, last = sdoc[toks[0]], sdoc[toks[-1]]
    return first.idx, last.idx + len(last.text)


def _cue_lemma(sdoc: Doc, t: TaggedAttribution) -> str:
    cue = set(t.cue)
    head = next((i for i in t.cue if sdoc[i].head.i not in cue), t.cue[0])
    return sdoc[head].lemma_


def _to_attribution(sdoc: Doc, text: str, t: TaggedAttribution) -> Attribution:
    # ``text`` is passed in: ``Doc.text`` rebuilds the string from every token.
    source = None
    if t.source:
        s, e = _char_span(sdoc, t.source)
        source = Source(text=text[s:e], start=s, end=e)
    content = None
    if t.content:
        content = content_of(text, [_char_span(sdoc, run) for run in t.content])
    return Attribution(source=source, cue=span_of(text, *_char_span(sdoc, t.cue)),
                       content=content, confidence=t.confidence, method=t.method)


def extract_many(items: Iterable[Item], *, model: str = "fast",
                 batch_size: int = 16) -> Iterator[Document]:
    """Analyse a stream of texts lazily, batching the spaCy parse."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    nlp = load_nlp()
    tagger_for(model)
    _freeze_models()
    stream = ((valid_text(text), (name, meta)) for name, text, meta in items)
    for sdoc, (name, meta) in pipe(nlp, stream, batch_size=batch_size):
        yield analyse(sdoc, name=name, metadata=meta, model=model)


_frozen = False


def _freeze_models() -> None:
    """Once per process, after the models are loaded: ``gc.freeze()``.

    The spaCy pipeline and the taggers are a few hundred thousand long-lived Python
    objects; the cyclic garbage collector otherwise walks all of them again in
    every full collection, which the many short-lived feature lists of the
    analysis trigger (about 0.4 s of 24 s CPU on the 84 dev texts, docs/speed.md).
    Frozen objects are still freed by reference counting; only cycles among
    objects alive at this point are never collected.
    """
    global _frozen
    if not _frozen:
        gc.freeze()
        _frozen = True


def extract(text: str, *, name: str | None = None, metadata: dict[str, str] | None = None,
            model: str = "fast") -> Document:
    """Analyse one text: ``whosaid.extract("...", model="fast") -> Document``."""
    return next(extract_many([(name, text, metadata or {})], model=model))


def make_component(nlp: Language, name: str, model: str = "fast") -> AttributionComponent:
    return AttributionComponent(model)


class AttributionComponent:
    """spaCy component: ``nlp.add_pipe("whosaid_attributions")`` sets ``Doc._.attributions``."""

    def __init__(self, model: str = "fast") -> None:
        self.model = model
        for attr in ("attributions", "whosaid"):
            if not Doc.has_extension(attr):
                Doc.set_extension(attr, default=None)

    def __call__(self, sdoc: Doc) -> Doc:
        doc = analyse(sdoc, model=self.model)
        sdoc._.whosaid = doc
        sdoc._.attributions = doc.attributions
        return sdoc


Language.factory("whosaid_attributions", default_config={"model": "fast"})(make_component)
