# WriteCareNotes. `make run` and `make test` are all a newcomer needs (Python 3.11+).
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The demo runs without two-factor so a newcomer can log in at once (see docs/configuration.md).
DEMO_ENV := WCN_TWO_FACTOR=$(or $(WCN_TWO_FACTOR),off)

.PHONY: run test lint check demo clean browser-deps test-postgres ci

# pytest runs on every core (pytest-xdist; idle workers steal queued tests, so one slow module does not
# hold the run back); `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(DEMO_ENV) $(BIN)/writecarenotes serve

demo: $(STAMP)
	$(BIN)/writecarenotes demo --reset

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	WCN_ENV=test $(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: $(STAMP)
	WCN_ENV=production WCN_SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') WCN_ALLOWED_HOSTS=care.example.org $(BIN)/writecarenotes check

# The browser tests use Debian's chromium (never `playwright install`); they skip without it.
browser-deps:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

# The whole suite on PostgreSQL (pytest-django creates and drops test_<name>); browser tests excluded.
test-postgres: $(STAMP)
	WCN_ENV=test DATABASE_URL=$(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/test) \
		$(BIN)/python -m pytest -q -n $(PYTEST_WORKERS) --dist worksteal -m "not browser" $(PYTEST_ARGS)

# What CI runs (chromium, SQLite + browser, PostgreSQL, deployment checks): see .ci/run.
ci:
	./.ci/run

clean:
	rm -rf $(VENV) var
