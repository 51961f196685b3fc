# servicelens: `make run` analyses data/raw, `make test` runs the test suite. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
RAW ?= data/raw
# The embedded corpus writes to data/processed (and the committed gallery in figures/);
# any other input gets its own output folder, named after it.
ifeq ($(abspath $(RAW)),$(abspath data/raw))
OUT ?= data/processed
else
OUT ?= data/runs/$(notdir $(abspath $(RAW)))
endif
SEED ?= 42
TOPICS ?= auto
KERNEL := servicelens
export MPLCONFIGDIR := $(CURDIR)/.mplconfig
export PYTHONHASHSEED := 0

.PHONY: help setup run test lint bench clean browser

## help: list the targets
help:
	@grep -E '^## ' $(MAKEFILE_LIST) | sed 's/^## /  /'

$(VENV)/.installed: requirements.txt pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "servicelens needs Python 3.11"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip==25.3
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "servicelens (.venv)" >/dev/null
	touch $@

## setup: create .venv with the pinned requirements and the package
setup: $(VENV)/.installed

## run: analyse RAW (default data/raw) into OUT and execute notebooks 01-04 into reports/
run: setup
	$(PY) -m servicelens run --raw $(RAW) --out $(OUT) --seed $(SEED) --topics $(TOPICS)
	$(PY) -m servicelens notebooks --raw $(RAW) --out $(OUT) --seed $(SEED) --topics $(TOPICS) --kernel $(KERNEL)

## test: set up, then lint and run the tests, including a smoke run of every notebook
test: setup lint browser
	$(PY) -m pytest -q -p no:cacheprovider --nbmake --nbmake-timeout=900 tests notebooks

# The browser tests need Debian's chromium and CJK fonts: installed here when missing and
# running as root; otherwise those tests skip and say why. `make run` never needs this.
browser:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing chromium and fonts-noto-cjk for the browser tests"; \
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "chromium is missing and this is not root: the browser tests will be skipped"; fi

## lint: ruff over the package, tests, notebooks and benchmarks
lint: setup
	$(VENV)/bin/ruff check src tests notebooks benchmarks

## bench: measure throughput and topic quality on the shared corpus (benchmarks/results.md)
bench: setup
	$(PY) -m pip install --quiet -r benchmarks/requirements.txt
	$(PY) benchmarks/bench_pipeline.py
	$(PY) -m servicelens run --raw ../shared/corpora/service_texts.jsonl.gz --out data/runs/bench_corpus --topics 20
	cp data/runs/bench_corpus/coverage.csv benchmarks/coverage_shared_corpus.csv
	$(PY) benchmarks/bench_topics.py --tables data/runs/bench_corpus --k 20

## clean: remove generated tables, reports and caches (keeps .venv)
clean:
	rm -rf data/processed reports .pytest_cache .ruff_cache .mplconfig
