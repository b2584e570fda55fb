"""Turn a Document into highlight segments, and numbers into inline SVG charts.

Pure functions returning plain data (segments) or ``Markup`` built only from
escaped strings, so untrusted article text, names and outlets can never become
markup: templates render segment text through Jinja's autoescape, and every
label that goes into an SVG passes through ``markupsafe.escape``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from markupsafe import Markup, escape

from whosaid.model import Document

ROLES = ("source", "cue", "content", "citation")


@dataclass
class Segment:
    """A stretch of text with the roles covering it and the attributions they belong to."""

    start: int
    end: int
    text: str
    roles: list[str] = field(default_factory=list)  # subset of ROLES, in that order
    atts: list[int] = field(default_factory=list)  # attribution indices
    speaker: str | None = None  # local speaker id when this is a source span
    citation: int | None = None

    @property
    def css(self) -> str:
        return " ".join(f"hl-{r}" for r in self.roles)


def segments(doc: Document) -> list[Segment]:
    """Cut the text at every span boundary; each piece knows which spans cover it."""
    spans: list[tuple[int, int, str, int]] = []  # start, end, role, index
    for i, att in enumerate(doc.attributions):
        if att.source is not None:
            spans.append((att.source.start, att.source.end, "source", i))
        spans.append((att.cue.start, att.cue.end, "cue", i))
        if att.content is not None:
            spans.extend((s, e, "content", i) for s, e in att.content.fragments)
    for j, cit in enumerate(doc.citations):
        spans.append((cit.start, cit.end, "citation", j))
    n = len(doc.text)
    cuts = {0, n}
    for s, e, _, _ in spans:
        cuts.update((max(0, min(s, n)), max(0, min(e, n))))
    bounds = sorted(cuts)
    out: list[Segment] = []
    for a, b in pairwise(bounds):
        if a == b:
            continue
        seg = Segment(a, b, doc.text[a:b])
        covering = [(role, i) for s, e, role, i in spans if s <= a and b <= e]
        seg.roles = [r for r in ROLES if any(role == r for role, _ in covering)]
        seg.atts = sorted({i for role, i in covering if role != "citation"})
        for role, i in covering:
            if role == "source":
                src = doc.attributions[i].source
                if src is not None and src.speaker is not None:
                    seg.speaker = src.speaker.id
            elif role == "citation":
                seg.citation = i
        out.append(seg)
    return out


def who_said_what(doc: Document) -> list[dict[str, Any]]:
    """One row per attribution for the side list, in text order."""
    rows = []
    for i, att in enumerate(doc.attributions):
        sp = att.source.speaker if att.source is not None else None
        rows.append({
            "index": i, "speaker": sp.name if sp else None, "speaker_id": sp.id if sp else None,
            "kind": sp.kind.value if sp else None,
            "source": att.source.text if att.source else None, "cue": att.cue.text,
            "content": att.content.text if att.content else None, "type": att.type.value,
            "confidence": att.confidence, "method": att.method,
            "cue_start": att.cue.start, "cue_end": att.cue.end,
            "source_span": (att.source.start, att.source.end) if att.source else None,
            "fragments": list(att.content.fragments) if att.content else [],
        })
    return rows


def speaker_counts(doc: Document) -> list[dict[str, Any]]:
    """The document's speakers with how many attributions each has, most first."""
    counts: dict[str, int] = {}
    for att in doc.attributions:
        sp = att.source.speaker if att.source is not None else None
        if sp is not None:
            counts[sp.id or sp.name] = counts.get(sp.id or sp.name, 0) + 1
    rows = [{"id": s.id, "name": s.name, "kind": s.kind.value, "title": s.title,
             "role": s.role, "count": counts.get(s.id or s.name, 0),
             "gender": s.gender.value if s.gender else None,
             "gender_evidence": ", ".join(f"{k.replace(':', ' ')} x{n}"
                                          for k, n in s.gender_evidence.items()) or "none"}
            for s in doc.speakers]
    rows.sort(key=lambda r: (-r["count"], r["name"]))
    return rows


