"""Review of cite12's induced house style: what ordinary writing must not turn into a style.

All texts are invented.
"""

from __future__ import annotations

import time

from whosaid.audit import audit
from whosaid.audit_sources import source_from_text
from whosaid.extract.citations import find_citations, induced_spans
from whosaid.pipeline import extract

POST = """Kelby Post
Councillor accuses deputy over ferry levy
Published 3 May 2025

Councillor Mara Tell said the deputy mayor misled Parliament over the ferry levy.
Ostin Vale, the deputy mayor, said he had never misled Parliament.
Ida Marr said the levy would be scrapped in June.
"""


def test_an_editors_insertion_in_a_quotation_is_no_marker() -> None:
    text = ('Mara Tell said the deputy "misled [Parliament]." Ostin Vale said he "never '
            'misled [Parliament]." "Nobody trusts [Vale]," said Ida Marr.\n')
    assert find_citations(text, [], []) == []


def test_a_credit_after_a_closed_quotation_is_still_a_marker() -> None:
    # a guard: the quotation closes before the credit
    text = ('Tell said the fare "will rise in June." [Brackley Weekly.] Vale said the '
            'crossing "stops in winter." [Brackley Weekly.]\n')
    assert [c.text for c in find_citations(text, [], [])] == [
        "[Brackley Weekly.]", "[Brackley Weekly.]"]


def test_insertions_do_not_take_claims_from_the_reports_own_markers() -> None:
    report = ('Councillor Mara Tell said the deputy mayor "misled [Parliament]." '
              'The deputy, Ostin Vale, said he had "never misled [Parliament]." '
              'Ida Marr said the levy would be scrapped in June.\n'
              'Source: Kelby Post, 3 May 2025\n')
    out = audit(extract(report, name="insert12"), [source_from_text(POST, "kelby-post")])
    assert [c["text"] for c in out["citations"]] == ["Source: Kelby Post, 3 May 2025"]
    assert out["summary"]["flags"]["unresolvable_citation"] == 0


def test_transcript_marks_in_capitals_make_no_style() -> None:
    text = ("TELL: We will build the bridge. [Laughter] We have the money. [Applause] "
            "The board nodded. [Inaudible] VALE: It did not. [Crosstalk]\n")
    assert find_citations(text, [], []) == []


def test_capitals_in_parentheses_are_read_in_linear_time() -> None:
    # one run of capitals that is not an acronym alone: each split of the run was tried
    one = "Fares rose (TELLWICKHARBOURBOARDREVIEW, 2019)."
    t0 = time.process_time()
    induced_spans(one)
    assert time.process_time() - t0 < 0.5
    long = "Fares rose (ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJ!). " * 1_000
    assert len(long) > 50_000
    t0 = time.process_time()
    find_citations(long, [], [])
    assert time.process_time() - t0 < 3.0


def test_a_one_word_gloss_in_a_styled_text_is_no_note() -> None:
    # "[Kelby Post.]" makes a style; a translation or euphemism in the same wrapper stays text
    text = ("Ferry fares rise in June. [Kelby Post.] The night crossing stops in winter. "
            "[Tollan Herald.] The mayor called the result a Wunder [miracle]. The coach swore "
            "at the referee [expletive].\n")
    assert [c.text for c in find_citations(text, [], [])] == ["[Kelby Post.]",
                                                              "[Tollan Herald.]"]


def test_pointers_to_the_reports_own_tables_keep_their_claims() -> None:
    report = ("Passenger numbers fell by a fifth last year (Table 2). Fares for cyclists will "
              "rise to three marks (Figure 1). Ida Marr said the ferry levy would be scrapped "
              "in June.\n\nSource: Kelby Post, 3 May 2025\n")
    assert [c.text for c in find_citations(report, [], [])] == [
        "Source: Kelby Post, 3 May 2025"]


def test_brackets_inside_a_clause_make_no_style() -> None:
    # a guard (passes at 19862ec): only spans closing a clause can be markers
    text = ("The [Tollan] ferry runs from June. The [Kelby] ferry runs from July. "
            "The [Arden] ferry stops in winter.\n")
    assert induced_spans(text) == []
