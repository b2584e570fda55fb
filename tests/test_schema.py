"""docs/schema.json is generated from whosaid.model and must stay in step with it."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from jsonschema import Draft202012Validator

from whosaid.model import (
    Attribution,
    AttributionType,
    Citation,
    Document,
    Paragraph,
    Sentence,
    Source,
    Speaker,
    SpeakerKind,
    content_of,
    span_of,
)

ROOT = Path(__file__).resolve().parent.parent
GENERATOR = ROOT / "scripts" / "gen_schema.py"
SCHEMA = ROOT / "docs" / "schema.json"


def _generator() -> ModuleType:
    """Import scripts/gen_schema.py by path: scripts/ is not a package."""
    spec = importlib.util.spec_from_file_location("gen_schema", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def test_committed_schema_matches_the_model() -> None:
    assert SCHEMA.exists(), "docs/schema.json missing: run python scripts/gen_schema.py"
    assert SCHEMA.read_text(encoding="utf-8") == _generator().render(), (
        "docs/schema.json is out of date with whosaid.model: run python scripts/gen_schema.py"
    )


def test_schema_is_a_valid_draft_2020_12_schema(schema: dict) -> None:
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"]
    assert schema["title"]
    Draft202012Validator.check_schema(schema)


def _document() -> Document:
    text = 'Jens Stoltenberg said "aid brings peace closer." (Citation: NATO press release)'
    name = text.index("Jens Stoltenberg"), len("Jens Stoltenberg")
    cue = text.index("said")
    quote = text.index('"aid'), text.index('."') + 2
    marker = text.index("(Citation")
    speaker = Speaker(name="Jens Stoltenberg", kind=SpeakerKind.PERSON, named=True, id="s1")
    return Document(
        name="hand-built",
        text=text,
        metadata={"source": "test"},
        paragraphs=[Paragraph(start=0, end=len(text))],
        sentences=[Sentence(start=0, end=quote[1]), Sentence(start=marker, end=len(text))],
        attributions=[Attribution(
            source=Source(**span_of(text, name[0], name[1]).model_dump(), speaker=speaker),
            cue=span_of(text, cue, cue + 4),
            content=content_of(text, [quote]),
            type=AttributionType.DIRECT,
            confidence=0.9,
            method="tagger",
        )],
        speakers=[speaker],
        citations=[Citation(
            text=text[marker:],
            label="NATO press release",
            start=marker,
            end=len(text),
            scope=(0, quote[1]),
        )],
    )


def test_hand_built_document_validates(schema: dict) -> None:
    validator = Draft202012Validator(schema)
    payload = json.loads(_document().model_dump_json())
    errors = sorted(validator.iter_errors(payload), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def test_schema_rejects_a_broken_document(schema: dict) -> None:
    payload = json.loads(_document().model_dump_json())
    payload["citations"][0]["scope"] = "0-10"
    del payload["text"]
    assert not Draft202012Validator(schema).is_valid(payload)
