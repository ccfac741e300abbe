# framing: `make figures` sets everything up and draws every figure; `make test` runs the tests.
# Only python3 (3.11 or 3.12) and make are needed; everything else is installed into .venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.framing-installed
SCORES ?= scores
export FRAMING_CACHE ?= $(CURDIR)/.cache/parse
export MPLBACKEND := Agg

PACKAGE_FILES := $(shell find framing -name '*.py' -o -name '*.yaml')
CORPUS_FILES  := corpus/metadata.csv $(wildcard corpus/text/*.txt)
RAW_FILES     := corpus/raw/metadata.csv $(wildcard corpus/raw/*.txt) corpus/cleaning.yaml

.PHONY: help setup corpus scores figures notebooks test lint bench bench-robust clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

setup: $(STAMP) ## create .venv and install framing with its test and benchmark dependencies (no-op when done)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,bench,dask]'
	touch $@

corpus: $(STAMP) ## re-clean corpus/raw into corpus/ by the rules in corpus/cleaning.yaml
	$(BIN)/framing clean corpus/raw --rules corpus/cleaning.yaml --out corpus

scores: $(SCORES)/features.parquet ## score the bundled corpus into scores/

$(SCORES)/features.parquet: $(STAMP) $(CORPUS_FILES) $(PACKAGE_FILES)
	$(BIN)/framing score corpus --out $(SCORES) --quiet

figures: figures/manifest.json ## score the corpus and draw every figure into figures/

figures/manifest.json: $(SCORES)/features.parquet $(PACKAGE_FILES)
	$(BIN)/framing figures $(SCORES) --out figures

notebooks: $(SCORES)/features.parquet ## execute analysis/*.ipynb into analysis/rendered/ (with outputs)
	$(BIN)/python -m framing.notebooks $(SCORES) analysis/rendered

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest -q

lint: $(STAMP) ## check the code with ruff
	$(BIN)/ruff check framing tests benchmarks

BENCH_SIZES ?= 1000,10000
DATA        ?= ../shared/data
bench: $(STAMP) ## speed and memory at 1,000 and 10,000 articles (~1 h on 2 cores) -> benchmarks/results.json
	$(BIN)/python benchmarks/scale.py --data $(DATA) --sizes $(BENCH_SIZES) --out benchmarks/results.json

bench-robust: $(STAMP) ## start-up, cached re-score at 300/1,000 articles, pathological inputs (~15 min)
	$(BIN)/python benchmarks/robustness.py --data $(DATA) --out benchmarks/robustness.json

clean: ## remove derived data (scores, figures, caches); keeps .venv
	rm -rf $(SCORES) .cache .pytest_cache .hypothesis analysis/rendered
	rm -f figures/*.pdf figures/*.png figures/manifest.json
