"""The dashboard: who is quoted, how they are sourced, women and men quoted, over time.

``/dashboard`` answers an analyst's first questions about a corpus, all under
one set of filters kept in the URL (``outlet`` (repeatable), ``from``, ``to``,
``period`` day|week|month, ``top``): the most-quoted people and organisations,
statements by source class (the one taxonomy of :mod:`whosaid.assess`) and by
speaker gender (:mod:`whosaid.gender`), daily/weekly/monthly series on a real
time axis where empty periods show as zero, and the outlets side by side.
Every bar, slice and row links to ``/statements`` with the same filters plus
its own. ``?format=csv|json`` (or ``/dashboard.csv``, ``/dashboard.json``)
downloads a chart (``chart=``) or, as JSON, all of them.

Two grouped queries feed everything, so the page stays fast on a large corpus:
statements by (outlet, day, class, gender) and statements by (outlet, speaker).
Charts are SVG drawn here from escaped strings only.
"""

from __future__ import annotations

import bisect
import csv
import heapq
import io
import json
import threading
import time
import weakref
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response
from markupsafe import Markup, escape
from sqlalchemy import and_, func, select

from whosaid.assess import SOURCE_CLASSES, class_label
from whosaid.model import Gender
from whosaid.store.schema import attributions, doc_speakers, documents, statement_speakers
from whosaid.store.schema import speakers as speakers_t
from whosaid.web.state import state
from whosaid.wording import plural

router = APIRouter(include_in_schema=False)
PERIODS = ("day", "week", "month")
CHARTS = ("top_people", "top_organisations", "top_by_period", "classes", "gender", "series",
          "outlets")
CLASSES = [c.value for c in SOURCE_CLASSES]
GENDERS = [g.value for g in Gender]
CLASS_COLOURS = {"named_person": "#2f7d4f", "named_organisation": "#3559a8",
                 "role_only": "#7b5ea7", "anonymous": "#b3261e",
                 "vague_collective": "#c98a00", "unattributed": "#8a8f98"}
GENDER_COLOURS = {"female": "#b5487a", "male": "#2d6f9e", "unknown": "#9aa0a6"}
MAX_BUCKETS = 400  # a daily series over years is cut to its last 400 days
Text = Annotated[str | None, Query(max_length=200)]


@dataclass
class Filters:
    """The dashboard's state, parsed from the URL."""

    outlets: list[str] = field(default_factory=list)
    start: str | None = None  # ISO date, inclusive
    end: str | None = None
    period: str = "month"
    top: int = 10

    def query(self, **extra: Any) -> list[tuple[str, str]]:
        """The filters as /statements parameters (``outlet`` once per outlet), plus
        ``extra`` (None values dropped)."""
        out = [("outlet", o) for o in self.outlets]
        if self.start:
            out.append(("from", self.start))
        if self.end:
            out.append(("to", self.end))
        return out + [(k, str(v)) for k, v in extra.items() if v is not None]

    def statements_url(self, **extra: Any) -> str:
        """Link to the statements behind a bar, slice or row."""
        return "/statements?" + urlencode(self.query(**extra))

    def own_params(self) -> list[tuple[str, str]]:
        out = [("outlet", o) for o in self.outlets]
        out += [(k, v) for k, v in (("from", self.start), ("to", self.end)) if v]
        return [*out, ("period", self.period), ("top", str(self.top))]


def _iso(name: str, value: str | None) -> str | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        raise HTTPException(422, f"{name}: write a date as YYYY-MM-DD, not {value!r}") from None


def parse_filters(request: Request) -> Filters:
    """Filters from the query string; 422 naming the parameter when one is malformed."""
    qp = request.query_params
    outlets = list(dict.fromkeys(o.strip() for o in qp.getlist("outlet") if o.strip()))
    f = Filters(outlets=outlets, start=_iso("from", qp.get("from")), end=_iso("to", qp.get("to")))
    period = qp.get("period") or "month"
    if period not in PERIODS:
        raise HTTPException(422, f"period: use one of {', '.join(PERIODS)}")
    f.period = period
    try:
        f.top = max(1, min(50, int(qp.get("top") or 10)))
    except ValueError:
        raise HTTPException(422, "top: a whole number from 1 to 50") from None
    if f.start and f.end and f.start > f.end:
        raise HTTPException(422, "from: the start date is after the end date")
    return f


