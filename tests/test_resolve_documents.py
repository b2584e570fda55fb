"""A document's issuer named further out than the document noun's own children, and a
paper's name kept whole where the model tags only the place in it: sentences written for
these tests, real parse, real model."""

from __future__ import annotations

from whosaid import extract
from whosaid.parse import load_nlp


def speaker(text: str, cue: str) -> str | None:
    doc = extract(text)
    found = [a for a in doc.attributions if cue in a.cue.text]
    assert found and found[0].source is not None, [a.cue.text for a in doc.attributions]
    sp = found[0].source.speaker
    return sp.name if sp else None


def test_article_in_a_publication_is_the_publication() -> None:
    text = ("Turnout will be high this year, according to a new article in the Valley "
            "Courier.")
    assert speaker(text, "according") == "Valley Courier"


def test_issuer_of_the_data_a_study_is_of() -> None:
    # the parse hangs "by Brightline" on "data", the analysis's object
    text = ("An analysis of county tax data by Brightline, a research firm, found that "
            "rents rose in every district.")
    assert speaker(text, "found") == "Brightline"


def test_publisher_of_the_thing_a_transcript_is_of() -> None:
    text = ("The transcript of the hearing–published by The Ridgefield Post–shows that the "
            "senator spoke first.")
    assert speaker(text, "shows") == "Ridgefield Post"


def test_a_paper_named_post_is_no_post_by_a_place() -> None:
    text = ("The Ridgefield Post reported that the council would meet again on Friday.")
    assert speaker(text, "reported") == "Ridgefield Post"


def test_a_paper_whose_place_alone_is_tagged_keeps_its_name() -> None:
    text = "A Nevada Sentinel analysis found that rents rose in every district."
    assert [e.text for e in load_nlp()(text).ents] == ["Nevada"]  # the model's cut
    assert speaker(text, "found") == "Nevada Sentinel"


def test_who_did_what_a_report_is_of_did_not_issue_it() -> None:
    # "by police officers" says who abused, not who reported
    text = "A report of abuse by police officers found that the jail was unsafe."
    assert speaker(text, "found") != "police officers"
