"""The whosaid pipeline as a Spark job: documents in (JSONL or Parquet), Parquet out.

``python -m whosaid.spark IN OUT`` (or ``whosaid spark IN OUT``; on a cluster,
spark-submit a one-line script calling :func:`main`) reads documents with a ``text``
column plus optional ``id``/``name`` and metadata columns, runs
:func:`whosaid.pipeline.extract_many` inside ``mapPartitions`` and writes one
Parquet row per document: the whole :class:`whosaid.model.Document`, with the
same field names and nesting as the JSON output (``--format jsonl``), so
``row.asDict(recursive=True) == json.loads(doc.model_dump_json())``.

The Spark schema is derived from the JSON Schema of ``Document`` (the one
``docs/schema.json`` is generated from) by :func:`spark_type`, never written by
hand. The model is loaded lazily inside the partition function and cached per
Python worker process (``load_nlp`` and the CRFs are ``lru_cache``d), so each
executor core loads it once and reuses it for every task (Spark reuses Python
workers). Bad rows (no text, empty, too large, malformed JSON, or a document the
pipeline raises on) are skipped and reported through an accumulator; the job
goes on. See docs/spark.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from pyspark import Accumulator, AccumulatorParam, TaskContext
from pyspark.errors import AnalysisException
from pyspark.sql import DataFrame, Row, SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import (
    ArrayType,
    BooleanType,
    DataType,
    DoubleType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
)

from whosaid import pipeline
from whosaid.extract.tagger import ModelMissingError
from whosaid.ingest import (
    _check_text,
    _scalar_metadata,
    _valid_metadata,
    clean_text,
    normalise_newlines,
)
from whosaid.model import Document

__all__ = [
    "RunReport",
    "document_schema",
    "extract_dataframe",
    "local_session",
    "main",
    "read_documents",
    "run",
    "spark_type",
    "to_spark_value",
]

TEXT = "text"
CORRUPT = "_corrupt_record"  # Spark's column for JSON lines it cannot parse
FILE = "_whosaid_file"  # the input file of each row, for error reports
INTERNAL = (CORRUPT, FILE)
CHUNK = 64  # documents per extract_many call; a chunk that raises is redone one by one
EXAMPLES = 20  # bad rows kept per partition for the report (the count is exact)
FORMATS = {".jsonl": "json", ".json": "json", ".ndjson": "json", ".parquet": "parquet"}

# --- schema: JSON Schema (pydantic) -> Spark ----------------------------------

_SCALARS: dict[str, DataType] = {
    "string": StringType(),
    "integer": LongType(),
    "number": DoubleType(),
    "boolean": BooleanType(),
}


def spark_type(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> DataType:
    """The Spark type of a JSON Schema node (objects, arrays, maps, enums, ``$ref``s).

    ``X | None`` (``anyOf`` with ``null``) gives a nullable field; tuples
    (``prefixItems``, e.g. ``scope`` and ``fragments``) are arrays, as in JSON.
    """
    defs = schema.get("$defs", {}) if defs is None else defs
    return _node_type(schema, defs)[0]


def _node_type(node: dict[str, Any], defs: dict[str, Any]) -> tuple[DataType, bool]:
    """(Spark type, nullable) of one JSON Schema node."""
    if "$ref" in node:
        return _node_type(defs[node["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in node:
        options = [o for o in node["anyOf"] if o.get("type") != "null"]
        if len(options) != 1:
            raise ValueError(f"unsupported anyOf: {node['anyOf']}")
        return _node_type(options[0], defs)[0], len(options) < len(node["anyOf"])
    kind = node.get("type")
    if kind == "object" and "properties" in node:
        fields = []
        for name, prop in node["properties"].items():
            dtype, nullable = _node_type(prop, defs)
            fields.append(StructField(name, dtype, nullable))
        return StructType(fields), False
    if kind == "object":
        values, nullable = _node_type(node.get("additionalProperties", {"type": "string"}), defs)
        return MapType(StringType(), values, nullable), False
    if kind == "array":
        items = node.get("items")
        if items is None:  # a tuple: every position must have one scalar type
            types = {_node_type(p, defs) for p in node.get("prefixItems", [])}
            if len(types) != 1:
                raise ValueError(f"unsupported tuple: {node}")
            element, nullable = types.pop()
        else:
            element, nullable = _node_type(items, defs)
        return ArrayType(element, nullable), False
    if kind in _SCALARS:  # enums have "type": "string" too
        return _SCALARS[kind], False
    raise ValueError(f"unsupported JSON Schema node: {node}")


def document_schema() -> StructType:
    """The Spark schema of an output row: ``Document``'s JSON Schema, field for field."""
    dtype = spark_type(Document.model_json_schema())
    assert isinstance(dtype, StructType)
    return dtype


def to_spark_value(value: Any, dtype: DataType) -> Any:
    """JSON-mode data (``model_dump(mode="json")``) as Spark internal-ready Python values."""
    if value is None:
        return None
    if isinstance(dtype, StructType):
        return tuple(to_spark_value(value.get(f.name), f.dataType) for f in dtype.fields)
    if isinstance(dtype, ArrayType):
        return [to_spark_value(v, dtype.elementType) for v in value]
    if isinstance(dtype, MapType):
        return {k: to_spark_value(v, dtype.valueType) for k, v in value.items()}
    if isinstance(dtype, DoubleType):
        return float(value)
    return value


# --- bad-row reporting --------------------------------------------------------


class _ReportParam(AccumulatorParam):  # type: ignore[type-arg]
    """Per-partition summaries keyed by partition id, so a retried task replaces, not adds."""

    def zero(self, value: dict[int, Any]) -> dict[int, Any]:
        return {}

    def addInPlace(self, a: dict[int, Any], b: dict[int, Any]) -> dict[int, Any]:
        a.update(b)
        return a


@dataclass
class RunReport:
    """What a run did: documents written, bad rows skipped (with examples), seconds."""

    documents: int = 0
    bad: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)  # (where, problem)
    seconds: float = 0.0

    @classmethod
    def from_partitions(cls, parts: dict[int, Any], seconds: float = 0.0) -> RunReport:
        report = cls(seconds=seconds)
        for pid in sorted(parts):
            docs, bad, examples = parts[pid]
            report.documents += docs
            report.bad += bad
            report.examples.extend(tuple(e) for e in examples)
        return report


# --- the partition function ---------------------------------------------------


def row_item(record: dict[str, Any]) -> pipeline.Item | str:
    """A row as ``(name, text, metadata)`` exactly as the JSONL reader builds it, or a problem.

    Metadata is every scalar column but ``text`` (``str()`` of its value, nulls
    dropped); the name is ``id`` or else ``name`` (None when neither is set).
    """
    if record.get(CORRUPT) is not None:
        return "invalid JSON"
    text = record.get(TEXT)
    if text is None:
        return 'no "text" field'
    if not isinstance(text, str):
        return '"text" is not a string'
    metadata = _scalar_metadata({k: v for k, v in record.items() if k not in INTERNAL}, TEXT)
    where = f"{record.get(FILE) or 'input'}: id {metadata.get('id') or metadata.get('name')}"
    # the invalid-code-point rule of the CLI and the API: lone surrogates -> U+FFFD, warned
    text = clean_text(normalise_newlines(text.removeprefix("\ufeff")), where)
    error = _check_text(text, "")
    if error is not None:
        return error.problem
    metadata = _valid_metadata(metadata, where)
    return metadata.get("id") or metadata.get("name"), text, metadata