# --- data --------------------------------------------------------------------------


NO_OUTLET = "(no outlet)"


@dataclass
class Slice:
    """Counts over some statements: by class, by gender (persons), by speaker; documents."""

    classes: Counter[str] = field(default_factory=Counter)
    genders: Counter[str] = field(default_factory=Counter)
    people: Counter[int] = field(default_factory=Counter)  # speaker id -> statements
    orgs: Counter[int] = field(default_factory=Counter)
    documents: int = 0
    undated: int = 0

    def add(self, other: Slice) -> None:
        for mine, theirs in ((self.classes, other.classes), (self.genders, other.genders),
                             (self.people, other.people), (self.orgs, other.orgs)):
            get = mine.get
            for key, n in theirs.items():
                mine[key] = get(key, 0) + n
        self.documents += other.documents
        self.undated += other.undated


@dataclass
class Base:
    """The whole corpus grouped once: a :class:`Slice` per outlet and per (outlet, day).

    Filters then only add slices up: with no dates, one slice per outlet;
    with dates, the days in range (found by bisection), so one computation
    serves every filter and a request does no per-statement work.
    """

    names: dict[int, str]  # speaker id -> name
    outlets: dict[str, Slice]  # every statement of the outlet, dated or not
    days: dict[str, list[str]]  # outlet -> its dated days, sorted
    daily: dict[tuple[str, str], Slice]  # (outlet, day) -> that day's statements
    everything: Slice  # all outlets, all days
    all_days: list[str]  # every dated day, sorted
    by_day: dict[str, Slice]  # day -> all outlets' statements of that day
    speakers: int = 0  # corpus speakers (from the signature query)


_CACHE: dict[str, tuple[tuple[str, int], Base]] = {}
_LOCK = threading.Lock()
_REFRESHERS: dict[str, threading.Thread] = {}
REFRESH_EVERY = 2.0  # seconds between two looks at the corpus version
REFRESH_IDLE = 1800.0  # a refresher stops after this long without a dashboard view
_LAST_VIEW: dict[str, float] = {}


def base(corpus: Any) -> Base:
    """The corpus grouped, recomputed only when the corpus changed.

    The corpus version (:meth:`whosaid.store.Corpus.version`, one indexed
    read) moves with every ingest, deletion, correction, merge, split and
    rename, so the cache never shows an older corpus. Regrouping takes about
    a second on 10,000 documents, so a refresher thread (:func:`watch`)
    regroups as soon as the version moves: the next view usually finds the
    new figures ready, and one that comes during the regrouping waits for it
    rather than starting another.
    """
    watch(corpus)
    return _fresh(corpus)


def watch(corpus: Any) -> None:
    """Keep this corpus's figures fresh while its pages are in use.

    Every page with kept figures calls this (the dashboard, the tables, the
    speaker pages); one thread per corpus looks at the version every
    ``REFRESH_EVERY`` seconds and, once it moved and then held still for a
    look, regroups the dashboard (if it was viewed) and recomputes the tables'
    kept counts and sorted lists (:meth:`whosaid.store.Corpus.refresh`).
    """
    _LAST_VIEW[corpus.url] = time.monotonic()
    _start_refresher(corpus)


def _fresh(corpus: Any) -> Base:
    version = corpus.version()
    with _LOCK:
        cached = _CACHE.get(corpus.url)
        if cached is not None and cached[0] == version:
            return cached[1]
        fresh = _group(*_query(corpus))
        with corpus.engine.connect() as conn:
            fresh.speakers = int(conn.execute(select(func.count()).select_from(speakers_t))
                                 .scalar_one())
        _CACHE[corpus.url] = (version, fresh)
        return fresh


def _start_refresher(corpus: Any) -> None:
    thread = _REFRESHERS.get(corpus.url)
    if thread is not None and thread.is_alive():
        return
    ref = weakref.ref(corpus)
    thread = threading.Thread(target=_refresh, args=(ref, corpus.url), daemon=True,
                              name="whosaid-dashboard-refresh")
    _REFRESHERS[corpus.url] = thread
    thread.start()


