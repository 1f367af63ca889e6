# EST: two commands for a fresh Debian machine with Python 3.11 — `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PO_FILES := $(wildcard est_pwa/translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test lint format messages chromium clean

run: $(VENV)/.installed $(MO_FILES)
	mkdir -p instance
	$(FLASK) est init-db
	$(FLASK) est demo
	$(FLASK) run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test $(MO_FILES) chromium
	$(BIN)/pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Compiled catalogues are build output: made from the .po files on install.
%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

# Extract the texts to translate and merge them into each language's catalogue.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o est_pwa/translations/messages.pot .
	$(BIN)/pybabel update -i est_pwa/translations/messages.pot -d est_pwa/translations --no-fuzzy-matching

# Browser tests drive Debian's Chromium, never a downloaded browser.
chromium:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium chromium-driver; }
	@chromium --version 2>/dev/null | head -n 1

clean:
	rm -rf $(VENV) $(MO_FILES) .pytest_cache
