VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install browser test lint typecheck pytest run bench bench-load bench-determinism bench-explain bench-quality bench-peer bench-scaling bench-trischedule bench-triathlon clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium for tests/browser: Debian's package, driven by Playwright (no browser
# download). Installed only when missing.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM  # tests/browser/conftest.py launches this one
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

$(CHROMIUM):
	$(SUDO) apt-get update -q
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium

browser: $(CHROMIUM)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

pytest: $(STAMP) $(CHROMIUM)
	$(VENV)/bin/pytest -q

test: lint typecheck pytest

run: $(STAMP)
	$(VENV)/bin/trainplan dev

# Time to a first plan and to a proven 1% gap, default marathon 8-52 weeks and the
# plan-quality runners (~4 min per variant): bench/results/engine.md.
bench: $(STAMP)
	$(PY) -m bench.bench_engine

# The whole stack on loopback (a few minutes): bench/results/load.md and load.json.
bench-load: $(STAMP)
	$(PY) -m bench.bench_load

# Plan quality over 11 runners, coach-grade model against the one before (~4 min):
# bench/results/quality.md.
bench-quality: $(STAMP)
	$(PY) -m bench.bench_quality

# Repeatable (seeded) search against the free portfolio (~3 min): bench/results/determinism.md.
bench-determinism: $(STAMP)
	$(PY) -m bench.bench_determinism

# Infeasible requests, explanation included, and the explanation by search alone (~1 min):
# bench/results/explain-current.md.
bench-explain: $(STAMP)
	$(PY) -m bench.bench_explain

# The plan model by CP-SAT and by HiGHS, same MIP, same run (~8 min): bench/results/peer.md.
bench-peer: $(STAMP)
	$(PY) -m bench.bench_peer

# The stack's throughput with 1 and 2 worker processes (~6 min): bench/results/scaling.md.
bench-scaling: $(STAMP)
	$(PY) -m bench.bench_scaling

# The triathlon seed, whole season vs its week-by-week method (~6 min):
# bench/results/trischedule.md.
bench-trischedule: $(STAMP)
	$(PY) -m bench.bench_trischedule

# Triathlon rows, sprint to ironman at 6, 10 and 15 weekly hours, and the rule checkers
# on their plans (~2.5 min): bench/results/triathlon.md.
bench-triathlon: $(STAMP)
	$(PY) -m bench.bench_triathlon

clean:
	rm -rf $(VENV) .data .mypy_cache .pytest_cache .ruff_cache
