# Jeugdketen. A newcomer needs two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck bench install clean messages

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Jeugdketen needs Python 3.11 or newer (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make run: venv, install, migrate SQLite under var/, load demo data once, serve (gunicorn).
run: install
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen migrate --no-input -v0
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen demo --if-empty
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen serve --host $(HOST) --port $(PORT)

## make test: the whole suite (set DATABASE_URL=postgres://... for PostgreSQL).
test: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy src/jeugdketen

## make bench: benchmarks on PostgreSQL; results in docs/performance.md.
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

messages: install
	cd src/jeugdketen && ../../$(BIN)/jeugdketen makemessages -l en -l nl --no-obsolete --add-location file --no-wrap --ignore 'guide/*' && ../../$(BIN)/jeugdketen compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