def _refresh(ref: weakref.ReferenceType[Any], url: str) -> None:
    """Refresh once the version has moved and then held still for one look (an ingest
    moves it with every document: recomputing meanwhile would be wasted); stop when
    the corpus is closed or gone, on an error (the next view starts a new one), or
    after a long time without views."""
    seen = done = None
    while time.monotonic() - _LAST_VIEW.get(url, 0.0) < REFRESH_IDLE:
        time.sleep(REFRESH_EVERY)
        corpus = ref()
        if corpus is None or getattr(corpus, "closed", False):
            return
        try:
            version = corpus.version()
            if version == seen and version != done:
                cached = _CACHE.get(url)
                if cached is not None and cached[0] != version:
                    _fresh(corpus)
                corpus.refresh()
                done = version
            seen = version
        except Exception:  # a view reports the error; the refresher just stops
            return
        finally:
            del corpus


def _query(corpus: Any) -> tuple[list[Any], list[Any], list[Any]]:
    """Three grouped queries: statements by (outlet, day, class, kind, gender), by
    (outlet, day, speaker) for named people and organisations, documents by (outlet, day)."""
    gender = func.coalesce(speakers_t.c.gender, "unknown")
    name = func.coalesce(speakers_t.c.custom_name, speakers_t.c.name) \
        if "custom_name" in speakers_t.c else speakers_t.c.name
    active = [attributions.c.active.is_(True)] if "active" in attributions.c else []
    facts_q = (select(documents.c.outlet, documents.c.published, attributions.c.specificity,
                      speakers_t.c.kind, gender, func.count())
               .select_from(attributions.join(documents,
                                              documents.c.id == attributions.c.document_id)
                            .outerjoin(doc_speakers,
                                       doc_speakers.c.id == attributions.c.doc_speaker_id)
                            .outerjoin(speakers_t, speakers_t.c.id == doc_speakers.c.speaker_id))
               .where(*active)
               .group_by(documents.c.outlet, documents.c.published,
                         attributions.c.specificity, speakers_t.c.kind, gender))
    who_q = (select(documents.c.outlet, documents.c.published, speakers_t.c.id, name,
                    speakers_t.c.kind, func.count(func.distinct(attributions.c.id)))
             .select_from(statement_speakers
                          .join(attributions,
                                attributions.c.id == statement_speakers.c.attribution_id)
                          .join(documents, documents.c.id == attributions.c.document_id)
                          .join(doc_speakers,
                                doc_speakers.c.id == statement_speakers.c.doc_speaker_id)
                          .join(speakers_t, speakers_t.c.id == doc_speakers.c.speaker_id))
             .where(*active, and_(doc_speakers.c.named.is_(True),
                                  speakers_t.c.kind.in_(("person", "organisation"))))
             .group_by(documents.c.outlet, documents.c.published, speakers_t.c.id, name,
                       speakers_t.c.kind))
    docs_q = (select(documents.c.outlet, documents.c.published, func.count())
              .group_by(documents.c.outlet, documents.c.published))
    with corpus.engine.connect() as conn:
        return (conn.execute(facts_q).all(), conn.execute(who_q).all(),
                conn.execute(docs_q).all())


