"""``whosaid spark``: the extraction pipeline as a Spark job (JSONL/Parquet in, Parquet out).

Registered onto :data:`whosaid.cli.app` (imported at the bottom of ``cli.py``).
pyspark is an optional extra (``pip install 'whosaid[spark]'``) and is imported
only when the command runs. The job itself is :func:`whosaid.spark.run`; see
docs/spark.md for running it on a cluster.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from whosaid.cli_common import app


class InputFormat(StrEnum):
    AUTO = "auto"
    JSONL = "jsonl"
    PARQUET = "parquet"


class WriteMode(StrEnum):
    ERROR = "errorifexists"
    OVERWRITE = "overwrite"
    APPEND = "append"
    IGNORE = "ignore"


@app.command("spark")
def spark_job(
    source: Annotated[str, typer.Argument(
        help="JSONL or Parquet file or folder (any path Spark reads: file:, hdfs:, s3a:).")],
    dest: Annotated[str, typer.Argument(help="Output Parquet folder (one row per document).")],
    input_format: Annotated[InputFormat, typer.Option(
        "--input-format", case_sensitive=False,
        help="Input format (auto: from the suffix).")] = InputFormat.AUTO,
    model: Annotated[str, typer.Option("--model", "-m", help="Extraction model.")] = "fast",
    partitions: Annotated[int | None, typer.Option(
        "--partitions", min=1, show_default=False,
        help="Repartition the input to N partitions (default: at least one per core).")] = None,
    mode: Annotated[WriteMode, typer.Option(
        "--mode", case_sensitive=False, help="When DEST exists.")] = WriteMode.ERROR,
    errors: Annotated[str | None, typer.Option(
        "--errors", show_default=False, help="Also write the bad rows here (JSON lines).")] = None,
    master: Annotated[str | None, typer.Option(
        "--master", show_default=False,
        help="Spark master (default: spark-submit's, else local[*]).")] = None,
) -> None:
    """Run extraction as a Spark job; bad rows are reported and skipped, the job goes on."""
    try:
        from whosaid import spark as job
    except ImportError as exc:
        typer.echo(f"error: the Spark job needs its extra ({exc.name} is missing): "
                   "pip install 'whosaid[spark]'", err=True)
        raise typer.Exit(1) from None
    from pyspark.errors import AnalysisException

    from whosaid.extract.tagger import ModelMissingError

    session = job.local_session(master)
    try:
        report = job.run(session, source, dest, fmt=input_format.value, model=model,
                         partitions=partitions, mode=mode.value, errors=errors)
    except (ValueError, AnalysisException) as exc:  # bad option, missing path, wrong format
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except ModelMissingError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        session.stop()
    for line in job.format_report(report, dest):
        typer.echo(line, err=True)
    typer.echo(json.dumps({"documents": report.documents, "bad": report.bad}))
