"""Claim checks, session 12: a hedged percentage rounds only as a writer rounds, a
passive denial ("was denied a loan") is not getting it, rejecting a claim that X denies
X, and a long run of one repeated phrase costs linear time; with guards that a real
change of figure and a real flip are still caught. All sentences are invented for these
tests."""

from __future__ import annotations

import random
import time

from whosaid.audit_checks import detail_mismatches, polarity_flip


def _cpu(fn, *args) -> float:  # type: ignore[no-untyped-def]
    t = time.process_time()
    fn(*args)
    return time.process_time() - t


def _share(claim_pct: str, evidence_pct: str, hedge: str = "About") -> list[str]:
    return detail_mismatches(f"{hedge} {claim_pct} of the glassworkers voted to stop work.",
                             f"Of the glassworkers balloted, {evidence_pct} voted to stop "
                             "work.")


def test_a_hedged_percentage_rounds_as_a_writer_does() -> None:
    """"about 50%" is the evidence rounded to five points (47.5% to 52.5%), "about 47%"
    to its last digit: not any share within five points (46% was "about 50%")."""
    assert _share("50%", "46%") == ["50%"]
    assert _share("50%", "54%") == ["50%"]
    assert _share("47%", "45.9%") == ["47%"]
    assert _share("10%", "7%") == ["10%"]  # never more than a tenth of the figure off
    assert _share("50%", "51%", "Nearly") == ["50%"]  # "nearly" is below
    assert _share("40%", "38%", "More than") == ["40%"]  # a bound keeps its side
    # guards: the rounding a careful reader accepts still passes
    assert _share("50%", "49%") == []
    assert _share("50%", "51.6%") == []
    assert _share("45%", "43.6%") == []
    assert _share("47%", "46.8%") == []
    assert _share("50%", "48.2%", "Nearly") == []
    assert _share("40%", "44%", "More than") == []
    assert _share("50%", "50%") == []
    # guards: fractions keep their share tolerance; a real change is still flagged
    assert detail_mismatches("About half of the glassworkers voted to stop work.",
                             "Of the glassworkers balloted, 48% voted to stop work.") == []
    assert detail_mismatches("Nearly a third of the glassworkers voted to stop work.",
                             "Of the glassworkers balloted, 31% voted to stop work.") == []
    assert _share("30%", "46%") == ["30%"]
    assert detail_mismatches("46% of the glassworkers voted to stop work.",
                             "Of the glassworkers balloted, 64% voted to stop work.") == ["46%"]


def test_a_passive_denial_is_not_getting_it() -> None:
    """"The forge was denied a loan" says it did not get one: it agrees with "did not
    get/receive a loan" and is the opposite of "got/received a loan"."""
    denied = "The Ostley forge was denied a loan by the credit union."
    refused = "The Ostley forge was refused funding by the county."
    assert not polarity_flip(denied, "The Ostley forge did not get a loan from the credit "
                                     "union.")[0]
    assert not polarity_flip(refused, "The Ostley forge did not receive funding from the "
                                      "county.")[0]
    assert not polarity_flip("The Ostley forge did not get funding from the county.",
                             refused)[0]
    assert polarity_flip(denied, "The Ostley forge got a loan from the credit union.")[0]
    assert polarity_flip(refused, "The Ostley forge received funding from the county.")[0]
    assert polarity_flip("The Ostley forge received funding from the county.", refused)[0]
    # guards: against a decision word the decision check compares, as before
    assert polarity_flip(denied, "The credit union granted the Ostley forge a loan.")[0]
    assert not polarity_flip(denied, "The credit union refused the Ostley forge a loan.")[0]
    assert not polarity_flip(refused, "The Ostley forge was denied funding by the county.")[0]
    assert not polarity_flip("Ferry passengers were denied boarding.",
                             "Ferry passengers were not allowed to board.")[0]


