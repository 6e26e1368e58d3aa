# Two jobs for a fresh machine: `make demo` (install + ingest the seeds + who-said-what) and
# `make test`. Everything lives in .venv; torch is installed first, pinned to the CPU wheel,
# so nothing pulls the multi-GB CUDA build.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
INDEX ?= index
WHEELS := $(wildcard /opt/wheels)
PIP_INSTALL := $(BIN)/pip install --quiet $(if $(WHEELS),--find-links $(WHEELS),)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1

.PHONY: install demo test test-fast lint bench eval clean

$(BIN)/.installed: pyproject.toml
	$(PY) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade pip
	$(PIP_INSTALL) torch==2.13.0
	$(PIP_INSTALL) -e '.[dev]'
	touch $@

install: $(BIN)/.installed

demo: install
	$(BIN)/factcheck ingest seeds/ --metadata seeds/metadata.json --index $(INDEX)
	$(BIN)/factcheck speakers --index $(INDEX)
	$(BIN)/factcheck quotes --index $(INDEX)
	$(BIN)/factcheck search "missiles destabilizing for Israel" --speaker kerry -k 3 --index $(INDEX)
	$(BIN)/factcheck report --index $(INDEX)

test: install
	$(BIN)/ruff check factcheck tests bench
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not model and not browser and not slow"

lint: install
	$(BIN)/ruff check factcheck tests bench

eval: install
	$(BIN)/python bench/eval_attribution.py

clean:
	rm -rf $(VENV) $(INDEX)/*.sqlite* $(INDEX)/*.faiss
