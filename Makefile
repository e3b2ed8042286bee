# Marquee — the two commands: `make run` (demo site + task cluster) and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: run test install lint format check clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@if command -v msgfmt >/dev/null; then $(BIN)/python manage.py compilemessages --ignore=.venv >/dev/null; fi
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --customers 5
	$(BIN)/python manage.py serve $(ADDR)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# The customer site's translations (locale/, docs/DESIGN.md §12): extract every wrapped string
# into the .po files, then compile the .mo files (both committed). Needs GNU gettext.
LOCALES := $(notdir $(wildcard locale/*))
MESSAGE_IGNORES := --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --ignore=media
messages: install
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(LOCALES)) $(MESSAGE_IGNORES) --no-location
	$(BIN)/python manage.py makemessages -d djangojs $(addprefix -l ,$(LOCALES)) $(MESSAGE_IGNORES) --no-location
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* media staticfiles .test-media
