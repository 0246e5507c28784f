# Orderpad: `make run` opens the demo, `make test` runs every check. Both set themselves up.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO_DB ?= sqlite:///$(CURDIR)/var/demo-server.sqlite3
export QT_QPA_PLATFORM ?=

.PHONY: run test lint typecheck pytest bench lock clean serve-demo dist selftest
BENCH_ARGS ?=

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[server,dev]'
	touch $(STAMP)

## The demo: the desktop app on an embedded local server with demo data (seeded the first
## time, in the per-user data dir; DATA_DIR=... to use another folder).
DATA_DIR ?=
run: $(STAMP)
	$(BIN)/orderpad $(if $(DATA_DIR),--data-dir '$(DATA_DIR)') demo

## The demo server alone, for the command line client (http://127.0.0.1:8765).
serve-demo: $(STAMP)
	$(BIN)/orderpad-server --database-url '$(DEMO_DB)' seed --demo --if-empty
	$(BIN)/orderpad-server --database-url '$(DEMO_DB)' serve --host 127.0.0.1 --port 8765

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check app server tests
	$(BIN)/ruff format --check app server tests

typecheck: $(STAMP)
	$(BIN)/mypy app server

pytest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

## The installable desktop client (PyInstaller one-folder bundle, installer/orderpad.spec):
## dist/orderpad/orderpad, then its bundled self-test. Windows: installer/build.ps1.
DIST_STAMP := $(VENV)/.dist-stamp
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[server,dev,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	PYTHON=$(BIN)/python installer/build.sh

## The same self-test from the source tree (Qt offscreen, a temporary replica).
selftest: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/orderpad --self-test

## Every benchmark beside its baseline, one table: printed, in bench/results.json and in
## docs/benchmarks.md (BENCH_ARGS="--skus 20000 --clients 20", "--only server"; see
## `python -m bench --help`).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench $(BENCH_ARGS)

## Re-pin constraints.txt to what is installed now.
lock: $(STAMP)
	( echo '# Exact versions the project is tested with; `make` installs with `pip install -c constraints.txt`.'; \
	  echo '# Refresh: make lock'; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^orderpad' ) > constraints.txt

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
