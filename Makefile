# Two commands: `make run` serves riskedu on SQLite, `make test` runs the whole suite.
# Both set everything up first (virtual environment, install, translations, static files, database).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000

export FLASK_APP := app.py
# A developer machine by default; production deployments set RISKEDU_ENV=production (see docs/deploy.md).
export RISKEDU_ENV ?= development

.PHONY: run test setup lint translations bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed
	$(BIN)/flask translations compile
	$(BIN)/flask assets compress
	$(BIN)/flask db upgrade
	$(BIN)/flask content check

run: setup
	$(BIN)/flask run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite runs on SQLite, then again on PostgreSQL when RISKEDU_TEST_DATABASE_URL names one (.ci/run does).
test: setup lint
	env -u RISKEDU_TEST_DATABASE_URL $(BIN)/python -m pytest
	@if [ -n "$$RISKEDU_TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL =="; \
		$(BIN)/python -m pytest; \
	fi

# Figures go to docs/benchmarks.md by hand, with the machine and the date.
bench: setup
	$(BIN)/python -m pip install --quiet -e '.[test,production]'
	$(BIN)/python bench/wire_size.py
	$(BIN)/python bench/sync_throughput.py
	$(BIN)/python bench/load.py
	$(BIN)/python bench/dashboard.py
	bash bench/lighthouse.sh

translations: $(VENV)/.installed
	$(BIN)/flask translations update

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache
	find static content/media \( -name '*.gz' -o -name '*.br' \) -delete
