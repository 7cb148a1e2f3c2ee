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
# uv is pinned like everything else the set-up installs, and verified by hash like the rest:
# requirements-uv.lock carries its hashes (written by `make lock` from UV_VERSION).
UV_VERSION := 0.13.9
UV         := $(VENV)/bin/uv
UV_LOCK    := requirements-uv.lock

# The kernels' environment (hash seed, matplotlib backend, one BLAS thread) is pinned in
# the project kernel's spec, which the set-up installs into .venv (notebooks/kernel.py):
# JupyterLab, `run` and nbval all start that kernel.

.PHONY: help setup lock run build validate test lint lab bench screenshots clean

help:
	@echo "make run    set up .venv, validate data/raw, build data/processed, execute notebooks, render reports/"
	@echo "make test   set up .venv, run ruff and the whole test suite (pytest + nbval strict)"
	@echo "make lab    JupyterLab on the project's kernel"
	@echo "make bench  corpus-scale benchmark (prints throughput and memory)"
	@echo "make screenshots  check reports/html offline and photograph each page (needs chromium)"

setup: $(STAMP)

# Both installers run in hash-checking mode: every file downloaded must match a sha256 hash
# in the lock, or the set-up fails. Wheels only (--only-binary): a source build would run
# its build backend from unhashed downloads, and uv, given a wheel whose hash does not
# match, would quietly build the package's sdist instead of failing. pip takes the lock
# as the complete set (--no-deps): in hash-checking mode it refuses a dependency asked for
# with an extra (jupyter-events needs jsonschema[format-nongpl]) as "not pinned". The
# editable install of this project has no hash and stays a separate --no-deps step, built
# without build isolation by the locked, hash-checked setuptools (nothing downloaded). Each
# step says what it does; installers stay --quiet (no progress bars in CI logs; errors
# still print).
$(STAMP): requirements.lock $(UV_LOCK) pyproject.toml src/analysis/notebooks/kernel.py
	@set -e; start=$$(date +%s); \
	pins=$$(grep -c '^[A-Za-z0-9][A-Za-z0-9._-]*==' requirements.lock); \
	if test -x $(PY); then \
		echo "set-up: updating $(VENV) ($$($(PY) --version 2>&1))"; \
	else \
		echo "set-up: creating $(VENV) with $(PYTHON) ($$($(PYTHON) --version 2>&1))"; \
		$(PYTHON) -m venv $(VENV); \
	fi; \
	echo "set-up: installing uv $(UV_VERSION) (hash checked)"; \
	if uvlog=$$($(PY) -m pip install --quiet --disable-pip-version-check --require-hashes \
			--only-binary :all: -r $(UV_LOCK) 2>&1); then \
		echo "set-up: installing $$pins pinned packages from requirements.lock (hashes checked) with uv"; \
		VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --compile-bytecode --require-hashes \
			--only-binary :all: -r requirements.lock; \
		echo "set-up: installing the analysis package (editable)"; \
		VIRTUAL_ENV=$(VENV) $(UV) pip install --quiet --no-deps --no-build-isolation -e .; \
	else \
		echo "$$uvlog" >&2; \
		echo "set-up: uv could not be installed (above); installing with pip instead"; \
		echo "set-up: installing $$pins pinned packages from requirements.lock (hashes checked) with pip"; \
		$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes \
			--only-binary :all: --no-deps -r requirements.lock; \
		echo "set-up: installing the analysis package (editable)"; \
		$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation \
			-e .; \
	fi; \
	echo "set-up: installing the Jupyter kernel"; \
	$(PY) -m analysis install-kernel; \
	touch $@; \
	echo "set-up: done in $$(( $$(date +%s) - start )) s"

# Re-resolve the pins after editing requirements.in, with the pinned uv. The old lock is the
# output, so every pin that still fits stays as it is; every file's sha256 hash is written
# (the set-up checks them). uv's own pin and hashes follow UV_VERSION; environment.yml
# follows the lock.
lock: $(STAMP)
	$(UV) pip compile --quiet requirements.in --python-version 3.11 --generate-hashes \
		-o requirements.lock
	echo "uv==$(UV_VERSION)" | $(UV) pip compile --quiet - --python-version 3.11 --generate-hashes \
		--custom-compile-command "make lock" -o $(UV_LOCK)
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

# The rendered pages as a reviewer sees them, offline: checked without a browser, then the
# first screen of each photographed by headless Chromium (Debian: apt-get install chromium)
# into reports/screenshots/ (ignored by git).
screenshots: $(STAMP)
	$(PY) scripts/screenshot_pages.py $(ARGS)

clean:
	rm -rf $(VENV) reports/runs .pytest_cache
