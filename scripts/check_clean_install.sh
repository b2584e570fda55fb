#!/usr/bin/env bash
# Issue 16, item 8: HTML input works on a plain `pip install whosaid`.
#
# Creates a fresh virtual environment (no system site-packages, no extras), pip
# installs the project from this tree, and extracts an HTML example with it; this
# failed with an ImportError before lxml_html_clean was pinned (trafilatura needs
# it and no other dependency brings it). pip fetches the pinned dependencies from
# its index (PyPI) or its cache: a fully offline install is not possible without a
# wheelhouse, so this is a script .ci/run calls, not a pytest test.
#
#   bash scripts/check_clean_install.sh            # keeps nothing; ~2-5 min with a warm pip cache
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PY:-python3.11}"
DIR="$(mktemp -d /tmp/whosaid-clean-XXXXXX)"
trap 'rm -rf "$DIR"' EXIT
"$PY" -m venv "$DIR/venv"
"$DIR/venv/bin/python" -c 'import sys; assert sys.prefix != sys.base_prefix' # a real venv
"$DIR/venv/bin/pip" install --quiet --upgrade pip >&2
"$DIR/venv/bin/pip" install --quiet "$ROOT" >&2
cd "$DIR"  # not the source tree: the installed package must be the one imported
"$DIR/venv/bin/whosaid" extract "$ROOT/examples/cycle-lanes.html" -f json > out.json
"$DIR/venv/bin/python" - <<'PY'
import json
doc = json.load(open("out.json"))
assert doc["text"].strip() and doc["attributions"], "no text or no attributions from the HTML"
import whosaid, lxml_html_clean  # noqa: F401 - the pinned dependency is there
assert "/site-packages/" in whosaid.__file__, whosaid.__file__
print(f"clean install OK: {len(doc['attributions'])} attributions from cycle-lanes.html")
PY
