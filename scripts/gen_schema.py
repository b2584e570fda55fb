"""Write docs/schema.json, the JSON Schema of ``whosaid.model.Document``.

The schema is generated, never edited by hand, so it cannot drift from the
model: tests/test_schema.py fails when the committed file differs from what
this script produces. Run ``python scripts/gen_schema.py`` after changing
``whosaid.model``; ``--check`` only reports whether the file is current.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from whosaid.model import SCHEMA_VERSION, Document

ROOT = Path(__file__).resolve().parent.parent
SCHEMA_PATH = ROOT / "docs" / "schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:whosaid:schema:document:{SCHEMA_VERSION}"


def build_schema() -> dict[str, Any]:
    """The Document schema with the dialect, an id and a title added."""
    schema = Document.model_json_schema()
    schema["$schema"] = DIALECT
    schema["$id"] = SCHEMA_ID
    schema["title"] = "whosaid Document"
    return schema


def render() -> str:
    """Stable text: sorted keys and a trailing newline keep diffs minimal."""
    return json.dumps(build_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if docs/schema.json is out of date; write nothing")
    args = parser.parse_args(argv)
    text = render()
    current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else None
    if args.check:
        if current != text:
            print(f"{SCHEMA_PATH} is out of date: run python scripts/gen_schema.py",
                  file=sys.stderr)
            return 1
        return 0
    if current != text:
        SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
        SCHEMA_PATH.write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
