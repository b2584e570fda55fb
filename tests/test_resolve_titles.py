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
    # "teachers'" is a kind of union, not its owner; the article calls it a federation
    text = ("Teachers' union endorses Mayor Dunn.\n\n"
            "The Federation of School Teachers endorsed Mayor Tom Dunn on Monday, citing "
            "his record on class sizes. The federation has 40,000 members.")
    assert title_speaker(text) == "Federation of School Teachers"


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


def test_a_one_sentence_lede_names_its_body_in_full() -> None:
    # a lede reports in the past tense: no title, so the union it names is its own speaker
    text = ("Millbrook Dockworkers Union said on Tuesday it would stop work at two ports.\n\n"
            "The stoppage would begin next week. The Seafarers Union, which represents ship "
            "crews, said it would not take part.")
    assert title_speaker(text) == "Millbrook Dockworkers Union"


def test_a_lede_body_sharing_no_word_with_another_stays_itself() -> None:
    # "Lakeside" is a proper noun: "Lakeside PAC" is a full name, not "the PAC" of the article
    text = ("Lakeside PAC said on Monday it would spend $3 million on ads for Sen. Ann Hale.\n\n"
            "The ads will run in four states. Working Families First PAC said it would "
            "answer them with ads of its own.")
    assert title_speaker(text) == "Lakeside PAC"


def test_a_present_tense_title_with_a_proper_name_keeps_it() -> None:
    # a title by its tense, but its body name is a full one the article does not repeat
    text = ("Lakeside PAC says Sen. Ann Hale is wrong on trade.\n\n"
            "A new ad attacks Sen. Ann Hale for her votes on trade. Working Families First PAC "
            "said it would answer with ads of its own.")
    assert title_speaker(text) == "Lakeside PAC"
