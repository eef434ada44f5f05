# `make run` starts the shop on http://127.0.0.1:8000/ (SQLite, database search, demo data);
# `make test` runs the test suite; `make serve` starts the production stack (gunicorn, task
# workers, the scheduler) with settings from the environment. All create .venv (Python 3.12+).

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
DEV := DJANGO_SETTINGS_MODULE=storefront.settings.dev
PROD := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-storefront.settings.production}
# Task workers: RQ when TASKS_BACKEND=rq (any number: WORKERS), else the database queue.
WORKERS ?= 1
WORKER = $(if $(filter rq,$(TASKS_BACKEND)),rqworker default --with-scheduler,db_worker --interval 1)

# The first Python 3.12+ found: on PATH, then under pyenv.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 $$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then command -v $$c; break; fi; done)

.PHONY: run serve test venv demo messages clean

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

# The production stack on this machine. Needs SECRET_KEY and ALLOWED_HOSTS (README, "Production").
serve: venv
	$(PROD) $(PY) manage.py migrate --noinput -v 0
	$(PROD) $(PY) manage.py collectstatic --noinput -v 0
	@echo "Serving the shop with gunicorn on $${BIND:-127.0.0.1:$${PORT:-8000}} ($(WORKERS) task worker(s), the scheduler)"
	@trap 'kill 0' EXIT INT TERM; \
	for n in $$(seq 1 $(WORKERS)); do $(PROD) $(PY) manage.py $(WORKER) & done; \
	$(PROD) $(PY) manage.py run_scheduler & \
	$(PROD) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

test: venv
	$(PY) -m pytest

messages: venv
	$(DEV) $(PY) manage.py makemessages -l en --ignore=.venv --ignore=static --ignore=media --no-obsolete
	$(DEV) $(PY) manage.py compilemessages -l en --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 static