def _group(facts: list[Any], who: list[Any], docs: list[Any]) -> Base:
    """Slices per outlet, per (outlet, day) and per day, filled in one pass over the rows
    (adding the daily slices up afterwards cost more than the pass itself)."""
    outlets: dict[str, Slice] = defaultdict(Slice)
    daily: dict[tuple[str, str], Slice] = defaultdict(Slice)
    by_day: dict[str, Slice] = defaultdict(Slice)
    names: dict[int, str] = {}
    for outlet, published, spec, kind, gender, n in facts:
        outlet, n, cls = outlet or NO_OUTLET, int(n), _class(spec, kind)
        whole = outlets[outlet]
        whole.classes[cls] += n
        if kind == "person":
            whole.genders[gender] += n
        if not published:
            whole.undated += n
            continue
        for part in (daily[(outlet, published[:10])], by_day[published[:10]]):
            part.classes[cls] += n
            if kind == "person":
                part.genders[gender] += n
    for outlet, published, sid, name, kind, n in who:
        names[sid] = name
        outlet, n = outlet or NO_OUTLET, int(n)
        people = kind == "person"
        whole = outlets[outlet]
        (whole.people if people else whole.orgs)[sid] += n
        if published:
            for part in (daily[(outlet, published[:10])], by_day[published[:10]]):
                (part.people if people else part.orgs)[sid] += n
    for outlet, published, n in docs:
        outlet, n = outlet or NO_OUTLET, int(n)
        outlets[outlet].documents += n
        if published:
            daily[(outlet, published[:10])].documents += n
            by_day[published[:10]].documents += n
    days: dict[str, list[str]] = defaultdict(list)
    for outlet, day in sorted(daily):
        days[outlet].append(day)
    everything = Slice()
    for part in outlets.values():
        everything.add(part)
    return Base(names, dict(outlets), dict(days), dict(daily), everything, sorted(by_day),
                dict(by_day))


def collect(corpus: Any, f: Filters) -> dict[str, Any]:
    """Every chart's numbers for the filters: plain data, the JSON download."""
    b = base(corpus)
    dated = bool(f.start or f.end)

    def in_range(days: list[str]) -> list[str]:
        if not dated:
            return days
        return days[bisect.bisect_left(days, f.start or ""):
                    bisect.bisect_right(days, f.end or "9999")]

    per_outlet: dict[str, Slice] = {}
    for outlet, whole in b.outlets.items():
        if dated:
            part = Slice()
            for day in in_range(b.days.get(outlet, [])):
                part.add(b.daily[(outlet, day)])
            per_outlet[outlet] = part
        else:
            per_outlet[outlet] = whole
    if f.outlets:
        picked = Slice()
        series_days: dict[str, Slice] = {}
        for outlet in f.outlets:
            if outlet in per_outlet:
                picked.add(per_outlet[outlet])
                for day in in_range(b.days.get(outlet, [])):
                    series_days[day] = b.daily[(outlet, day)]
    else:
        series_days = {day: b.by_day[day] for day in in_range(b.all_days)}
        if dated:
            picked = Slice()
            for part in per_outlet.values():
                picked.add(part)
        else:
            picked = b.everything
    data = assemble(f, b.names, picked, per_outlet, series_days)
    data["corpus"] = {"documents": b.everything.documents,
                      "statements": sum(b.everything.classes.values()),
                      "speakers": b.speakers,
                      "outlets": sorted(o for o in b.outlets if o != NO_OUTLET)}
    return data


def _class(value: str | None, kind: str | None) -> str:
    if value:
        return value
    return "unattributed" if kind is None else "vague_collective"


def ranked(counter: Counter[int], names: dict[int, str], k: int) -> list[tuple[int, int]]:
    """The ``k`` largest counts, ties by name; without sorting every speaker."""
    if not counter:
        return []
    floor = heapq.nlargest(k, counter.values())[-1]
    rows = [(sid, n) for sid, n in counter.items() if n >= floor]
    return sorted(rows, key=lambda x: (-x[1], names[x[0]]))[:k]


