"""The Spark job (whosaid.spark) in local mode equals single-machine extraction.

One SparkSession (``local[2]``, no UI, bound to 127.0.0.1) serves every test
here. Outside CI the tests skip when pyspark or Java is missing; in CI
(``CI`` set) they fail instead, so a missing install cannot pass unnoticed.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from whosaid import pipeline
from whosaid.ingest import InputError, read_inputs
from whosaid.model import Document
from whosaid.output import to_jsonl_line

if not os.environ.get("CI"):
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH", allow_module_level=True)

from pyspark.sql import Row, SparkSession
from pyspark.sql.types import StructType

from whosaid import spark as job

ROOT = Path(__file__).resolve().parent.parent

DOCS = [
    {"id": "d1", "text": "Officials said the airport would reopen on Sunday.",
     "outlet": "Wire", "year": 2024},
    {"id": "d2", "text": "\"We will not back down,\" the minister told reporters on Monday.\n\n"
     "He added that talks would continue.", "outlet": "Daily"},
    {"id": "d3", "text": "According to NATO, defence spending rose by 11 percent last year."},
    {"id": "d4", "text": "Critics argue the plan is too expensive. A source familiar with the "
     "talks said a deal was close. (Source: Reuters)"},
    {"id": "d5", "text": "Jens Stoltenberg warned that the alliance faced its gravest test.\r\n"
     "Stoltenberg believes Europe must spend more, the secretary general said."},
    {"id": "d6", "text": "The weather was mild. Nobody said anything about it."},
]
BAD_LINES = [
    json.dumps({"id": "empty", "text": ""}),
    json.dumps({"id": "blank", "text": "  \n "}),
    json.dumps({"id": "missing", "outlet": "Wire"}),
    "{not json at all",
]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    session = job.local_session("local[2]", "whosaid-test", {
        "spark.ui.enabled": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
    })
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six good documents and four bad rows, interleaved, as JSONL."""
    path = tmp_path_factory.mktemp("spark") / "docs.jsonl"
    lines = [json.dumps(d) for d in DOCS]
    for i, bad in enumerate(BAD_LINES):
        lines.insert(2 * i + 1, bad)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _single_machine(path: Path, model: str = "fast") -> dict[str, dict[str, Any]]:
    """What ``whosaid extract docs.jsonl -f jsonl`` gives, as JSON, by document name."""
    items = [(i.name, i.text, i.metadata) for i in read_inputs([path])
             if not isinstance(i, InputError)]
    return {d.name or "": json.loads(to_jsonl_line(d))
            for d in pipeline.extract_many(items, model=model)}


def _spark_rows(spark: SparkSession, dest: Path) -> dict[str, dict[str, Any]]:
    return {r["name"]: r.asDict(recursive=True) for r in spark.read.parquet(str(dest)).collect()}


def test_spark_output_equals_extract_many(spark: SparkSession, sample: Path,
                                          tmp_path: Path) -> None:
    expected = _single_machine(sample)
    assert sorted(expected) == [d["id"] for d in DOCS]

    report = job.run(spark, str(sample), str(tmp_path / "out"), errors=str(tmp_path / "err"))

    assert report.documents == len(DOCS)
    got = _spark_rows(spark, tmp_path / "out")
    assert got.keys() == expected.keys()
    for name, doc in expected.items():
        assert got[name] == doc, name
        Document.model_validate(got[name])  # and the row is a valid Document
    assert any(doc["attributions"] for doc in got.values())
    # bad rows: reported, skipped, the job still finished
    assert report.bad == len(BAD_LINES)
    problems = sorted(problem for _, problem in report.examples)
    assert problems == sorted(["empty document", "empty document", 'no "text" field',
                               "invalid JSON"])
    assert any("id missing" in where for where, _ in report.examples)
    assert len(spark.read.json(str(tmp_path / "err")).collect()) == len(BAD_LINES)


def test_parquet_input(spark: SparkSession, tmp_path: Path) -> None:
    """Parquet in, with a null text; same documents as from JSONL."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [{"id": d["id"], "text": d["text"], "outlet": d.get("outlet")} for d in DOCS[:3]]
    rows.append({"id": "null-text", "text": None, "outlet": None})
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "docs.parquet")
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text("".join(json.dumps({k: v for k, v in r.items() if v is not None}) + "\n"
                             for r in rows[:3]), encoding="utf-8")

    report = job.run(spark, str(tmp_path / "docs.parquet"), str(tmp_path / "out"), partitions=2)

    assert (report.documents, report.bad) == (3, 1)
    assert _spark_rows(spark, tmp_path / "out") == _single_machine(jsonl)


def _canonical(dtype: Any) -> Any:
    """A Spark type as JSON with struct fields sorted: field order aside, the same shape."""
    def sort(node: Any) -> Any:
        if isinstance(node, dict):
            node = {k: sort(v) for k, v in node.items()}
            if node.get("type") == "struct":
                node["fields"] = sorted(node["fields"], key=lambda f: f["name"])
            return node
        return [sort(v) for v in node] if isinstance(node, list) else node
    return sort(dtype.jsonValue())


def test_schema_matches_docs_schema_json() -> None:
    """The Spark schema is derived from the model and has docs/schema.json's shape."""
    from_file = job.spark_type(json.loads((ROOT / "docs" / "schema.json").read_text()))
    schema = job.document_schema()
    assert isinstance(schema, StructType)
    assert _canonical(from_file) == _canonical(schema)
    assert schema.fieldNames() == list(Document.model_fields)
    att = schema["attributions"].dataType.elementType
    assert {"start", "end", "text"} <= set(att["cue"].dataType.fieldNames())
    assert {"start", "end", "text"} <= set(att["source"].dataType.fieldNames())
    assert schema["metadata"].dataType.simpleString() == "map<string,string>"
    assert att["content"].dataType["fragments"].dataType.simpleString() == "array<array<bigint>>"


def test_partition_skips_a_document_the_pipeline_raises_on(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """No Spark needed: one failing document costs only itself."""
    real = pipeline.analyse

    def analyse(sdoc: Any, **kwargs: Any) -> Document:
        if "boom" in sdoc.text:
            raise RuntimeError("boom")
        return real(sdoc, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", analyse)
    rows = [Row(id="a", text="Officials said it rained."), Row(id="b", text="boom, he said."),
            Row(id="c", text="She said it was fine."), Row(id="d", text=None)]
    out = list(job.extract_partition(rows, schema=job.document_schema(), chunk=8))
    assert [r[1] for r in out] == ["a", "c"]  # field 1 is the name


def test_spark_accurate_model_equals_extract_many(spark: SparkSession, sample: Path,
                                                  tmp_path: Path) -> None:
    expected = _single_machine(sample, model="accurate")
    report = job.run(spark, str(sample), str(tmp_path / "out"), model="accurate")
    assert report.documents == len(DOCS)
    got = _spark_rows(spark, tmp_path / "out")
    assert got == expected
    assert all(doc["model"] == "accurate" for doc in got.values())
