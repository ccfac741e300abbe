# framing: `make figures` sets everything up and draws every figure; `make test` runs the tests.
# Only python3 (3.11 or 3.12) and make are needed; everything else is installed into .venv.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.framing-installed
SCORES ?= scores
export FRAMING_CACHE ?= $(CURDIR)/.cache/parse
export MPLBACKEND := Agg

FIGURES ?= figures
REPORTS ?= reports
# Every folder of corpus/ with a metadata.csv is a case, scored with framing/codebooks/<case>.yaml.
CASES   := $(patsubst corpus/%/metadata.csv,%,$(wildcard corpus/*/metadata.csv))
# Grouping columns of each case's comparisons (default: outlet).
BY_climate-2019 := bias,outlet
# A gold file whose human codes the report marks sentence by sentence.
GOLD_afghanistan-2021 := corpus/afghanistan-2021/gold-example.yaml

PACKAGE_FILES := $(shell find framing -name '*.py') framing/stance/stance-model.skops \
                 framing/codebooks/base/base-en.yaml
SEEDS         := corpus/afghanistan-2021

.PHONY: help setup corpus scores figures report notebooks test test-quick lint bench bench-robust bench-figures bench-copies bench-report clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

setup: $(STAMP) ## create .venv and install framing with its test and benchmark dependencies (no-op when done)

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --constraint constraints.txt --editable '.[test,bench,dask,train]'
	touch $@

corpus: $(STAMP) ## re-clean the seed case's raw/ texts by the rules in its cleaning.yaml
	$(BIN)/framing clean $(SEEDS)/raw --rules $(SEEDS)/cleaning.yaml --out $(SEEDS)

scores: $(foreach c,$(CASES),$(SCORES)/$(c)/features.parquet) ## score every case into scores/<case>/

.SECONDEXPANSION:
$(SCORES)/%/features.parquet: $(STAMP) corpus/%/metadata.csv $$(wildcard corpus/$$*/text/*.txt) \
		framing/codebooks/%.yaml $(PACKAGE_FILES)
	$(BIN)/framing score corpus/$* --codebook framing/codebooks/$*.yaml --out $(SCORES)/$* --quiet

figures: $(foreach c,$(CASES),$(FIGURES)/$(c)/manifest.json) ## score every case and draw its figures into figures/<case>/

$(FIGURES)/%/manifest.json: $(SCORES)/%/features.parquet framing/codebooks/%.yaml $(PACKAGE_FILES)
	$(BIN)/framing figures $(SCORES)/$* --codebook framing/codebooks/$*.yaml --out $(FIGURES)/$* \
		--by $(or $(BY_$*),outlet)

report: $(foreach c,$(CASES),$(REPORTS)/$(c)/index.html) ## score every case and write its HTML evidence report into reports/<case>/

$(REPORTS)/%/index.html: $(SCORES)/%/features.parquet framing/report/assets/report.js framing/report/assets/report.css
	$(BIN)/framing report $(SCORES)/$* --corpus corpus/$* --codebook framing/codebooks/$*.yaml \
		--out $(REPORTS)/$* $(if $(GOLD_$*),--gold $(GOLD_$*))

notebooks: scores ## execute analysis/<case>/*.ipynb into analysis/rendered/<case>/ (with outputs)
	$(foreach c,$(CASES),$(BIN)/python -m framing.notebooks analysis/$(c) $(SCORES)/$(c) analysis/rendered/$(c) &&) true

test: $(STAMP) ## run the test suite
	$(BIN)/python -m pytest -q

test-quick: $(STAMP) ## the test suite without the end-to-end tests marked slow (a few minutes)
	$(BIN)/python -m pytest -q -m "not slow"

lint: $(STAMP) ## check the code with ruff
	$(BIN)/ruff check framing tests benchmarks

BENCH_SIZES ?= 300,1000,10000
DATA        ?= $(or $(FRAMING_DATA),../shared/data)
bench: $(STAMP) ## speed and memory at 300, 1,000 and 10,000 articles (~1.5 h on 2 cores; BENCH_SIZES=300,1000 for ~25 min) -> benchmarks/results.json
	$(BIN)/python benchmarks/scale.py --data $(DATA) --sizes $(BENCH_SIZES) --out benchmarks/results.json

bench-robust: $(STAMP) ## start-up, cached re-score at 300/1,000 articles, pathological inputs (~15 min)
	$(BIN)/python benchmarks/robustness.py --data $(DATA) --out benchmarks/robustness.json

bench-figures: scores ## framing figures at 1,000 and 10,000 articles from 100 outlets -> benchmarks/figures.json
	$(BIN)/python benchmarks/figures.py --scores $(SCORES)/climate-2019 --out benchmarks/figures.json

bench-copies: $(STAMP) ## near-duplicate stories at 10,000 and 100,000 articles (~10 min) -> benchmarks/copies.json
	$(BIN)/python benchmarks/copies.py --out benchmarks/copies.json

bench-report: scores ## framing report at 1,000 and 10,000 articles -> benchmarks/report.json
	$(BIN)/python benchmarks/report.py --scores $(SCORES)/climate-2019 --out benchmarks/report.json

clean: ## remove derived data (scores, figures, caches); keeps .venv
	rm -rf $(SCORES) .cache .pytest_cache .hypothesis analysis/rendered
	rm -rf $(foreach c,$(CASES),$(FIGURES)/$(c)) $(REPORTS)