def assemble(f: Filters, names: dict[int, str], picked: Slice, per_outlet: dict[str, Slice],
             series_days: dict[str, Slice]) -> dict[str, Any]:
    """Charts from the filtered slices (kept apart from SQL so it can be tested)."""
    total = sum(picked.classes.values())

    def top(counter: Counter[int]) -> list[dict[str, Any]]:
        return [{"speaker_id": sid, "name": names[sid], "count": n,
                 "href": f.statements_url(speaker=sid)}
                for sid, n in ranked(counter, names, f.top)]

    series = []
    for start, end in _buckets(f, sorted(series_days)):
        series.append({"period": start.isoformat(), "from": start.isoformat(),
                       "to": end.isoformat(), **dict.fromkeys(CLASSES, 0),
                       **{f"gender_{g}": 0 for g in GENDERS}})
    _fill(series, {d: s.classes for d, s in series_days.items()},
          {d: s.genders for d, s in series_days.items()})
    outlets = []
    # two or more outlets picked: those side by side; else every outlet, the picked marked
    compared = [o for o in per_outlet if o in f.outlets] if len(f.outlets) > 1 \
        else list(per_outlet)
    for name in sorted(compared, key=lambda o: (-sum(per_outlet[o].classes.values()), o)):
        part = per_outlet[name]
        n = sum(part.classes.values())
        known = part.genders["female"] + part.genders["male"]
        outlet_f = Filters([name] if name != NO_OUTLET else [], f.start, f.end,
                           f.period, f.top)
        outlets.append({
            "outlet": name, "selected": name in f.outlets,
            "documents": part.documents, "statements": n,
            "classes": {c: part.classes[c] for c in CLASSES},
            "class_share": {c: round(part.classes[c] / n, 4) if n else 0.0 for c in CLASSES},
            "gender": {g: part.genders[g] for g in GENDERS},
            "female_share_of_known": round(part.genders["female"] / known, 4) if known
            else None,
            "persons": sum(part.genders.values()),
            "top_people": [{"speaker_id": sid, "name": names[sid], "count": c,
                            "href": outlet_f.statements_url(speaker=sid)}
                           for sid, c in ranked(part.people, names, 5)],
            "href": outlet_f.statements_url(),
        })
    persons = sum(picked.genders.values())
    return {
        "filters": {"outlet": f.outlets, "from": f.start, "to": f.end, "period": f.period,
                    "top": f.top},
        "statements": total, "undated": 0 if (f.start or f.end) else picked.undated,
        "top_people": top(picked.people),
        "top_organisations": top(picked.orgs),
        "classes": [{"class": c, "label": class_label(c), "count": picked.classes[c],
                     "share": round(picked.classes[c] / total, 4) if total else 0.0,
                     "href": f.statements_url(specificity=c)} for c in CLASSES],
        "gender": [{"gender": g, "count": picked.genders[g],
                    "share": round(picked.genders[g] / persons, 4) if persons else 0.0,
                    "href": f.statements_url(kind="person", gender=g)} for g in GENDERS],
        "series": series,
        "top_by_period": top_by_period(f, names, series, series_days),
        "outlets": outlets,
    }


PERIOD_TOP = 5  # people and organisations listed per period (at most ``top``)


def top_by_period(f: Filters, names: dict[int, str], series: list[dict[str, Any]],
                  series_days: dict[str, Slice]) -> list[dict[str, Any]]:
    """The most-quoted people and organisations of each period of the series.

    Each day's speaker counts are added to the period that holds it, so the
    periods, outlets and dates are the series' own; each name links to that
    speaker's statements in that period.
    """
    starts = [r["from"] for r in series]
    held: list[list[Slice]] = [[] for _ in series]
    for day, part in series_days.items():
        i = bisect.bisect_right(starts, day) - 1
        if i >= 0 and day <= series[i]["to"]:
            held[i].append(part)
    people: list[Counter[int]] = []
    orgs: list[Counter[int]] = []
    for parts in held:
        if len(parts) == 1:  # a day (or a period with one dated day): its own counts
            people.append(parts[0].people)
            orgs.append(parts[0].orgs)
            continue
        pc: Counter[int] = Counter()
        oc: Counter[int] = Counter()
        for part in parts:
            for mine, theirs in ((pc, part.people), (oc, part.orgs)):
                for sid, n in theirs.items():
                    mine[sid] += n
        people.append(pc)
        orgs.append(oc)
    k = min(f.top, PERIOD_TOP)
    out = []
    for r, pc, oc in zip(series, people, orgs, strict=True):
        # the period's link once, the speaker added to it (hundreds of days, ten names each)
        link = Filters(f.outlets, r["from"], r["to"], f.period, f.top).statements_url()
        out.append({"period": r["period"], "from": r["from"], "to": r["to"],
                    "statements": sum(r[c] for c in CLASSES),
                    **{key: [{"speaker_id": sid, "name": names[sid], "count": n,
                              "href": f"{link}&speaker={sid}"}
                             for sid, n in ranked(counter, names, k)]
                       for key, counter in (("top_people", pc), ("top_organisations", oc))}})
    return out


