# Shortcuts; the scripts do the work.
.PHONY: run test lint fmt ci

run:
	bin/run

test:
	bin/test $(ARGS)

lint:
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports

fmt:
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

ci:
	CI=true bash .ci/run
