# Two commands do all set-up: `make run` (serve the demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=
# pytest-xdist workers for `make test` (`auto`: one per core; `0`: one process). A test file stays
# on one worker, so module-level set-up is shared as before.
TEST_WORKERS ?= auto
RUN_ADDR ?= 127.0.0.1:8000

.PHONY: run test install lint format bench clean messages

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found; set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo
	DEBUG=1 $(BIN)/python manage.py build_packing_lists
	@# Web server, task worker and scheduler in one command. Ctrl-C stops all three; when the
	@# server exits (e.g. the port is taken by a second `make run`) the other two are stopped too.
	@DEBUG=1 $(BIN)/python manage.py lifecycle_worker & worker=$$!; \
	DEBUG=1 $(BIN)/python manage.py lifecycle_scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	DEBUG=1 $(BIN)/python manage.py runserver $(RUN_ADDR)

# The schema fuzz test runs in one process after the rest: under pytest-xdist schemathesis' generated
# cases are collected but never run (silently), so it never goes to the workers.
# TEST_MIGRATIONS: `--no-migrations` builds the SQLite test databases from the models (10 s less per
# process); `makemigrations --check` keeps models and migrations equal, and CI's PostgreSQL pass
# builds its databases by running the migrations (`make test TEST_MIGRATIONS=` does here too).
TEST_MIGRATIONS ?= --no-migrations
# FUZZ_SHARDS: the fuzz test's operations are split over this many processes run side by side
# (TW_FUZZ_SHARD in tests/conftest.py), each with its own test database; their output follows.
FUZZ_SHARDS ?= 2
# Python writes its bytecode caches, pytest's assertion-rewritten test modules included, even where
# the environment sets PYTHONDONTWRITEBYTECODE: without them every test process recompiles and
# rewrites ~560 modules (about 9 s of CPU each).
test: export PYTHONDONTWRITEBYTECODE =
test: $(STAMP)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(TEST_MIGRATIONS) --ignore=tests/test_schema_fuzz.py $(PYTEST_ARGS)
	@status=0; pids=""; \
	for i in $$(seq 0 $$(($(FUZZ_SHARDS) - 1))); do \
	  TW_FUZZ_SHARD=$$i/$(FUZZ_SHARDS) TW_TEST_DB_SUFFIX=fuzz$$i $(BIN)/python -m pytest -p no:xdist \
	    $(TEST_MIGRATIONS) tests/test_schema_fuzz.py $(PYTEST_ARGS) > .fuzz-shard-$$i.log 2>&1 & \
	  pids="$$pids $$!"; \
	done; \
	for pid in $$pids; do wait $$pid || status=1; done; \
	for i in $$(seq 0 $$(($(FUZZ_SHARDS) - 1))); do \
	  echo "== fuzz shard $$i/$(FUZZ_SHARDS)"; cat .fuzz-shard-$$i.log; \
	done; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP)
	@for f in bench/bench_*.py; do echo "== $$f"; DEBUG=1 $(BIN)/python $$f || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .test-db* .fuzz-shard-*.log

# Merge the English fragments into the catalogue Django reads (needs GNU gettext; the .mo is committed).
messages:
	msgcat --use-first locale/fragments/*.po -o locale/en/LC_MESSAGES/django.po
	msgfmt --check-format -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po