def _where(record: dict[str, Any], index: int, pid: int) -> str:
    place = record.get(FILE) or "input"
    if record.get(CORRUPT) is not None:
        return f"{place}: line {str(record[CORRUPT])[:40]!r}"
    ident = record.get("id") or record.get("name")
    return f"{place}: id {ident}" if ident else f"{place}: row {index + 1} of partition {pid}"


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def extract_partition(rows: Iterable[Row], *, schema: StructType, model: str = "fast",
                      report: Accumulator | None = None,  # type: ignore[type-arg]
                      chunk: int = CHUNK) -> Iterator[tuple[Any, ...]]:
    """Run the pipeline over one partition's rows, yielding output rows (tuples for ``schema``).

    The model loads on the first document (cached for the worker process).
    Input streams through ``extract_many`` ``chunk`` documents at a time; if a
    chunk raises, its documents are redone one at a time and those that still
    raise are reported as bad rows. A missing model fails the task.
    """
    ctx = TaskContext.get()
    pid = ctx.partitionId() if ctx is not None else 0
    bad: list[tuple[str, str]] = []
    counts = {"docs": 0, "bad": 0}

    def fail(where: str, problem: str) -> None:
        counts["bad"] += 1
        if len(bad) < EXAMPLES:
            bad.append((where, problem))
        print(f"whosaid: skipped {where}: {problem}", file=sys.stderr)

    def good_items() -> Iterator[tuple[pipeline.Item, str]]:
        for index, row in enumerate(rows):
            record = row.asDict()
            item = row_item(record)
            if isinstance(item, str):
                fail(_where(record, index, pid), item)
            else:
                yield item, _where(record, index, pid)

    for batch in _chunks(good_items(), chunk):
        try:
            docs = list(pipeline.extract_many([item for item, _ in batch], model=model))
        except ModelMissingError:
            raise
        except Exception:  # one bad document: find it, keep the others
            docs = []
            for item, where in batch:
                try:
                    docs.extend(pipeline.extract_many([item], model=model))
                except ModelMissingError:
                    raise
                except Exception as exc:
                    fail(where, f"pipeline error: {type(exc).__name__}: {exc}")
        for doc in docs:
            counts["docs"] += 1
            yield to_spark_value(doc.model_dump(mode="json"), schema)
    if report is not None:
        report.add({pid: (counts["docs"], counts["bad"], bad)})


# --- the job ------------------------------------------------------------------


def input_format(path: str, fmt: str = "auto") -> str:
    """``json`` or ``parquet``: given, or from the suffix (of the files in a local folder)."""
    if fmt in ("jsonl", "json"):
        return "json"
    if fmt == "parquet":
        return "parquet"
    if fmt != "auto":
        raise ValueError(f"unknown input format {fmt!r}; use auto, jsonl or parquet")
    suffix = Path(path.rstrip("/")).suffix.lower()
    if suffix in FORMATS:
        return FORMATS[suffix]
    local = Path(path.removeprefix("file://"))
    if local.is_dir():
        found = {FORMATS[p.suffix.lower()] for p in local.rglob("*") if p.suffix.lower() in FORMATS}
        if len(found) == 1:
            return found.pop()
    raise ValueError(f"{path}: cannot tell JSONL from Parquet; pass --input-format")


def read_documents(spark: SparkSession, path: str, fmt: str = "auto") -> DataFrame:
    """Input rows with a ``text`` column (and any others), plus the file each came from."""
    kind = input_format(path, fmt)
    if kind == "json":
        df = spark.read.option("mode", "PERMISSIVE").json(path)
    else:
        df = spark.read.parquet(path)
    return df.withColumn(FILE, F.col("_metadata.file_path"))


def extract_dataframe(df: DataFrame, *, model: str = "fast", partitions: int | None = None,
                      chunk: int = CHUNK) -> tuple[DataFrame, Accumulator]:  # type: ignore[type-arg]
    """Documents for the rows of ``df`` (lazy) and the accumulator of per-partition reports.

    ``partitions`` repartitions the input first (default: at least the
    default parallelism, so a single small file still uses every core).
    """
    if model not in pipeline.MODELS:
        raise ValueError(f"unknown model {model!r}; choose one of {', '.join(pipeline.MODELS)}")
    spark = df.sparkSession
    sc = spark.sparkContext
    current = df.rdd.getNumPartitions()
    target = partitions or max(current, sc.defaultParallelism)
    if target != current:
        df = df.repartition(target)
    schema = document_schema()
    report = sc.accumulator({}, _ReportParam())

    def run_partition(rows: Iterable[Row]) -> Iterator[tuple[Any, ...]]:
        return extract_partition(rows, schema=schema, model=model, report=report, chunk=chunk)

    out = spark.createDataFrame(df.rdd.mapPartitions(run_partition), schema, verifySchema=False)
    return out, report


