# Galerie: the two commands are `make demo` and `make test`; the rest are their parts.
SHELL := /bin/bash
PY ?= python3
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9

.PHONY: demo test install lock lint typecheck importlint unit-tests browser check bench clean

demo: $(VENV)/.installed  ## install from the lock file if needed, then run the demo marketplace
	$(BIN)/galerie demo

test: $(VENV)/.installed browser  ## install likewise, then run the whole suite and the checks
	$(BIN)/python -m pytest
	$(MAKE) --no-print-directory check

check: lint typecheck importlint

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: $(VENV)/.installed
	$(BIN)/mypy src tests benchmarks

importlint: $(VENV)/.installed
	$(BIN)/lint-imports

bench: $(VENV)/.installed  ## benchmark suite: ratios to raw floors measured in the same run
	@command -v wrk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null) \
	      || echo "could not install wrk; the benchmarks will use their Python load generator"; \
	  else echo "wrk missing and not root: the benchmarks will use their Python load generator"; fi; }
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

install: $(VENV)/.installed

$(UV):
	$(PY) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: requirements.lock pyproject.toml | $(UV)
	test -d $(VENV) || $(UV) venv --quiet --python $(PY) $(VENV)
	VIRTUAL_ENV=$(VENV) $(UV) pip sync --quiet --require-hashes requirements.lock
	VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps -e .
	touch $@

lock: | $(UV)  ## re-resolve the pinned dependencies after editing pyproject.toml
	$(UV) pip compile pyproject.toml --group dev --generate-hashes --python-version 3.11 -q -o requirements.lock

# The browser journeys drive Debian's Chromium; install it when we can (root) and it is missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "could not install chromium; browser tests will be skipped"; \
	  else echo "chromium missing and not root: browser tests will be skipped"; fi; }

clean:
	rm -rf $(VENV) $(TOOLS) var .pytest_cache .mypy_cache .ruff_cache
