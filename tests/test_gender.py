"""Speaker gender (whosaid.gender) on real sentences through the whole pipeline."""

from __future__ import annotations

import pytest

from whosaid.gender import aggregate, decide, role_gender
from whosaid.model import Document, Gender, Speaker, SpeakerKind
from whosaid.pipeline import extract


def speaker(doc: Document, name: str) -> Speaker:
    return next(s for s in doc.speakers if name in s.name)


def test_honorific_in_the_text_decides() -> None:
    doc = extract("Mrs. Okafor said the clinic would open on Monday.")
    sp = speaker(doc, "Okafor")
    assert sp.gender is Gender.FEMALE
    assert sp.gender_evidence == {"honorific:female": 1}


def test_resolved_pronoun_and_first_name_agree() -> None:
    doc = extract("Daniel Okonjo said the bridge was safe. He added that repairs "
                  "would start in May.")
    sp = speaker(doc, "Daniel Okonjo")
    assert sp.gender is Gender.MALE
    assert sp.gender_evidence == {"first_name:male": 1, "pronoun:male": 1}
    # every attribution's copy of the speaker carries the same decision
    assert {a.source.speaker.gender for a in doc.attributions if a.source} == {Gender.MALE}


def test_gendered_role_noun_for_an_unnamed_person() -> None:
    doc = extract("A spokeswoman for the ministry said no decision had been made.")
    sp = doc.attributions[0].source.speaker  # type: ignore[union-attr]
    assert sp is not None and sp.kind is SpeakerKind.PERSON
    assert sp.gender is Gender.FEMALE and sp.gender_evidence == {"role:female": 1}


def test_first_name_alone_when_the_text_says_nothing() -> None:
    doc = extract("Helen Osei said the harvest was late.")
    sp = speaker(doc, "Helen Osei")
    assert sp.gender is Gender.FEMALE and sp.gender_evidence == {"first_name:female": 1}


def test_unisex_name_or_bare_surname_stays_unknown() -> None:
    doc = extract("Jordan Ellis said the vote was close. Mayor Brandt said it was fair.")
    assert speaker(doc, "Jordan Ellis").gender is Gender.UNKNOWN
    assert speaker(doc, "Brandt").gender is Gender.UNKNOWN


def test_shared_surname_honorific_is_not_evidence() -> None:
    # "Mr. Clinton" may be either Clinton: it must not make Hillary Clinton male
    doc = extract("Hillary Clinton said the plan would work. Bill Clinton said it was "
                  "overdue. Mr. Clinton said the cost was fair.")
    hillary = speaker(doc, "Hillary Clinton")
    assert "honorific:male" not in hillary.gender_evidence
    assert hillary.gender is Gender.FEMALE


def test_non_persons_get_no_gender() -> None:
    doc = extract("The ministry said the road would reopen. Critics warned of delays.")
    assert all(s.gender is None for s in doc.speakers)


def test_conflicts_give_unknown() -> None:
    assert decide({"honorific:female": 1, "role:male": 1}) is Gender.UNKNOWN
    assert decide({"pronoun:female": 1, "pronoun:male": 1}) is Gender.UNKNOWN
    # a resolved pronoun against the first name: resolution may have picked wrong
    assert decide({"pronoun:male": 1}, Gender.FEMALE) is Gender.UNKNOWN
    # strong text evidence beats the first-name lexicon
    assert decide({"honorific:female": 1}, Gender.MALE) is Gender.FEMALE
    assert decide({}, None) is Gender.UNKNOWN
    assert role_gender("the mother's lawyer") is None  # the head is "lawyer"
    assert role_gender("his wife") is Gender.FEMALE


def test_corpus_aggregate_needs_a_clear_majority() -> None:
    assert aggregate(["female", "female", "female", "male"]) is Gender.FEMALE
    assert aggregate(["female", "male"]) is Gender.UNKNOWN
    assert aggregate(["female", "female", "male"]) is Gender.UNKNOWN  # a third disagrees
    assert aggregate(["unknown", None, "male"]) is Gender.MALE
    assert aggregate([]) is Gender.UNKNOWN


def test_switched_off_by_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WHOSAID_GENDER", "0")
    doc = extract("Mrs. Okafor said the clinic would open on Monday.")
    assert all(s.gender is None and not s.gender_evidence for s in doc.speakers)


def test_bare_surname_takes_the_first_name_the_text_gives() -> None:
    from whosaid.gender import speaker_gender

    # a speaker the resolver left as a bare surname: the text's first names decide
    text = "The board, led by Jon Marsh, met on Monday. Marsh said the rolls were clean."
    marsh = Speaker(name="Marsh", kind=SpeakerKind.PERSON, named=True, id="s1")
    gender, ev = speaker_gender(Document(text=text, speakers=[marsh]), marsh)
    assert gender is Gender.MALE and ev == {"first_name:male": 1}
    # two people share the surname: their first names disagree, so nothing is decided
    text = "The farm belongs to Ruth Adler and Samuel Adler. Adler said the harvest was late."
    adler = Speaker(name="Adler", kind=SpeakerKind.PERSON, named=True, id="s1")
    gender, ev = speaker_gender(Document(text=text, speakers=[adler]), adler)
    assert gender is Gender.UNKNOWN and ev == {}


def test_no_gender_switch_on_the_command_line(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from typer.testing import CliRunner

    from whosaid.cli import app

    monkeypatch.setenv("WHOSAID_GENDER", "1")  # restored after the test: --no-gender sets it
    article = tmp_path / "a.txt"
    article.write_text("Mrs. Okafor said the clinic would open on Monday.", encoding="utf-8")
    runner = CliRunner()
    on = runner.invoke(app, ["extract", str(article), "-f", "json"])
    assert on.exit_code == 0, on.output
    assert json.loads(on.stdout)["speakers"][0]["gender"] == "female"
    off = runner.invoke(app, ["extract", str(article), "-f", "json", "--no-gender"])
    assert off.exit_code == 0, off.output
    speaker = json.loads(off.stdout)["speakers"][0]
    assert speaker["gender"] is None and speaker["gender_evidence"] == {}
