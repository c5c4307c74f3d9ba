# Two commands matter on a fresh machine: `make demo` and `make test`. Both create .venv.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint unit notebooks notebooks-refresh lab bench app clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,dask]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/e4-playbook demo

test: $(STAMP) lint unit notebooks

lint: $(STAMP)
	$(BIN)/ruff check playbook tests bench
	$(BIN)/lint-imports --no-cache

unit: $(STAMP)
	$(BIN)/python -m pytest tests

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg -p no:randomly notebooks

notebooks-refresh: $(STAMP)
	$(BIN)/python scripts/refresh_notebook_outputs.py notebooks

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

APP_ARGS ?=

app: $(STAMP)
	$(BIN)/python -m playbook.app $(APP_ARGS) notebooks

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) runs .pytest_cache
