"""Session 12 resolution: guards against two ways of reaching more role descriptions
that were measured and rejected this session (docs/accuracy.md, Speakers, session 12).

Every test here is a GUARD: it passes on the session-start code and fails on the
rejected variant it names, so a later change that brings the over-reach back fails.
Every text is invented for these tests; real parse, real model (no mocks). Each test
checks that the source it reads is found, so a tagger that stops finding it fails loudly.
"""

from __future__ import annotations

from whosaid import extract
from whosaid.model import Document


def speaker_of(doc: Document, text: str) -> str | None:
    """Speaker name of the one source whose text is ``text``."""
    found = [a.source for a in doc.attributions
             if a.source is not None and a.source.text == text]
    assert found, [(a.cue.text, a.source and a.source.text) for a in doc.attributions]
    src = found[0]
    return src.speaker.name if src.speaker else None


def test_a_party_front_runner_is_not_the_man_just_named_as_subject() -> None:
    # guard: reading "front-runner" whole (the tokenizer splits it in three) sends "the
    # Democratic front-runner" to the recent subject, whose party the text never gives;
    # the woman he "took on" is meant. Unresolved is better than the wrong man.
    doc = extract("Dale Morrow took on Ann Hale on Sunday, a day after the Democratic "
                  "front-runner had said that he was unfit for office.")
    assert speaker_of(doc, "the Democratic front-runner") != "Dale Morrow"


def test_a_role_said_of_someone_in_reported_speech_is_no_role_of_theirs() -> None:
    # guard: learning roles from a copula ("X is the front-runner") anywhere in the text
    # also learns what others SAY X is; "would be a terrible president" then makes X hold
    # an office, and "the presumptive Republican presidential nominee" can no longer be X
    doc = extract("Dale Morrow called on Judge Ann Hale to resign. Hale told reporters last "
                  "week that Dale Morrow would be a terrible president. Morrow called the "
                  "remarks dumb, the presumptive Republican presidential nominee wrote in a "
                  "post on Monday.")
    assert speaker_of(doc, "the presumptive Republican presidential nominee") == "Dale Morrow"


def test_a_role_inside_a_quotation_is_no_role_of_the_person_named() -> None:
    # guard: as above, with the claim inside quotation marks
    doc = extract("Dale Morrow called on Judge Ann Hale to resign. “Dale Morrow is a terrible "
                  "president,” Hale said. His mind is gone, the presumptive Republican "
                  "presidential nominee wrote on Monday.")
    assert speaker_of(doc, "the presumptive Republican presidential nominee") == "Dale Morrow"
