"""How counts are written to a reader, the same in the CLI and on the web pages.

Kept apart from :mod:`whosaid.export` (files) so that both front ends import the
wording from one small place with no dependencies.
"""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """A count with its noun in the right number ("1 statement", "0 statements",
    "3 people"): the one wording of counts for the CLI and the web pages (a Jinja
    filter there), so no page says "1 statements". ``many`` is an irregular plural."""
    return f"{n} {word if n == 1 else many or word + 's'}"
