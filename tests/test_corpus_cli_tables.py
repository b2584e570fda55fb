"""The corpus commands as a user reads them in an 80-column terminal.

A table shows what a user needs to act on it whole: the statement ids that
``speakers correct`` takes, speaker ids, counts and names; columns that do not fit
are left out, and the title says which. Counts read "1 statement", never "1
statements". SQLite and PostgreSQL (``db_url``); the texts are written for these tests.
"""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from test_corpus_identity import sources
from whosaid.cli import app
from whosaid.store import Corpus

TEXTS = {
    "pier": "Tobias Wrenfield, the harbour master of the northern district, said the new "
            "pier would not be finished before the summer.",
    "fares": "Hedda Quarrie said the ferry fares would rise in autumn. Officials at the "
             "transport department said the rise was needed to pay for new boats.",
}


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.output


def test_tables_fit_80_columns_with_ids_and_names_whole(db_url: str) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources(TEXTS))
    listed = json.loads(run("said", "Hedda Quarrie", "--db", db_url, "--format", "json"))
    statement = listed[0]["attribution_id"]
    table = run("said", "Hedda Quarrie", "--db", db_url, "--format", "table")
    assert all(len(line) <= 80 for line in table.splitlines())
    assert re.search(rf"^│ {statement} +│", table, re.M), table  # the id, first and whole
    assert "Hedda Quarrie" in table and "left out to fit" in table
    speakers = run("speakers", "--db", db_url, "--format", "table")
    assert all(len(line) <= 80 for line in speakers.splitlines())
    for s in json.loads(run("speakers", "--db", db_url, "--format", "json")):
        assert re.search(rf"^│ {s['id']} +│ {re.escape(s['name'][:20])}", speakers, re.M)
    # the id the table shows is the one `speakers correct` takes; the report is singular
    fixed = run("speakers", "correct", str(statement), "Tobias Wrenfield", "--db", db_url)
    assert "Tobias Wrenfield (2 statements)" in fixed
    renamed = run("speakers", "rename", "Hedda Quarrie", "H. Quarrie", "--db", db_url)
    assert "H. Quarrie (0 statements)" in renamed
    merged = run("speakers", "merge", "Tobias Wrenfield", "H. Quarrie", "--db", db_url)
    assert "Tobias Wrenfield (2 statements)" in merged
    wide = CliRunner().invoke(app, ["said", "Tobias Wrenfield", "--db", db_url,
                                    "--format", "table"], env={"COLUMNS": "200"})
    assert "left out" not in wide.output and "type" in wide.output


def test_counts_read_singular_and_plural(db_url: str, tmp_path: object) -> None:
    with Corpus(db_url) as c:
        c.ingest(sources({"pier": TEXTS["pier"]}))
    out = f"{tmp_path}/said.csv"
    result = CliRunner().invoke(app, ["said", "Tobias Wrenfield", "--db", db_url,
                                      "--out", out])
    assert result.exit_code == 0 and "wrote 1 row to" in result.output
    renamed = CliRunner().invoke(app, ["speakers", "rename", "Tobias Wrenfield", "T. Wrenfield",
                                     "--db", db_url])
    assert "(1 statement)" in renamed.output