def _period_start(day: date, period: str) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())  # ISO weeks start on Monday
    if period == "month":
        return day.replace(day=1)
    return day


def _next(start: date, period: str) -> date:
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


def _buckets(f: Filters, days: list[str]) -> list[tuple[date, date]]:
    """Every period from the first to the last date (the filter's, else the data's)."""
    try:
        first = date.fromisoformat(f.start or days[0])
        last = date.fromisoformat(f.end or days[-1])
    except (IndexError, ValueError):
        return []
    out = []
    cur = _period_start(first, f.period)
    while cur <= last:
        nxt = _next(cur, f.period)
        out.append((cur, nxt - timedelta(days=1)))
        cur = nxt
    return out[-MAX_BUCKETS:]


def _fill(series: list[dict[str, Any]], by_class: dict[str, Counter[str]],
          by_gender: dict[str, Counter[str]]) -> None:
    """Add each day's counts to the period that holds it."""
    starts = [r["from"] for r in series]
    for table, prefix in ((by_class, ""), (by_gender, "gender_")):
        for day, counts in table.items():
            i = bisect.bisect_right(starts, day) - 1
            if i < 0 or day > series[i]["to"]:
                continue
            for key, n in counts.items():
                series[i][prefix + key] += n


# --- charts --------------------------------------------------------------------------


def _svg(width: int, height: int, label: str, body: list[str], cls: str = "chart") -> Markup:
    head = (f'<svg class="{cls}" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
            f'preserveAspectRatio="xMinYMin meet">')
    return Markup(head + "".join(body) + "</svg>")  # every piece is escaped or a number


def hbars(rows: list[dict[str, Any]], label: str, colour: str = "#3559a8") -> Markup:
    """Horizontal bars, one per row (name, count), each a link to its statements."""
    if not rows:
        return Markup("")
    bar_h, gap, left, width = 20, 6, 170, 480
    top = max(r["count"] for r in rows) or 1
    body = []
    for k, r in enumerate(rows):
        y = k * (bar_h + gap)
        w = max(1.0, (width - left - 50) * r["count"] / top)
        name = str(r["name"])
        shown = name if len(name) <= 28 else name[:27] + "…"
        body.append(f'<a href="{escape(r["href"])}" class="bar-link">'
                    f'<title>{escape(name)}: {plural(r["count"], "statement")}</title>'
                    f'<text x="{left - 6}" y="{y + 14}" font-size="12" text-anchor="end">'
                    f'{escape(shown)}</text>'
                    f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                    f'fill="{colour}"/>'
                    f'<text x="{left + w + 4:.1f}" y="{y + 14}" font-size="12">{r["count"]}'
                    f'</text></a>')
    return _svg(width, len(rows) * (bar_h + gap), label, body)


def share_bar(rows: list[dict[str, Any]], key: str, colours: dict[str, str],
              label: str) -> Markup:
    """One 100% bar split into slices (a class or a gender each), each slice a link."""
    total = sum(r["count"] for r in rows)
    if not total:
        return Markup("")
    width, left, h = 1000, 0, 34
    body, x = [], float(left)
    for r in rows:
        if not r["count"]:
            continue
        w = width * r["count"] / total
        name = r.get("label") or r[key]
        body.append(f'<a href="{escape(r["href"])}" class="slice-link">'
                    f'<title>{escape(name)}: {r["count"]} ({r["share"]:.0%})</title>'
                    f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{h}" '
                    f'fill="{colours[r[key]]}"/>')
        if w > 44:
            body.append(f'<text x="{x + w / 2:.1f}" y="21" font-size="12" fill="#fff" '
                        f'text-anchor="middle">{r["share"]:.0%}</text>')
        body.append("</a>")
        x += w
    return _svg(width, h, label, body, cls="chart wide")


