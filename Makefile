# The two commands of the README: `make run` and `make test`.
# Each creates .venv with nothing but the Python on the machine, and installs
# the project into it when pyproject.toml changed since the last install.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint clean

run: $(VENV)/.installed
	$(BIN)/dialoog serve

test: lint
	$(BIN)/pytest

# The static checks alone: lint, format, types, and the dependency rules
# (import-linter's contracts in pyproject.toml; docs/architecture.md says why).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check bot protocols storage tests bench
	$(BIN)/ruff format --check bot protocols storage tests bench
	$(BIN)/mypy bot protocols storage
	$(BIN)/lint-imports --no-cache

$(VENV)/.created:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: pyproject.toml $(VENV)/.created
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.created
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache .grimp_cache .import_linter_cache
