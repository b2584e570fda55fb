"""Name matching across documents (whosaid.speakers), without a database."""

from __future__ import annotations

from whosaid.model import SpeakerKind
from whosaid.speakers import (
    Mention,
    PersonProfile,
    full_names_in_text,
    match_full_name,
    mention_key,
    name_tokens,
    norm_title,
    person_name,
    surname_evidence,
)

PERSON = SpeakerKind.PERSON


def person(name: str, **kw: object) -> Mention:
    return Mention(name, PERSON, True, document="doc1", **kw)  # type: ignore[arg-type]


def test_titles_initials_and_possessives_do_not_split_a_person() -> None:
    key = mention_key(person("Jens Stoltenberg"))
    for variant in ("NATO Secretary General Jens Stoltenberg", "Jens Stoltenberg's",
                    "Mr. Jens Stoltenberg", "Jens J. Stoltenberg"):
        assert mention_key(person(variant)) == key
    assert name_tokens("Hillary Rodham Clinton") == ["hillary", "clinton"]
    assert person_name("Astronaut Scott Kelly") == "Scott Kelly"


def test_different_first_names_never_match() -> None:
    known = ["person:mark kelly"]
    assert match_full_name("person:scott kelly", known) is None
    assert match_full_name("person:m kelly", known) == "person:mark kelly"  # an initial
    assert match_full_name("person:mark kelley", known) == "person:mark kelly"  # spelling
    # two candidates for one initial: refused rather than guessed
    assert match_full_name("person:m kelly", [*known, "person:martin kelly"]) is None


def test_bare_surname_is_scoped_to_its_document_without_evidence() -> None:
    a = mention_key(Mention("Stringer", PERSON, True, document="aaaa"))
    b = mention_key(Mention("Stringer", PERSON, True, document="bbbb"))
    assert a != b and a.startswith("person?:stringer@")


def test_full_name_in_the_same_text_is_evidence() -> None:
    text = "Lt. Gen. Johnny Stringer arrived on Monday. Stringer said the drill went well."
    evidence = full_names_in_text(text, "Stringer")
    assert evidence == ["Johnny Stringer"]
    m = Mention("Stringer", PERSON, True, document="d", evidence=evidence)
    assert mention_key(m) == "person:johnny stringer"
    # two different first names in the text: ambiguous, stays in its document
    m.evidence = ["Johnny Stringer", "Alice Stringer"]
    assert mention_key(m).startswith("person?:")


def test_sentence_starts_and_dates_are_not_first_names() -> None:
    assert full_names_in_text("On Monday Stringer said. But Stringer left.", "Stringer") == []


def test_title_and_role_evidence() -> None:
    assert norm_title("Lt. Gen.") == norm_title("Lieutenant General")
    johnny = PersonProfile("person:johnny stringer", {norm_title("Lieutenant General")},
                           {"the alliance s deputy supreme allied commander"})
    alice = PersonProfile("person:alice stringer", {norm_title("Dr.")}, set())
    people = [johnny, alice]
    assert surname_evidence(person("Stringer", title="Gen."), "stringer", people) == johnny.key
    assert surname_evidence(person("Stringer", title="Dr."), "stringer", people) == alice.key
    assert surname_evidence(person("Stringer"), "stringer", people) is None
    both = PersonProfile("person:bob stringer", {norm_title("General")}, set())
    assert surname_evidence(person("Stringer", title="Gen."), "stringer",
                            [*people, both]) is None


def test_unnamed_speakers_are_per_document_and_orgs_are_shared() -> None:
    critics = [mention_key(Mention("Critics", SpeakerKind.GROUP, False, document=d))
               for d in ("a", "b")]
    assert critics[0] != critics[1]
    nato = {mention_key(Mention("NATO", SpeakerKind.ORGANISATION, True, document=d))
            for d in ("a", "b")}
    assert nato == {"organisation:nato"}
