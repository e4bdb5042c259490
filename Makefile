# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# The Chromium the browser journeys drive (Debian's by default; README for other systems).
CHROMIUM ?= $(or $(MISPERS_CHROMIUM),/usr/bin/chromium)

.PHONY: run test setup assets browser pango java lint bench clean

# The server and the huey consumer (the sweeper) together; stopping the server stops the consumer.
run: setup
	$(BIN)/mispers migrate --noinput
	$(BIN)/mispers create_huey_tables
	$(BIN)/mispers collectstatic --noinput --verbosity 0
	$(BIN)/mispers demo
	BIN=$(BIN) scripts/serve.sh $(HOST):$(PORT)

# Tests run in parallel (pytest-xdist, one worker per core, at most four); each worker has its
# own test database on SQLite and PostgreSQL alike.
test: setup browser
	MISPERS_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q -n auto --maxprocesses 4

setup: $(VENV)/.installed node_modules/.installed mispers/static/build/app.css pango java

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

mispers/static/build/app.css: node_modules/.installed scripts/build-assets.mjs $(wildcard mispers/static_src/scss/*.scss)
	npm run build

assets:
	npm run build

# Browser journeys drive the system's Chromium; on Debian install it when missing and we may (CI
# runs as root). Elsewhere the README says what to install; `-m "not browser"` skips them.
# WeasyPrint (the deep-dive PDF) draws text with Pango: Debian's packages, installed when missing
# and we may (as Chromium is below); otherwise a hint, and everything but the PDF still works.
pango:
	@if ! ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0.so.0; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 \
	      libharfbuzz-subset0 >/dev/null; \
	  else echo "Pango is missing: the deep-dive PDF needs it (Debian: sudo apt-get install"; \
	    echo "libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0; macOS: brew install pango)"; fi; \
	fi

# The national linkage on Spark (`mispers hub link --engine spark`, ADR 47) runs pyspark on a
# Java runtime: Debian's Java 17, installed when missing and we may; otherwise a hint, and
# everything but the Spark engine still works.
java:
	@if [ -z "$$JAVA_HOME" ] && ! command -v java >/dev/null; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	  else echo "Java is missing: the Spark engine needs it (Debian: sudo apt-get install"; \
	    echo "openjdk-17-jre-headless; macOS: brew install openjdk@17)"; fi; \
	fi

browser:
	@if [ ! -x "$(CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing at $(CHROMIUM): install it (Debian: sudo apt-get install chromium;"; \
	    echo "others: see the README) and run make test CHROMIUM=/path/to/chromium, or skip the"; \
	    echo "browser tests: .venv/bin/pytest -n auto -m 'not browser'"; exit 1; fi; \
	fi

lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

bench: setup
	$(BIN)/python bench/grading.py
	$(BIN)/python bench/clocks.py
	$(BIN)/python bench/matching.py
	$(BIN)/python bench/partners.py
	$(BIN)/python bench/analysis.py
	$(BIN)/python bench/supervision.py
	$(BIN)/python bench/first_run.py

clean:
	rm -rf $(VENV) node_modules mispers/static/build var
