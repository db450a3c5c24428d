# The Co-production Portal. `make run` and `make test` do all their own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
INSTALLED := $(VENV)/.installed

# make test runs against this machine's PostgreSQL and Redis unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
# Production refuses a per-process cache (portal.E001); check --deploy is given a shared one.
TEST_CACHE_URL ?= redis://127.0.0.1:6379/14
# pytest-xdist: one test process per core (each with its own database and Redis queue).
PYTEST_WORKERS ?= auto
# make bench fills a database of its own (created if missing) with the national data set
# (manage.py seed_scale) and measures the portal under gunicorn (needs wrk: apt-get install wrk).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench_national
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/12
# make bench-lists: the older list-only benchmark over 100,000 CSOs and agreements.
BENCH_LISTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench_data

.PHONY: run setup test lint check messages clean bench bench-lists

$(INSTALLED): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	touch $(INSTALLED)

messages: $(INSTALLED)
	@if ! command -v msgfmt >/dev/null; then echo "msgfmt not found: using the committed .mo files"; \
	elif [ -d locale ]; then $(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

setup: $(INSTALLED) messages
	mkdir -p var/staticfiles
	$(BIN)/python manage.py migrate --noinput -v 0
	$(BIN)/python manage.py load_reference
	$(BIN)/python manage.py seed_demo

# DEBUG off: a visitor sees the portal's own 404 and 500 pages, never Django's debug page.
run: setup
	DEBUG=$${DEBUG:-false} $(BIN)/python manage.py serve --port $(PORT)

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r .

check: $(INSTALLED) messages
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} $(BIN)/python manage.py makemigrations --check --dry-run
	PORTAL_ENV=production SECRET_KEY=check-deploy-$$(printf 'k%.0s' {1..60}) ALLOWED_HOSTS=portal.example.go.th \
		DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} CACHE_URL=$${CACHE_URL:-$(TEST_CACHE_URL)} \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

test: lint check
	DATABASE_URL=$${DATABASE_URL:-$(TEST_DATABASE_URL)} \
	CELERY_BROKER_URL=$${CELERY_BROKER_URL:-$(TEST_BROKER_URL)} \
		$(BIN)/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Not part of make test (its smoke test is): writes bench/results.json and bench/results.md
# (BENCH_ARGS: e.g. --repeat 10 --duration 10 --scale 0.1; manage.py bench --help).
bench: $(INSTALLED) messages
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) \
		$(BIN)/python manage.py bench $(BENCH_ARGS)

bench-lists: $(INSTALLED)
	DATABASE_URL=$(BENCH_LISTS_DATABASE_URL) $(BIN)/python manage.py bench_lists $(BENCH_ARGS)

clean:
	rm -rf var
