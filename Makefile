# `make run` starts the shop on http://127.0.0.1:8000/ (SQLite, database search, demo data);
# `make test` runs the test suite. Both create .venv (Python 3.12+) when it is missing.

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
DEV := DJANGO_SETTINGS_MODULE=storefront.settings.dev

# The first Python 3.12+ found: on PATH, then under pyenv.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

.PHONY: run test venv demo messages clean

venv: $(STAMP)

$(STAMP): requirements.txt
	@if [ -z "$(PYTHON)" ]; then echo "Python 3.12 or newer is needed (none found on PATH or under ~/.pyenv)." >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $(STAMP)

demo: venv
	$(DEV) $(PY) manage.py migrate --noinput -v 0
	$(DEV) $(PY) manage.py configure_site
	$(DEV) $(PY) manage.py load_demo
	$(DEV) $(PY) manage.py setup_roles
	$(DEV) $(PY) manage.py seed_shipping_rates
	$(DEV) $(PY) manage.py search_reindex --no-progress
	$(DEV) $(PY) manage.py ensure_admin

# The task worker (search indexing, e-mails) runs beside the web server and stops with it.
run: demo
	@echo "Starting the shop at http://127.0.0.1:8000/ (admin: http://127.0.0.1:8000/admin/)"
	@trap 'kill 0' EXIT INT TERM; \
	$(DEV) $(PY) manage.py db_worker --interval 1 & \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: venv
	$(PY) -m pytest

messages: venv
	$(DEV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=static --ignore=media --no-obsolete
	$(DEV) $(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 static
