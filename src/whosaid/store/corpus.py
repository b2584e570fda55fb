"""The corpus store: documents, attributions, speakers and citations in SQL.

:class:`Corpus` is the Python API behind ``whosaid ingest``, ``speakers``,
``said`` and ``search``. SQLite (a file, the default) and PostgreSQL (a
``postgresql://`` URL) go through the same SQLAlchemy Core code.

Guarantees, and how they are kept:

* idempotent: a document is identified by the SHA-256 of its normalised text
  (Unicode NFC, ``\\n`` newlines, outer whitespace stripped); one that is
  already stored is skipped before it is even analysed;
* transactional per document: a document, its attributions, citations and
  speaker links are written in one transaction, so a crash (even ``kill -9``)
  leaves either all of it or none of it;
* resumable: a rerun skips what is stored and finishes the rest; the
  corpus-wide speaker pass (:meth:`Corpus.relink`) runs at the end of every
  ingest, so a run killed before it is completed by the next one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any, NamedTuple

from rapidfuzz import process
from sqlalchemy import (
    Connection,
    Engine,
    Float,
    Integer,
    Select,
    bindparam,
    column,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError

from whosaid import speakers as names
from whosaid.model import Document, Speaker, SpeakerKind
from whosaid.store.browse import BrowseMixin
from whosaid.store.schema import (
    analyze,
    attributions,
    bump_version,
    citations,
    corpus_version,
    corrections,
    doc_speakers,
    documents,
    embeddings,
    migrate,
    overrides,
    refresh_speaker_genders,
    speaker_keys,
    statement_speakers,
)
from whosaid.store.schema import (
    speakers as speakers_t,
)

DEFAULT_DB = "whosaid.db"
DATE_KEYS = ("published", "date", "published_date", "pubdate", "datePublished", "captured")
PRONOUNS = frozenset({"he", "she", "him", "her", "i", "me", "they", "them", "we", "us", "it"})
# PostgreSQL advisory lock of the speaker tables ("whosaid!" as a number; advisory locks
# are per database, so two corpora on one server never wait for each other)
SPEAKER_LOCK = 0x77686F7361696421
# tries of one document store that PostgreSQL aborted as a deadlock or a serialisation
# failure (SQLSTATE 40P01, 40001): the transaction was rolled back whole, so a new try
# stores the whole document or nothing; a bound, so a store that keeps failing is reported
STORE_ATTEMPTS = 4
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})


class CorpusError(Exception):
    """A query or command that cannot be carried out (unknown speaker, ambiguous name)."""


def database_url(db: str | Path) -> str:
    """A file path becomes a SQLite URL; ``postgresql://`` is routed to psycopg 3."""
    value = str(db)
    if value.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + value.split("://", 1)[1]
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL keeps readers working during an ingest and survives kill -9 cleanly
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.close()


