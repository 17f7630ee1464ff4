# The two commands of the README: `make site` and `make test`.
PYTHON ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test serve lint bench clean mutate mutate-js

NPM := $(shell command -v npm 2>/dev/null)

$(BIN)/mkdocs: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

# The editor tooling the tests run (remark + the pick schema), pinned by package-lock.json; only where npm exists.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund --silent

site: $(BIN)/mkdocs
	$(BIN)/mkdocs build --strict

serve: $(BIN)/mkdocs
	$(BIN)/mkdocs serve

test: $(BIN)/mkdocs $(if $(NPM),node_modules/.package-lock.json)
	$(BIN)/ruff check generator tests bench
	$(BIN)/lint-imports
	$(BIN)/python -X warn_default_encoding -m pytest -n 2

# About 20 minutes: ours vs Material's blog plugin vs plain pages; rewrites the table in bench/README.md.
bench: $(BIN)/mkdocs
	$(BIN)/python bench/limits.py 3
	$(BIN)/python bench/related.py
	$(BIN)/python bench/import_archive.py
	$(BIN)/python bench/sanitize.py 1000
	$(BIN)/python bench/email_send.py 1000
	$(BIN)/python bench/preview.py 1000
	$(BIN)/python bench/run.py
	$(BIN)/python bench/reader.py
	$(BIN)/python bench/sizes.py bench/out/1000/ours/site 1000

lint: $(BIN)/mkdocs
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench

clean:
	rm -rf site .pytest_cache

# Not part of `make test` (about three hours on two cores): mutmut over core, outputs and sources; writes bench/MUTATION.md.
mutate: $(BIN)/mkdocs
	$(BIN)/python -m pip install --quiet -c constraints.txt 'mutmut>=3.8,<4'
	# mutmut copies generator/ into mutants/ once and refreshes only its Python files: templates are synced here.
	test ! -d mutants || find generator -type f ! -name '*.py' ! -path '*__pycache__*' -exec cp --parents {} mutants/ \;
	start=$$(date +%s); $(BIN)/python -X warn_default_encoding -m mutmut run --max-children 2 || true; \
	$(BIN)/python bench/mutation.py $$(( $$(date +%s) - start )) > bench/MUTATION.md

# About 3 minutes: Stryker over the search worker against node's tests of the real file; writes bench/MUTATION-JS.md.
mutate-js: node_modules/.package-lock.json
	npx stryker run
	$(BIN)/python bench/mutation_js.py > bench/MUTATION-JS.md
