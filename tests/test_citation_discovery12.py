"""A report's own citation style found by repetition, whatever its wrapper.

A report writes its citations in one or two repeated shapes. A bracketed span closing
several of its sentences in one shape ("{DL-4}", "⟨Ferry note 7⟩"), where the spans do
not read as prose, is the report's marker style, even when no pattern knows the wrapper
and the spans name no provided source. Ordinary parentheticals ("(in 2019)", "(see
above)", "(about 40 km)"), tags and acronyms never make a style. All texts are invented.
"""

from __future__ import annotations

import time

from whosaid.audit import audit
from whosaid.audit_sources import source_from_text
from whosaid.extract.citations import find_citations, induced_spans
from whosaid.model import Resolvability
from whosaid.pipeline import extract

CODED = (
    "The Tollan ferry will run every twenty minutes from June {DL-4}. "
    "Fares for cyclists rise to three marks {DL-7}. "
    "The night crossing stops in winter {RB-2}.\n\n"
    "The harbour board meets again in July {RB-9}.\n"
)

PROSE = (
    "The old quay was rebuilt after the storm (in 2019). "
    "Its crane still stands at the north end (see above). "
    "The road to the lighthouse is long (about 40 km). "
    "Councillor Brannoch (Ind.) asked for a ferry to the isles (EU). "
    "Most riders back the change (61 per cent). "
    "The plan is in the annex (pp. 1-4).\n"
)

WEEKLY = """Brackley Weekly
Ferry timetable changes from June
Published 11 May 2025

The Tollan ferry will run every twenty minutes from June, the harbour board said.
Fares for cyclists will rise to three marks.
"""


def test_a_code_repeated_in_an_unknown_wrapper_is_the_reports_marker_style() -> None:
    cits = find_citations(CODED, [], [])
    assert [c.text for c in cits] == ["{DL-4}", "{DL-7}", "{RB-2}", "{RB-9}"]
    assert [c.label for c in cits] == ["DL-4", "DL-7", "RB-2", "RB-9"]
    first = cits[0]
    assert CODED[first.scope[0]:first.scope[1]].startswith("The Tollan ferry will run")
    assert "Fares" not in CODED[first.scope[0]:first.scope[1]]


def test_short_credits_in_square_brackets_after_sentences_are_markers() -> None:
    text = ("The ferry will run every twenty minutes. [Brackley Weekly.] "
            "Fares rise in June. [Tollan Post] Cyclists pay three marks. [Brackley Weekly.]\n")
    assert [c.label for c in find_citations(text, [], [])] == [
        "Brackley Weekly.", "Tollan Post", "Brackley Weekly."]


def test_a_lower_case_note_in_the_styles_wrapper_is_a_generic_marker() -> None:
    text = ("Dredging at the weir starts on 9 June [Weir notice]. Two lock keepers retire "
            "in May [Echo column]. Boaters expect delays [towpath talk]. The basin stays "
            "open [see above].\n")
    cits = find_citations(text, [], [])
    assert [c.text for c in cits] == ["[Weir notice]", "[Echo column]", "[towpath talk]"]
    assert cits[2].resolvability is Resolvability.GENERIC


def test_a_date_alone_in_the_styles_shape_is_no_marker() -> None:
    # a guard: "(Pembry Sound, 11 February 2031)" sets no style for a weekday and date
    text = ("The ferry captain promised refunds (Pembry Sound, 11 February 2031). The "
            "hearing was on a weekday (Tuesday, 14 October 2031). Fares fell (Kelby Post, "
            "2 March 2031).\n")
    assert "(Tuesday, 14 October 2031)" not in [c.text for c in find_citations(text, [], [])]


def test_ordinary_parentheticals_tags_and_figures_make_no_style() -> None:
    # a guard: prose asides repeated at sentence ends are no citations (also on head12)
    assert find_citations(PROSE, [], []) == []
    assert induced_spans(PROSE) == []
    assert induced_spans(PROSE * 5) == []


def test_one_span_of_a_shape_is_no_style() -> None:
    text = "The ferry will run every twenty minutes {DL-4}. Fares rise in June.\n"
    assert find_citations(text, [], []) == []


def test_coded_markers_that_name_nothing_are_unresolvable_not_merged() -> None:
    report = extract(CODED, name="coded12")
    out = audit(report, [source_from_text(WEEKLY, "brackley-weekly")])
    found = [c for c in out["citations"] if c["text"].startswith("{")]
    assert len(found) == 4
    assert all(c["resolvability"] == Resolvability.GENERIC.value for c in found)
    assert not any(c["link"] and c["link"].get("document") for c in found)


def test_a_near_miss_in_an_induced_style_stays_source_not_provided() -> None:
    # a guard: the span names the weekly but another date; the folder has 11 May only
    text = ("The Tollan ferry will run every twenty minutes from June ⟨Brackley Weekly, "
            "4 May 2025⟩. Fares for cyclists will rise to three marks ⟨Brackley Weekly, "
            "4 May 2025⟩.\n")
    out = audit(extract(text, name="near12"), [source_from_text(WEEKLY, "brackley-weekly")])
    cits = [c for c in out["citations"] if c["text"].startswith("⟨")]
    assert len(cits) == 2
    assert not any(c["link"] and c["link"].get("document") for c in cits)
    flags = {f for claim in out["claims"] for f in claim.get("flags", [])}
    assert "source_not_provided" in flags


def test_inducing_a_style_is_linear_on_long_input() -> None:
    spans = "".join(f"Fares rose again in June {{DL-{i}}}. " for i in range(4000))
    assert len(spans) > 50_000
    adversarial = ["{" * 50_000, "<" * 50_000, "(" * 25_000 + ")" * 25_000,
                   "⟨a " * 17_000, "[x]" * 17_000, "word (in 2019). " * 3_200]
    for text in [spans, *adversarial]:
        t0 = time.process_time()
        induced_spans(text)
        assert time.process_time() - t0 < 2.0, text[:20]
    t0 = time.process_time()
    cits = find_citations(spans, [], [])
    assert len(cits) == 4000
    assert time.process_time() - t0 < 2.0  # the whole finder and scoping, 4,000 markers
