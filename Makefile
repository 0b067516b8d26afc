# release-qa: every target creates .venv on first use (CPU torch first, then the package).
VENV    ?= .venv
PYTHON  ?= python3
BIN      = $(VENV)/bin
STAMP    = $(VENV)/.installed-stamp
# The local CPU wheel; any other torch request pulls a multi-GB CUDA build.
TORCH    = torch==2.13.0
export GRADIO_ANALYTICS_ENABLED = False
export HF_HUB_OFFLINE = 1

.PHONY: help setup serve test check index eval tatqa bench bench-full bench-ray ablation soak screenshot system-deps clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check $(TORCH)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev,ray]'
	touch $(STAMP)

setup: $(STAMP)  ## create .venv and install everything (idempotent)
	@# Bytecode written once: a shell with PYTHONDONTWRITEBYTECODE=1 would otherwise compile
	@# every qa module on each `qa ask` (0.15 s of a one-shot answer); skips up-to-date files.
	$(BIN)/python -m compileall -q qa

serve: setup  ## build the index if needed and open the web chat on http://127.0.0.1:7860
	$(BIN)/qa serve

system-deps:  ## Debian packages the tests need: chromium (browser tests), iproute2 (Ray tests; root)
	@command -v chromium >/dev/null 2>&1 && command -v ip >/dev/null 2>&1 || \
	  { apt-get update -q && apt-get install -y -q chromium iproute2; }

test: setup system-deps  ## run the whole test suite (unit, real model, browser, Ray)
	$(BIN)/pytest

check: setup  ## lint, format check and type check
	$(BIN)/ruff check qa tests app.py
	$(BIN)/ruff format --check qa tests app.py
	$(BIN)/mypy

index: setup  ## build or refresh index/ from corpus/
	$(BIN)/qa index

eval: setup  ## score the system on eval/gold.jsonl against the baseline, report in eval/report/
	$(BIN)/qa eval --report eval/report

tatqa: setup  ## score on the whole TAT-QA dev split (278 reports, 1,668 questions; a few minutes)
	$(BIN)/qa eval eval/tatqa/tatqa_dataset_dev.json --report eval/report/tatqa --predictions eval/report/tatqa/predictions.json

bench: setup  ## latency, cold start, build, 100k-vector scale, server (--quick; ~5 min)
	$(BIN)/python -m bench --quick $(ARGS)

bench-full: setup  ## the same with 1M vectors and more repeats (an hour or more on 2 cores)
	$(BIN)/python -m bench $(ARGS)

bench-ray: setup system-deps  ## embedded vs Ray: throughput, overheads, balance, Serve QPS (root)
	$(BIN)/python -m bench.ray_bench $(ARGS)

screenshot: setup system-deps  ## regenerate docs/screenshot.png from the running web chat
	$(BIN)/python scripts/screenshot.py

ablation: setup  ## what each part of retrieval adds, on the gold and dev sets
	$(BIN)/python scripts/ablation.py

soak: setup system-deps  ## the long server load test (local runs)
	QA_SOAK=1 $(BIN)/pytest -m load

clean:  ## remove the built index and caches (keeps .venv)
	rm -rf index/CURRENT index/build-* index/.tmp-* index-baseline .pytest_cache .mypy_cache .ruff_cache
