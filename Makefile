# The two commands of the README: `make site` and `make test`.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test serve lint bench clean

$(BIN)/mkdocs: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(BIN)/mkdocs
	$(BIN)/mkdocs build --strict

serve: $(BIN)/mkdocs
	$(BIN)/mkdocs serve

test: $(BIN)/mkdocs
	$(BIN)/ruff check generator tests bench
	$(BIN)/python -m pytest

# About 20 minutes: ours vs Material's blog plugin vs plain pages; rewrites the table in bench/README.md.
bench: $(BIN)/mkdocs
	$(BIN)/python bench/sanitize.py 1000
	$(BIN)/python bench/run.py

lint: $(BIN)/mkdocs
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

clean:
	rm -rf site .pytest_cache
