# Unspoken — two commands from a fresh clone: `make serve` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 8000
DB      ?= var/unspoken.db
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: serve test lint typecheck pytest audit audit-known chromium screenshots bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,postgres,redis,bench]'
	touch $(STAMP)

serve: $(STAMP)
	mkdir -p $(dir $(DB))
	$(BIN)/unspoken serve --host $(HOST) --port $(PORT) --database $(DB)

# Browser tests drive Debian's chromium, and read printed keepsakes with poppler's pdftotext;
# install them when they are missing.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) chromium
	$(BIN)/pytest

# pip-audit over the installed packages: fails on a known vulnerability, and (make audit) on a
# package it could not check; make test lists those instead (docs/operating.md).
audit: $(STAMP)
	$(BIN)/python tools/audit.py

audit-known: $(STAMP)
	$(BIN)/python tools/audit.py --allow-unaudited

test: lint typecheck audit-known pytest

# Retakes docs/screenshots/ from the browser tests (phone and laptop widths).
screenshots: $(STAMP) chromium
	UNSPOKEN_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q -p no:randomly \
	  tests/browser/test_whispers.py tests/browser/test_goodbye_story.py tests/browser/test_pen.py \
	  tests/browser/test_chapters.py tests/browser/test_leaving.py

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
