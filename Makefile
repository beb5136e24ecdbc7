# Unspoken — two commands from a fresh clone: `make serve` and `make test`.
VENV    ?= .venv
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 8000
DB      ?= var/unspoken.db
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NODE    := node_modules/.installed
SCREENS ?= docs/screens

.PHONY: serve test lint typecheck pytest audit audit-known chromium node_modules screenshots bench clean

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

# The browser tests' accessibility checks inject axe-core, pinned in package.json and
# package-lock.json; npm comes from Debian's packages when it is missing. The app needs none of it.
$(NODE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE)

node_modules: $(NODE)

lint: $(STAMP)
	$(BIN)/ruff check src tests bench tools

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) chromium $(NODE)
	$(BIN)/pytest

# pip-audit over the installed packages: fails on a known vulnerability, and (make audit) on a
# package it could not check; make test lists those instead (docs/operating.md).
audit: $(STAMP)
	$(BIN)/python tools/audit.py

audit-known: $(STAMP)
	$(BIN)/python tools/audit.py --allow-unaudited

test: lint typecheck audit-known pytest

# Retakes docs/screens/ from the browser tests: the tour of every screen (and the states only
# the never-lose-a-word tests reach), at phone and laptop widths, light and dark; then squeezes
# the PNGs with pngquant (from Debian's packages when missing).
screenshots: $(STAMP) chromium $(NODE)
	@command -v pngquant >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq pngquant >/dev/null; }
	rm -rf $(SCREENS)
	UNSPOKEN_SCREENSHOTS=$(CURDIR)/$(SCREENS) $(BIN)/pytest -q -p no:randomly \
	  tests/browser/test_accessibility.py tests/browser/test_never_lose_a_word.py
	pngquant --force --skip-if-larger --ext .png --quality 70-95 --speed 1 $(SCREENS)/*.png; \
	  status=$$?; [ $$status -eq 0 ] || [ $$status -eq 98 ] || [ $$status -eq 99 ]

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The gentle check's model, from its corpus (scikit-learn, the train extra, for this only),
# then the shared vectors it answers; review both diffs. Deterministic: same corpus, same bytes.
.PHONY: train-gentle
train-gentle: $(STAMP)
	$(BIN)/pip install --quiet -e '.[train]'
	$(BIN)/python -m tools.train_gentle
	$(BIN)/python tests/gentle/make_model_vectors.py
