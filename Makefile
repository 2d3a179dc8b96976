# Two commands do all the set-up on a fresh machine (Python 3.11 and make):
#   make run    serve the dashboard on http://localhost:$(PORT) with demo data
#   make test   run the whole test suite (installs Chromium and PostgreSQL from Debian when root)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= $(or $(STREAMLIT_SERVER_PORT),8501)

.PHONY: run run-cluster test test-fast init bench audit clean-store help

help:
	@echo "make run [PORT=8501]   serve the dashboard (builds the store with demo data on first start)"
	@echo "make run-cluster [SERVERS=2 CLUSTER_PORT=8080]   several servers behind nginx (needs nginx)"
	@echo "make test              the whole test suite"
	@echo "make test-fast         the tests not marked slow, browser or bench (the quick loop)"
	@echo "make bench             python -m kpi bench (scales 1, 10, 100)"
	@echo "make audit             python -m kpi audit: the workforce disclosure audit over the whole filter space"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

init: $(VENV)/.installed
	$(BIN)/python -m kpi init

run: init
	$(BIN)/python -m ui.serve --server.port=$(PORT)

# Several servers behind nginx on loopback (Debian's nginx; PostgreSQL in RBM_DATABASE_URL for real use).
SERVERS ?= 2
CLUSTER_PORT ?= 8080
run-cluster: init
	$(BIN)/python -m ui.cluster --servers $(SERVERS) --port $(CLUSTER_PORT)

AXE := tests/a11y/node_modules/axe-core/axe.min.js

$(AXE): tests/a11y/package.json
	cd tests/a11y && npm install --no-audit --no-fund --no-save --loglevel=error
	touch $@

# Test workers (pytest-xdist), one per core up to four; files stay whole on one worker (their module fixtures are
# built once) and each worker has its own PostgreSQL database (tests/conftest.py).
WORKERS ?= $(shell n=$$(nproc); echo $$(( n < 4 ? n : 4 )))

test: $(VENV)/.installed-dev
	bash scripts/system-deps.sh
	$(MAKE) $(AXE)
	RBM_TEST_POSTGRES_URL="$$(bash scripts/start-postgres.sh)" $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile $(PYTEST_ARGS)

# The quick loop while working: everything but the tests marked slow, browser or bench (make test runs them all).
test-fast: $(VENV)/.installed-dev
	RBM_TEST_POSTGRES_URL="$$(bash scripts/start-postgres.sh)" $(BIN)/python -m pytest -n $(WORKERS) --dist loadfile \
		-m "not slow and not browser and not bench" $(PYTEST_ARGS)

bench: $(VENV)/.installed
	$(BIN)/python -m kpi bench

audit: init
	$(BIN)/python -m kpi audit

clean-store:
	rm -f data/rbm.sqlite data/rbm.sqlite-wal data/rbm.sqlite-shm
