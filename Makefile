# The two commands the README starts with, and the steps behind them.
PY ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: setup demo serve test lint train train-accurate eval eval-accurate schema

$(BIN)/whosaid: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/whosaid

setup: $(BIN)/whosaid

## Main job on the embedded default: analyse the example documents, store them in the
## SQLite corpus ./whosaid.db, list the speakers, and serve the web UI on it (prints the
## URL and a write token; Ctrl-C stops it).
demo: setup
	$(BIN)/whosaid extract examples/ --format table
	$(BIN)/whosaid ingest examples/ --db whosaid.db
	$(BIN)/whosaid speakers --db whosaid.db --format table
	$(BIN)/whosaid serve --db whosaid.db

## The web UI alone, on whatever ./whosaid.db holds.
serve: setup
	$(BIN)/whosaid serve --db whosaid.db

lint: setup
	$(BIN)/ruff check src tests scripts benchmarks

## The test command (.ci/run calls it). PostgreSQL for the store tests: $$WHOSAID_TEST_PG, or a
## throwaway server started here and stopped afterwards (scripts/start_postgres.sh run).
test: lint
	$(BIN)/python scripts/gen_schema.py --check
	bash scripts/start_postgres.sh run -- $(BIN)/pytest -q

## Retrain the fast model from ../shared/data/polnear/train (about 10 minutes on 2 cores).
train: setup
	$(BIN)/whosaid train --corpus ../shared/data/polnear/train

## Retrain the accurate model (MiniLM cue tagger; under an hour on 2 CPU cores).
train-accurate: setup
	$(BIN)/whosaid train --model accurate --corpus ../shared/data/polnear/train

## Accuracy on PolNeAR dev (the tables in docs/accuracy.md).
eval: setup
	$(BIN)/whosaid eval --gold ../shared/data/polnear/dev

eval-accurate: setup
	$(BIN)/whosaid eval --model accurate --gold ../shared/data/polnear/dev

schema: setup
	$(BIN)/python scripts/gen_schema.py
