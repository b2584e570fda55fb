"""Sourcing commands: ``whosaid audit REPORT`` and ``whosaid profile``.

Registered onto :data:`whosaid.cli.app` (imported at the bottom of ``cli.py``).
``audit`` checks a report's citations against a folder of source documents
(:mod:`whosaid.audit`) and writes JSON or a readable HTML page; ``profile``
gives the sourcing profile (:mod:`whosaid.assess`) of files, or per outlet of
a corpus database. Exit codes: 0 success, 1 an unreadable input, 2 usage errors.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.text import Text

from whosaid.cli_common import app
from whosaid.cli_common import check_model as _check_model


class AuditFormat(StrEnum):
    JSON = "json"
    HTML = "html"


class ProfileFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


def _fail(message: str, code: int = 1) -> typer.Exit:
    Console(stderr=True).print(Text(f"error: {message}", style="red"), soft_wrap=True)
    return typer.Exit(code)


def _read(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{path}: {exc}") from None


@app.command()
def audit(
    report: Annotated[Path, typer.Argument(help="The report to audit (a text file, - for stdin).")],
    sources: Annotated[Path | None, typer.Option(
        "--sources", "-s", file_okay=False,
        help="Folder of candidate source documents (.txt, .md, .html).",
        show_default=False)] = None,
    fmt: Annotated[AuditFormat, typer.Option("--format", "-f", case_sensitive=False,
                                             help="json | html")] = AuditFormat.JSON,
    out: Annotated[Path | None, typer.Option("--out", "-o", dir_okay=False,
                                             help="Write to a file instead of stdout.",
                                             show_default=False)] = None,
    model: Annotated[str, typer.Option(help="Extraction model.")] = "fast",
) -> None:
    """Check each citation of REPORT: is it resolvable, and does its source back the claims?"""
    from whosaid.audit import audit as run_audit
    from whosaid.audit import load_sources, report_text, to_html
    from whosaid.pipeline import extract

    _check_model(model)
    # an HTML report keeps its links as [text](url), so they are citations
    text = report_text(_read(report), report.name)
    if not text.strip():
        raise _fail(f"{report}: the report is empty", 1)
    if sources is not None and not sources.is_dir():
        raise _fail(f"{sources}: not a folder", 2)
    try:
        srcs = load_sources(sources) if sources is not None else []
    except (OSError, ValueError) as exc:
        raise _fail(str(exc)) from None
    doc = extract(text, name=report.name, model=model)
    result = run_audit(doc, srcs)
    rendered = to_html(result, doc) if fmt is AuditFormat.HTML else \
        json.dumps(result, indent=2, ensure_ascii=False) + "\n"
    if out is not None:
        out.write_text(rendered, encoding="utf-8")
    else:
        sys.stdout.write(rendered)


@app.command()
def profile(
    ctx: typer.Context,
    inputs: Annotated[list[Path] | None, typer.Argument(
        help="Files or folders to profile (any input extract reads).", show_default=False)] = None,
    db: Annotated[str | None, typer.Option(
        "--db", envvar="WHOSAID_DB",
        help="Profile a corpus database per outlet instead ($WHOSAID_DB is used only when "
             "no files are given).",
        show_default=False)] = None,
    outlet: Annotated[str | None, typer.Option(help="With --db: only this outlet.",
                                               show_default=False)] = None,
    fmt: Annotated[ProfileFormat | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="table (default on a terminal) | json (default when piped)",
        show_default=False)] = None,
    model: Annotated[str, typer.Option(help="Extraction model.")] = "fast",
) -> None:
    """Sourcing profile: shares of named, role-only, anonymous, vague and unattributed sources."""
    from whosaid.assess import profile as combine
    from whosaid.assess import profile_summary

    if fmt is None:
        fmt = ProfileFormat.TABLE if sys.stdout.isatty() else ProfileFormat.JSON
    rows: list[dict[str, Any]] = []
    if inputs and db is not None:
        source = ctx.get_parameter_source("db")
        if getattr(source, "name", "") != "ENVIRONMENT":
            raise _fail("give files to profile or --db, not both", 2)
        db = None  # files given on the command line win over $WHOSAID_DB
    if db is not None:
        from whosaid.store import Corpus

        with Corpus(db) as corpus:
            for name, prof in corpus.sourcing_profiles(outlet=outlet).items():
                rows.append({"outlet": name, **prof.model_dump(),
                             "summary": profile_summary(prof)})
    elif inputs:
        from whosaid.ingest import InputError, read_inputs
        from whosaid.pipeline import extract_many

        _check_model(model)
        items, failed = [], False
        for item in read_inputs(inputs):
            if isinstance(item, InputError):
                Console(stderr=True).print(Text(f"error: {item}", style="red"), soft_wrap=True)
                failed = True
                continue
            items.append((item.name, item.text, item.metadata))
        docs = list(extract_many(items, model=model))
        for doc in docs:
            prof = doc.profile or combine([doc])
            rows.append({"document": doc.name, **prof.model_dump(),
                         "summary": profile_summary(prof)})
        if len(docs) > 1:
            total = combine(docs)
            rows.append({"document": "(all)", **total.model_dump(),
                         "summary": profile_summary(total)})
        if failed and not docs:
            raise typer.Exit(1)
    else:
        raise _fail("give files to profile, or --db", 2)
    if fmt is ProfileFormat.JSON:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    console = Console()
    for row in rows:
        console.print(Text(f"{row.get('document') or row.get('outlet')}: ", style="bold"),
                      Text(row["summary"]), soft_wrap=True)
