# Cadre Pool — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
# `make run` is a local demo: DEBUG on, SQLite under var/ unless DATABASE_URL says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-true}
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/cadre_pool
SQLITE_TEST_URL := sqlite:///$(CURDIR)/var/test.sqlite3
PYTEST_ARGS ?=

.PHONY: help run setup test test-postgres test-sqlite lint format messages clean backup restore prune-audit reliability bench

help:
	@echo "make run     set up, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test    set up and run the whole suite on PostgreSQL, then on SQLite"
	@echo "make lint    ruff, the import layers (scripts/check-layers), manage.py check, makemigrations --check"
	@echo "make reliability  concurrency, import, access-matrix, PI-exposure and restore tests, then their figures"
	@echo "make bench   build or reuse the 1M-candidate scale databases, measure against raw limits (docs/performance.md)"
	@echo "make backup  the database and private files in one archive under var/backups/ (FILE=... to choose)"
	@echo "make restore FILE=var/backups/....tar   the archive into DATABASE_URL and PRIVATE_MEDIA_ROOT (replaces them)"

$(PY):
	@python="$$(scripts/find-python)" && echo "Creating $(VENV) with $$python" && "$$python" -m venv $(VENV)
	@$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.requirements: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.requirements-dev: requirements-dev.txt requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.requirements

# A developer checkout gets a local, git-ignored .env with DEBUG on, so that a plain
# `manage.py` works here. The environment always wins over it; production has no .env.
.env:
	@printf '# Local development settings (git ignores this file; see README, Configuration).\nDEBUG=true\n' > $@
	@echo "Wrote .env with DEBUG=true for local development"

setup: $(VENV)/.requirements .env
	@mkdir -p var
	$(RUN_ENV) $(MANAGE) migrate --no-input -v 0
	$(RUN_ENV) $(MANAGE) load_reference_data
	$(RUN_ENV) $(MANAGE) seed_demo

run: setup
	@echo "Serving on http://$(HOST):$(PORT)/ with a background worker for large exports (Ctrl-C stops both)"
	@$(RUN_ENV) $(MANAGE) db_worker --no-startup-delay & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(RUN_ENV) $(MANAGE) runserver $(HOST):$(PORT)

test: $(VENV)/.requirements-dev
	@scripts/system-packages
	@mkdir -p var test-output
	$(MAKE) --no-print-directory test-postgres
	$(MAKE) --no-print-directory test-sqlite

test-postgres: $(VENV)/.requirements-dev
	DATABASE_URL=$${DATABASE_URL:-$(PG_TEST_URL)} DJANGO_SETTINGS_MODULE=tests.settings $(MANAGE) check_database
	DATABASE_URL=$${DATABASE_URL:-$(PG_TEST_URL)} $(PY) -m pytest $(PYTEST_ARGS)

# The second pass of `make test`: CADRE_SECOND_PASS leaves out the browser journeys and the tests that
# use no database, which the PostgreSQL pass has just run (tests/conftest.py); ALL=1 runs everything.
test-sqlite: $(VENV)/.requirements-dev
	DATABASE_URL=$(SQLITE_TEST_URL) CADRE_SECOND_PASS=$(if $(ALL),,1) $(PY) -m pytest $(PYTEST_ARGS)

# The reliability tests on PostgreSQL, then one table of what they tried, and what succeeded,
# was refused, lost or leaked (tests/reliability.py). Fails when lost or leaked is not 0.
reliability: $(VENV)/.requirements-dev
	@scripts/system-packages
	@rm -rf test-output/reliability && mkdir -p var test-output
	DATABASE_URL=$${DATABASE_URL:-$(PG_TEST_URL)} $(PY) -m pytest -m reliability $(PYTEST_ARGS)
	@$(PY) scripts/reliability-report

lint: $(VENV)/.requirements-dev .env
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) scripts/check-layers
	DEBUG=true $(MANAGE) check
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

format: $(VENV)/.requirements-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: $(VENV)/.requirements
	DEBUG=true $(MANAGE) makemessages -l zh_Hans --ignore '.venv/*' --ignore 'var/*' --ignore 'tests/*'
	DEBUG=true $(MANAGE) compilemessages -l zh_Hans --ignore '.venv/*'

# Performance at national scale (docs/performance.md): builds or reuses cadre_scale_10k, cadre_scale_100k and
# cadre_scale (1,000,000 candidates) on BENCH_PG, measures, prints the table, writes bench/results.json.
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
BENCH_ARGS ?=
bench: $(VENV)/.requirements
	@command -v wrk >/dev/null || apt-get install -y -q wrk || (apt-get update -q && apt-get install -y -q wrk)
	BENCH_PG=$(BENCH_PG) $(PY) -m bench.run $(BENCH_ARGS)

# Operations (S20, S10). DATABASE_URL must name the production PostgreSQL database.
backup:
	scripts/backup $(FILE)

restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=var/backups/cadre_pool-....tar"; exit 2; }
	scripts/restore $(FILE)

prune-audit:
	$(MANAGE) prune_audit

clean:
	rm -rf var test-output