def normalise_text(text: str) -> str:
    """The form a document is hashed in: NFC, ``\\n`` newlines, no outer whitespace."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text.strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


def parse_date(value: str) -> str | None:
    """An ISO ``YYYY-MM-DD`` from ISO 8601, RFC 822 (feeds) or a date inside a string."""
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value).date().isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    match = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", value)
    if match:
        try:
            return datetime(*map(int, match.groups())).date().isoformat()
        except ValueError:
            return None
    return None


def published_of(metadata: dict[str, str]) -> str | None:
    for key in DATE_KEYS:
        if metadata.get(key):
            date = parse_date(metadata[key])
            if date:
                return date
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class IngestReport:
    """What one ingest run did; ``errors`` holds ``(where, problem)`` pairs."""

    stored: int = 0
    skipped: int = 0  # already in the database (same normalised text)
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class SpeakerRow:
    """One corpus speaker as the queries return it."""

    id: int
    name: str
    kind: str
    aliases: list[str]
    titles: list[str]
    roles: list[str]
    count: int  # statements attributed to the speaker
    documents: int
    first: str | None  # earliest and latest published date of those statements
    last: str | None
    key: str

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


STATEMENT_COLUMNS = ("attribution_id", "published", "document", "title", "outlet", "url",
                     "speaker_id", "speaker", "source", "cue", "content", "type",
                     "confidence", "corrected")


class Corpus(BrowseMixin):
    """A whosaid corpus database (``Corpus("whosaid.db")``, ``Corpus("postgresql://...")``).

    Opening it creates or upgrades the schema. Use as a context manager or call
    :meth:`close` to release connections.
    """

    def __init__(self, db: str | Path = DEFAULT_DB) -> None:
        self.url = database_url(db)
        self.engine: Engine = create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
        elif self.engine.dialect.name != "postgresql":
            raise CorpusError(f"unsupported database {self.engine.dialect.name!r}: "
                              "use a SQLite file or a postgresql:// URL")
        self._surnames: dict[str, set[str]] | None = None
        self.closed = False
        self.upgraded_from = migrate(self.engine)
        if 0 < self.upgraded_from < 3:
            self._upgrade_v3()

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.closed = True  # background readers (the dashboard's refresher) stop
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    # --- ingest -------------------------------------------------------------

    def has_document(self, sha256: str) -> bool:
        with self.engine.connect() as conn:
            found = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256))
            return found.first() is not None

    def ingest(self, items: Iterable[Any], *, model: str = "fast",
               on_progress: Callable[[str, str], None] | None = None,
               batch_size: int = 16, workers: int = 1) -> IngestReport:
        """Analyse and store ``SourceText``/``InputError`` items (from ``read_inputs``).

        ``on_progress(name, outcome)`` is called once per item with outcome
        ``stored``, ``skipped`` or ``error``. The speaker pass runs at the end.
        With ``workers`` > 1 the analysis runs in that many processes
        (:func:`whosaid.parallel.extract_parallel`); storing stays in this one,
        so each document is still one transaction.
        """
        from whosaid.ingest import InputError

        report = IngestReport()
        seen: set[str] = set()

        def note(name: str, outcome: str) -> None:
            if on_progress is not None:
                on_progress(name, outcome)

        def fresh() -> Iterator[tuple[str, Any]]:
            for item in items:
                if isinstance(item, InputError):
                    report.errors.append((str(item).split(": ", 1)[0], item.problem))
                    note(item.path, "error")
                    continue
                digest = text_hash(item.text)
                if digest in seen or self.has_document(digest):
                    report.skipped += 1
                    note(item.name, "skipped")
                    continue
                seen.add(digest)
                yield digest, item

        for digest, item, doc, problem in _analysed(fresh(), model, batch_size, workers):
            if doc is None:
                report.errors.append((item.origin or item.name, problem))
                note(item.name, "error")
                continue
            try:
                stored = self.store_document(doc, digest=digest, origin=item.origin)
            except Exception as exc:  # one bad document must not end the run
                report.errors.append((item.origin or item.name, f"not stored: {exc}"))
                note(item.name, "error")
                continue
            if stored:
                report.stored += 1
                note(item.name, "stored")
            else:
                report.skipped += 1
                note(item.name, "skipped")
        self.relink()
        return report

    def store_document(self, doc: Document, *, digest: str | None = None,
                       origin: str | None = None) -> bool:
        """Write one analysed document in one transaction; False if it was already there."""
        digest = digest or text_hash(doc.text)
        for attempt in range(STORE_ATTEMPTS):
            try:
                return self._store_once(doc, digest, origin)
            except OperationalError as exc:
                # PostgreSQL aborted the whole transaction (deadlock, serialisation):
                # nothing of it is stored, so running it again stores it whole
                if _retryable(exc) and attempt + 1 < STORE_ATTEMPTS:
                    continue
                raise
        raise AssertionError("unreachable")  # the loop returns or raises

    def _store_once(self, doc: Document, digest: str, origin: str | None) -> bool:
        """One try of :meth:`store_document`: its one transaction."""
        meta = doc.metadata
        try:
            with self.engine.begin() as conn:
                _hold_writes(conn, shared=True)
                doc_id = conn.execute(insert(documents).values(
                    sha256=digest, name=doc.name, origin=origin, title=meta.get("title"),
                    url=meta.get("url"), outlet=meta.get("outlet"), author=meta.get("author"),
                    published=published_of(meta), metadata=json.dumps(meta, sort_keys=True),
                    text=doc.text, model=doc.model, ingested_at=_now(),
                    profile=doc.profile.model_dump_json() if doc.profile else None,
                ).returning(documents.c.id)).scalar_one()
                local = self._store_speakers(conn, doc, doc_id, digest)
                self._store_attributions(conn, doc, doc_id, local)
                if doc.citations:
                    conn.execute(insert(citations), [
                        {"document_id": doc_id, "text": c.text, "label": c.label,
                         "start": c.start, "end": c.end, "scope_start": c.scope[0],
                         "scope_end": c.scope[1], "kind": c.kind, "reference": c.reference}
                        for c in doc.citations])
                if conn.execute(select(corrections.c.id).where(
                        corrections.c.document_sha256 == digest).limit(1)).first():
                    self._sync_corrections(conn, doc_id)  # a re-ingest keeps the corrections
                bump_version(conn)
        except IntegrityError:
            # the same text stored meanwhile by another process: that is a skip
            if self.has_document(digest):
                self._surnames = None
                return False
            raise
        except BaseException:
            self._surnames = None  # the cache may hold keys of the rolled-back document
            raise
        return True

    def _store_speakers(self, conn: Connection, doc: Document, doc_id: int,
                        digest: str, *, origin: str | None = None,
                        only: set[str] | None = None) -> dict[str, int]:
        """One ``doc_speakers`` row per document speaker (members of group sources too).

        A group source's members are recorded on the group's row, so a
        correction that picks the group links the statement to each member.
        """
        local: dict[str, int] = {}
        rules = _Overrides.load(conn)
        members: dict[str, list[str]] = {}
        every = list(doc.speakers)
        for att in doc.attributions:
            src = att.source
            if src is None or src.speaker is None or not src.members:
                continue
            members[src.speaker.id or src.speaker.name] = [m.id or m.name for m in src.members]
            for m in src.members:
                if all((m.id or m.name) != (s.id or s.name) for s in every):
                    every.append(m)
        keyed: dict[str, tuple[Speaker, names.Mention, str, str]] = {}
        for sp in every:
            ref = sp.id or sp.name
            if ref in keyed or (only is not None and ref not in only):
                continue
            mention = names.Mention(sp.name, sp.kind, sp.named, sp.title, sp.role, digest)
            names.read_evidence(doc.text, mention)
            natural = self._natural_key(conn, names.mention_key(mention))
            keyed[ref] = (sp, mention, natural, rules.apply(natural, sp.name))
        # speakers looked up or created in key order, the same in every writer: two
        # documents stored side by side (PostgreSQL) that name the same new people in
        # opposite orders would otherwise each hold one new key the other waits for
        first: dict[str, names.Mention] = {}
        for _sp, mention, _natural, key in keyed.values():
            first.setdefault(key, mention)
        ids = {key: self._speaker_for(conn, key, first[key]) for key in sorted(first)}
        for ref, (sp, mention, natural, key) in keyed.items():
            speaker_id = ids[key]
            local[ref] = conn.execute(insert(doc_speakers).values(
                document_id=doc_id, local_id=sp.id, name=sp.name, kind=sp.kind.value,
                named=sp.named, title=sp.title, role=sp.role,
                evidence=_evidence_json(mention), natural_key=natural,
                speaker_id=speaker_id, origin=origin,
                members=json.dumps(members[ref]) if ref in members else None,
                gender=sp.gender.value if sp.gender else None,
                gender_evidence=json.dumps(sp.gender_evidence) if sp.gender else None,
            ).returning(doc_speakers.c.id)).scalar_one()
        return local

    def _store_attributions(self, conn: Connection, doc: Document, doc_id: int,
                            local: dict[str, int], *,
                            positions: list[int] | None = None,
                            corrections: list[int | None] | None = None) -> None:
        """Attribution rows with their FTS row and a link to each of their speakers."""
        for n, att in enumerate(doc.attributions):
            position = positions[n] if positions is not None else n
            correction_id = corrections[n] if corrections is not None else None
            src, content = att.source, att.content
            speaker = src.speaker if src is not None else None
            ds = local.get(speaker.id or speaker.name) if speaker is not None else None
            att_id = conn.execute(insert(attributions).values(
                document_id=doc_id, position=position, doc_speaker_id=ds,
                correction_id=correction_id,
                source_text=src.text if src else None, source_start=src.start if src else None,
                source_end=src.end if src else None,
                resolved_from=src.resolved_from.text if src and src.resolved_from else None,
                cue_text=att.cue.text, cue_start=att.cue.start, cue_end=att.cue.end,
                content_text=content.text if content else None,
                fragments=json.dumps(content.fragments) if content else None,
                type=att.type.value, confidence=att.confidence, method=att.method,
                specificity=(att.specificity or _source_class(att)).value,
                stance=att.stance.value if att.stance else None,
            ).returning(attributions.c.id)).scalar_one()
            linked = [local[r] for r in
                      dict.fromkeys(m.id or m.name for m in (src.members if src else []))
                      if r in local] or ([ds] if ds is not None else [])
            if linked:
                conn.execute(insert(statement_speakers), [
                    {"attribution_id": att_id, "doc_speaker_id": d}
                    for d in dict.fromkeys(linked)])
            if self.dialect == "sqlite" and content is not None:
                conn.execute(text("INSERT INTO attribution_fts (rowid, content) VALUES (:i, :c)"),
                             {"i": att_id, "c": content.text})

    # --- speaker identity ---------------------------------------------------

    def _surname_index(self, conn: Connection) -> dict[str, set[str]]:
        """Person keys by surname, loaded once per Corpus and kept up to date."""
        if self._surnames is None:
            index: dict[str, set[str]] = defaultdict(set)
            rows = conn.execute(select(doc_speakers.c.natural_key).distinct().where(
                doc_speakers.c.natural_key.like("person:%")))
            for (key,) in rows:
                index[key.split()[-1]].add(key)
            self._surnames = index
        return self._surnames

    def _natural_key(self, conn: Connection, key: str) -> str:
        """Join a full name to a known spelling of the same person (rapidfuzz)."""
        if not key.startswith("person:"):
            return key
        index = self._surname_index(conn)
        last = key.split()[-1]
        candidates = set(index.get(last, ()))
        if key not in candidates and len(last) >= 5:
            for other, _score, _ in process.extract(
                    last, list(index), scorer=names.fuzz.ratio,
                    score_cutoff=names.NAME_MATCH, limit=5):
                candidates |= index[other]
        matched = names.match_full_name(key, candidates) or key
        index[matched.split()[-1]].add(matched)
        return matched

    def _speaker_for(self, conn: Connection, key: str, mention: names.Mention, *,
                     new: bool = False) -> int:
        """The id of the speaker with ``key``, created on first sight (``new``: the
        caller knows no speaker has it, and the lookup is skipped).

        A key some speaker had before (its documents were deleted, and are
        ingested again) gets that speaker's id back when no one holds it; a new
        one gets an id never given before (SQLite would reuse the highest id of
        a deleted speaker: a bookmark would show someone else). Past the key
        lookup a new speaker costs three statements (bulk ingest pays them per
        speaker): the key's past id and its holder in one outer join, the insert,
        the key's upsert. In a PostgreSQL document store the insert does nothing
        when another writer holds the key already, and that writer's speaker is
        taken: two ingests at once that first see one person both store their
        documents. Elsewhere (SQLite, a pass: ``new``) a conflict raises.
        """
        if not new:
            row = conn.execute(select(speakers_t.c.id).where(speakers_t.c.key == key)).first()
            if row is not None:
                return int(row[0])
        holder = speakers_t.alias("holder")
        before = conn.execute(select(speaker_keys.c.speaker_id, holder.c.id).select_from(
            speaker_keys.outerjoin(holder, holder.c.id == speaker_keys.c.speaker_id)).where(
            speaker_keys.c.key == key)).first()
        values = {"key": key, "name": names.display_name(mention), **_key_columns(key, mention)}
        reused = before is not None and before[1] is None  # its old id, free: back
        sid = _insert_new_speaker(conn, values, int(before[0]) if reused else None,
                                  shared=not new)
        if sid is None:
            # another writer added the key first (PostgreSQL: two ingests naming one new
            # person; the insert waited for it to commit): that speaker is this one
            held = conn.execute(select(speakers_t.c.id).where(speakers_t.c.key == key)).first()
            if held is not None:
                return int(held[0])
            # the old id went back to another key of the same speaker: a new id
            reused, sid = False, _insert_new_speaker(conn, values)
            if sid is None:
                raise CorpusError(f"speaker key {key!r} could not be stored")
        _remember_key(conn, key, sid, reused=reused)
        return sid

    def _rekey(self, conn: Connection, speaker_id: int, key: str,
               mention: names.Mention) -> None:
        """Give a speaker a new key in place: the pass re-keyed all it stands for."""
        conn.execute(update(speakers_t).where(speakers_t.c.id == speaker_id).values(
            key=key, **_key_columns(key, mention)))
        _remember_key(conn, key, speaker_id, reused=True)

    def relink(self) -> None:
        """The corpus-wide speaker pass, in one transaction; order-independent, idempotent.

        Every document speaker is keyed again from what is stored (its name,
        kind, title, role and the full names its document gives), so a corpus
        made with older keys is upgraded by running it (bare surnames stored
        before their titles were kept are read again from their texts, once):

        1. document-level keys (:func:`whosaid.speakers.mention_key`); a suffixed name
           ("Edward Harmon Jr.") keyed as the plain name unless the corpus shows two
           people (:func:`whosaid.speakers.join_suffixes`);
        2. spellings of one full name joined, most used spelling first
           (:func:`whosaid.speakers.cluster_full_names`);
        3. bare surnames attached to the one full-name person they can name:
           among the full names their own document gives when it gives several,
           else among the corpus's (:func:`whosaid.speakers.attach_surname`; a
           title written before the surname anywhere in its text counts);
        4. bare surnames left alone, whose documents give no full name, joined
           across documents by one shared title ("President Obama";
           :func:`whosaid.speakers.group_by_title`);
        5. user overrides (merges, splits, renames), then speakers left without
           mentions are dropped and each speaker's display name refreshed.
        """
        with self.engine.begin() as conn:
            self._relink(conn)
        if self.dialect == "sqlite":  # the corpus may have grown: fresh planner statistics
            with self.engine.begin() as conn:
                analyze(conn)

    def version(self) -> tuple[str, int]:
        """The corpus's instance and change counter: the counter moves with every write
        that can change what a page shows (ingest, deletion, speaker pass, merge, split,
        rename, correction), so a reader may keep counts and aggregates until it moves
        (one indexed read)."""
        with self.engine.connect() as conn:
            return corpus_version(conn)

    def _relink(self, conn: Connection) -> None:
        _hold_writes(conn)
        rules = _Overrides.load(conn)
        rows = [_MentionRow(*r) for r in conn.execute(select(
            doc_speakers.c.id, doc_speakers.c.name, doc_speakers.c.kind, doc_speakers.c.named,
            doc_speakers.c.title, doc_speakers.c.role, doc_speakers.c.evidence,
            doc_speakers.c.natural_key, doc_speakers.c.speaker_id, documents.c.sha256,
            doc_speakers.c.origin,
        ).select_from(doc_speakers.join(documents, documents.c.id == doc_speakers.c.document_id)
                      ).order_by(doc_speakers.c.id))]
        # the gender the document's own evidence gives a mention (whosaid.gender), if stored
        said_gender = doc_speakers.c.get("gender")
        hints: dict[int, str] = {} if said_gender is None else {
            i: g for i, g in conn.execute(select(doc_speakers.c.id, said_gender).where(
                said_gender.in_(("female", "male"))))}
        surfaces: dict[int, list[str]] = defaultdict(list)
        for ds_id, surface in conn.execute(select(
                attributions.c.doc_speaker_id, attributions.c.source_text).where(
                attributions.c.doc_speaker_id.is_not(None),
                attributions.c.source_text.is_not(None))):
            surfaces[ds_id].append(surface)
        mentions: dict[int, names.Mention] = {}
        base: dict[int, str] = {}
        spoken: Counter[str] = Counter()
        stale: set[int] = set()  # evidence read by older rules
        for r in rows:
            m = names.Mention(r.name, SpeakerKind(r.kind), r.named, r.title, r.role, r.sha256)
            m.evidence, m.common, m.titles, rules = _evidence_parts(r.evidence)
            mentions[r.id] = m
            if rules < names.EVIDENCE_RULES:
                stale.add(r.id)
        _refresh_evidence(conn, rows, mentions, stale)
        named_in_full: set[str] = set()  # people the texts name in full, quoted or not
        by_doc: dict[str, set[str]] = defaultdict(set)
        written: dict[str, set[str]] = defaultdict(set)  # the full names each text writes
        middles: dict[str, set[str]] = defaultdict(set)
        for r in rows:
            m = mentions[r.id]
            base[r.id] = names.mention_key(m)
            by_doc[r.sha256].add(base[r.id])
            if (mid := names.middle_initial(r.name)) is not None:
                middles[base[r.id]].add(mid)
            tokens = names.name_tokens(r.name)
            for full in names.evidence_names(m, tokens[-1]) if tokens else ():
                if names.known_first_name(full[0]):
                    named_in_full.add(names.full_name_key(list(full)))
            for full in map(names.name_tokens, m.evidence):  # with and without a suffix
                if len(full) == 2 and names.known_first_name(full[0]):
                    written[r.sha256].add(names.full_name_key(full))
        # a suffixed name is its own person only where the corpus shows two people
        suffixed = names.join_suffixes(by_doc.values(), named_in_full, middles,
                                       written.values())
        for r in rows:
            base[r.id] = suffixed.get(base[r.id], base[r.id])
            spoken[base[r.id]] += 1
        for key in named_in_full:  # people named in full without being quoted: candidates
            spoken[suffixed.get(key, key)] += 0
        canon = names.cluster_full_names(
            Counter({k: n for k, n in spoken.items() if k.startswith("person:")}))
        # a name a user typed for one statement is that statement's speaker, not evidence
        # for the bare surnames of other articles: only analysed mentions make candidates
        typed = {base[r.id] for r in rows if r.origin == "correction"}
        if typed:
            typed -= {base[r.id] for r in rows if r.origin != "correction"}
            analysed = {canon.get(k, k) for k in spoken if k not in typed}
        else:
            analysed = set(canon.values())
        people: dict[str, names.PersonProfile] = {}
        by_surname: dict[str, set[str]] = defaultdict(set)
        for key in set(canon.values()):
            people.setdefault(key, names.PersonProfile(key))
            if key in analysed:
                by_surname[key.split()[-1]].add(key)
        for r in rows:
            key = canon.get(base[r.id])
            if key is None:
                continue
            profile = people[key]
            if r.title:
                profile.titles.add(names.norm_title(r.title))
            if r.role:
                profile.roles.add(names.fold(r.role))
        natural: dict[int, str] = {r.id: canon.get(base[r.id], base[r.id]) for r in rows}
        bare = [r for r in rows
                if names.is_surname_only(base[r.id]) or base[r.id].startswith("unknown:")]
        # the one title each bare surname's document gives it: its own ("President
        # Obama") or written before the surname elsewhere in its text
        unit_titles: dict[str, list[str | None]] = defaultdict(list)
        for r in bare:
            unit_titles[base[r.id]] += [r.title, names.title_in_name(r.name),
                                        *(mentions[r.id].titles or ())]
        unit_title = {k: names.text_title(v) for k, v in unit_titles.items()}
        # attaching a surname can give its person a title ("President Obama") that
        # attaches another: repeat until nothing changes (a few passes at most)
        touched: set[str] | None = None  # surnames whose people gained a title or role
        for _ in range(4):
            decided: dict[tuple[Any, ...], str | None] = {}  # one decision per signature
            gained: set[str] = set()
            for r in bare:
                surname = names.surname_of_key(base[r.id])
                if natural[r.id] != base[r.id] or (touched is not None
                                                    and surname not in touched):
                    continue
                m = mentions[r.id]
                own = set()
                for t in names.evidence_names(m, surname):
                    full = names.full_name_key(list(t))
                    full = suffixed.get(full, full)
                    own.add(canon.get(full, full))
                gender = names.honorific_gender([r.title, r.name, *surfaces[r.id]])
                title = next((t for t in (r.title, names.title_in_name(r.name))
                              if names.norm_title(t)), None) \
                    or " ".join(sorted(unit_title[base[r.id]])) or r.title
                hint = hints.get(r.id)
                sig = (surname, tuple(sorted(own)), title, r.role, gender, hint)
                if sig not in decided:
                    pool = own or by_surname.get(surname, set())
                    if own and gender is not None and \
                            not any(names.gender_fits(c, gender) for c in own):
                        # "Mr. Obama" where the text names only Michelle Obama: someone
                        # else, so the corpus's other people of that surname
                        pool = by_surname.get(surname, set()) - own
                    decided[sig] = names.attach_surname(
                        surname, pool, title=title, role=r.role, gender=gender,
                        people=people, hint=hint)
                key = decided[sig]
                if key is not None:
                    natural[r.id] = key
                    if title and names.norm_title(title) not in people[key].titles:
                        people[key].titles.add(names.norm_title(title))
                        gained.add(surname)
                    if r.role and names.fold(r.role) not in people[key].roles:
                        people[key].roles.add(names.fold(r.role))
                        gained.add(surname)
            if not gained:
                break
            touched = gained
        # bare surnames still alone, whose documents give no full name: one person
        # across documents when they share a title ("President Obama")
        units: dict[str, names.BareUnit] = {}
        for r in bare:
            key = base[r.id]
            surname = names.surname_of_key(key)
            if natural[r.id] != key or not names.is_surname_only(key) \
                    or names.evidence_names(mentions[r.id], surname):
                continue
            unit = units.setdefault(key, names.BareUnit(key, surname, unit_title[key]))
            said = names.honorific_gender([r.title, r.name, *surfaces[r.id]]) or hints.get(r.id)
            if said is not None:
                unit.genders.add(said)
        if units:
            joined = names.group_by_title(units.values(), people.values())
            for r in bare:
                natural[r.id] = joined.get(natural[r.id], natural[r.id])
        _remap_overrides(conn, {r.natural_key for r in rows},
                         set(base.values()) | set(natural.values()),
                         [(r.natural_key, natural[r.id], base[r.id]) for r in rows])
        rules = _Overrides.load(conn)
        current = {k: i for k, i in conn.execute(select(speakers_t.c.key, speakers_t.c.id))}
        id_to_key = {i: k for k, i in current.items()}
        final = {r.id: rules.apply(natural[r.id], r.name, base=base[r.id], document=r.sha256)
                 for r in rows}
        for sid, key, r in _kept_ids(rows, final, current, id_to_key):
            # the pass re-keyed a speaker ("Jonas Petersen" becomes "Jonas Pettersen"
            # when the article with the other spelling is deleted): same person, same id
            self._rekey(conn, sid, key, mentions[r.id])
            del current[id_to_key[sid]]
            current[key], id_to_key[sid] = sid, key
        changed: list[dict[str, Any]] = []
        went: dict[int, Counter[int]] = defaultdict(Counter)  # old speaker -> new ones
        for r in rows:
            key = final[r.id]
            if key not in current:
                current[key] = self._speaker_for(conn, key, mentions[r.id], new=True)
                id_to_key[current[key]] = key
            went[r.speaker_id][current[key]] += 1
            if id_to_key.get(r.speaker_id) != key or r.natural_key != natural[r.id]:
                changed.append({"row_id": r.id, "row_speaker": current[key],
                                "row_key": natural[r.id]})
        if changed:  # one statement for every changed row (executemany)
            conn.execute(update(doc_speakers).where(doc_speakers.c.id == bindparam("row_id"))
                         .values(speaker_id=bindparam("row_speaker"),
                                 natural_key=bindparam("row_key")), changed)
        # a speaker whose mentions all joined others (a merge): its old links lead there
        live = {sid for targets in went.values() for sid in targets}
        moved = [{"old": old, "new": targets.most_common(1)[0][0]}
                 for old, targets in went.items() if old not in live and old in id_to_key]
        if moved:
            conn.execute(update(speaker_keys).where(
                speaker_keys.c.speaker_id == bindparam("old")).values(
                moved_to=bindparam("new")), moved)
        used = select(doc_speakers.c.speaker_id).distinct()
        conn.execute(speakers_t.delete().where(speakers_t.c.id.not_in(used)))
        refresh_speaker_genders(conn)
        self._refresh_names(conn, rules)
        self._surnames = None

    def _refresh_names(self, conn: Connection, rules: _Overrides) -> None:
        """Store each speaker's display name (the one every query shows) and user renames."""
        counts: dict[int, Counter[str]] = defaultdict(Counter)
        for sid, name, n in conn.execute(select(
                doc_speakers.c.speaker_id, doc_speakers.c.name,
                func.count(statement_speakers.c.attribution_id),
        ).select_from(doc_speakers.outerjoin(
            statement_speakers, statement_speakers.c.doc_speaker_id == doc_speakers.c.id)
        ).group_by(doc_speakers.c.speaker_id, doc_speakers.c.name)):
            counts[sid][name] += int(n)
        # a person no mention names in full ("Mr. Obama" only) is shown with the
        # full name that attached the mentions, as the texts spell it
        spelled: dict[int, Counter[str]] = defaultdict(Counter)
        for sid, evidence in conn.execute(select(doc_speakers.c.speaker_id,
                                                 doc_speakers.c.evidence)):
            for full in _evidence_parts(evidence)[0]:
                spelled[sid][names.person_name(full)] += 1
        for sid, key, name, custom in conn.execute(select(
                speakers_t.c.id, speakers_t.c.key, speakers_t.c.name, speakers_t.c.custom_name)
        ).all():
            best = best_name(key, counts.get(sid, Counter()), name, spelled.get(sid))
            renamed = rules.renames.get(key)
            if best != name or renamed != custom:
                conn.execute(update(speakers_t).where(speakers_t.c.id == sid).values(
                    name=best, custom_name=renamed))
        bump_version(conn)  # every relink, merge, split, rename and correction ends here

    def _upgrade_v3(self) -> None:
        """A database made before v3: evidence for every named mention, new keys, corrections.

        Nothing is dropped: overrides stored under keys that are no longer made
        are carried to the key their mentions have now.
        """
        from whosaid.store.browse import corrected_document_ids

        with self.engine.begin() as conn:
            _hold_writes(conn)
            texts: dict[int, str] = {}
            rows = conn.execute(select(
                doc_speakers.c.id, doc_speakers.c.document_id, doc_speakers.c.name,
                doc_speakers.c.kind, doc_speakers.c.named)).all()
            for ds_id, doc_id, name, kind, named in rows:
                m = names.Mention(name, SpeakerKind(kind), named)
                if doc_id not in texts:
                    texts[doc_id] = conn.execute(select(documents.c.text).where(
                        documents.c.id == doc_id)).scalar_one()
                names.read_evidence(texts[doc_id], m)
                conn.execute(update(doc_speakers).where(doc_speakers.c.id == ds_id).values(
                    evidence=_evidence_json(m)))
            self._relink(conn)
            for doc_id in corrected_document_ids(conn):
                self._sync_corrections(conn, doc_id)  # type: ignore[attr-defined]
            self._relink(conn)

    def _speaker(self, ref: str | int) -> SpeakerRow:
        return self.find_speaker(str(ref))

    def merge(self, keep: str | int, other: str | int) -> SpeakerRow:
        """Fold speaker ``other`` into ``keep`` (ids or names); kept across re-ingests.

        The one implementation behind ``whosaid speakers merge``, the API and the web UI.
        """
        a, b = self._speaker(keep), self._speaker(other)
        if a.id == b.id:
            raise CorpusError(f"{keep!r} and {other!r} are already one speaker")
        with self.engine.begin() as conn:
            _hold_writes(conn)  # before the first write: see _hold_writes
            a, b = _as_held(conn, a, keep), _as_held(conn, b, other)
            conn.execute(overrides.delete().where(
                (overrides.c.action == "merge") & (overrides.c.target == b.key)
                & (overrides.c.other == a.key)))
            conn.execute(overrides.delete().where(
                (overrides.c.action == "merge") & (overrides.c.target == a.key)
                & (overrides.c.other == b.key)))
            # merging back what was split off ``keep`` undoes that split
            back = conn.execute(select(doc_speakers.c.name, documents.c.sha256).join(
                documents, documents.c.id == doc_speakers.c.document_id).where(
                doc_speakers.c.speaker_id == b.id)).all()
            undone = {names.fold(n) for n, _ in back} | {f"doc:{h}" for _, h in back}
            conn.execute(overrides.delete().where(
                (overrides.c.action == "split") & (overrides.c.target == a.key)
                & overrides.c.other.in_(sorted(undone))))
            conn.execute(insert(overrides).values(action="merge", target=a.key, other=b.key,
                                                  created=_now()))
            self._relink(conn)
        return self._speaker(a.id)

    def split(self, speaker: str | int, alias: str | None = None, *,
              document: str | int | None = None) -> SpeakerRow:
        """Move the mentions named ``alias``, or those in one ``document``, out of
        ``speaker`` into a speaker of their own; kept across re-ingests.

        By document: one article's mentions leave a cross-document group (a title
        group, an attached surname, a merge) even when every mention has the same
        name ("Obama"). The decision is stored by the document's text hash, like a
        correction, so it holds when the text is ingested again.
        """
        if (alias is None or not alias.strip()) == (document is None):
            raise CorpusError("split by a name (alias) or by a document, one of the two")
        row = self._speaker(speaker)
        with self.engine.begin() as conn:
            _hold_writes(conn)
            row = _as_held(conn, row, speaker)
            mentions = conn.execute(select(
                doc_speakers.c.id, doc_speakers.c.name, documents.c.sha256, documents.c.id
            ).join(documents, documents.c.id == doc_speakers.c.document_id).where(
                doc_speakers.c.speaker_id == row.id)).all()
            mention_names = {n for _, n, _, _ in mentions}
            if document is not None:
                doc_id, sha = self._document_ref(conn, document)
                wanted = {f"doc:{sha}"}
                moved = [i for i, _n, h, _d in mentions if h == sha]
                if not moved:
                    docs = sorted({d for *_, d in mentions})
                    raise CorpusError(
                        f"{row.name!r} has no mentions in document {doc_id}; its documents: "
                        f"{', '.join(map(str, docs[:20]))}{' ...' if len(docs) > 20 else ''}")
                what = f"in document {doc_id}"
            else:
                assert alias is not None
                folded = names.fold(alias)
                # an alias as written ("Mr. Kelly") names the mentions it was written for
                written = {names.fold(n) for (n,) in conn.execute(
                    select(doc_speakers.c.name).join(
                        attributions, attributions.c.doc_speaker_id == doc_speakers.c.id).where(
                        doc_speakers.c.speaker_id == row.id,
                        attributions.c.source_text.is_not(None),
                        func.lower(attributions.c.source_text) == alias.strip().lower()))}
                wanted = ({folded} & {names.fold(n) for n in mention_names}) or written
                moved = [i for i, n, _h, _d in mentions if names.fold(n) in wanted]
                if not moved:
                    raise CorpusError(f"{row.name!r} has no mentions named {alias!r}; "
                                      f"names: {', '.join(sorted(mention_names))}")
                what = f"named {alias!r}"
            if len(moved) == len(mentions):
                raise CorpusError(f"every mention of {row.name!r} is {what}: "
                                  "nothing to split off")
            # splitting off by name just what merges brought in undoes those merges (as
            # merging back undoes a split): the speaker's decisions then list neither
            merged_in = set(conn.execute(select(overrides.c.other).where(
                overrides.c.action == "merge", overrides.c.target == row.key)).scalars())
            natural = dict(conn.execute(select(doc_speakers.c.id, doc_speakers.c.natural_key)
                                        .where(doc_speakers.c.speaker_id == row.id)).all())
            undone = {natural[i] for i in moved}
            if document is None and undone <= merged_in \
                    and {i for i, k in natural.items() if k in undone} == set(moved):
                conn.execute(overrides.delete().where(
                    overrides.c.action == "merge", overrides.c.target == row.key,
                    overrides.c.other.in_(sorted(undone))))
                wanted = set()
            for each in sorted(wanted):
                conn.execute(overrides.delete().where(
                    (overrides.c.action == "split") & (overrides.c.target == row.key)
                    & (overrides.c.other == each)))
                conn.execute(insert(overrides).values(action="split", target=row.key,
                                                      other=each, created=_now()))
            self._relink(conn)
            new_id = conn.execute(select(doc_speakers.c.speaker_id).where(
                doc_speakers.c.id == moved[0])).scalar_one()
        return self._speaker(new_id)

    def _document_ref(self, conn: Connection, ref: str | int) -> tuple[int, str]:
        """(id, text hash) of a document given by id or by its name; a clear error else."""
        text_ref = str(ref).strip()
        cond = documents.c.id == int(text_ref) if text_ref.isdigit() \
            else documents.c.name == text_ref
        found = conn.execute(select(documents.c.id, documents.c.sha256).where(cond)
                             .limit(2)).all()
        if not found:
            raise CorpusError(f"no document {text_ref!r} (give its id or its name)")
        if len(found) > 1:
            raise CorpusError(f"document name {text_ref!r} is not unique: give its id")
        return int(found[0][0]), str(found[0][1])

    def rename(self, speaker: str | int, name: str) -> SpeakerRow:
        """Give a speaker the display name ``name``; kept across re-ingests and merges into it."""
        row = self._speaker(speaker)
        name = " ".join(name.split())
        if not name:
            raise CorpusError("a speaker's name cannot be empty")
        if len(name) > 300:
            raise CorpusError("a speaker's name is at most 300 characters")
        with self.engine.begin() as conn:
            _hold_writes(conn)
            row = _as_held(conn, row, speaker)
            conn.execute(overrides.delete().where(
                (overrides.c.action == "rename") & (overrides.c.target == row.key)))
            conn.execute(insert(overrides).values(action="rename", target=row.key, other=name,
                                                  created=_now()))
            self._refresh_names(conn, _Overrides.load(conn))
        return self._speaker(row.id)

    def overrides(self) -> list[dict[str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(overrides.c.action, overrides.c.target,
                                       overrides.c.other, overrides.c.created)
                                .order_by(overrides.c.id))
            return [dict(r._mapping) for r in rows]

    # --- queries ------------------------------------------------------------

    def speakers(self, *, kind: str | None = None, limit: int | None = None,
                 min_count: int = 1) -> list[SpeakerRow]:
        """Speakers by number of statements (most quoted first), with aliases and dates.

        A statement of several speakers ("X and Y said") counts for each of them.
        """
        with self.engine.connect() as conn:
            stats = speaker_stats().group_by(doc_speakers.c.speaker_id).subquery()
            n, docs = func.coalesce(stats.c.n, 0), func.coalesce(stats.c.docs, 0)
            query = select(speakers_t, n.label("n"), docs.label("docs"), stats.c.first,
                           stats.c.last).outerjoin(stats, stats.c.sid == speakers_t.c.id
                                                   ).where(n >= min_count)
            if kind:
                query = query.where(speakers_t.c.kind == kind)
            query = query.order_by(n.desc(), speakers_t.c.name, speakers_t.c.id)
            if limit:
                query = query.limit(limit)
            rows = conn.execute(query).all()
            details = self._details(conn, [r.id for r in rows])
        return [_speaker_row(r, details.get(r.id)) for r in rows]

    def _details(self, conn: Connection, ids: list[int]) -> dict[int, dict[str, Counter[str]]]:
        """Names, surface forms, titles and roles of each speaker's mentions.

        Aliases are names as written ("Mr. Obama"), never phrases: a source
        naming several speakers or a description is no alias of either.
        Names, titles and roles are counted by mentions (documents). The
        grouping runs in SQL, over a covering index for the mentions: the most
        quoted speakers of a large corpus have thousands of mentions and tens
        of thousands of statements, and Python only sees the distinct names and
        surface forms. The result is kept in memory until the corpus changes
        (:meth:`version`), so pages pay this once per speaker and change.
        """
        version = corpus_version(conn)
        cache = _DETAILS.get(self.url)
        if cache is None or cache[0] != version or len(cache[1]) > 20_000:
            cache = (version, {})
            _DETAILS[self.url] = cache
        known = cache[1]
        missing = [i for i in dict.fromkeys(ids) if i not in known]
        alias = functools.lru_cache(maxsize=None)(names.is_name_alias)
        fresh: dict[int, dict[str, Counter[str]]] = {
            i: {"names": Counter(), "aliases": Counter(), "titles": Counter(),
                "roles": Counter()} for i in missing}
        for chunk in _chunks(missing, 500):
            keys = (doc_speakers.c.speaker_id, doc_speakers.c.name, doc_speakers.c.title,
                    doc_speakers.c.role)
            for sid, name, title, role, n in conn.execute(
                    select(*keys, func.count()).where(doc_speakers.c.speaker_id.in_(chunk))
                    .group_by(*keys).order_by(*keys)):
                d, n = fresh[sid], int(n)
                d["names"][name] += n
                if alias(name):
                    d["aliases"][name] += n
                if title:
                    d["titles"][title] += n
                if role and names.fold(role) != names.fold(name):  # "Paul X, Paul X": no role
                    d["roles"][role] += n
            # the active statements' surface forms (coalesce: a bare flag test can send
            # SQLite to an index on the flag)
            # a corrected statement keeps the source as written ("Lindqvist" said it, the
            # user says Rosa Feld did): that surface is her alias only if it names her
            corrected = attributions.c.correction_id.is_not(None)
            surfaces = (select(doc_speakers.c.speaker_id, attributions.c.source_text,
                               corrected, func.count())
                        .select_from(doc_speakers.join(
                            statement_speakers,
                            statement_speakers.c.doc_speaker_id == doc_speakers.c.id).join(
                            attributions,
                            attributions.c.id == statement_speakers.c.attribution_id))
                        .where(doc_speakers.c.speaker_id.in_(chunk),
                               attributions.c.source_text.is_not(None),
                               attributions.c.resolved_from.is_(None),
                               func.coalesce(attributions.c.active, False))
                        .group_by(doc_speakers.c.speaker_id, attributions.c.source_text,
                                  corrected))
            for sid, surface, fixed, n in conn.execute(surfaces):
                if surface.lower() in PRONOUNS or not alias(surface):
                    continue
                if fixed and not _names_share_a_word(surface, fresh[sid]["names"]):
                    continue
                fresh[sid]["aliases"][surface] += int(n)
            # a mention whose every statement a correction gave someone else ("Mr. Harmon"
            # said it, the user says Linda Harmon did) names its speaker no more: its
            # name, title and role leave the lists (only corrected documents have such)
            for sid, name, title, role, n in conn.execute(_dead_mentions(chunk)):
                d = fresh[sid]
                for counter, value in ((d["aliases"], name), (d["titles"], title),
                                       (d["roles"], role)):
                    if value and counter.get(value):
                        counter[value] -= int(n)
                        if counter[value] <= 0:
                            del counter[value]
        known.update(fresh)
        return {i: known[i] for i in ids if known[i]["names"]}

    def find_speaker(self, query: str | int) -> SpeakerRow:
        """A speaker by id, key, name or alias (case-insensitive); ambiguity is an error."""
        query = str(query).strip()
        if query.isdigit():  # by id: one row, not the whole speaker list
            row = self.speaker_by_id(int(query))  # type: ignore[attr-defined]
            if row is None and (moved := self.moved_speaker(int(query))) is not None:
                row = self.speaker_by_id(moved)  # merged into another: that one now
            if row is not None:
                return row
        everyone = self.speakers(min_count=0)
        folded = names.fold(query)
        as_person = names.full_name_key(names.name_tokens(query))
        for pick in (lambda s: s.key == query,
                     lambda s: names.fold(s.name) == folded,
                     lambda s: folded in {names.fold(a) for a in s.aliases},
                     # "Donald Trump" finds the speaker shown as "Donald J. Trump"
                     lambda s: s.key == as_person and " " in as_person):
            hits = [s for s in everyone if pick(s)]
            if len(hits) == 1:
                return hits[0]
            if len(hits) > 1:
                listed = "; ".join(f"{s.id} {s.name} ({s.kind}, {s.count})" for s in hits[:10])
                raise CorpusError(f"{query!r} names {len(hits)} speakers: {listed}; "
                                  "use the id")
        if query.isdigit() and self.speaker_gone(int(query)):
            raise CorpusError(f"speaker {query} is no longer in the corpus: the documents "
                              "that named it were deleted")
        close = process.extract(query, {s.id: s.name for s in everyone}, limit=3,
                                score_cutoff=60)
        hint = f"; did you mean {', '.join(repr(c[0]) for c in close)}?" if close else ""
        raise CorpusError(f"no speaker {query!r}{hint}")

    def _statements(self) -> Any:
        """Active statements with their document; speakers are added by :meth:`_with_speakers`."""
        return select(
            attributions.c.id.label("attribution_id"), documents.c.published,
            documents.c.name.label("document"), documents.c.title, documents.c.outlet,
            documents.c.url, attributions.c.source_text.label("source"),
            attributions.c.cue_text.label("cue"), attributions.c.content_text.label("content"),
            attributions.c.type, attributions.c.confidence,
            # a user's correction made this row: pages mark it, exports carry it
            attributions.c.correction_id.is_not(None).label("corrected"),
        ).select_from(attributions.join(documents, documents.c.id == attributions.c.document_id)
                      ).where(attributions.c.active)

    def _with_speakers(self, conn: Connection, rows: Iterable[Any],
                       first: int | None = None) -> list[dict[str, Any]]:
        """Statement rows as dicts with their speakers: ``speaker_id``/``speaker`` (the
        first, or ``first``) and ``speaker_ids``/``speakers`` (all, for "X and Y said")."""
        out = [dict(r._mapping) for r in rows]
        linked: dict[int, dict[int, str]] = defaultdict(dict)
        ids = [r["attribution_id"] for r in out]
        for chunk in _chunks(ids, 500):
            for att, sid, name in conn.execute(select(
                    statement_speakers.c.attribution_id, speakers_t.c.id,
                    func.coalesce(speakers_t.c.custom_name, speakers_t.c.name),
            ).select_from(statement_speakers.join(
                doc_speakers, doc_speakers.c.id == statement_speakers.c.doc_speaker_id).join(
                speakers_t, speakers_t.c.id == doc_speakers.c.speaker_id)).where(
                    statement_speakers.c.attribution_id.in_(chunk)
            ).order_by(statement_speakers.c.attribution_id, statement_speakers.c.doc_speaker_id)):
                linked[att][sid] = name
        result = []
        for row in out:
            who = linked.get(row["attribution_id"], {})
            order = sorted(who, key=lambda i: i != first)
            lead = order[0] if order else None
            shaped: dict[str, Any] = {}
            for col, value in row.items():
                if col == "source":
                    shaped["speaker_id"] = lead
                    shaped["speaker"] = who[lead] if lead is not None else None
                shaped[col] = value
            shaped["speaker_ids"] = order
            shaped["speakers"] = [who[i] for i in order]
            result.append(shaped)
        return result

    def statements_of(self, speaker_id: int) -> Any:
        """The ids of a corpus speaker's statements (a subquery; callers keep the active).

        Those linked to it, and those whose source is one of its mentions: a
        group source ("A and B said") links its statement to each member, not
        to the group, and the group's own page must still list what it said.
        """
        linked = select(statement_speakers.c.attribution_id).join(
            doc_speakers, doc_speakers.c.id == statement_speakers.c.doc_speaker_id).where(
            doc_speakers.c.speaker_id == speaker_id)
        sourced = select(attributions.c.id).join(
            doc_speakers, doc_speakers.c.id == attributions.c.doc_speaker_id).where(
            doc_speakers.c.speaker_id == speaker_id)
        return union(linked, sourced)

    def said(self, speaker: str | int, *, limit: int | None = None) -> list[dict[str, Any]]:
        """Everything one speaker said, oldest first (undated documents last)."""
        row = self.find_speaker(speaker)
        query = self._statements().where(attributions.c.id.in_(self.statements_of(row.id))
                                         ).order_by(
            documents.c.published.is_(None), documents.c.published, documents.c.id,
            attributions.c.position, attributions.c.id)
        if limit:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return self._with_speakers(conn, conn.execute(query), first=row.id)

    def search(self, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search over attribution content, best match first (stemmed, all terms)."""
        terms = re.findall(r"\w+", query)
        if not terms:
            return []
        base = self._statements()
        if self.dialect == "sqlite":
            match = " ".join('"' + t.replace('"', "") + '"' for t in terms)
            fts = text("SELECT rowid AS id, bm25(attribution_fts) AS score FROM attribution_fts "
                       "WHERE attribution_fts MATCH :q").columns(
                       column("id", Integer), column("score", Float)).subquery()
            stmt = base.add_columns((-fts.c.score).label("score")).join(
                fts, fts.c.id == attributions.c.id).order_by(fts.c.score, attributions.c.id)
            params = {"q": match}
        else:
            tsq = func.plainto_tsquery("english", " ".join(terms))
            tsv = text("attributions.content_tsv")
            stmt = base.add_columns(func.ts_rank(tsv, tsq).label("score")).where(
                text("attributions.content_tsv @@ plainto_tsquery('english', :q)")
            ).order_by(func.ts_rank(tsv, tsq).desc(), attributions.c.id)
            params = {"q": " ".join(terms)}
        with self.engine.connect() as conn:
            return self._with_speakers(conn, conn.execute(stmt.limit(limit), params))

    def statements(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        """Statement rows by attribution id (for semantic search results)."""
        out: dict[int, dict[str, Any]] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(ids, 500):
                rows = conn.execute(self._statements().where(attributions.c.id.in_(chunk)))
                out.update({r["attribution_id"]: r for r in self._with_speakers(conn, rows)})
        return out

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            out = {t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
                   for t in (documents, speakers_t, citations)}
            out["attributions"] = int(conn.execute(select(func.count()).select_from(
                attributions).where(attributions.c.active)).scalar_one())
            return {k: out[k] for k in ("documents", "attributions", "speakers", "citations")}

    def sourcing_profiles(self, *, outlet: str | None = None) -> dict[str, Any]:
        """Sourcing profile (``whosaid.assess``) per outlet, from the stored rows.

        Specificity is recomputed from each source's words and speaker kind (the
        parse is not stored); documents without an outlet are under "(none)".
        """
        from whosaid.assess import outlet_profiles

        att_q = (select(documents.c.id, documents.c.outlet, attributions.c.source_text,
                        attributions.c.cue_text, doc_speakers.c.kind, doc_speakers.c.named,
                        attributions.c.specificity, attributions.c.stance)
                 .select_from(attributions.join(documents,
                                                (attributions.c.document_id == documents.c.id)
                                                & attributions.c.active)
                              .outerjoin(doc_speakers,
                                         attributions.c.doc_speaker_id == doc_speakers.c.id)))
        cit_q = (select(documents.c.id, documents.c.outlet, citations.c.label,
                        citations.c.kind, citations.c.reference)
                 .select_from(citations.join(documents,
                                             citations.c.document_id == documents.c.id)))
        doc_q = select(documents.c.id, documents.c.outlet, documents.c.profile)
        if outlet is not None:
            att_q, cit_q, doc_q = (q.where(documents.c.outlet == outlet)
                                   for q in (att_q, cit_q, doc_q))
        with self.engine.connect() as conn:
            return outlet_profiles(conn.execute(doc_q).all(), conn.execute(att_q).all(),
                                   conn.execute(cit_q).all())

    # --- embeddings (vectors are computed by whosaid.search) -------------------

    def unembedded(self, model: str, *, min_words: int = 1) -> list[tuple[int, str]]:
        """(id, content) of attributions with content and no vector from ``model`` yet."""
        with self.engine.connect() as conn:
            have = select(embeddings.c.attribution_id).where(embeddings.c.model == model)
            rows = conn.execute(select(attributions.c.id, attributions.c.content_text).where(
                attributions.c.content_text.is_not(None), attributions.c.id.not_in(have),
                attributions.c.active,
            ).order_by(attributions.c.id))
            return [(i, c) for i, c in rows if len(c.split()) >= min_words]

    def save_embeddings(self, model: str, vectors: list[tuple[int, bytes]]) -> None:
        """Store (or replace) vectors; an upsert, because two ingest processes may embed
        the same new attributions at once (a delete then insert raced on PostgreSQL)."""
        if not vectors:
            return
        with self.engine.begin() as conn:
            upsert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(embeddings)
            conn.execute(upsert.on_conflict_do_update(
                index_elements=[embeddings.c.attribution_id],
                set_={"model": upsert.excluded.model, "vector": upsert.excluded.vector}), [
                {"attribution_id": i, "model": model, "vector": v} for i, v in vectors])

    def load_embeddings(self, model: str) -> Iterator[tuple[int, str | None, int, bytes]]:
        """(attribution id, published, document id, vector) in order of first appearance."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(
                embeddings.c.attribution_id, documents.c.published, documents.c.id,
                embeddings.c.vector,
            ).select_from(embeddings.join(
                attributions, attributions.c.id == embeddings.c.attribution_id).join(
                documents, documents.c.id == attributions.c.document_id)
            ).where(embeddings.c.model == model, attributions.c.active).order_by(
                documents.c.published.is_(None), documents.c.published, documents.c.id,
                attributions.c.position))
            for row in rows:
                yield int(row[0]), row[1], int(row[2]), bytes(row[3])


