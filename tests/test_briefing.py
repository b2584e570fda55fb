"""The NATO briefing the project started from: every attribution and citation right."""

from __future__ import annotations

from pathlib import Path

import pytest

from whosaid import extract
from whosaid.model import Attribution, Document, SpeakerKind

BRIEFING = Path(__file__).resolve().parents[2] / "shared" / "examples" / "nato-briefing.txt"


@pytest.fixture(scope="module", params=["fast", "accurate"])
def doc(request: pytest.FixtureRequest) -> Document:
    """The briefing through each model: the accurate one must keep everything the fast one gets."""
    if not BRIEFING.exists():
        pytest.skip(f"{BRIEFING} not found (../shared is not beside the checkout)")
    return extract(BRIEFING.read_text(encoding="utf-8"), name="nato-briefing",
                   model=request.param)


def by_cue(doc: Document, cue: str) -> Attribution:
    found = [a for a in doc.attributions if a.cue.text.endswith(cue)]
    assert found, f"no cue {cue!r} in {[a.cue.text for a in doc.attributions]}"
    return found[0]


def speaker_name(att: Attribution) -> str | None:
    return att.source.speaker.name if att.source and att.source.speaker else None


@pytest.mark.parametrize(
    ("cue", "content_start"),
    [
        ("perspective", "that providing capable defensive and offensive aid"),
        ("asserted", "a firm stance regarding Russia’s objectives"),
        ("emphasizing", "that the Kremlin should recognize"),
        ("stated", "that operations targeting military facilities in Russia"),
    ],
)
def test_stoltenberg_statements(doc: Document, cue: str, content_start: str) -> None:
    att = by_cue(doc, cue)
    assert speaker_name(att) == "Stoltenberg"
    assert att.content is not None and att.content.text.startswith(content_start)


def test_stringer_warned_and_noted(doc: Document) -> None:
    warned = by_cue(doc, "warned")
    assert speaker_name(warned) == "Johnny Stringer"
    assert warned.source is not None and warned.source.speaker is not None
    assert warned.source.speaker.title == "Lieutenant General"
    assert warned.source.speaker.role == "the alliance’s deputy supreme allied commander"
    assert warned.content is not None
    assert warned.content.text.startswith("that the security landscape is becoming more complex")
    noted = by_cue(doc, "noted")
    assert noted.source is not None and noted.source.text == "He"
    assert speaker_name(noted) == "Johnny Stringer"
    assert noted.content is not None and noted.content.text.startswith("the need for coordinated")


def test_vague_sources_are_kept(doc: Document) -> None:
    argue = by_cue(doc, "argue")
    assert argue.source is not None and argue.source.text == "some"
    assert argue.source.speaker is not None and argue.source.speaker.kind is SpeakerKind.GROUP
    assert argue.content is not None
    assert argue.content.text.startswith("that military assistance to Kyiv")
    observers = [a for a in doc.attributions
                 if a.source and a.source.text == "political observers"]
    assert observers, "the political observers are not kept as a source"
    speaker = observers[0].source.speaker if observers[0].source else None
    assert speaker is not None and speaker.kind is SpeakerKind.GROUP and not speaker.named


def test_leadership_statements(doc: Document) -> None:
    remarks = by_cue(doc, "remarks")
    assert remarks.source is not None and remarks.source.text == "the NATO leadership"
    assert remarks.content is not None and "arms deliveries to Ukraine" in remarks.content.text
    belief = by_cue(doc, "belief")
    assert belief.source is not None and belief.source.text == "alliance leaders"
    assert belief.content is not None
    assert belief.content.text.startswith("that rapid and targeted support")


def test_six_citations_scoped_to_their_paragraphs(doc: Document) -> None:
    labels = [c.label for c in doc.citations]
    assert labels == [
        "NATO communications team",
        "official briefing notes",
        "NATO press release",
        "legal analysis brief",
        "defense policy white paper",
        "defense council briefing",
    ]
    assert len(doc.paragraphs) == 6
    for cit, para in zip(doc.citations, doc.paragraphs, strict=True):
        assert cit.scope[0] == para.start
        assert cit.scope[1] == cit.start - 1  # the space before the marker
        assert cit.end == para.end
        assert doc.text[cit.start : cit.end] == cit.text


def test_markers_are_not_attributions(doc: Document) -> None:
    for att in doc.attributions:
        for cit in doc.citations:
            assert not (cit.start <= att.cue.start < cit.end)
            if att.source:
                assert not (cit.start <= att.source.start < cit.end)


def test_nominal_views_are_beliefs(doc: Document) -> None:
    assert by_cue(doc, "belief").type.value == "belief"
    assert by_cue(doc, "perspective").type.value == "belief"
    assert by_cue(doc, "remarks").type.value == "indirect"