def test_rejecting_a_claim_that_x_denies_x() -> None:
    """"rejected claims that the fees were raised" is a denial of the statement, as "denied
    that" is (not the decision of "rejected the claim for damages"); a "that" before a
    verb starts a relative clause and denies nothing."""
    rejected = "The canal warden rejected claims that the slipway fees were raised."
    assert not polarity_flip(rejected, "The canal warden denied that the slipway fees "
                                       "were raised.")[0]
    assert not polarity_flip("The canal warden dismissed reports that the swimming baths "
                             "would close.",
                             "The canal warden said the swimming baths would not close.")[0]
    assert polarity_flip(rejected, "The canal warden said that the slipway fees were "
                                   "raised.")[0]
    assert polarity_flip("The slipway fees were raised.", rejected)[0]
    # guards: a real flip against a confirmation, a decision on a claim, a relative clause
    assert polarity_flip(rejected, "The canal warden confirmed that the slipway fees were "
                                   "raised.")[0]
    assert not polarity_flip(rejected, rejected)[0]
    assert polarity_flip("The lease panel rejected the claim for damages.",
                         "The lease panel accepted the claim for damages.")[0]
    assert not polarity_flip("The lease panel rejected claims that were lodged late.",
                             "The lease panel rejected the late claims.")[0]
    assert polarity_flip("The lease panel rejected claims that were lodged late.",
                         "The lease panel accepted the late claims.")[0]


def test_a_long_run_of_one_phrase_is_linear() -> None:
    """A claim clause said again is read once: 50,000 characters of "one and a half"
    against half of it was quadratic (every clause against every clause, ~30 s CPU on
    the code before); now about 1 s (bounds of 5 s and 8 s: a loaded
    shared machine must not make it flaky)."""
    n = 50_000
    for phrase in ("one and a half ", "three and a half weeks ", "not one and a half "):
        text = (phrase * (n // len(phrase) + 1))[:n]
        assert _cpu(polarity_flip, text, text[: n // 2]) < 5.0, phrase
        assert _cpu(detail_mismatches, text, text[: n // 2] + " 7.") < 5.0, phrase
    # the new patterns on whole texts (a guard: linear on the code before too; a clause of
    # 25,000 words takes about 1.8 s there, so the bound is looser)
    for evidence in ("rejected claims " * (n // 16), "rejected the claims that " * (n // 25),
                     "was denied " * (n // 11), "dismissed " + "a " * (n // 2) + "claims"):
        assert _cpu(polarity_flip, "The forge was denied claims that it was late.",
                    evidence) < 8.0, evidence[:20]

# review of the first version (review12a): small hedged shares, relative clauses after
# "claims", and claims of many different clauses


def test_a_small_hedged_share_rounds_to_the_whole_point() -> None:
    """"about 3%" is 3.4% rounded to the digit written; a tenth of 3 is no tolerance."""
    for claim, ev in (("3%", "3.4%"), ("2%", "2.3%"), ("4%", "4.4%"), ("1%", "1.3%")):
        assert detail_mismatches(f"About {claim} of the tanners were hurt.",
                                 f"Of the tanners, {ev} were hurt.") == [], claim
    # guards: the rounding of session 12 stands
    assert detail_mismatches("About 3% of the tanners were hurt.",
                             "Of the tanners, 3.6% were hurt.") == ["3%"]
    assert detail_mismatches("About 10% of the tanners were hurt.",
                             "Of the tanners, 7% were hurt.") == ["10%"]


def test_a_relative_clause_after_claims_denies_nothing() -> None:
    """"rejected claims that the council made" names the claims (the relative clause has
    no object of its own); it says nothing against "the council made claims"."""
    for claim, ev in (
            ("The mayor rejected claims that the council made.", "The council made claims."),
            ("The mayor rejected reports that the inspectors wrote.",
             "The inspectors wrote reports."),
            ("The mayor dismissed reports that appeared in the press.",
             "Reports appeared in the press."),
            ("The insurer rejected claims that totalled 4 million.",
             "The insurer rejected claims totalling 4 million.")):
        assert not polarity_flip(claim, ev)[0], claim
    # guards: a denied complement still flips
    assert polarity_flip("The slipway fees were raised.",
                         "The warden rejected claims that the slipway fees were raised.")[0]
    assert polarity_flip("There was fraud.",
                         "The warden rejected claims that there was fraud.")[0]


def test_distinct_clauses_against_a_long_evidence() -> None:
    """Claim clauses that differ but all tie with every evidence clause: only the first
    differing clause is the side, so the others are not read (16,000 chars: ~5.9 s CPU at
    2ab4508, ~0.6 s with next())."""
    rng = random.Random(3)
    syl = ["ka", "lo", "mi", "ren", "tus", "bar", "vel", "dro", "pim", "sok", "nar", "fel"]

    def word() -> str:
        return "".join(rng.choice(syl) for _ in range(3))
    claim = "".join(f"The mill did not close {word()}. " for _ in range(600))[:16_000]
    evidence = "".join(f"The mill closed {word()}. " for _ in range(900))[:16_000]
    t = time.process_time()
    polarity_flip(claim, evidence)
    assert time.process_time() - t < 3.0