def run(spark: SparkSession, source: str, dest: str, *, fmt: str = "auto", model: str = "fast",
        partitions: int | None = None, mode: str = "errorifexists",
        errors: str | None = None) -> RunReport:
    """Read ``source``, extract, write Parquet to ``dest``; bad rows are skipped and reported.

    ``errors`` (a path) also writes the reported bad rows there as JSON lines.
    """
    start = time.perf_counter()
    docs, acc = extract_dataframe(read_documents(spark, source, fmt), model=model,
                                  partitions=partitions)
    docs.write.mode(mode).parquet(dest)
    report = RunReport.from_partitions(acc.value, time.perf_counter() - start)
    if errors and report.examples:
        rows = [Row(where=w, problem=p) for w, p in report.examples]
        spark.createDataFrame(rows).coalesce(1).write.mode("overwrite").json(errors)
    return report


def local_session(master: str | None = None, app_name: str = "whosaid",
                  conf: dict[str, str] | None = None) -> SparkSession:
    """A SparkSession: ``master``, else spark-submit's, else ``local[*]``.

    In local mode the Python workers run this interpreter (so they import this
    whosaid); under spark-submit the executors' Python is the submit settings'.
    """
    from pyspark import SparkConf, SparkContext

    if master is None:
        SparkContext._ensure_initialized()  # starts the JVM, which holds spark-submit's conf
        master = SparkConf().get("spark.master", None) or "local[*]"
    if master.startswith("local"):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName(app_name).master(master)
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def format_report(report: RunReport, dest: str) -> list[str]:
    """Human-readable lines for stderr."""
    lines = [f"wrote {report.documents} document(s) to {dest} in {report.seconds:.1f} s"]
    if report.bad:
        lines.append(f"skipped {report.bad} bad row(s):")
        lines += [f"  {where}: {problem}" for where, problem in report.examples]
        if report.bad > len(report.examples):
            lines.append(f"  ... and {report.bad - len(report.examples)} more (executor logs)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """``python -m whosaid.spark IN OUT``; exit 0 even when bad rows were skipped."""
    parser = argparse.ArgumentParser(prog="python -m whosaid.spark", description=__doc__
                                     .splitlines()[0])
    parser.add_argument("source", help="JSONL or Parquet file or folder (any Hadoop path)")
    parser.add_argument("dest", help="output Parquet folder")
    parser.add_argument("--input-format", default="auto", choices=["auto", "jsonl", "parquet"])
    parser.add_argument("--model", "-m", default="fast")
    parser.add_argument("--partitions", type=int, default=None,
                        help="repartition the input to N partitions (default: >= cores)")
    parser.add_argument("--mode", default="errorifexists",
                        choices=["errorifexists", "overwrite", "append", "ignore"])
    parser.add_argument("--errors", default=None, help="also write bad rows here (JSON)")
    parser.add_argument("--master", default=None,
                        help="Spark master (default: spark-submit's, else local[*])")
    args = parser.parse_args(argv)
    spark = local_session(args.master)
    try:
        report = run(spark, args.source, args.dest, fmt=args.input_format, model=args.model,
                     partitions=args.partitions, mode=args.mode, errors=args.errors)
    except (ValueError, AnalysisException) as exc:  # bad option, missing path, no such format
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModelMissingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    print("\n".join(format_report(report, args.dest)), file=sys.stderr)
    print(json.dumps({"documents": report.documents, "bad": report.bad}))
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