# --- charts -----------------------------------------------------------------------


def _svg(width: int, height: int, label: str, body: list[str]) -> Markup:
    head = (f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'preserveAspectRatio="xMinYMin meet">')
    return Markup(head + "".join(body) + "</svg>")  # every piece above is escaped


def bar_timeline(points: list[tuple[str, int]], label: str = "statements per month") -> Markup:
    """Vertical bars, one per month, with the count on top; empty months filled in."""
    if not points:
        return Markup("")
    months = _month_range(points[0][0], points[-1][0]) or [p[0] for p in points]
    values = dict(points)
    width, height, pad, base = max(320, 34 * len(months) + 40), 180, 30, 150
    top = max(values.values()) or 1
    step = (width - pad - 10) / len(months)
    body = [f'<line x1="{pad}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#999"/>']
    for k, month in enumerate(months):
        n = values.get(month, 0)
        h = round(120 * n / top, 1)
        x = round(pad + k * step + step * 0.15, 1)
        w = round(step * 0.7, 1)
        body.append(f'<rect x="{x}" y="{base - h}" width="{w}" height="{h}" fill="#3559a8">'
                    f'<title>{escape(month)}: {n}</title></rect>')
        if n:
            body.append(f'<text x="{x + w / 2}" y="{base - h - 4}" font-size="11" '
                        f'text-anchor="middle">{n}</text>')
        if len(months) <= 12 or k % max(1, len(months) // 12) == 0:
            body.append(f'<text x="{x + w / 2}" y="{base + 16}" font-size="10" '
                        f'text-anchor="middle">{escape(month)}</text>')
    return _svg(width, height, label, body)


def _month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from first to last inclusive ([] if they are not months)."""
    try:
        y, m = map(int, first.split("-"))
        y2, m2 = map(int, last.split("-"))
    except ValueError:
        return []
    out = []
    while (y, m) <= (y2, m2) and len(out) < 600:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def audit_segments(text: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    """Cut an audited report at every claim and citation boundary, for highlighting.

    Each piece is ``{"text", "start", "css", "claim", "citation", "title"}``:
    ``claim`` is the index of the claim covering it (``css`` has ``hl-ok`` when
    the claim raised no flag, ``hl-flagged`` otherwise), ``citation`` the
    citation marker's index. Plain data: the template escapes the text.
    """
    spans: list[tuple[int, int, str, int]] = []
    for k, claim in enumerate(result.get("claims", [])):
        spans.append((claim["start"], claim["end"], "claim", k))
    for cit in result.get("citations", []):
        spans.append((cit["start"], cit["end"], "citation", cit["index"]))
    n = len(text)
    cuts = {0, n}
    for s, e, _, _ in spans:
        cuts.update((max(0, min(s, n)), max(0, min(e, n))))
    out: list[dict[str, Any]] = []
    for a, b in pairwise(sorted(cuts)):
        if a == b:
            continue
        piece: dict[str, Any] = {"text": text[a:b], "start": a, "css": "", "claim": None,
                                 "citation": None, "title": ""}
        classes, titles = [], []
        for s, e, role, i in spans:
            if not (s <= a and b <= e):
                continue
            if role == "claim" and piece["claim"] is None:
                flags = result["claims"][i]["flags"]
                piece["claim"] = i
                classes.append("hl-flagged" if flags else "hl-ok")
                titles.append(f"claim {i + 1}: " + (", ".join(flags) or "supported"))
            elif role == "citation" and piece["citation"] is None:
                cit = result["citations"][i]
                piece["citation"] = i
                classes.append("hl-citation")
                titles.append(f"citation {i + 1}: {cit['resolvability']}")
        piece["css"], piece["title"] = " ".join(classes), "; ".join(titles)
        out.append(piece)
    return out
