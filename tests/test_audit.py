"""``whosaid audit``: linking, claims, evidence and flags on small real documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from whosaid import extract
from whosaid.audit import FLAGS, audit, load_sources, negated, numbers, to_html
from whosaid.cli import app

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "tests" / "data" / "audit" / "sources"
BRIEFING = ROOT.parent / "shared" / "examples" / "nato-briefing.txt"
PICK = ("council-budget", "river-flood", "school-lunch")

REPORT = "\n\n".join([
    "Council and river news",
    "The Riverton council approved a 48 million dollar budget on Tuesday."
    " (Source: https://riverton.example.gov/news/budget-2025)",
    "The budget rose by 5 percent compared with last year."
    " (Source: Riverton Council Adopts 2025 Budget)",
    "Councillor Ben Adeyemi told reporters that property taxes would not rise this year."
    " (Source: Riverton Council Adopts 2025 Budget)",
    "Evacuations have been ordered for several streets."
    " (Source: Flood warning for the Marlow river)",
    "Education Minister Priya Nair said the scheme would be funded from the existing"
    " education budget."
    " (Source: school-lunch)",
    "The city zoo will double its entry fee in spring."
    " (Source: Free School Lunch Programme Expanded)",
    "Regional unemployment fell to its lowest level in a decade. (Source: government statistics)",
    "Rail punctuality improved for the third year running."
    " (Source: Rail Performance Review, National Rail Office, 12 March 2024)",
]) + "\n"


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("sources")
    for name in PICK:
        (folder / f"{name}.txt").write_text((SOURCES / f"{name}.txt").read_text("utf-8"),
                                            encoding="utf-8")
    return audit(extract(REPORT, name="report"), load_sources(folder))


def claim(result: dict, start: str) -> dict:
    return next(c for c in result["claims"] if c["text"].startswith(start))


def test_citations_are_linked_by_url_id_and_title(result: dict) -> None:
    links = [c["link"] for c in result["citations"]]
    assert links[0] == {"document": "council-budget", "method": "url", "score": 2.0,
                        "fields": ["url"]}
    assert links[1]["document"] == "council-budget" and links[1]["method"] == "fields"
    assert links[3]["document"] == "river-flood" and links[3]["score"] >= 0.595
    assert links[4]["document"] == "school-lunch"  # the file name is the id
    assert links[6] is None and links[7] is None
    for c in result["citations"]:
        assert set(c) >= {"label", "scope", "resolvability"}
        assert c["resolvability"] in {"resolvable", "partial", "generic"}


def test_supported_claim_has_evidence_with_offsets(result: dict) -> None:
    c = claim(result, "The Riverton council approved")
    assert c["flags"] == []
    ev = c["evidence"]
    text = (SOURCES / "council-budget.txt").read_text("utf-8")
    assert text[ev["start"]:ev["end"]] == ev["text"]
    assert "48 million dollars" in ev["text"]
    assert REPORT[c["start"]:c["end"]] == c["text"]


@pytest.mark.parametrize(("start", "flag"), [
    ("The budget rose by 5 percent", "unsupported_detail"),
    ("Councillor Ben Adeyemi told", "speaker_mismatch"),
    ("Evacuations have been ordered", "negation_flip"),
    ("The city zoo will double", "claim_not_found"),
    ("Regional unemployment fell", "unresolvable_citation"),
    ("Rail punctuality improved", "source_not_provided"),
])
def test_flags(result: dict, start: str, flag: str) -> None:
    c = claim(result, start)
    assert flag in c["flags"], c
    assert set(c["flags"]) <= set(FLAGS)


def test_correct_speaker_is_not_flagged(result: dict) -> None:
    c = claim(result, "Education Minister Priya Nair said")
    assert "speaker_mismatch" not in c["flags"] and c["evidence"] is not None


def test_html_report_is_self_contained(result: dict) -> None:
    page = to_html(result, extract(REPORT, name="report"))
    assert page.startswith("<!doctype html>") and "speaker_mismatch" in page
    assert "<script" not in page


def test_helpers() -> None:
    assert negated("No evacuations have been ordered") and not negated("Evacuations ordered")
    assert not negated("It is not unlikely that he never came")  # two negators cancel
    assert numbers("about 1,200 people, 4.5% more, 3 million and two cars") >= {
        1200.0, 4.5, 3e6, 2.0}


def test_cli_audit_json_and_html(tmp_path: Path) -> None:
    report = tmp_path / "r.txt"
    report.write_text("Turnout rose sharply. (Source: election office note)\n", encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["audit", str(report), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["citations"][0]["resolvability"] == "generic"
    assert data["claims"][0]["flags"] == ["unresolvable_citation"]
    page = tmp_path / "a.html"
    out = runner.invoke(app, ["audit", str(report), "-f", "html", "-o", str(page)])
    assert out.exit_code == 0 and "<html>" in page.read_text("utf-8")


def test_cli_profile(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("Critics said the plan failed. Jens Stoltenberg said it worked.\n", "utf-8")
    out = CliRunner().invoke(app, ["profile", str(f), "--format", "json"])
    assert out.exit_code == 0, out.output
    (row,) = json.loads(out.stdout)
    assert row["attributions"] == 2 and row["specificity"]["vague_collective"] == 1


def test_briefing_per_paragraph_audit() -> None:
    if not BRIEFING.exists():
        pytest.skip(f"{BRIEFING} not found (../shared is not beside the checkout)")
    text = BRIEFING.read_text(encoding="utf-8")
    r = audit(extract(text, name="nato-briefing"))
    assert len(r["citations"]) == 6 and len(r["paragraphs"]) == 6
    for cit, para in zip(r["citations"], r["paragraphs"], strict=True):
        assert cit["resolvability"] == "generic"
        assert cit["flags"] == ["unresolvable_citation"]
        assert para["citations"] == [cit["index"]]
        assert "generic label" in para["verdict"] and "cannot be resolved" in para["verdict"]
    assert r["claims"] and all(c["flags"] == ["unresolvable_citation"] for c in r["claims"])
    assert "name a person" in r["profile_summary"]


# --- claim checks on small texts written for these tests ---------------------------------

MINUTES = """HARLOW VALLEY PARISH COUNCIL
Minutes of the meeting of 4 June 2024

