# tempdata — `make run` generates a sample dataset, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test test-slow bench lint data lock clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: setup
	$(VENV)/bin/tempdata generate sales --rows 1000000 --seed 42 --formats parquet,csv --output out/

test: setup
	$(PY) -m pytest -q

test-slow: setup
	$(PY) -m pytest -q -m slow

bench: setup
	$(PY) -m pytest bench -m bench -q
	$(PY) -m bench

lint: setup
	$(PY) -m ruff check tempdata tests bench scripts
	$(PY) -m ruff format --check tempdata tests bench scripts
	$(PY) -m mypy tempdata

data:
	$(PYTHON) -m venv .venv-data
	.venv-data/bin/pip install --quiet -e '.[data]'
	.venv-data/bin/python scripts/build_reference_data.py --out reference_data

lock: setup
	{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^tempdata'; } > constraints.tmp
	mv constraints.tmp constraints.txt

clean:
	rm -rf $(VENV) .venv-data out dist build .pytest_cache .mypy_cache .ruff_cache
