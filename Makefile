# WriteCareNotes. `make run` and `make test` are all a newcomer needs (Python 3.11+).
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# The demo runs without two-factor so a newcomer can log in at once (see docs/configuration.md).
DEMO_ENV := WCN_TWO_FACTOR=$(or $(WCN_TWO_FACTOR),off)

.PHONY: run test lint check demo clean browser-deps

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
	WCN_ENV=test $(BIN)/python -m pytest -q $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

check: $(STAMP)
	WCN_ENV=production WCN_SECRET_KEY=check-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM$$RANDOM WCN_ALLOWED_HOSTS=care.example.org $(BIN)/writecarenotes check

clean:
	rm -rf $(VENV) var
