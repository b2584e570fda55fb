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
    assert links[0] == {"document": "council-budget", "method": "url", "score": 100.0}
    assert links[1]["document"] == "council-budget" and links[1]["method"] == "title"
    assert links[3]["document"] == "river-flood" and 72 <= links[3]["score"] <= 100
    assert links[4] == {"document": "school-lunch", "method": "id", "score": 100.0}
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
