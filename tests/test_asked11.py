""""Asked about X, Cole said" (issue 12): the one asked is not the asker, so the asking cue
has no source, yet resolution keeps the one asked as whom the text goes on with.
Sentences written for these tests; real spaCy parse and the whole pipeline.
"""

from __future__ import annotations

import pytest

from whosaid import extract
from whosaid.extract.rules import inherit_subject
from whosaid.extract.tagger import TaggedAttribution
from whosaid.model import Attribution, Document
from whosaid.parse import load_nlp


def cues(doc: Document, cue: str) -> list[Attribution]:
    found = [a for a in doc.attributions if a.cue.text == cue]
    assert found, [a.cue.text for a in doc.attributions]
    return found


def source(att: Attribution) -> str:
    return att.source.text if att.source else ""


def speaker(att: Attribution) -> str:
    return att.source.speaker.name if att.source and att.source.speaker else ""


def test_asking_participle_has_no_source_and_the_answer_keeps_its_subject() -> None:
    doc = extract("Asked about the budget cuts, the mayor said the city would close two "
                  "libraries.")
    assert source(cues(doc, "Asked about")[0]) == ""
    assert source(cues(doc, "said")[0]) == "the mayor"


def test_when_asked_has_no_source() -> None:
    doc = extract("When asked if the ferry tolls would go up, the port warden said no "
                  "decision had been made.")
    assert source(cues(doc, "asked")[0]) == ""
    assert source(cues(doc, "said")[0]) == "the port warden"


def test_a_source_the_tagger_gave_the_asking_participle_is_dropped() -> None:
    sdoc = load_nlp()("Asked whether the dam was safe, the engineer insisted it was.")
    att = TaggedAttribution([0], [7, 8], [[1, 2, 3, 4, 5]], 0.5)  # source "the engineer"
    inherit_subject(sdoc, [att])
    assert att.source == []


@pytest.mark.parametrize(("text", "asked"), [
    ("Library board backs new wing.\n\nBoard chair Ivan Stroud said on Monday that the wing "
     "would open next year.\n\nAsked if he feared that Paul Brink, who has argued that the "
     "budget is too small, might block it, Stroud laughed.\n\n\"We have the votes,\" he said.",
     "Ivan Stroud"),
    ("Harbor chief sets out plan.\n\nPort director Alan Cole said on Monday that the harbor "
     "would be dredged next year.\n\nAsked whether he was worried that Tom Reyes, who has "
     "claimed that the harbor is silting up, could win, Cole smiled.\n\n\"There is no party "
     "line,\" he said.",
     "Alan Cole"),
])
def test_the_one_asked_stays_the_antecedent_of_the_next_pronoun(text: str, asked: str) -> None:
    # the asked person's one narrative mention is the subject of "laughed"/"smiled" (the
    # participle keeps its shared subject); a person named inside the question (with a
    # "who has claimed" statement of their own) must not take the next "he said"
    doc = extract(text)
    assert source(cues(doc, "Asked")[0]) == ""
    last = doc.attributions[-1]
    assert last.cue.text == "said" and source(last) == "he"
    assert speaker(last) == asked


def test_a_pronoun_asked_still_carries_the_chain() -> None:
    # guard: "she smiled" carries the chain through the pronoun itself
    doc = extract("Judge Nora Quill spoke to the press on Friday. Asked about the appeal that "
                  "Victor Lang, who has argued that the ruling was wrong, filed last week, she "
                  "smiled.\n\n\"The court will decide,\" she said.")
    assert source(cues(doc, "Asked about")[0]) == ""
    assert speaker(doc.attributions[-1]) == "Nora Quill"


def test_a_finite_asked_keeps_its_subject() -> None:
    # guard: "asked" with a subject of its own is the asker
    doc = extract("Mayor Dana Whitfield spoke at the fair on Sunday. She thanked the crowd, then "
                  "asked them to vote in the fall.")
    asked = cues(doc, "asked")[0]
    assert source(asked) == "She" and speaker(asked) == "Dana Whitfield"


def test_a_passive_asked_leaves_the_reply_its_subject() -> None:
    # guard: "was asked" is no bare participle; "replied" keeps the one who replies
    doc = extract("The mayor was asked about the strike on Tuesday, replied that talks would "
                  "resume.")
    assert source(cues(doc, "replied")[0]) == "The mayor"


def test_an_asker_named_with_by_stays_the_source() -> None:
    # "asked by the show's host" names the asker, who is the source (session 11 review:
    # an agent after the participle was ignored and the one asked kept)
    doc = extract("Asked on Sunday by the show's host whether the bridge would reopen, the "
                  "engineer said it would.")
    assert source(cues(doc, "Asked")[0]) == "the show's host"
