# CallCenterAI: the few commands people run. `make serve` and `make test` are the README's two.
PYTHON ?= python3.11
VENV := .venv
BIN := $(abspath $(VENV))/bin
export PATH := $(BIN):$(PATH)
export DVC_NO_ANALYTICS := 1
export TLDEXTRACT_CACHE := $(abspath $(VENV))/tldextract
PORT ?= 3000

.PHONY: install train serve test lint bench monitoring-tools spark-tools
.DEFAULT_GOAL := serve

$(VENV)/.installed: requirements.lock requirements-spark.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0  # the CPU wheel, before anything can pull a CUDA build
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q -r requirements-spark.lock  # `batch --spark` and its test; not in the Bento
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(VENV)/.installed

train: install  ## run the DVC pipeline (prepare, train, register, import into BentoML)
	dvc repro

serve: train  ## train on params.yaml's data, then serve the agent on $(PORT)
	bentoml serve --port $(PORT)

lint: install
	ruff check .
	ruff format --check .
	lint-imports
	bandit -q -c pyproject.toml -r core models router bentos train batch

# promtool + prometheus for tests/monitoring, from Debian/Ubuntu's package; only when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
monitoring-tools:
	@command -v promtool >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; }

# A Java runtime for PySpark (`batch --spark`, tests/batch): Debian's JRE 17, or its default one; only when missing.
spark-tools:
	@command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  { $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless || \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends default-jre-headless; }; }

test: lint monitoring-tools spark-tools  ## lint, security scan and the whole test suite
	pytest
