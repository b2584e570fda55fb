"""Sources that name several people in a list the parser does not coordinate. A list
counts only when the names are the source itself or stand beside its head: names that
are the object of a word around them ("an aide to A and B", "A and B's son") leave the
source someone else. Every text is invented for these tests; real parse, real model (no
mocks). Each test checks the source it reads is found, so a tagger that stops finding it
fails loudly instead of passing for nothing."""

from __future__ import annotations

import pytest

from whosaid import extract
from whosaid.model import Document

HARBOUR = "Laura Becker, Paul Ortiz and Helen Ward met Frank Moreno at the harbour office.\n\n"


def source_speaker(doc: Document, cue: str, nth: int = 0) -> tuple[str | None, list[str]]:
    """(speaker name, member names) of the ``nth`` statement whose cue text is ``cue``."""
    found = [a.source for a in doc.attributions if a.cue.text == cue and a.source is not None]
    assert len(found) > nth, [(a.cue.text, a.source and a.source.text) for a in doc.attributions]
    src = found[nth]
    return (src.speaker.name if src.speaker else None), [m.name for m in src.members]


def test_a_dash_list_of_people_with_their_towns_names_each() -> None:
    doc = extract(HARBOUR + "Three harbour commissioners -- Laura Becker of Tulsa, Paul Ortiz "
                  "of Fresno and Helen Ward of Duluth -- told reporters the pier was unsafe.")
    _, members = source_speaker(doc, "told")
    assert members == ["Laura Becker", "Paul Ortiz", "Helen Ward"]


def test_a_pronoun_and_a_name_are_two_speakers() -> None:
    doc = extract("Helen Ward and Paul Ortiz run the night ferry across the bay.\n\n"
                  "She and Mr. Ortiz warned passengers that fares would rise.")
    name, members = source_speaker(doc, "warned")
    assert members == ["Helen Ward", "Paul Ortiz"], name


def test_a_place_before_a_title_is_no_member_of_the_list() -> None:
    # the tagger may read "Tulsa" as a person; with no comma or "and" before the next
    # name it is that name's own prefix, not a fourth speaker
    doc = extract("Laura Becker, Paul Ortiz and Helen Ward met Frank Moreno at the harbour "
                  "office on Friday.\n\nTulsa Mayor Laura Becker, Fresno Mayor Paul Ortiz and "
                  "Helen Ward said the deal had collapsed.")
    _, members = source_speaker(doc, "said")
    assert members == ["Laura Becker", "Paul Ortiz", "Helen Ward"]


def test_names_each_with_the_and_a_party_are_two_speakers() -> None:
    doc = extract(HARBOUR + "The two candidates, the Republican Laura Becker and the Democrat "
                  "Paul Ortiz, said the pier needed repairs.")
    name, members = source_speaker(doc, "said")
    assert (name, members) == ("Laura Becker + Paul Ortiz", ["Laura Becker", "Paul Ortiz"])


def test_a_name_with_coordinated_roles_is_one_person() -> None:
    # "a Quaker and former ... inspector" are two roles of one man, not two speakers
    doc = extract(HARBOUR + "\"The pier is rotting,\" said Frank Moreno, a Quaker and former "
                  "Maine fisheries inspector.")
    name, members = source_speaker(doc, "said")
    assert (name, members) == ("Frank Moreno", [])


@pytest.mark.parametrize(("sentence", "speaker"), [
    ("A spokeswoman for Laura Becker and Paul Ortiz said the vote was delayed.",
     "spokeswoman for Laura Becker and Paul Ortiz"),
    ("The families of Laura Becker and Paul Ortiz said the ferry fares were unfair.",
     "families of Laura Becker and Paul Ortiz"),
    ("An associate close to Laura Becker and Paul Ortiz said the deal had collapsed.",
     "associate"),
    ("A man who voted for Laura Becker and Paul Ortiz said the deal had collapsed.", "man"),
])
def test_names_that_are_the_object_of_another_word_are_no_list(sentence: str,
                                                                speaker: str) -> None:
    # the spokeswoman, the families, the associate and the voter speak, not the two named
    name, members = source_speaker(extract(HARBOUR + sentence), "said")
    assert (name, members) == (speaker, [])


@pytest.mark.parametrize("sentence", [
    "He and Ms. Becker's brother said the quarry should close.",
    "He and his sister said the quarry should close.",
])
def test_a_pronoun_and_someone_s_relative_are_no_list(sentence: str) -> None:
    # the brother or sister is no name of a list: the source stays its pronoun, never the
    # pair of the man named before and the woman whose brother speaks
    doc = extract("Frank Moreno has fished the bay for forty years. Laura Becker runs "
                  "the quarry.\n\n" + sentence)
    name, members = source_speaker(doc, "said")
    assert (name, members) == ("He", [])


def test_names_given_as_examples_of_a_set_are_no_list() -> None:
    # the neighbours speak; the two names are only examples of them
    doc = extract(HARBOUR + "Neighbours, including Helen Ward and Frank Moreno, said the deal "
                  "had collapsed.")
    name, members = source_speaker(doc, "said")
    assert (name, members) == ("Neighbours, including Helen Ward and Frank Moreno", [])
