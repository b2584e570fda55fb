"""Shared by the benchmark scripts: put a generated block into a markdown doc."""

from __future__ import annotations

from pathlib import Path


def write_section(path: Path, marker: str, body: str, heading: str) -> None:
    """Replace the text between two ``marker`` lines, or append it under ``heading``.

    Hand-written text around the markers is kept, so a doc can explain the
    numbers a script regenerates.
    """
    text = path.read_text(encoding="utf-8")
    block = f"{marker}\n{body}\n{marker}"
    if marker in text:
        head, _, rest = text.partition(marker)
        _, _, tail = rest.partition(marker)
        text = head + block + tail
    else:
        text = text.rstrip() + f"\n\n{heading}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