The council approved a grant of £12,500 to the village hall for a new roof.
Councillor Dana Pike said the hall’s roof had leaked for “three winters”.
A proposal to close the Mill Street car park at night was rejected by five votes to two.
Thousands of visitors came to the summer fair, the clerk reported.
"""
TRANSCRIPT = """TRANSCRIPT
Evening Desk, Harlow Valley Radio, 5 June 2024

HOST: With me is the council leader, Omar Reyes.

OMAR REYES: We will not raise the parish precept this year.

LINA FROST: The ferry will run until midnight in August.
"""


@pytest.fixture(scope="module")
def checked(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("checks")
    (folder / "minutes.txt").write_text(MINUTES, encoding="utf-8")
    (folder / "radio.txt").write_text(TRANSCRIPT, encoding="utf-8")
    report = "\n\n".join([
        "The council approved a grant of £12,500 to the village hall for a new roof."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "Councillor Dana Pike said the hall's roof had leaked for \"three winters\"."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "The council approved a grant of £21,500 to the village hall."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "A proposal to close the Mill Street car park at night was approved."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "Hundreds of visitors came to the summer fair."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "Omar Reyes said the council would raise the parish precept this year."
        " (Source: Evening Desk, Harlow Valley Radio, 5 June 2024)",
        "Omar Reyes said the ferry would run until midnight in August."
        " (Source: Evening Desk, Harlow Valley Radio, 5 June 2024)",
        "The council will build a skate park by the river."
        " (Source: Harlow Valley Parish Council minutes, 4 June 2024)",
        "The council cut the mayor's allowance."
        " (Source: Harlow Valley Parish Council minutes, 11 June 2024)",
    ]) + "\n"
    return audit(extract(report, name="checks"), load_sources(folder))


def test_typography_does_not_raise_a_flag(checked: dict) -> None:
    # curly apostrophe and quotes in the source, straight ones in the report
    c = claim(checked, "Councillor Dana Pike said")
    assert c["flags"] == [], c
    assert claim(checked, "The council approved a grant of £12,500")["flags"] == []


def test_wrong_number_and_scale_word(checked: dict) -> None:
    wrong = claim(checked, "The council approved a grant of £21,500")
    assert wrong["flags"] == ["unsupported_detail"] and "£21500" in wrong["details"]
    scale = claim(checked, "Hundreds of visitors")
    assert scale["flags"] == ["unsupported_detail"], scale
    assert "different number" in scale["explanations"][0]["words"]


def test_antonym_and_negation_flip(checked: dict) -> None:
    assert claim(checked, "A proposal to close the Mill Street")["flags"] == ["negation_flip"]
    c = claim(checked, "Omar Reyes said the council would raise")
    assert c["flags"] == ["negation_flip"]
    assert c["explanations"][0]["words"].startswith("the source says the opposite")


def test_speaker_mismatch_from_a_transcript_label(checked: dict) -> None:
    c = claim(checked, "Omar Reyes said the ferry")
    assert c["flags"] == ["speaker_mismatch"], c
    assert c["speakers"]["source"] == "Lina Frost"


def test_claim_not_found_and_near_miss(checked: dict) -> None:
    c = claim(checked, "The council will build a skate park")
    assert c["flags"] == ["claim_not_found"] and c["evidence"] is None
    near = claim(checked, "The council cut the mayor")
    assert near["flags"] == ["source_not_provided"]
    cit = checked["citations"][near["citation"]]
    assert cit["near_miss"]["documents"] == ["minutes"]
    assert cit["note"].endswith("The folder has the Harlow Valley Parish Council minutes of "
                                "4 June 2024; this cites one of 11 June 2024.")


def test_checks_helpers() -> None:
    from whosaid.audit_checks import normalise, polarity_flip, quantities

    assert normalise("Russia’s “plan” – 1,200 or 1 200 at 5 per cent") == \
        "Russia's \"plan\" - 1200 or 1200 at 5%"
    q = {(x.value, x.unit) for x in quantities("$2.6 million, twenty-five, a quarter, 40%")}
    assert q >= {(2.6e6, "USD"), (25.0, ""), (0.25, "frac"), (40.0, "%")}
    assert (2.9e6, "USD") not in q
    assert polarity_flip("Sales rose last year.", "Sales fell last year.")[0]
    assert not polarity_flip("Sales dropped last year.", "Sales fell last year.")[0]
    assert polarity_flip("The plan will work.", "The plan will not work.")[0]
    # a negation in another clause of the evidence does not count
    assert not polarity_flip("Two men were arrested after the fire.",
                             "Two men were arrested after the fire, and no one was hurt.")[0]
