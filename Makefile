# The two commands a newcomer needs: `make test` and `make run`. Both install what is missing first.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Type-checked packages (strict on zeebe/ via setup.cfg). Tests are not listed: several test
# directories share module names (conftest.py, no __init__.py), which mypy cannot map.
MYPY_TARGETS := zeebe services workers stack
PYTEST_ARGS ?=
# Every BPMN model the tests deploy must pass bpmnlint (zeebe/testing/lint_gate.py); 0 turns it off.
export CHECKOUT_BPMNLINT_GATE ?= 1

.PHONY: help setup lint typecheck test test-unit test-integration pytest run stop status bench-engine bench-checkout

help:
	@echo "make test       install what is missing, then lint, typecheck and run every test tier"
	@echo "make run        install what is missing, then run stack, engine, services, workers and a demo"
	@echo "make test-unit  only the unit tier (-m unit); test-integration: only -m integration"
	@echo "make setup | lint | typecheck | stop | status | bench-engine | bench-checkout"

setup:
	@bash scripts/setup.sh

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy $(MYPY_TARGETS)

# Runs all three checks even when one fails, so CI shows every problem at once.
test: setup
	@failed=""; \
	$(MAKE) --no-print-directory lint || failed="$$failed lint"; \
	$(MAKE) --no-print-directory typecheck || failed="$$failed typecheck"; \
	$(MAKE) --no-print-directory pytest || failed="$$failed tests"; \
	if [[ -n "$$failed" ]]; then echo "make test: FAILED:$$failed" >&2; exit 1; fi; \
	echo "make test: lint, typecheck and tests passed"

test-unit: setup
	@$(MAKE) --no-print-directory pytest PYTEST_ARGS="-m unit $(PYTEST_ARGS)"

test-integration: setup
	@$(MAKE) --no-print-directory pytest PYTEST_ARGS="-m integration $(PYTEST_ARGS)"

# pytest exit code 5 means "no tests collected": report it loudly, never as success.
pytest:
	@rc=0; $(PY) -m pytest $(PYTEST_ARGS) || rc=$$?; \
	if [[ $$rc -eq 5 ]]; then echo "make: pytest collected no tests (exit 5): failing" >&2; fi; \
	exit $$rc

# The local stack (PostgreSQL, Kafka, FerretDB), then the engine, services, relays, workers and the
# checkout API as supervised child processes, a demo of checkouts, and it keeps running until Ctrl-C.
run: setup
	$(PY) -m demo.supervisor --demo --with-stack

stop:
	$(PY) -m stack down

status:
	$(PY) -m stack status

# Benchmarks print numbers; they are scripts, not tests. Engine and workers in separate processes.
bench-engine: setup
	$(PY) benchmarks/bench_engine.py $(BENCH_ARGS)

# End-to-end checkouts/s and p50/p99 on the full local system (starts everything on free ports).
bench-checkout: setup
	$(PY) benchmarks/bench_checkout.py $(BENCH_ARGS)
