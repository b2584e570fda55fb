"""Sources that name several people in a list the parser does not coordinate, and other
session-9 resolution mechanisms. Every text is written for these tests; real parse, real
model (no mocks). Each test checks the source it reads is found, so a tagger that stops
finding it fails loudly instead of passing for nothing."""

from __future__ import annotations

from whosaid import extract
from whosaid.model import Document


def source_speaker(doc: Document, cue: str, nth: int = 0) -> tuple[str | None, list[str]]:
    """(speaker name, member names) of the ``nth`` statement whose cue text is ``cue``."""
    found = [a.source for a in doc.attributions if a.cue.text == cue and a.source is not None]
    assert len(found) > nth, [(a.cue.text, a.source and a.source.text) for a in doc.attributions]
    src = found[nth]
    return (src.speaker.name if src.speaker else None), [m.name for m in src.members]


def test_a_dash_list_of_people_with_their_states_names_each() -> None:
    doc = extract("Senators debated the farm bill on Monday.\n\n"
                  "The Democratic senators running for governor -- Ann Hale of Ohio, Tom Reed "
                  "of Iowa, Joan Miller of Utah and Mark Dunn of Idaho -- all said the bill "
                  "was flawed.")
    _, members = source_speaker(doc, "said")
    assert members == ["Ann Hale", "Tom Reed", "Joan Miller", "Mark Dunn"]


def test_a_pronoun_and_a_name_are_two_speakers() -> None:
    doc = extract("Tom Reed runs the paper with Mark Dunn.\n\n"
                  "Survival depends on speed, Mr. Reed says. It is not only about audiences, "
                  "he and Mr. Dunn said.")
    name, members = source_speaker(doc, "said")
    assert members == ["Tom Reed", "Mark Dunn"], name


def test_a_name_inside_a_list_with_another_kind_of_word_is_no_list() -> None:
    # "his wife" is no name: the source stays one person, never a made-up pair
    doc = extract("Tom Reed ran the farm for thirty years.\n\n"
                  "He and his wife said they were tired of the drought.")
    _, members = source_speaker(doc, "said")
    assert members == []


def test_a_name_with_coordinated_roles_is_one_person() -> None:
    # "a Democrat and former state senator" are two roles of one man, not two speakers
    doc = extract("Farm prices fell again in March.\n\n"
                  "\"The towns have emptied out,\" said Tom Reed, a Democrat and former Iowa "
                  "state senator.")
    name, members = source_speaker(doc, "said")
    assert (name, members) == ("Tom Reed", [])


def test_names_given_as_examples_of_a_set_are_no_list() -> None:
    # the board members speak; the two names are only examples of them
    doc = extract("The board met on Monday.\n\n"
                  "Others on the board, including Sam Dale and Bob Kern, said the plan was "
                  "rushed.")
    _, members = source_speaker(doc, "said")
    assert members == []
