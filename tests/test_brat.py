"""brat standoff written by whosaid, with the speakers a correction may have changed."""

from __future__ import annotations

import re

from whosaid import pipeline
from whosaid.brat import parse_ann, to_ann

TEXT = ("Representatives Nora Vale and Ilan Brask met farmers on Monday. Ms. Vale and "
        "Mr. Brask said the bill was fair to them. The minister said it was not.")


def test_speaker_notes_name_every_speaker_and_readers_skip_them() -> None:
    doc = pipeline.extract(TEXT, name="pair")
    plain, noted = to_ann(doc), to_ann(doc, speakers=True)
    assert noted.startswith(plain)  # the spans first, unchanged; the notes after them
    notes = re.findall(r"^#(\d+)\tAnnotatorNotes (T\d+)\tspeaker: (.+)$", noted, re.M)
    sources = re.findall(r"Source:(T\d+)", plain)
    noted_spans = [t for _, t, _ in notes]  # each on a source span, in the spans' order
    assert noted_spans and noted_spans == [t for t in sources if t in noted_spans]
    assert [int(n) for n, _, _ in notes] == list(range(1, len(notes) + 1))
    assert any(" + " in who and "Vale" in who and "Brask" in who for _, _, who in notes)
    assert parse_ann(noted) == parse_ann(plain)
