"""Entity collection with whole-document evidence: sentences written for these tests, real
parse, real model. Each test first checks that the small NER model does make the mistake
the mechanism is for, so a model that stops making it fails the test loudly instead of
passing it for nothing."""

from __future__ import annotations

from whosaid import extract
from whosaid.parse import load_nlp
from whosaid.pipeline import analyse
from whosaid.resolve import _retyped_ents

KESSEL = ("Martin Kessel, a former quarterback, now tours the country as a speaker. "
          "In an interview with KTVZ Sports, Kessel said, \"I have had a lot of people "
          "cancel on me.\" \"Safety first,\" Kessel, a Bob Dole supporter, told the station.")


def labels(ents: tuple, text: str) -> list[str]:  # type: ignore[type-arg]
    return [e.label_ for e in ents if e.text == text]


def speaker(text: str, cue: str) -> str | None:
    doc = extract(text)
    found = [a for a in doc.attributions if a.cue.text == cue]
    assert found and found[0].source is not None, [a.cue.text for a in doc.attributions]
    sp = found[0].source.speaker
    return sp.name if sp else None


def speakers(text: str) -> list[str]:
    """The speaker names of the text's attributions, in text order."""
    return [a.source.speaker.name for a in extract(text).attributions
            if a.source is not None and a.source.speaker is not None]


def test_surname_typed_as_a_body_is_the_person_the_document_names() -> None:
    sdoc = load_nlp()(KESSEL)
    assert "ORG" in labels(sdoc.ents, "Kessel")  # the model's mistake
    retyped = _retyped_ents(sdoc, 0)
    assert retyped is not None
    assert set(labels(retyped, "Kessel")) == {"PERSON"}


def test_untagged_surname_in_a_name_source_is_not_a_name_in_its_apposition() -> None:
    # the second "Kessel" gets no entity at all: the name path took "Bob Dole"
    assert speaker(KESSEL, "told") == "Martin Kessel"


def test_reporter_after_a_body_possessive_is_a_person() -> None:
    text = ("Last month, the Ledger’s Scott Morrow, a Helen Ruiz supporter, asked the mayor "
            "whether the bridge was safe.")
    sdoc = load_nlp()(text)
    assert labels(sdoc.ents, "the Ledger’s Scott Morrow") == ["ORG"]  # one body for both
    assert speaker(text, "asked") == "Scott Morrow"


def test_a_place_keeps_its_type_beside_a_person_of_that_surname() -> None:
    text = ("Historians say George Washington crossed the river at night. Officials in "
            "Washington said the bridge would reopen.")
    sdoc = load_nlp()(text)
    assert labels(sdoc.ents, "Washington") == ["GPE"]
    retyped = _retyped_ents(sdoc, 0) or sdoc.ents
    assert labels(retyped, "Washington") == ["GPE"]
    assert speaker(text, "said") == "Officials in Washington"


def test_resolution_puts_the_parse_entities_back() -> None:
    sdoc = load_nlp()(KESSEL)
    before = [(e.start, e.end, e.label_) for e in sdoc.ents]
    doc = analyse(sdoc)
    assert [(e.start, e.end, e.label_) for e in sdoc.ents] == before
    assert any(a.source is not None and a.source.speaker is not None
               and a.source.speaker.name == "Martin Kessel" for a in doc.attributions)


# --- a title-case headline's source: its head noun before a name that modifies it ---


def test_headline_role_the_body_gives_one_person_is_that_person() -> None:
    # "pastor" is in no role list; the body makes it Kevin Mayhew's title
    text = ("Pastor Wants Library Books Burned For Promoting Magic.\n\n"
            "Pastor Kevin Mayhew has now set his sights on the town library. Mayhew, who "
            "leads a small church in Ohio, said the books were dangerous.")
    assert speaker(text, "Wants") == "Kevin Mayhew"


def test_headline_head_noun_wins_over_the_name_that_modifies_it() -> None:
    # "Former Ames Pollster" is Ames's pollster, not Ruth Ames
    text = ("Former Ames Pollster Says Mayor Is In Trouble In Spring Primary.\n\n"
            "Former Ruth Ames pollster Douglas Farrow was a guest on a radio show on Monday. "
            "Farrow said the mayor was in trouble.")
    assert speaker(text, "Says") == "Douglas Farrow"


# --- a generational suffix is part of a person's identity ---


def test_father_and_son_of_one_name_stay_two_people() -> None:
    names = speakers("Donald Trump Jr. said the campaign would win Ohio on Tuesday. His "
                     "father, Donald Trump, said the polls were wrong.")
    assert names == ["Donald Trump Jr.", "Donald Trump"]


def test_a_bare_surname_still_finds_the_suffixed_name() -> None:
    names = speakers("Martin Luther King Jr. said the march would go on. Later, King said "
                     "the city had agreed.")
    assert names == ["Martin Luther King Jr.", "Martin Luther King Jr."]


OFFICE = ("Fire crews attended the tower block on Monday.\n\n"
          "Chief Inspector of Building Safety Rhiannon Obi said the cladding had failed every "
          "test. \"We will act,\" she said.\n\n"
          "Rhiannon Obi, who took office in March, said the owners had been warned twice.")


def test_an_office_holder_swallowed_by_the_body_of_her_office_is_that_person() -> None:
    sdoc = load_nlp()(OFFICE)
    assert "ORG" in labels(sdoc.ents, "Building Safety Rhiannon Obi")  # the model's mistake
    names = speakers(OFFICE)
    assert names and set(names) == {"Rhiannon Obi"}, names


def test_a_body_whose_name_ends_like_a_person_stays_a_body() -> None:
    # "York" and "Morning" are given names in the first-name table; no one here is named so
    text = "The New York Times said the deal was off. The Dallas Morning News reported the same."
    names = set(speakers(text))
    assert names and all("Times" in n or "News" in n for n in names), names


def test_a_name_typed_as_a_body_is_a_person_by_its_apposition() -> None:
    # a given name and a surname the model calls an ORG; "an economist" says who it is
    text = ("Paul Ilves, a harbour economist, said the catch had fallen for three years. "
            "He expects a further fall next year, he said.")
    assert labels(load_nlp()(text).ents, "Paul Ilves") == ["ORG"]
    doc = extract(text)
    kinds = {a.source.text: a.source.speaker for a in doc.attributions
             if a.source is not None and a.source.speaker is not None}
    assert [(s.kind.value, s.name) for s in kinds.values()] == [
        ("person", "Paul Ilves"), ("person", "Paul Ilves")]


def test_a_body_with_a_role_apposition_stays_a_body() -> None:
    # no given name: the owner here is the trust itself
    text = "Harbour Trust, the owner of the pier, said the repairs would start in May."
    doc = extract(text)
    found = [a.source.speaker for a in doc.attributions if a.source is not None]
    assert found and found[0] is not None and found[0].kind.value == "organisation"