# _details: corpus URL -> (corpus version, speaker id -> details); cleared when it moves
_DETAILS: dict[str, tuple[tuple[str, int], dict[int, dict[str, Counter[str]]]]] = {}


class _MentionRow(NamedTuple):
    """A document speaker as the speaker pass reads it (plain tuple: fast attributes)."""

    id: int
    name: str
    kind: str
    named: bool
    title: str | None
    role: str | None
    evidence: str | None
    natural_key: str
    speaker_id: int
    sha256: str
    origin: str | None  # "correction": a speaker only a user's correction names


class _Overrides:
    """User merges, splits and renames, applied to a mention's key."""

    def __init__(self, merges: dict[str, str], splits: set[tuple[str, str]],
                 renames: dict[str, str] | None = None) -> None:
        self.merges, self.splits = merges, splits
        self.renames = renames or {}

    @classmethod
    def load(cls, conn: Connection) -> _Overrides:
        merges: dict[str, str] = {}
        splits: set[tuple[str, str]] = set()
        renames: dict[str, str] = {}
        for action, target, other in conn.execute(select(
                overrides.c.action, overrides.c.target, overrides.c.other
        ).order_by(overrides.c.id)):
            if action == "merge":
                merges[other] = target
                merges.pop(target, None)  # a later merge the other way round wins
            elif action == "rename":
                renames[target] = other
            else:
                splits.add((target, other))
        return cls(merges, splits, renames)

    def _follow(self, key: str) -> str:
        seen = {key}
        while key in self.merges and self.merges[key] not in seen:
            key = self.merges[key]
            seen.add(key)
        return key

    def apply(self, key: str, name: str, *, base: str | None = None,
              document: str | None = None) -> str:
        """The key a mention ends under. ``base`` is its key before the corpus pass
        attached it: a user decision about that key wins over the automatic one.
        ``document`` is its document's text hash: a split by document takes it."""
        natural = key
        if base is not None and base != key and base in self.merges:
            natural = base
        key = self._follow(natural)
        if document is not None and (key, f"doc:{document}") in self.splits:
            # one article carved out of a group: its own document-level key
            if base is not None and base != key:
                return base
            return natural if natural != key else f"{key}#split:doc:{document[:16]}"
        alias = names.fold(name)
        if (key, alias) in self.splits:
            # undo a user merge, or carve an automatic one into its own speaker
            if base is not None and base != key:
                return base
            return natural if natural != key else f"{key}#split:{alias}"
        return key


