# Gezel: `make run` to try it, `make test` to test it. Both set everything up on a fresh machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
export FLASK_APP := run.py

PO_FILES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: bench help run test test-sqlite test-postgresql lint format setup setup-dev translations \
	extract-messages update-messages db seed clean bench-contacts

help:
	@echo "make run     set up (venv, requirements, translations, database, demo data) and serve on $(HOST):$(PORT)"
	@echo "make test    set up and run the whole test suite on SQLite, then on PostgreSQL"
	@echo "make lint    ruff check and format check, and the import contracts (.importlinter)"
	@echo "make bench   benchmark at 20,000 and 100,000 clients on SQLite and PostgreSQL with the"
	@echo "             ratio per page (slow; data cached; BENCH_ARGS=--quick for 20,000 only),"
	@echo "             then 10/20/40 users at once under gunicorn beside the /healthz ceiling"
	@echo "             (THROUGHPUT_BENCH_ARGS=--quick for a short run),"
	@echo "             then tolerant search at 20,000 clients (p95 <= 50 ms),"
	@echo "             then 10 users at once while scans run back to back (no 5xx, nothing lost)"
	@echo "make update-messages   extract texts into the .po catalogs to translate"
	@echo "make bench-contacts   20 tablets posting contacts under gunicorn on SQLite; timeline timings"
	@echo "            (make bench also times an offline tablet's outbox of 50 contacts after reconnect)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the pinned requirements change.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: requirements-dev.txt requirements.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy --statistics -i $< -o $@

translations: $(MO_FILES)

setup: $(VENV)/.installed translations

setup-dev: setup $(VENV)/.installed-dev

db: setup
	$(BIN)/flask db upgrade

# The social map first: the demo contacts name organisations from it.
seed: db
	$(BIN)/flask socialmap seed
	$(BIN)/flask demo seed --if-empty

# The web server and the scheduler process together; Ctrl-C stops both.
run: seed
	@echo "Gezel on http://$(HOST):$(PORT)/ — demo accounts in README.md; Ctrl-C stops."
	@$(BIN)/flask scheduler run & scheduler=$$!; \
	trap 'kill $$scheduler 2>/dev/null; wait $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --host $(HOST) --port $(PORT)

test: setup-dev
	@scripts/ensure-chromium.sh
	$(BIN)/python scripts/run_tests.py $(PYTEST_ARGS)

test-sqlite: setup-dev
	$(BIN)/python scripts/run_tests.py --backend sqlite $(PYTEST_ARGS)

test-postgresql: setup-dev
	$(BIN)/python scripts/run_tests.py --backend postgresql $(PYTEST_ARGS)

bench: setup-dev
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)
	$(BIN)/python scripts/bench_throughput.py $(THROUGHPUT_BENCH_ARGS)
	$(BIN)/python scripts/bench_search.py $(SEARCH_BENCH_ARGS)
	$(BIN)/python scripts/bench_mixed_load.py $(MIXED_BENCH_ARGS)
	$(BIN)/python scripts/bench_privacy.py $(PRIVACY_BENCH_ARGS)
	$(MAKE) --no-print-directory bench-contacts
	$(BIN)/python scripts/bench_offline_sync.py
	$(BIN)/python scripts/bench_offline_sync.py --postgresql

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: setup-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# 20 tablets posting contacts for 30 s under gunicorn on SQLite (every acknowledged contact
# stored exactly once, no 5xx, no "database is locked"), then the timeline with 2,000 events
# on one client. CONTACTS_BENCH_ARGS="--writers 40 --seconds 60" to change the first.
bench-contacts: setup
	$(BIN)/python scripts/bench_concurrent_contacts.py $(CONTACTS_BENCH_ARGS)
	$(BIN)/python scripts/bench_timeline.py

extract-messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k ngettext:1,2 \
		--no-location --sort-output --ignore-dirs='.* __*' -o app/translations/messages.pot .

update-messages: extract-messages
	$(BIN)/pybabel update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
