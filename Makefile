# Unspoken — two commands from a fresh clone: `make serve` and `make test`.
#
# Every Python package comes from uv.lock, pinned with its sha256 hashes, through uv; uv itself
# comes from tools/uv-requirements.txt, also hash-pinned, into build/uv/. `make serve` installs
# what serving needs and nothing else; the test, bench, PostgreSQL and Redis extras are installed
# by the targets that need them (uv sync makes .venv exactly what each asks for).
VENV    ?= .venv
PYTHON  ?= python3
HOST    ?= 127.0.0.1
PORT    ?= 8000
DB      ?= var/unspoken.db
BIN     := $(VENV)/bin
UV_HOME := build/uv
UV      := $(UV_HOME)/bin/uv
NODE    := node_modules/.installed
NPX     := node_modules/.bin
SCREENS ?= docs/screens
JS      := src/unspoken/web

# uv: the project's venv at $(VENV), made from the Python that runs make, never a download.
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1

SYNC       := $(UV) sync --frozen --quiet
# The train extra (scikit-learn) too: tests/gentle/test_training.py retrains the gentle check's
# model and compares it byte for byte with the committed one.
TEST_DEPS  := --extra test --extra postgres --extra redis --extra train
BENCH_DEPS := $(TEST_DEPS) --extra bench

.PHONY: serve test lint lint-python lint-js typecheck pytest lock lock-upgrade lock-check \
	serve-env test-env bench-env audit audit-known chromium node_modules screenshots bench bench-peer soak train-gentle clean

$(UV): tools/uv-requirements.txt
	rm -rf $(UV_HOME)
	$(PYTHON) -m venv $(UV_HOME)
	$(UV_HOME)/bin/pip install --quiet --require-hashes --no-deps -r tools/uv-requirements.txt
	touch $@

serve-env: $(UV)
	$(SYNC)

test-env: $(UV)
	$(SYNC) $(TEST_DEPS)

bench-env: $(UV)
	$(SYNC) $(BENCH_DEPS)

serve: serve-env
	mkdir -p $(dir $(DB))
	$(BIN)/unspoken serve --host $(HOST) --port $(PORT) --database $(DB)

# After editing pyproject.toml's dependencies: `make lock` records the change and keeps every
# other pin; `make lock-upgrade` takes the newest releases the ranges allow. Both on purpose.
lock: $(UV)
	$(UV) lock

lock-upgrade: $(UV)
	$(UV) lock --upgrade

# Fails when pyproject.toml asks for something uv.lock does not hold (tests/test_lock.py too).
lock-check: $(UV)
	$(UV) lock --check

# Browser tests drive Debian's chromium, and read printed keepsakes with poppler's pdftotext;
# install them when they are missing.
chromium:
	@command -v chromium >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; }

# Test and lint tools from npm, pinned in package.json and package-lock.json: axe-core (the
# browser tests inject it), ESLint and TypeScript (make lint checks the browser code with them).
# npm comes from Debian's packages when it is missing. The app itself needs none of it.
$(NODE): package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $(NODE)

node_modules: $(NODE)

lint: lint-python lint-js

lint-python: test-env
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools

# The browser code, checked like the Python: ESLint (eslint.config.js) and TypeScript's checker
# over the JSDoc types (jsconfig.json); nothing is built or emitted.
lint-js: $(NODE)
	$(NPX)/eslint --max-warnings 0 $(JS)
	$(NPX)/tsc --project jsconfig.json

typecheck: test-env
	$(BIN)/mypy

pytest: test-env chromium $(NODE)
	$(BIN)/pytest

# pip-audit over every package in uv.lock (exported with its hashes): fails on a known
# vulnerability, and (make audit) on a package it could not check; make test lists those
# instead (docs/operating.md, "Dependency audit").
LOCKED := build/requirements-locked.txt

$(LOCKED): uv.lock $(UV)
	mkdir -p $(dir $@)
	$(UV) export --frozen --all-extras --no-emit-project --format requirements-txt --quiet -o $@

audit: test-env $(LOCKED)
	$(BIN)/python tools/audit.py $(LOCKED)

audit-known: test-env $(LOCKED)
	$(BIN)/python tools/audit.py --allow-unaudited $(LOCKED)

test: lock-check lint typecheck audit-known pytest

# Retakes docs/screens/ from the browser tests: the tour of every screen (and the states only
# the never-lose-a-word tests reach), at phone and laptop widths, light and dark; then squeezes
# the PNGs with pngquant (from Debian's packages when missing).
screenshots: test-env chromium $(NODE)
	@command -v pngquant >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq pngquant >/dev/null; }
	rm -rf $(SCREENS)
	UNSPOKEN_SCREENSHOTS=$(CURDIR)/$(SCREENS) $(BIN)/pytest -q -p no:randomly \
	  tests/browser/test_accessibility.py tests/browser/test_never_lose_a_word.py
	pngquant --force --skip-if-larger --ext .png --quality 70-95 --speed 1 $(SCREENS)/*.png; \
	  status=$$?; [ $$status -eq 0 ] || [ $$status -eq 98 ] || [ $$status -eq 99 ]

bench: bench-env
	$(BIN)/python -m bench

# Unspoken beside Synapse (the Matrix homeserver), driven with the same client pattern;
# Synapse is installed into build/peer/, never into .venv (bench/peer/, docs/performance.md).
bench-peer: bench-env
	$(BIN)/python -m bench.peer

# The long runs: a member's latency through four floods of 200,000 made-up tokens (22 minutes
# on a 2-core machine; bench/flood.py, docs/performance.md).
soak: bench-env
	$(BIN)/python -m bench.flood

clean:
	rm -rf $(VENV) node_modules build *.egg-info .pytest_cache .mypy_cache .ruff_cache

# The gentle check's model, from its corpus (scikit-learn, the train extra, for this only),
# then the shared vectors it answers; review both diffs. Deterministic: same corpus, same bytes.
train-gentle: test-env
	$(BIN)/python -m tools.train_gentle
	$(BIN)/python tests/gentle/make_model_vectors.py