def _remap_overrides(conn: Connection, old: set[str], made: set[str],
                     moved: list[tuple[str, str, str]]) -> None:
    """Carry overrides stored under keys no mention has any more to the mentions' new key.

    ``moved`` holds (old natural key, new natural key, new document-level key)
    per mention. A speaker kept by a merge moves to its mentions' natural key;
    a speaker folded in moves by its mentions' own key, so the merge still takes
    just those mentions and not the person they are now attached to. Only a key
    whose mentions all moved to one new key is carried: an upgrade of the key
    policy loses no user decision and invents none.
    """
    targets: dict[str, set[str]] = defaultdict(set)
    others: dict[str, set[str]] = defaultdict(set)
    for before, after, own in moved:
        targets[before].add(after)
        others[before].add(own)
    stale = {k for k in old if k not in made}
    if not stale:
        return
    rows = conn.execute(select(overrides.c.id, overrides.c.action, overrides.c.target,
                               overrides.c.other)).all()
    have = {(r.action, r.target, r.other) for r in rows}
    for row in rows:
        target, other = row.target, row.other
        if target in stale and len(targets.get(target, ())) == 1:
            target = next(iter(targets[target]))
        if row.action == "merge" and other in stale and len(others.get(other, ())) == 1:
            other = next(iter(others[other]))
        if (target, other) == (row.target, row.other):
            continue
        if (row.action, target, other) in have or (row.action == "merge" and target == other):
            conn.execute(overrides.delete().where(overrides.c.id == row.id))
        else:
            conn.execute(update(overrides).where(overrides.c.id == row.id)
                         .values(target=target, other=other))
            have.add((row.action, target, other))


