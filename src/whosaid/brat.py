"""brat standoff in PolNeAR's dialect: read gold, write predictions.

PolNeAR tags Source, Cue and Content spans (``T`` lines, fragments separated by
``;``) plus an ``Attribution`` anchor on the cue, and one ``E`` line per
attribution ties them together. Span text may contain newlines, so a line that
starts with no known id continues the previous ``T`` line; ``E`` lines may
come before the ``T`` lines they name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from whosaid.model import Document

ROLES = ("Source", "Cue", "Content")
_ID = re.compile(r"^(T|E|R|A|M|N|#)\d*\t")

Fragments = list[tuple[int, int]]


@dataclass
class BratAttribution:
    """One attribution as brat states it: each role's fragments (empty when absent)."""

    roles: dict[str, Fragments] = field(default_factory=dict)

    def get(self, role: str) -> Fragments:
        return self.roles.get(role, [])


class BratError(ValueError):
    """A .ann file that cannot be read; the message names the file and line."""


def parse_ann(content: str, name: str = "<ann>") -> list[BratAttribution]:
    spans: dict[str, tuple[str, Fragments]] = {}
    events: list[tuple[int, dict[str, str]]] = []
    for lineno, line in enumerate(content.splitlines(), 1):
        if not _ID.match(line):
            continue  # continuation of a multi-line span text, or blank
        ident, rest = line.split("\t", 1)
        if ident.startswith("T"):
            head = rest.split("\t", 1)[0]
            try:
                label, spec = head.split(" ", 1)
                frags = [(int(a), int(b)) for a, b in (f.split() for f in spec.split(";"))]
            except ValueError as exc:
                raise BratError(f"{name}:{lineno}: bad span line {line!r}") from exc
            spans[ident] = (label, frags)
        elif ident.startswith("E"):
            args = dict(arg.split(":", 1) for arg in rest.split() if ":" in arg)
            events.append((lineno, args))
    out: list[BratAttribution] = []
    for lineno, args in events:
        roles: dict[str, Fragments] = {}
        for role, ref in args.items():
            if role not in ROLES:
                continue
            if ref not in spans:
                raise BratError(f"{name}:{lineno}: event refers to missing span {ref}")
            roles[role] = sorted(spans[ref][1])
        out.append(BratAttribution(roles))
    return out


def read_ann(path: Path) -> list[BratAttribution]:
    return parse_ann(path.read_text(encoding="utf-8"), str(path))


def to_ann(doc: Document, *, speakers: bool = False) -> str:
    """Serialise a document's attributions as PolNeAR-style brat standoff.

    With ``speakers``, each Source span also gets its speaker (corrected ones
    included) as an ``AnnotatorNotes`` line, "A + B" for several: the spans alone
    cannot carry a speaker correction. brat shows the notes; :func:`parse_ann`
    skips them, so PolNeAR readers see the same attributions.
    """
    text = doc.text
    lines: list[str] = []
    notes: list[str] = []
    t = 0

    def add(label: str, frags: Fragments) -> str:
        nonlocal t
        t += 1
        spec = ";".join(f"{s} {e}" for s, e in frags)
        shown = " ".join(text[s:e] for s, e in frags).replace("\n", " ")
        lines.append(f"T{t}\t{label} {spec}\t{shown}")
        return f"T{t}"

    for i, att in enumerate(doc.attributions, 1):
        args: list[str] = []
        cue = [(att.cue.start, att.cue.end)]
        if att.content and att.content.fragments:
            args.append("Content:" + add("Content", list(att.content.fragments)))
        args.append("Cue:" + add("Cue", cue))
        if att.source is not None:
            source = add("Source", [(att.source.start, att.source.end)])
            args.append("Source:" + source)
            who = [m.name for m in att.source.members] or (
                [att.source.speaker.name] if att.source.speaker is not None else [])
            if speakers and who:
                speaker = " + ".join(" ".join(n.split()) for n in who)
                notes.append(f"#{len(notes) + 1}\tAnnotatorNotes {source}\tspeaker: {speaker}")
        anchor = add("Attribution", cue)
        lines.append(f"E{i}\tAttribution:{anchor} " + " ".join(args))
    lines += notes  # after every span, as brat writes them
    return "\n".join(lines) + ("\n" if lines else "")


def polnear_articles(split_dir: Path) -> list[tuple[str, Path, Path | None]]:
    """(article, text file, gold .ann) for a PolNeAR-layout folder.

    The gold is the lexicographically first annotator file, so every tool is
    scored against the same annotation of multiply-annotated articles.
    """
    text_dir, ann_dir = split_dir / "text", split_dir / "attributions"
    if not text_dir.is_dir():
        raise FileNotFoundError(f"{split_dir}: no text/ folder (expected PolNeAR layout)")
    out = []
    for txt in sorted(text_dir.glob("*.txt")):
        anns = sorted(
            p for p in (ann_dir.glob(f"{txt.stem}_*.ann") if ann_dir.is_dir() else [])
            if p.stem.rsplit("_", 1)[0] == txt.stem
        )
        exact = ann_dir / f"{txt.stem}.ann"
        gold = anns[0] if anns else (exact if exact.exists() else None)
        out.append((txt.stem, txt, gold))
    return out


def from_document(doc: Document) -> list[BratAttribution]:
    """The brat view of extracted attributions, for scoring without a file round trip."""
    out = []
    for att in doc.attributions:
        roles: dict[str, Fragments] = {"Cue": [(att.cue.start, att.cue.end)]}
        if att.source is not None:
            roles["Source"] = [(att.source.start, att.source.end)]
        if att.content and att.content.fragments:
            roles["Content"] = sorted(att.content.fragments)
        out.append(BratAttribution(roles))
    return out
