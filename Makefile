# egov: `make run` serves the platform in demo mode, `make test` runs every test.
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && echo $$p && break; done)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8000

.PHONY: install run setup test test-sqlite test-postgres lint bench messages clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "egov needs Python 3.11 or newer"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,postgres]"
	@touch $(STAMP)

install: $(STAMP)

setup: install
	EGOV_PROFILE=demo $(BIN)/egov setup

run: setup
	EGOV_PROFILE=demo PORT=$(PORT) $(BIN)/egov serve --with-worker

test: install
	@bash scripts/test.sh

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python bench/run.py

# English is the second language: msgids are Vietnamese, src/egov/locale/en holds the English.
# Locations without line numbers, and no obsolete entries, so the .po changes only when text does.
messages: install
	cd src/egov && ../../$(BIN)/egov makemessages -l en --ignore "*/migrations/*" \
	  --add-location file --no-obsolete && ../../$(BIN)/egov compilemessages -l en

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache
