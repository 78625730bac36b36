# Terroir Souk — the README's two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

export DJANGO_SETTINGS_MODULE ?= shop.settings

.PHONY: install run test lint format demo migrate lock audit clean stack stack-stop stack-status bench-load bench-faults

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

install: $(STAMP) $(MO_FILES)

# Compiled message catalogues are build output (gitignored); pybabel needs no GNU gettext.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/pybabel compile --domain django --input-file $< --output-file $@

# Reinstall only when the pinned dependencies change.
$(STAMP): requirements.lock setup.cfg
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	@touch $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Loads the demo marketplace once, on an empty database (load_demo itself is idempotent).
demo: migrate
	@if $(BIN)/python manage.py shell -c "from oscar.core.loading import get_model; import sys; sys.exit(0 if get_model('catalogue','Product').objects.exists() else 1)"; then \
		echo "Demo data already loaded."; \
	else \
		$(BIN)/python manage.py load_demo; \
	fi

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the pins from setup.cfg's ranges (needs pip-tools in the venv).
lock: install
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --output-file requirements.lock setup.cfg

# Known vulnerabilities of the pinned dependencies. pip-audit asks PyPI's JSON API about each pin;
# the lock pins everything, so no resolution (--no-deps), and a pin it cannot check fails (--strict).
audit: install
	$(BIN)/pip install --quiet pip-audit
	$(BIN)/pip-audit -r requirements.lock --progress-spinner off --no-deps --strict

# Production-like mode on this machine's PostgreSQL and Redis: nginx in front of two gunicorn
# instances, a Celery worker and Celery beat (deploy/stack.py; README, "Production-like mode").
stack: install $(MO_FILES)
	@command -v nginx >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)
	$(BIN)/python deploy/stack.py start

stack-stop:
	@test -x $(BIN)/python && $(BIN)/python deploy/stack.py stop || echo "No .venv: nothing was started."

stack-status:
	$(BIN)/python deploy/stack.py status

LOCUST_VERSION := 2.47.0

# Load mix against a running `make stack` (locust, installed here on first use; not a shop dependency).
bench-load: install
	@test -x $(BIN)/locust || $(BIN)/pip install --quiet locust==$(LOCUST_VERSION)
	$(BIN)/python bench/stack_load.py $(BENCH_ARGS)

# Checkouts through crashes, on a stack of its own (PostgreSQL database from DATABASE_URL).
bench-faults: install $(MO_FILES)
	@command -v nginx >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx)
	$(BIN)/python bench/stack_faults.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3
