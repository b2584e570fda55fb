"""The pipeline: parse -> extract -> resolve, as a function and a spaCy component.

Every front end (CLI, API, Spark job) calls :func:`extract_many`, so they all
produce identical documents for identical input.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from whosaid.model import Document
from whosaid.parse import load_nlp, paragraphs_of, sentences_of

Item = tuple[str | None, str, dict[str, str]]  # (name, text, metadata)
MODELS = ("fast",)


def analyse(sdoc: Doc, *, name: str | None = None, metadata: dict[str, str] | None = None,
            model: str = "fast") -> Document:
    """Turn one parsed spaCy Doc into a whosaid Document."""
    text = sdoc.text
    doc = Document(
        name=name,
        text=text,
        metadata=dict(metadata or {}),
        paragraphs=paragraphs_of(text),
        sentences=sentences_of(sdoc),
        model=model,
    )
    return doc


def extract_many(items: Iterable[Item], *, model: str = "fast",
                 batch_size: int = 16) -> Iterator[Document]:
    """Analyse a stream of texts lazily, batching the spaCy parse."""
    if model not in MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(MODELS)}")
    nlp = load_nlp()
    stream = ((text, (name, meta)) for name, text, meta in items)
    for sdoc, (name, meta) in nlp.pipe(stream, as_tuples=True, batch_size=batch_size):
        yield analyse(sdoc, name=name, metadata=meta, model=model)


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
