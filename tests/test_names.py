"""The first-name lexicon: clear names get a gender, unclear ones None."""

from __future__ import annotations

import time

from whosaid.names import first_name_gender


def test_clear_first_names() -> None:
    assert first_name_gender("Margaret") == "female"
    assert first_name_gender("Robert") == "male"
    assert first_name_gender("Elizabeth Warren") == "female"  # first word of a full name
    assert first_name_gender("  JOHN ") == "male"
    assert first_name_gender("José") == "male"  # accents folded


def test_unclear_or_unknown_is_none() -> None:
    assert first_name_gender("Jordan") is None  # unisex
    assert first_name_gender("Chris") is None
    assert first_name_gender("J.") is None  # an initial
    assert first_name_gender("Xqzvw") is None
    assert first_name_gender("") is None


def test_lookup_is_fast_after_first_use() -> None:
    first_name_gender("Anna")
    # CPU seconds: on a loaded machine the wall clock measures the neighbours; reading
    # the table again on each call would cost seconds of CPU all the same
    start = time.process_time()
    for _ in range(10_000):
        first_name_gender("Anna")
    assert time.process_time() - start < 0.5