def time_series(series: list[dict[str, Any]], keys: list[str], colours: dict[str, str],
                f: Filters, label: str, prefix: str = "", link: str = "specificity") -> Markup:
    """Stacked bars on a real time axis: one slot per period, empty periods stay empty."""
    if not series:
        return Markup("")
    width, height, left, base = 700, 210, 40, 170
    n = len(series)
    step = (width - left - 10) / n
    top = max(sum(r[prefix + k] for k in keys) for r in series) or 1
    body = [f'<line x1="{left}" y1="{base}" x2="{width - 5}" y2="{base}" stroke="#999"/>',
            f'<text x="{left - 4}" y="{base - 140 + 4}" font-size="10" '
            f'text-anchor="end">{top}</text>',
            f'<text x="{left - 4}" y="{base}" font-size="10" text-anchor="end">0</text>']
    every = max(1, n // 10)
    tails = {k: "&" + urlencode({link: k}) for k in keys}  # the bar's own filter
    bar_w = f"{max(step * 0.8, 1):.1f}"
    for i, r in enumerate(series):
        x = left + i * step
        y = float(base)
        period = None
        for k in keys:
            v = r[prefix + k]
            if not v:
                continue
            h = 140 * v / top
            y -= h
            if period is None:  # one link prefix per period: this period's dates
                period = escape(Filters(f.outlets, r["from"], r["to"], f.period, f.top)
                                .statements_url(**({"kind": "person"} if prefix else {})))
            body.append(f'<a href="{period}{escape(tails[k])}" class="bar-link">'
                        f'<rect x="{x + step * 0.1:.1f}" y="{y:.1f}" width="{bar_w}" '
                        f'height="{h:.1f}" fill="{colours[k]}"><title>{escape(r["period"])}: '
                        f'{escape(k)} {v}</title></rect></a>')
        if i % every == 0:
            body.append(f'<line x1="{x + step / 2:.1f}" y1="{base}" x2="{x + step / 2:.1f}" '
                        f'y2="{base + 4}" stroke="#999"/>'
                        f'<text x="{x + step / 2:.1f}" y="{base + 16}" font-size="10" '
                        f'text-anchor="middle">{escape(_tick(r["period"], f.period))}</text>')
    return _svg(width, height, label, body)


def _tick(iso: str, period: str) -> str:
    return iso[:7] if period == "month" else iso[5:] if period == "day" else iso


# --- a speaker's gender evidence (the speaker page) ------------------------------------


def speaker_gender(corpus: Any, speaker_id: int) -> dict[str, Any] | None:
    """A corpus speaker's gender with its documents' decisions and summed evidence.

    None for speakers without one (not a person, stored before v4, or gender off).
    """
    with corpus.engine.connect() as conn:
        gender = conn.execute(select(speakers_t.c.gender)
                              .where(speakers_t.c.id == speaker_id)).scalar()
        rows = conn.execute(select(doc_speakers.c.gender, doc_speakers.c.gender_evidence)
                            .where(doc_speakers.c.speaker_id == speaker_id,
                                   doc_speakers.c.gender.is_not(None))).all()
    if gender is None or not rows:
        return None
    votes: Counter[str] = Counter()
    evidence: Counter[str] = Counter()
    for decided, ev in rows:
        votes[decided] += 1
        evidence.update(json.loads(ev or "{}"))
    return {"gender": gender, "documents": {g: votes[g] for g in GENDERS if votes[g]},
            "evidence": dict(sorted(evidence.items()))}


# --- downloads ---------------------------------------------------------------------------


def chart_rows(data: dict[str, Any], chart: str) -> list[dict[str, Any]]:
    """One chart's rows, flat, for CSV (links dropped)."""
    if chart in ("top_people", "top_organisations", "classes", "gender"):
        return [{k: v for k, v in r.items() if k != "href"} for r in data[chart]]
    if chart == "series":
        return data["series"]
    if chart == "top_by_period":  # one row per period, kind and rank
        return [{"period": r["period"], "from": r["from"], "to": r["to"],
                 "kind": kind, "rank": rank, "speaker_id": p["speaker_id"],
                 "name": p["name"], "count": p["count"]}
                for r in data["top_by_period"]
                for kind, key in (("person", "top_people"),
                                  ("organisation", "top_organisations"))
                for rank, p in enumerate(r[key], 1)]
    rows = []
    for o in data["outlets"]:
        row: dict[str, Any] = {"outlet": o["outlet"], "documents": o["documents"],
                               "statements": o["statements"]}
        row.update(o["classes"])
        row.update({f"gender_{g}": v for g, v in o["gender"].items()})
        row["female_share_of_known"] = o["female_share_of_known"]
        row["top_people"] = "; ".join(f"{p['name']} ({p['count']})" for p in o["top_people"])
        rows.append(row)
    return rows


def download(data: dict[str, Any], fmt: str, chart: str | None) -> Response:
    if chart is not None and chart not in CHARTS:
        raise HTTPException(422, f"chart: use one of {', '.join(CHARTS)}")
    if fmt == "json":
        body = data if chart is None else {"filters": data["filters"], chart: data[chart]}
        return Response(json.dumps(body, ensure_ascii=False, indent=1),
                        media_type="application/json")
    if fmt != "csv":
        raise HTTPException(422, "format: use csv or json")
    rows = chart_rows(data, chart or "classes")
    buf = io.StringIO()
    if rows:
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    name = f"dashboard-{chart or 'classes'}.csv"
    return Response(buf.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


# --- routes ------------------------------------------------------------------------------


def _links(f: Filters) -> dict[str, dict[str, str]]:
    """Download links of each chart, with the page's filters."""
    own = f.own_params()
    return {c: {fmt: f"/dashboard.{fmt}?" + urlencode([*own, ("chart", c)])
                for fmt in ("csv", "json")} for c in CHARTS}


def show_gender(request: Request) -> bool:
    """False when the server was started with ``--no-gender``."""
    return bool(getattr(request.app.state, "show_gender", True))


@router.get("/dashboard")
def dashboard_page(request: Request, format: Text = None, chart: Text = None) -> Response:
    web = state(request)
    f = parse_filters(request)
    data = collect(web.corpus, f)
    gender_on = show_gender(request)
    if not gender_on:
        _drop_gender(data)
    if format:
        if not gender_on and chart == "gender":
            raise HTTPException(404, "gender is switched off on this server")
        return download(data, format, chart)
    charts = {
        "people": hbars(data["top_people"], "most-quoted people", "#2f7d4f"),
        "orgs": hbars(data["top_organisations"], "most-quoted organisations", "#3559a8"),
        "classes": share_bar(data["classes"], "class", CLASS_COLOURS,
                             "source classes of the statements"),
        "series": time_series(data["series"], CLASSES, CLASS_COLOURS, f,
                              f"source classes per {f.period}"),
    }
    if gender_on:
        charts["gender"] = share_bar(data["gender"], "gender", GENDER_COLOURS,
                                     "person statements by speaker gender")
        charts["gender_series"] = time_series(
            data["series"], GENDERS, GENDER_COLOURS, f,
            f"person statements per {f.period} by gender", prefix="gender_", link="gender")
    return web.templates.TemplateResponse(request, "dashboard.html", {
        "writable": bool(web.token), "data": data, "charts": charts, "f": f,
        "outlets_all": data["corpus"]["outlets"], "periods": PERIODS, "links": _links(f),
        "class_colours": CLASS_COLOURS, "gender_colours": GENDER_COLOURS,
        "gender_on": gender_on, "class_glosses": {c.value: g for c, (_l, g) in
                                                  SOURCE_CLASSES.items()},
        "counts": data["corpus"],
    })


@router.get("/dashboard.csv")
def dashboard_csv(request: Request, chart: Text = None) -> Response:
    return _download_route(request, "csv", chart)


@router.get("/dashboard.json")
def dashboard_json(request: Request, chart: Text = None) -> Response:
    return _download_route(request, "json", chart)


def _download_route(request: Request, fmt: str, chart: str | None) -> Response:
    f = parse_filters(request)
    data = collect(state(request).corpus, f)
    if not show_gender(request):
        if chart == "gender":
            raise HTTPException(404, "gender is switched off on this server")
        _drop_gender(data)
    return download(data, fmt, chart)


def _drop_gender(data: dict[str, Any]) -> None:
    """A server started with --no-gender shows and exports no gender figures."""
    data.pop("gender")
    for o in data["outlets"]:
        for k in ("gender", "female_share_of_known", "persons"):
            o.pop(k)
    for r in data["series"]:
        for g in GENDERS:
            r.pop(f"gender_{g}")

