# CallCenterAI: the few commands people run. `make serve` and `make test` are the README's two.
PYTHON ?= python3.11
VENV := .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export DVC_NO_ANALYTICS := 1
export TLDEXTRACT_CACHE := $(abspath $(VENV))/tldextract
PORT ?= 3000

.PHONY: install lock train retrain serve test lint bench monitoring-tools desk-tools spark-tools
.DEFAULT_GOAL := serve

$(VENV)/.installed: requirements.lock requirements-spark.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# Every file checked against its sha256 in the lock; torch's hash is the CPU wheel's, so no
	# CUDA build can land; --no-deps: the lock is the whole set, nothing unpinned comes in.
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements.lock
	# `batch --spark` and its test; not in the Bento's image (requirements.lock is)
	$(BIN)/pip install -q --require-hashes --no-deps -r requirements-spark.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

lock: install  ## rewrite requirements.lock and requirements-spark.lock (sha256 of every file) from .venv
	python -m devkit.lock

train: install  ## run the DVC pipeline (prepare, train, register, import into BentoML)
	dvc repro

# The learning loop: export the desk's feedback, prepare (feedback merged), retrain both models,
# gate against the champions (test split + recent feedback), import, tune routing. DVC reruns only
# what changed; running services pick a new champion up when restarted (docs/deploy.md).
retrain: install  ## retrain on the latest feedback (the Kubernetes CronJob in docs/deploy.md runs this)
	dvc repro

# params.yaml's serving.keep_alive_s (expanded only when a recipe uses it, after install)
KEEP_ALIVE_S = $(shell $(BIN)/python -c "from core.params import load_params; print(load_params()['serving']['keep_alive_s'])")

serve: train  ## train on params.yaml's data, then serve the agent on $(PORT)
	bentoml serve --port $(PORT) --timeout-keep-alive $(KEEP_ALIVE_S)

lint: install
	ruff check .
	ruff format --check .
	lint-imports
	bandit -q -c pyproject.toml -r core models router bentos store train batch cli

# promtool + prometheus for tests/monitoring, from Debian/Ubuntu's package; only when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
monitoring-tools:
	@command -v promtool >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }

# PostgreSQL (the store's tests start their own server) and headless Chromium + its driver (the review
# page's browser test), from Debian's packages; only when missing.
desk-tools:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v chromium >/dev/null && \
	  command -v chromedriver >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  postgresql chromium chromium-driver; }

# A Java runtime for PySpark (`batch --spark`, tests/batch): Debian's JRE 17, or its default one; only when missing.
spark-tools:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  { $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless || \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; }; }

test: lint monitoring-tools desk-tools spark-tools  ## lint, security scan and the whole test suite
	pytest