def _dead_mentions(speaker_ids: list[int]) -> Select[Any]:
    """(speaker, name, title, role, count) of the mentions in corrected documents that no
    active statement links to or comes from: corrections took all their statements."""
    corrected = select(documents.c.id).where(documents.c.sha256.in_(
        select(corrections.c.document_sha256)))
    # correlated, so each test reads only the mention's own rows (indexed)
    linked = select(statement_speakers.c.doc_speaker_id).join(
        attributions, attributions.c.id == statement_speakers.c.attribution_id).where(
        statement_speakers.c.doc_speaker_id == doc_speakers.c.id,
        func.coalesce(attributions.c.active, False))
    sourced = select(attributions.c.id).where(
        attributions.c.doc_speaker_id == doc_speakers.c.id,
        func.coalesce(attributions.c.active, False))
    keys = (doc_speakers.c.speaker_id, doc_speakers.c.name, doc_speakers.c.title,
            doc_speakers.c.role)
    return select(*keys, func.count()).where(
        doc_speakers.c.speaker_id.in_(speaker_ids),
        doc_speakers.c.document_id.in_(corrected),
        ~linked.exists(), ~sourced.exists()).group_by(*keys)


def _names_share_a_word(surface: str, mention_names: Iterable[str]) -> bool:
    """Whether a source as written names the same as one of a speaker's mention names
    (titles aside): "Mr. Harmon" is no alias of the "Linda Harmon" a user typed."""
    tokens = names.name_tokens(surface)
    return bool(tokens) and any(names.name_tokens(n) == tokens for n in mention_names)


