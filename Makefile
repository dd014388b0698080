# The README's two commands: `make run` and `make test`. CI (.ci/run) calls the same targets.
# Python 3.11 or newer (CONTRACT §5): the first of these found, 3.11 preferred.
ifndef PYTHON
PYTHON := $(shell for p in python3.11 python3.12 python3.13 python3.14 python3; do \
  command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
  2>/dev/null && { echo $$p; break; }; done)
endif
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEV_ENV := DEBUG=true
HOST ?= 127.0.0.1
PORT ?= 8000
# make test runs the suite in one process per core (pytest-xdist); TEST_WORKERS=0 runs it in one.
TEST_WORKERS ?= auto

.PHONY: run setup test test-browser lint check bench serve-prod bench-load bench-summary bench-import bench-import-scale bench-faults bench-staff editor-bundle clean

$(VENV)/.installed: requirements.txt
	@test -n "$(PYTHON)" && command -v $(PYTHON) >/dev/null || \
	  { echo "Cần Python 3.11 trở lên (python3.11, python3.12, … hoặc PYTHON=…)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

setup: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput
	$(DEV_ENV) $(PY) manage.py load_demo --users

## First command: set everything up and serve http://127.0.0.1:8000 with demo data.
run: setup
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## Second command: the whole test suite (browser journeys included when chromium exists).
test: $(VENV)/.installed
	$(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

test-browser: $(VENV)/.installed
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py check
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=check-deploy-$$(date +%s)-not-a-real-secret-0123456789abcdefghij \
	  ALLOWED_HOSTS=kieumau.example.vn DATABASE_URL=postgres://postgres@127.0.0.1:5432/kieumau \
	  REDIS_URL=redis://127.0.0.1:6379/0 \
	  $(PY) manage.py check --deploy --fail-level WARNING

## Two gunicorn instances (127.0.0.1:8001 and :8002) on one PostgreSQL and one Redis,
## after migrate and collectstatic. Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL,
## REDIS_URL in the environment (README, Deployment).
serve-prod: $(VENV)/.installed
	./deploy/serve-prod.sh

## Load benchmark: two gunicorn instances on PostgreSQL (database km_load) and Redis,
## wrk against both; prints req/s and p99 as ratios of a bare-Django ceiling.
bench-load: $(VENV)/.installed
	$(PY) bench/load.py $(BENCH_ARGS)

## Figures benchmark: /api/tong-hop/ and /tien-do/<year>/ at 50, 500 and 5,000 units
## (databases km_bench_<n> on 127.0.0.1, filled once by bench/generate.py).
bench-summary: $(VENV)/.installed
	$(PY) bench/summary.py $(BENCH_ARGS)

## Staff screens: each district staff screen cold (time, HTML size) at 500 and 5,000
## units beside the count(*) baseline (databases km_bench_<n>, as bench-summary).
bench-staff: $(VENV)/.installed
	$(PY) bench/staff.py $(BENCH_ARGS)

## Import benchmark: a 50,000-row progress XLSX through import_data against openpyxl
## + one bulk upsert, in a throwaway database; prints times, ratio and peak memory.
bench-import: $(VENV)/.installed
	$(PY) bench/import_progress.py $(BENCH_ARGS)

## Import at scale: a province's quarter (100,000 progress rows, 5,000 units and
## registrations) through the admin's preview and confirmation, SQLite and PostgreSQL.
bench-import-scale: $(VENV)/.installed
	$(PY) bench/import_scale.py $(BENCH_ARGS)

## Fault injection: Redis stopped, killed and frozen under load on two gunicorns, and
## an import killed while writing; its own Redis on :16390, database km_faults.
bench-faults: $(VENV)/.installed
	$(PY) bench/faults.py $(BENCH_ARGS)

## The article editor's bundle (static/vendor/tiptap/: editor.bundle.js, LICENSES.txt)
## from frontend/editor/ with npm and esbuild; the result is committed, so neither CI
## nor a server needs npm.
editor-bundle:
	cd frontend/editor && npm ci --ignore-scripts --no-audit --no-fund && node build.mjs

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
