"""Output formats over :class:`whosaid.model.Document`: JSON, JSONL, CSV, brat, table.

These are pure formatters (strings, rows, a rich renderable); writing files and
choosing a format is the CLI's job. Article text is untrusted, so the table
builds rich ``Text`` objects and never interprets text as console markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from whosaid.brat import to_ann
from whosaid.model import Attribution, Document

CSV_COLUMNS = (
    "document",
    "type",
    "speaker",
    "speaker_kind",
    "source",
    "source_start",
    "source_end",
    "cue",
    "cue_start",
    "cue_end",
    "content",
    "content_fragments",
    "confidence",
)
CONTENT_WIDTH = 160  # characters of content shown per table row
_SPACE = re.compile(r"\s+")


def to_json(doc: Document) -> str:
    """The document as indented JSON; matches ``Document.model_json_schema()``."""
    return doc.model_dump_json(indent=2)


def to_jsonl_line(doc: Document) -> str:
    """The document as one line of JSON (no trailing newline)."""
    return doc.model_dump_json()


def to_brat(doc: Document) -> str:
    """PolNeAR-style brat standoff (.ann) for the document's attributions."""
    return to_ann(doc)


def csv_header() -> list[str]:
    return list(CSV_COLUMNS)


def csv_rows(doc: Document) -> list[list[str]]:
    """One row per attribution, columns as in :data:`CSV_COLUMNS`; absent parts are ""."""
    return [_csv_row(doc, att) for att in doc.attributions]


def _csv_row(doc: Document, att: Attribution) -> list[str]:
    src, speaker, content = att.source, None, att.content
    if src is not None:
        speaker = src.speaker
    return [
        doc.name or "",
        att.type.value,
        speaker.name if speaker else "",
        speaker.kind.value if speaker else "",
        src.text if src else "",
        str(src.start) if src else "",
        str(src.end) if src else "",
        att.cue.text,
        str(att.cue.start),
        str(att.cue.end),
        content.text if content else "",
        ";".join(f"{s}-{e}" for s, e in content.fragments) if content else "",
        f"{att.confidence:g}",
    ]


def _short(text: str, width: int) -> str:
    """Whitespace collapsed (content may span paragraphs), cut to ``width`` with "…"."""
    text = _SPACE.sub(" ", text).strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _speaker_cell(att: Attribution) -> Text:
    src = att.source
    if src is None:
        return Text("—", style="dim")
    speaker = src.speaker
    name = speaker.name if speaker else src.text
    cell = Text(_short(name, 60), style="cyan")
    if speaker is not None:
        cell.append(f" ({speaker.kind.value})", style="dim")
    if src.resolved_from is not None or (speaker is not None and src.text != speaker.name):
        # show the mention as written when it is not the name: a pronoun, a title
        cell.append(f"\n“{_short(src.text, 60)}”", style="dim cyan")
    return cell


def render_table(doc: Document, console: Console) -> None:
    """Print a readable table of the document's attributions (and citations, if any)."""
    title = Text(doc.name or "document", style="bold")
    # ratios share the terminal width: content gets most of it at any width
    table = Table(title=title, title_justify="left", show_lines=True, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("Speaker (kind)", style="cyan", ratio=3)
    table.add_column("Cue", style="yellow", ratio=2)
    table.add_column("Content", ratio=8)
    table.add_column("Type", no_wrap=True)
    for i, att in enumerate(doc.attributions, 1):
        content = Text(_short(att.content.text, CONTENT_WIDTH)) if att.content else Text("")
        table.add_row(
            Text(str(i)),
            _speaker_cell(att),
            Text(_short(att.cue.text, 40), style="yellow"),
            content,
            Text(att.type.value),
        )
    if doc.attributions:
        console.print(table)
    else:
        console.print(title)
        console.print(Text("no attributions found", style="dim"))
    if doc.citations:
        cites = Table(title=Text("Citations", style="bold"), title_justify="left", expand=True)
        cites.add_column("Label", style="magenta", max_width=40)
        cites.add_column("Scope", ratio=1, min_width=20)
        for cit in doc.citations:
            s, e = cit.scope
            cites.add_row(Text(_short(cit.label, 80)), Text(_short(doc.text[s:e], CONTENT_WIDTH)))
        console.print(cites)
    n_speakers = len(doc.speakers)
    console.print(
        Text(
            f"{len(doc.attributions)} attribution(s), {n_speakers} speaker(s), "
            f"{len(doc.citations)} citation(s)",
            style="dim",
        )
    )


def markdown_table(head: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A markdown table as docs/ keeps them: first column left, figures right, 3 decimals.

    One writer for every scorer, so the tables pasted into docs/ all read alike.
    """
    def cell(v: object) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
