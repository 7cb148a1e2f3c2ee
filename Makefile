# Two commands do everything: `make run` (set-up + main job) and `make test` (set-up + tests).
# The set-up needs only python3 (3.11+) with venv; uv is installed into the venv for speed
# and plain pip is the fallback. Bytecode is compiled at install time (pip does it, uv is
# asked to): where PYTHONDONTWRITEBYTECODE is set, nothing else would ever cache it and
# every kernel start would recompile pandas, scipy and nltk from source.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
ARGS   ?=
# uv is pinned like everything else the set-up installs.
UV_VERSION := 0.13.9

# The kernels' environment (hash seed, matplotlib backend, one BLAS thread) is pinned in
# the project kernel's spec, which the set-up installs into .venv (notebooks/kernel.py):
# JupyterLab, `run` and nbval all start that kernel.

.PHONY: help setup lock run build validate test lint lab bench clean

help:
	@echo "make run    set up .venv, validate data/raw, build data/processed, execute notebooks, render reports/"
	@echo "make test   set up .venv, run ruff and the whole test suite (pytest + nbval strict)"
	@echo "make lab    JupyterLab on the project's kernel"
	@echo "make bench  corpus-scale benchmark (prints throughput and memory)"

setup: $(STAMP)

$(STAMP): requirements.lock pyproject.toml src/analysis/notebooks/kernel.py
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@if $(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION) 2>/dev/null; then \
		VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install --quiet --compile-bytecode -r requirements.lock && \
		VIRTUAL_ENV=$(VENV) $(VENV)/bin/uv pip install --quiet --no-deps -e . ; \
	else \
		$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock && \
		$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e . ; \
	fi
	@$(PY) -m analysis install-kernel
	@touch $@

# Re-resolve the pins after editing requirements.in; environment.yml follows the lock.
lock:
	uv pip compile requirements.in --python-version 3.11 -o requirements.lock
	$(PYTHON) scripts/write_environment_yml.py

run: $(STAMP)
	$(PY) -m analysis run $(ARGS)

build: $(STAMP)
	$(PY) -m analysis build $(ARGS)

validate: $(STAMP)
	$(PY) -m analysis validate $(ARGS)

# The CI workflow against GitHub's workflow schema (vendored by check-jsonschema) and
# zizmor's security audit (pinned actions, least permissions), both offline.
lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(VENV)/bin/zizmor --offline --min-severity high .github/workflows

test: $(STAMP) lint
	$(PY) -m pytest
	$(PY) -m pytest --nbval notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg -p no:cacheprovider

lab: $(STAMP)
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks $$( [ "$$(id -u)" = 0 ] && echo --allow-root )

bench: $(STAMP)
	$(PY) benchmarks/bench.py $(ARGS)

clean:
	rm -rf $(VENV) reports/runs .pytest_cache