def best_name(key: str, counts: Counter[str], fallback: str,
              spelled: Counter[str] | None = None) -> str:
    """A speaker's display name: the most used name, for a person the most used full name.

    ``spelled`` are full names the texts give for the person (co-occurrence
    evidence), used when no mention names the person in full; failing those,
    a full-name ``fallback`` (the stored name) is kept.
    """
    name = fallback
    base = key.split("#", 1)[0]
    if key.startswith("person:") and not any(len(names.name_tokens(n)) >= 2 for n in counts):
        known = Counter({n: c for n, c in (spelled or Counter()).items()
                         if names.full_name_key(names.name_tokens(n)) == base})
        if known:
            return max(known, key=lambda n: (known[n], n))
        if len(names.name_tokens(fallback)) >= 2:
            return fallback
    if "@title:" in key and counts:
        # a bare surname joined across documents by its title: its most written name,
        # without the title ("Obama", not "President Obama, dedicating")
        bare: Counter[str] = Counter()
        for n, c in counts.items():
            if names.is_name_alias(n):
                bare[names.person_name(n)] += c
        if bare:
            return max(bare.items(), key=lambda kv: (kv[1], kv[0]))[0]
    if counts and not key.startswith("person?:"):
        # the most used name, fuller names first on ties ("Jens Stoltenberg")
        name = max(counts.items(), key=lambda kv: (kv[1], len(kv[0]), kv[0]))[0]
    if key.startswith("person:"):
        full = Counter()
        for n, c in counts.items():
            if len(names.name_tokens(n)) >= 2 and names.is_name_alias(n):
                full[names.person_name(n)] += c
        # after a user merge, the kept speaker's own spelling names the result
        own = [n for n in full if names.full_name_key(names.name_tokens(n)) == base]
        if own or full:
            name = max(own or full, key=lambda n: (full[n], len(n), n))
    return name


