# tempdata — `make run` generates a sample dataset, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test test-slow bench lint typecheck data clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/tempdata generate sales --rows 1000000 --seed 42 --formats parquet,csv --output out/

test: setup
	$(PY) -m pytest -q

test-slow: setup
	$(PY) -m pytest -q -m slow

bench: setup
	$(PY) -m bench

lint: setup
	$(PY) -m ruff check tempdata tests bench scripts
	$(PY) -m ruff format --check tempdata tests bench scripts
	$(PY) -m mypy tempdata

data:
	$(PYTHON) -m venv .venv-data
	.venv-data/bin/pip install --quiet -e '.[data]'
	.venv-data/bin/python scripts/build_reference_data.py --out reference_data

clean:
	rm -rf $(VENV) .venv-data out dist build .pytest_cache .mypy_cache .ruff_cache
