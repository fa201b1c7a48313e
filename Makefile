# The two set-up commands (README): `make demo` and `make test`.
PY      ?= python3
VENV    ?= .venv
BIN     := $(VENV)/bin
DB      ?= unspin.db

.PHONY: demo test bench lint typecheck clean install install-test

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

## test: the whole test suite (unit, property, end-to-end, browser, spark)
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

## bench: accuracy and speed benchmarks; figures appended to bench/RESULTS.md
bench: $(VENV)/.installed-test
	$(BIN)/python -m bench

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: $(VENV)/.installed-test
	$(BIN)/mypy

clean:
	rm -rf $(VENV) build dist src/*.egg-info $(DB) $(DB)-wal $(DB)-shm