def _refresh_evidence(conn: Connection, rows: list[_MentionRow],
                      mentions: dict[int, names.Mention], stale: set[int]) -> None:
    """Evidence stored by an older whosaid, read again from the texts.

    Rows stored before the titles in front of a bare surname were kept have no
    ``titles`` in their evidence; rows whose evidence was read by older rules
    (``stale``: before generational suffixes were kept with a full name, before
    the one headline rule) may name the wrong people. The speaker pass itself
    upgrades them, once (the result is saved, with the rules' version), reading
    the texts of only those documents.
    """
    missing = [r for r in rows if (r.id in stale and r.named) or (
        mentions[r.id].titles is None and names.bare_surname(mentions[r.id]) is not None)]
    if not missing:
        return
    texts: dict[str, str] = {}
    wanted = sorted({r.sha256 for r in missing})
    for chunk in range(0, len(wanted), 500):
        texts.update(conn.execute(select(documents.c.sha256, documents.c.text).where(
            documents.c.sha256.in_(wanted[chunk:chunk + 500]))).all())
    # one statement, executed for every row (executemany): not a round trip per row
    conn.execute(update(doc_speakers).where(doc_speakers.c.id == bindparam("row_id")).values(
        evidence=bindparam("row_evidence")), [
        {"row_id": r.id, "row_evidence": _evidence_json(
            names.read_evidence(texts.get(r.sha256, ""), mentions[r.id]))}
        for r in missing])


def _evidence_json(m: names.Mention) -> str:
    """``doc_speakers.evidence``: the full names with the surname, the name's words the
    text also writes in lowercase, and for a bare surname the titles the text writes
    before it (a list of names in databases before v3; no titles before they were kept)."""
    value: dict[str, Any] = {"names": m.evidence, "common": m.common,
                             "rules": names.EVIDENCE_RULES}
    if m.titles is not None:
        value["titles"] = m.titles
    return json.dumps(value)


def _evidence_parts(stored: str | None
                    ) -> tuple[list[str], list[str], list[str] | None, int]:
    """(full names, common words, titles or None when they were never looked for, the
    version of the rules that read them: 0 before versions were kept)."""
    value = json.loads(stored or "[]")
    if isinstance(value, dict):
        titles = value.get("titles")
        return (list(value.get("names", [])), list(value.get("common", [])),
                None if titles is None else list(titles), int(value.get("rules", 0)))
    return list(value), [], None, 0


def _kept_ids(rows: list[_MentionRow], final: dict[int, str], current: dict[str, int],
              id_to_key: dict[int, str]) -> list[tuple[int, str, _MentionRow]]:
    """(speaker id, new key, a mention) for each speaker the pass re-keys in place.

    A new key takes over the id of a speaker whose key the pass no longer
    makes, the one most of its mentions come from (most mentions first, then
    the lower id), so a person keeps its page, links and bookmarks when an
    article is deleted, ingested again or corrected: "Jonas Petersen" of two
    spellings becomes "Jonas Pettersen", a title group of two articles becomes
    the key of the one article left. Deterministic: the same corpus, the same ids.
    """
    wanted = set(final.values())
    votes: Counter[tuple[str, int]] = Counter()
    sample: dict[str, _MentionRow] = {}
    for r in rows:
        key, old = final[r.id], id_to_key.get(r.speaker_id)
        if key not in current and old is not None and old not in wanted:
            votes[(key, r.speaker_id)] += 1
            sample.setdefault(key, r)
    out: list[tuple[int, str, _MentionRow]] = []
    keys: set[str] = set()
    ids: set[int] = set()
    for (key, sid), _n in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0][1], kv[0][0])):
        if key not in keys and sid not in ids:
            keys.add(key)
            ids.add(sid)
            out.append((sid, key, sample[key]))
    return out


