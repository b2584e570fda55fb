"""Session 11 resolution: "the two", "both men", "the two candidates" name the two
people the text has just been about, as "both" alone already did. Every text is
invented for these tests; real parse, real model (no mocks). Each test checks that
the source it reads is found, so a tagger that stops finding it fails loudly."""

from __future__ import annotations

from whosaid import extract
from whosaid.model import Document


def source_of(doc: Document, text: str) -> tuple[str | None, list[str]]:
    """(speaker name, member names) of the one source whose text is ``text``."""
    found = [a.source for a in doc.attributions
             if a.source is not None and a.source.text == text]
    assert found, [(a.cue.text, a.source and a.source.text) for a in doc.attributions]
    src = found[0]
    return (src.speaker.name if src.speaker else None), [m.name for m in src.members]


def test_the_two_are_the_two_people_the_passage_is_about() -> None:
    doc = extract("Ann Hale took offense when Mark Dunn questioned her about the budget. "
                  "In the recorded session, the two did not discuss the audit.")
    assert source_of(doc, "the two")[1] == ["Ann Hale", "Mark Dunn"]


def test_both_women_are_the_two_women_just_named_together() -> None:
    # the pair is named as objects ("held by A and B"), not as subjects
    doc = extract("Shares held by Nora Pemberton and Ellen Brandt rose sharply last year. "
                  "Both women said there were no plans to sell.")
    assert source_of(doc, "Both women")[1] == ["Nora Pemberton", "Ellen Brandt"]


def test_both_candidates_are_two_people_the_text_calls_candidates() -> None:
    doc = extract("Ann Hale, a candidate for mayor, won the primary in Ohio. Her rival, "
                  "the candidate Tom Reed, lost it. Both candidates said the race was fair.")
    assert source_of(doc, "Both candidates")[1] == ["Ann Hale", "Tom Reed"]


def test_both_men_are_no_pair_of_women() -> None:
    # guard (passes on the session-start code): the noun's sex must fit both people
    doc = extract("Shares held by Nora Pemberton and Ellen Brandt rose sharply last year. "
                  "Both men said there were no plans to sell.")
    assert source_of(doc, "Both men")[1] == []


def test_both_candidates_are_not_two_people_with_other_roles() -> None:
    # guard (passes on the session-start code): two volunteers are not "both candidates"
    doc = extract("Joan Miller and Bob Kern, two volunteers, watched the count all night. "
                  "Both candidates said the race was fair.")
    assert source_of(doc, "Both candidates")[1] == []


def test_both_parties_stay_a_group() -> None:
    # guard (passes on the session-start code): "parties" is no pair of people
    doc = extract("Ann Hale met Tom Reed on Monday to settle the strike. "
                  "Both parties said talks would resume.")
    assert source_of(doc, "Both parties")[1] == []


def test_the_two_after_one_person_stay_unresolved() -> None:
    # guard (passes on the session-start code): one person is not a pair
    doc = extract("Ann Hale spoke to reporters on Monday. The two said the talks had gone well.")
    assert source_of(doc, "The two")[1] == []


def test_both_democratic_candidates_are_no_republican() -> None:
    # guard (passes on the session-start code): the party the source says must fit both
    doc = extract("Ann Hale, a Republican candidate for mayor, won the primary in Ohio. Her "
                  "rival, the Democratic candidate Tom Reed, lost it. Both Democratic "
                  "candidates said the race was fair.")
    assert source_of(doc, "Both Democratic candidates")[1] == []


def test_a_third_person_between_makes_no_pair() -> None:
    # the moderator stands between the two debaters and "The two": which two is a guess
    doc = extract("Lena Voss faced Carl Mayhew in a debate on Friday. The moderator, Otto Brill, "
                  "asked about the harbour. The two said the debate had been fair.")
    assert source_of(doc, "The two")[1] == []


def test_the_tail_of_a_list_of_three_is_no_pair() -> None:
    doc = extract("Lena Voss, Carl Mayhew and Otto Brill met on Friday to settle the strike. "
                  "The two said talks would resume.")
    assert source_of(doc, "The two")[1] == []


def test_three_leaders_are_no_pair_of_leaders() -> None:
    doc = extract("The party leader Lena Voss spoke first. The party leader Carl Mayhew spoke "
                  "next. The party leader Otto Brill spoke last. Both leaders said the vote "
                  "would go ahead.")
    assert source_of(doc, "Both leaders")[1] == []
