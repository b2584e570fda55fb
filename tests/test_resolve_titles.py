"""A title's short names for the bodies its article names in full: sentences written for
these tests, real parse, real model. Each test also checks the title's source is found, so
a tagger that stops finding it fails loudly instead of passing for nothing."""

from __future__ import annotations

from whosaid import extract


def title_speaker(text: str) -> str | None:
    """The speaker of the statement whose source is in the title (the first line)."""
    doc = extract(text)
    end = doc.paragraphs[0].end
    found = [a.source for a in doc.attributions if a.source is not None and a.source.start < end]
    assert found, [(a.cue.text, a.source and a.source.text) for a in doc.attributions]
    sp = found[0].speaker
    return sp.name if sp else None


def test_title_abbreviates_the_body_name_the_article_uses() -> None:
    text = ("NJ Evening Star: Budget Plan Would Hurt Rural Schools.\n\n"
            "On Sunday, the New Jersey Evening Star argued that the budget plan would hurt "
            "rural schools. The paper said the cuts fall hardest on small districts.")
    assert title_speaker(text) == "New Jersey Evening Star"


def test_title_names_a_body_by_its_type_word_only() -> None:
    text = ("Rival PAC blasts Senator Hale for skipping the debate.\n\n"
            "A new ad from Forward Together PAC hits Sen. Ann Hale for her votes on trade. "
            "Forward Together PAC was founded last year by two former aides.")
    assert title_speaker(text) == "Forward Together PAC"


def test_title_names_a_union_by_its_members() -> None:
    # "nurses'" is a kind of union, not its owner; the article calls it a federation
    text = ("Nurses' union endorses Mayor Dunn.\n\n"
            "The Federation of Registered Nurses endorsed Mayor Tom Dunn on Monday, citing "
            "his record on hospital staffing. The federation has 40,000 members.")
    assert title_speaker(text) == "Federation of Registered Nurses"


def test_title_keeps_a_name_the_article_also_uses() -> None:
    # the article names the PAC of the title itself: no other body is meant
    text = ("Patriots First PAC blasts Senator Hale for skipping the debate.\n\n"
            "A new ad from Patriots First PAC hits Sen. Ann Hale for her votes on trade, while "
            "Forward Together PAC defends her.")
    assert title_speaker(text) == "Patriots First PAC"


def test_title_names_a_county_by_its_type_word() -> None:
    # a place may speak when the title calls it by its kind of place
    text = ("Coastal County Says Ferry Service Must Stay.\n\n"
            "Officials of Marlow County, Oregon, said on Monday that the ferry must keep "
            "running. Marlow County has relied on the ferry since 1950.")
    assert title_speaker(text) == "Marlow County"