def _key_columns(key: str, mention: names.Mention) -> dict[str, Any]:
    """The speaker columns its key decides: kind, and the surname of a person key."""
    surname = names.surname_of_key(key) if key.startswith(("person:", "person?:")) else None
    return {"kind": _kind_of_key(key, mention.kind), "surname": surname}


def _as_held(conn: Connection, row: SpeakerRow, ref: str | int) -> SpeakerRow:
    """``row`` (looked up before the write lock) as it stands now that the lock is
    held: a speaker pass that committed in between may have re-keyed the speaker in
    place (its key is read again, since overrides are stored by key) or dropped it
    (an error: acting on it would store a decision about no one)."""
    key = conn.execute(select(speakers_t.c.key).where(speakers_t.c.id == row.id)).scalar()
    if key is None:
        raise CorpusError(f"speaker {ref!r} changed while this was asked (a speaker pass "
                          "ran meanwhile): look it up again")
    return row if key == row.key else replace(row, key=str(key))


def _retryable(exc: OperationalError) -> bool:
    """True when the database rolled the transaction back for a deadlock or a
    serialisation failure, which a new try of the same transaction can get past."""
    return getattr(exc.orig, "sqlstate", None) in RETRYABLE_SQLSTATES


def _hold_writes(conn: Connection, *, shared: bool = False) -> None:
    """Take the corpus's write lock for the rest of the transaction; call it first.

    A speaker pass reads the whole corpus and writes what it computed from it, so
    a second writer (a web merge, a CLI ingest's pass) that commits in between
    makes it write from a stale reading: one pass would undo the other's merge,
    link mentions to a speaker the other deleted, or add a speaker the other just
    added. SQLite: the write lock now (BEGIN IMMEDIATE; pysqlite would begin the
    transaction only at the first write, after the reads). PostgreSQL, where
    READ COMMITTED reads whatever committed last: a transaction-scoped advisory
    lock, exclusive for a pass, ``shared`` for storing or deleting a document
    (those may run side by side, never during a pass). Taken before any row is
    written, so a writer never holds rows another waits for while it waits. Two
    document stores (both shared) may still wait for each other's new speaker
    keys: each creates its speakers in key order, so neither waits in a cycle, and
    a deadlock PostgreSQL detects all the same makes :meth:`Corpus.store_document`
    try again.
    """
    if conn.dialect.name == "postgresql":
        take = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        conn.execute(select(getattr(func, take)(SPEAKER_LOCK)))
        return
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.dbapi_connection
    if raw is not None and not raw.in_transaction:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _insert_new_speaker(conn: Connection, values: dict[str, Any],
                        speaker_id: int | None = None, *, shared: bool = True) -> int | None:
    """Insert a speaker under ``speaker_id`` or an id no speaker ever had; returns
    the id, or None when another writer holds the key (or the id) already.

    New ids: PostgreSQL the column's sequence. SQLite one above every id in
    ``speakers`` and ``speaker_keys``, computed inside the INSERT, which holds the
    write lock while it reads them: two writers (a web merge and a CLI ingest)
    cannot both pick the same id, as they could with a read before the INSERT
    (pysqlite begins the transaction only at the first write). ON CONFLICT DO
    NOTHING: on PostgreSQL two ingests (which may run side by side) can both
    first see one key; the second one's insert waits for the first to commit
    and then adds nothing, where a plain INSERT would fail its whole document.
    Only there: SQLite has one writer at a time, and a speaker pass (``shared``
    False) holds the corpus alone on both, so a conflict there is a bug in the
    caller's lookup and raises IntegrityError rather than taking another speaker.
    """
    upsert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    stmt = upsert(speakers_t).values(**values)
    if speaker_id is not None:
        stmt = stmt.values(id=speaker_id)
    elif conn.dialect.name == "sqlite":
        top = func.max(func.coalesce(select(func.max(speakers_t.c.id)).scalar_subquery(), 0),
                       func.coalesce(select(func.max(speaker_keys.c.speaker_id))
                                     .scalar_subquery(), 0))
        stmt = stmt.values(id=top + 1)
    if shared and conn.dialect.name == "postgresql":
        stmt = stmt.on_conflict_do_nothing()
    got = conn.execute(stmt.returning(speakers_t.c.id)).first()
    return None if got is None else int(got[0])


def _remember_key(conn: Connection, key: str, speaker_id: int, *, reused: bool) -> None:
    """Record that ``speaker_id`` has ``key`` now (an upsert: two writers that first
    see one key do not collide on its primary key). ``reused``: the id was held
    before, so its other keys stop leading elsewhere."""
    upsert = (pg_insert if conn.dialect.name == "postgresql" else sqlite_insert)(speaker_keys)
    conn.execute(upsert.values(key=key, speaker_id=speaker_id).on_conflict_do_update(
        index_elements=[speaker_keys.c.key],
        set_={"speaker_id": speaker_id, "moved_to": None}))
    if reused:
        conn.execute(update(speaker_keys).where(speaker_keys.c.speaker_id == speaker_id,
                                                speaker_keys.c.moved_to.is_not(None))
                     .values(moved_to=None))


def _kind_of_key(key: str, fallback: SpeakerKind) -> str:
    prefix = key.split(":", 1)[0].rstrip("?")
    try:
        return SpeakerKind(prefix).value
    except ValueError:
        return fallback.value


def speaker_stats(speaker_id: int | None = None) -> Select[Any]:
    """Statements, documents and date range per speaker, before grouping.

    Callers add their filters (outlet, dates) and then group by speaker, so the
    speaker list and the filtered web directory count the same way. With
    ``speaker_id`` it is one speaker's totals, ungrouped (zero counts when the
    speaker has no statements).
    """
    totals = (
        # distinct: two members of one statement may be one speaker after a merge
        func.count(func.distinct(attributions.c.id)).label("n"),
        func.count(func.distinct(attributions.c.document_id)).label("docs"),
        func.min(documents.c.published).label("first"),
        func.max(documents.c.published).label("last"),
    )
    columns = totals if speaker_id is not None else (
        doc_speakers.c.speaker_id.label("sid"), *totals)
    # through the statement's links, so "X and Y said" counts for X and for Y, and
    # only active rows: what the user corrected away is not counted
    query = select(*columns).select_from(attributions.join(
        statement_speakers, statement_speakers.c.attribution_id == attributions.c.id).join(
        doc_speakers, statement_speakers.c.doc_speaker_id == doc_speakers.c.id).join(
        documents, (documents.c.id == attributions.c.document_id) & attributions.c.active))
    if speaker_id is not None:
        query = query.where(doc_speakers.c.speaker_id == speaker_id)
    return query


def _speaker_row(row: Any, details: dict[str, Counter[str]] | None) -> SpeakerRow:
    d = details or {"names": Counter(), "aliases": Counter(), "titles": Counter(),
                    "roles": Counter()}
    # the speaker pass stores the display name (best_name) with every change
    name = getattr(row, "custom_name", None) or row.name
    return SpeakerRow(
        id=row.id, name=name, kind=row.kind,
        aliases=sorted(a for a in d["aliases"] if a != name),
        titles=[t for t, _ in d["titles"].most_common()],
        roles=[r for r, _ in d["roles"].most_common()],
        count=int(row.n), documents=int(row.docs), first=row.first, last=row.last,
        key=row.key,
    )


def _source_class(att: Any) -> Any:
    """The source class of an attribution the pipeline did not assess (a correction's)."""
    from whosaid.assess import specificity

    return specificity(att)


def _chunks(items: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _analysed(pending: Iterator[tuple[str, Any]], model: str, batch_size: int,
              workers: int = 1) -> Iterator[tuple[str, Any, Document | None, str]]:
    """Run the pipeline over the fresh items, lazily, in input order.

    If the batched pipeline raises, the documents in flight are retried one at
    a time, so only the document that fails is reported and the rest stored.
    """
    from whosaid import pipeline
    from whosaid.extract.tagger import ModelMissingError

    queue: list[tuple[str, Any]] = []

    def feed() -> Iterator[tuple[str | None, str, dict[str, str]]]:
        for digest, item in pending:
            queue.append((digest, item))
            yield item.name, item.text, item.metadata

    def analyse(stream: Iterator[tuple[str | None, str, dict[str, str]]]) -> Iterator[Document]:
        if workers > 1:
            from whosaid.parallel import extract_parallel

            return extract_parallel(stream, workers, model=model)
        return pipeline.extract_many(stream, model=model, batch_size=batch_size)

    stream = feed()
    while True:
        try:
            for doc in analyse(stream):
                digest, item = queue.pop(0)
                yield digest, item, doc, ""
            return
        except ModelMissingError:
            raise
        except Exception:
            failed, queue[:] = list(queue), []
            for digest, item in failed:
                try:
                    doc = pipeline.extract(item.text, name=item.name, metadata=item.metadata,
                                           model=model)
                except Exception as exc:
                    yield digest, item, None, f"analysis failed: {exc}"
                else:
                    yield digest, item, doc, ""
