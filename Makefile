# Two commands do everything: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test demo migrate lint bench messages clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot run

demo: $(STAMP)
	$(BIN)/python -m bot demo

migrate: $(STAMP)
	$(BIN)/python -m bot migrate

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot handlers storage sandbox

# Most tests wait on the sandbox and on real timers, not on the CPU, so four workers
# finish in about half the time even on two cores.
test: lint
	$(BIN)/pytest -n 4

# Extract the messages of the code into locales/forumbridge.pot and update each language's
# catalogue (locales/<lang>/LC_MESSAGES/forumbridge.po, committed). The bot compiles the
# catalogues in memory when it starts: nothing to build.
messages: $(STAMP)
	$(BIN)/python -m locales.messages

bench: $(STAMP)
	for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
