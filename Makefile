# Jeugdketen. A newcomer needs two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# Installs come only from the hash-locked files in requirements/ (make lock writes them):
# build.txt (pip, setuptools), runtime.txt (make run), test.txt (runtime + test extras,
# make test). Wheels only, so no package is built with unlocked build dependencies; the
# project itself is built with the locked setuptools. A changed lock builds the venv anew
# (nothing stays installed that the lock no longer names); a changed pyproject.toml
# reinstalls the project and checks the lock still satisfies it.
LOCKS := requirements/build.txt requirements/runtime.txt requirements/test.txt
LOCK_SUM := $(shell cat $(LOCKS) | cksum | cut -d' ' -f1)
PROJECT_SUM := $(shell cksum < pyproject.toml | cut -d' ' -f1)
VENV_STAMP := $(VENV)/.locks-$(LOCK_SUM)
PIP := $(BIN)/python -m pip
PIP_LOCKED := $(PIP) install --quiet --require-hashes --only-binary :all:
# The project without its dependencies, built by the locked setuptools; then a dry run
# without any index proves every requirement is already met by what the lock installed.
define install_project
	$(PIP) install --quiet --no-deps --no-build-isolation --check-build-dependencies -e .
	@$(PIP) install --quiet --no-index --dry-run --no-build-isolation -e '.$(1)' \
		|| { echo "requirements/ no longer satisfies pyproject.toml: run make lock" >&2; exit 1; }
	$(PIP) check
endef

.PHONY: run test lint typecheck bench install install-runtime lock clean messages

# The stamps' names carry the checksums, so a changed content (not a newer mtime, as after
# a git checkout) is what reinstalls.
$(VENV_STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Jeugdketen needs Python 3.11 or newer (set PYTHON=...)")'
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(PIP_LOCKED) -r requirements/build.txt
	touch $@

$(VENV)/.installed-runtime-$(LOCK_SUM)-$(PROJECT_SUM): $(VENV_STAMP)
	$(PIP_LOCKED) -r requirements/runtime.txt
	$(call install_project,)
	rm -f $(VENV)/.installed-runtime-*
	touch $@

$(VENV)/.installed-test-$(LOCK_SUM)-$(PROJECT_SUM): $(VENV_STAMP)
	$(PIP_LOCKED) -r requirements/test.txt
	$(call install_project,[test])
	rm -f $(VENV)/.installed-test-*
	touch $@

## make install: the venv with runtime and test dependencies (make install-runtime: runtime only).
install: $(VENV)/.installed-test-$(LOCK_SUM)-$(PROJECT_SUM)
install-runtime: $(VENV)/.installed-runtime-$(LOCK_SUM)-$(PROJECT_SUM)

## make lock: rewrite requirements/*.txt from pyproject.toml and requirements/*.in, keeping
## every pin that still fits. UPGRADE=--upgrade moves all to the newest allowed versions,
## UPGRADE='--upgrade-package NAME' one package. See DEVELOPERS.md.
LOCKER := $(VENV)/lock-tools
UV_COMPILE = $(LOCKER)/bin/uv pip compile --quiet --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command 'make lock' $(UPGRADE)
$(LOCKER)/.installed: requirements/lock-tools.txt
	rm -rf $(LOCKER)
	$(PYTHON) -m venv $(LOCKER)
	$(LOCKER)/bin/python -m pip install --quiet --require-hashes --only-binary :all: -r requirements/lock-tools.txt
	touch $@
lock: $(LOCKER)/.installed
	$(UV_COMPILE) requirements/lock-tools.in -o requirements/lock-tools.txt
	$(UV_COMPILE) requirements/build.in -o requirements/build.txt
	$(UV_COMPILE) pyproject.toml -c requirements/build.txt -o requirements/runtime.txt
	$(UV_COMPILE) pyproject.toml --extra test -c requirements/build.txt -c requirements/runtime.txt -o requirements/test.txt

## make run: venv, install, migrate SQLite under var/, load demo data once, serve (gunicorn).
run: install-runtime
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen migrate --no-input -v0
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen demo --if-empty
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen insight refresh > /dev/null
	JEUGDKETEN_DEMO=true JEUGDKETEN_REQUIRE_2FA=false $(BIN)/jeugdketen serve --host $(HOST) --port $(PORT)

## make test: the whole suite (set DATABASE_URL=postgres://... for PostgreSQL).
test: install
	$(BIN)/pytest -q $(PYTEST_ARGS)

## make lint: ruff, mypy (strict), the import contracts (pyproject.toml) and no model change
## without its migration.
lint: install
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy src/jeugdketen
	$(BIN)/lint-imports
	JEUGDKETEN_DEMO=true $(BIN)/jeugdketen makemigrations --check --dry-run

## make bench: benchmarks on PostgreSQL; results in docs/performance.md.
bench: install
	$(BIN)/python -m bench.run $(BENCH_ARGS)

messages: install
	cd src/jeugdketen && ../../$(BIN)/jeugdketen makemessages -l en -l nl --no-obsolete --add-location file --no-wrap --ignore 'guide/*' && ../../$(BIN)/jeugdketen compilemessages

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
