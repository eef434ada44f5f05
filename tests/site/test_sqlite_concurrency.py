"""The embedded default (`make run`: a SQLite file, runserver and `db_worker`) takes concurrent writes.

Real processes on a real SQLite file, whatever database the rest of the suite uses: the task worker
works through a queue of search-indexing and reference-index tasks while another process enqueues
more and editors submit and publish product pages through the Wagtail admin at the same moment.
Without the SQLite options of `storefront.settings.base` (WAL, IMMEDIATE transactions, a busy
timeout) some of these writes fail with "database is locked": 500s in the admin, failed tasks, or a
revision saved without its workflow. This test proves none of that happens.
"""

import ctypes
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-admin-123"
EDITORS = 6  # threads, each with its own admin session: one submission and one publication each
ENQUEUED_BURST = 100  # extra tasks enqueued by another process while the editors save
TIMEOUT = 120  # seconds to wait for any condition: CI runs on two slow shared cores

SET_UP = f"""
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", verbosity=0)
call_command("setup_roles", verbosity=0)
get_user_model().objects.create_superuser("admin", "admin@example.com", "{PASSWORD}")
"""
# Ready, then (on a line on stdin) a burst of indexing tasks, as fast as one process enqueues them.
ENQUEUE_BURST = f"""
import sys
from catalog.models import ProducerPage, ProductPage
from search.tasks import index_producer, index_products
products = list(ProductPage.objects.values_list("pk", flat=True))
producers = list(ProducerPage.objects.values_list("pk", flat=True))
print("ready", flush=True)
sys.stdin.readline()
for n in range({ENQUEUED_BURST}):
    if n % 5:
        index_products.enqueue(products[n % len(products):][:3])
    else:
        index_producer.enqueue(producers[n % len(producers)])
"""


def sqlite_env(directory: Path) -> dict:
    """`make run`'s environment on a database of our own: the dev settings, the database queue,
    database search and per-process caches, none of the suite's or CI's services."""
    env = {k: v for k, v in os.environ.items() if k not in {"SQLITE_BUSY_TIMEOUT", "DATABASE_CONN_MAX_AGE"}}
    env.update(
        DJANGO_SETTINGS_MODULE="storefront.settings.dev", DEBUG="1", ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{directory}/db.sqlite3", TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        ELASTICSEARCH_URL="", REDIS_URL="", S3_BUCKET="", MEDIA_ROOT=str(directory / "media"), PYTHONUNBUFFERED="1",
    )
    return env


def manage(env, *args):
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def die_with_pytest():
    """In the child (Linux): SIGTERM when the test process dies, even killed outright (a CI timeout)."""
    ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start(env, *args, **streams):
    """A manage.py command in its own process group (so `stop` ends it and its children)."""
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, text=True, start_new_session=True,
                            preexec_fn=die_with_pytest if sys.platform == "linux" else None, **streams)


def start_logged(env, log: Path, *args):
    with log.open("w") as out:
        return start(env, *args, stdout=out, stderr=subprocess.STDOUT)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_for(condition, what, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        assert time.monotonic() < deadline, f"gave up waiting for {what} after {timeout} s"
        time.sleep(0.5)
    return result


def query(path: Path, sql, *params):
    with closing(sqlite3.connect(path, timeout=30)) as db:
        return db.execute(sql, params).fetchall()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class EditForm(HTMLParser):
    """The fields a browser would post from Wagtail's page edit form: every named input, select and
    textarea of `#page-edit-form`, less the inline panels' empty-form templates and the buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields, self.in_form, self.in_template = [], False, 0
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == "page-edit-form"
        elif tag == "template":
            self.in_template += 1
        if not self.in_form or self.in_template or not attrs.get("name") and tag != "option":
            return
        name = attrs.get("name")
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file", "image", "reset"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.fields.append((name, attrs.get("value", "on" if attrs.get("type") == "checkbox" else "")))
        elif tag == "select":
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))
        elif tag == "textarea":
            self.textarea = [name, ""]

    def handle_data(self, data):
        if self.textarea:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "template":
            self.in_template -= 1
        elif tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append(tuple(self.textarea))
            self.textarea = None


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a 302 is the answer we check, not a page to follow


class AdminSession:
    """One editor in the Wagtail admin over real HTTP, with its own cookies."""

    def __init__(self, base_url):
        self.base_url, self.cookies = base_url, CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies), NoRedirects)

    def request(self, path, fields=None):
        data = urllib.parse.urlencode(fields).encode() if fields is not None else None
        try:
            with self.opener.open(self.base_url + path, data, timeout=TIMEOUT) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")

    def csrf_token(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def log_in(self):
        status, _ = self.request("/admin/login/")
        assert status == 200
        status, _ = self.request("/admin/login/", {
            "csrfmiddlewaretoken": self.csrf_token(), "username": "admin", "password": PASSWORD, "next": "/admin/"})
        assert status == 302, f"login answered {status}"

    def edit_form(self, page_id):
        status, html = self.request(f"/admin/pages/{page_id}/edit/")
        assert status == 200, f"GET edit {page_id} answered {status}"
        form = EditForm()
        form.feed(html)
        return form.fields

    def save(self, page_id, fields, title, action):
        fields = [(name, title if name == "title" else value) for name, value in fields] + [(action, action)]
        return self.request(f"/admin/pages/{page_id}/edit/", fields)


@pytest.fixture(scope="module")
def demo_shop(tmp_path_factory):
    """A SQLite file with the demo catalogue, the roles and review workflow, and an admin. The demo
    load leaves hundreds of indexing tasks queued: the worker's backlog while the editors save."""
    directory = tmp_path_factory.mktemp("sqlite-concurrency")
    env = sqlite_env(directory)
    manage(env, "shell", "--no-imports", "-c", SET_UP)  # one process, so Django starts once
    return directory, env


@pytest.fixture
def running_shop(demo_shop):
    """`make run` on that file: the task worker and the web server, stopped whatever happens."""
    directory, env = demo_shop
    port = free_port()
    # No autoreload: others may edit the code while this runs, and a restart is not what is tested.
    worker = start_logged(env, directory / "worker.log", "db_worker", "--interval", "0.1", "--no-reload")
    server = start_logged(env, directory / "server.log", "runserver", f"127.0.0.1:{port}", "--noreload")
    try:
        def server_answers():
            assert server.poll() is None, (directory / "server.log").read_text()
            try:
                return AdminSession(f"http://127.0.0.1:{port}").request("/admin/login/")[0] == 200
            except OSError:
                return False

        wait_for(server_answers, "the server to answer")
        yield directory, env, f"http://127.0.0.1:{port}", worker
    finally:
        stop(server)
        stop(worker)


def utc_now() -> str:
    """Now, as Django stores datetimes in SQLite (naive UTC text), to compare with the stored ones."""
    return datetime.now(UTC).replace(tzinfo=None).isoformat(" ")


def test_admin_edits_and_the_task_worker_write_to_sqlite_at_once(running_shop):
    directory, env, base_url, worker = running_shop
    db = directory / "db.sqlite3"
    products = [pk for (pk,) in query(db, "SELECT p.id FROM wagtailcore_page p JOIN django_content_type t "
                                          "ON t.id = p.content_type_id WHERE t.model = 'productpage' ORDER BY p.id")]
    edits = [(pk, f"Sửa đồng thời {n}", "action-submit" if n % 2 else "action-publish")
             for n, pk in enumerate(products[:2 * EDITORS])]
    backlog = query(db, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'")[0][0]
    assert backlog > 100, "the worker should have a backlog while the editors save"
    burst = start(env, "shell", "--no-imports", "-v", "0", "-c", ENQUEUE_BURST,
                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    answers, failures, all_set = {}, [], threading.Barrier(EDITORS + 1)

    def editor(mine):
        try:
            session = AdminSession(base_url)
            session.log_in()
            forms = {pk: session.edit_form(pk) for pk, _, _ in mine}
            all_set.wait(TIMEOUT)  # every editor posts at the same moment
            for pk, title, action in mine:
                answers[pk] = session.save(pk, forms[pk], title, action)
        except BaseException as error:  # reported below, with the server's log
            all_set.abort()
            failures.append(repr(error))

    editors = [threading.Thread(target=editor, args=(edits[n::EDITORS],), daemon=True) for n in range(EDITORS)]
    try:
        for thread in editors:
            thread.start()
        burst_output = ""
        while (line := burst.stdout.readline()) not in {"ready\n", ""}:  # "": it ended without being ready
            burst_output += line
        assert line, burst_output
        try:
            all_set.wait(TIMEOUT)
        except threading.BrokenBarrierError:  # an editor failed before posting: say how
            raise AssertionError(f"an editor failed: {failures}") from None
        saving_from = utc_now()
        burst.stdin.write("go\n")
        burst.stdin.close()
        for thread in editors:
            thread.join(TIMEOUT)
        saving_until = utc_now()
        burst_output += burst.stdout.read()
        burst.wait(TIMEOUT)
    finally:
        all_set.abort()  # editors still waiting (only when this failed) give up at once
        stop(burst)

    def all_tasks_finished():
        assert worker.poll() is None, "the task worker died:\n" + (directory / "worker.log").read_text()[-3000:]
        return not query(db, "SELECT count(*) FROM django_tasks_database_dbtaskresult "
                             "WHERE status IN ('READY', 'RUNNING')")[0][0]

    wait_for(all_tasks_finished, "the worker to finish every task")
    logs = {"server": (directory / "server.log").read_text(), "worker": (directory / "worker.log").read_text(),
            "enqueuing process": burst_output}
    statuses = {pk: answers.get(pk, (None, ""))[0] for pk, _, _ in edits}
    tasks = Counter(status for (status,) in query(db, "SELECT status FROM django_tasks_database_dbtaskresult"))
    locked = {name: log.count("database is locked") for name, log in logs.items()}
    summary = f"edit answers (302: saved) {statuses}; task results {dict(tasks)}"

    # No "database is locked" anywhere: not in the admin, the worker or the other process enqueuing.
    assert not any(locked.values()), f'"database is locked" in the logs {locked}; {summary}'
    assert not failures, "\n".join(failures) + "\n" + logs["server"][-3000:]
    assert burst.returncode == 0, burst_output
    assert set(statuses.values()) == {302}, f"{summary}\n{logs['server'][-3000:]}"
    # Every task ran, none failed: the backlog, the burst and what each publication enqueued.
    assert set(tasks) == {"SUCCESSFUL"}, summary
    assert tasks["SUCCESSFUL"] >= backlog + ENQUEUED_BURST + len(edits) // 2
    # It was concurrent: the worker finished tasks while the editors were saving.
    assert query(db, "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE finished_at BETWEEN ? AND ?",
                 saving_from, saving_until)[0][0], "the worker sat idle while the editors saved"

    # No half-made edit: each is the page's latest revision, and is live or in review.
    for pk, title, action in edits:
        latest = query(db, "SELECT r.id, r.content FROM wagtailcore_page p JOIN wagtailcore_revision r "
                           "ON r.id = p.latest_revision_id WHERE p.id = ?", pk)
        assert latest and json.loads(latest[0][1])["title"] == title, f"page {pk}: no revision of the edit"
        if action == "action-publish":
            assert query(db, "SELECT title, live_revision_id FROM wagtailcore_page WHERE id = ?", pk) == [
                (title, latest[0][0])], f"page {pk}: edit saved but not published"
            assert any(pk in json.loads(args)["args"][0] for (args,) in query(
                db, "SELECT args_kwargs FROM django_tasks_database_dbtaskresult "
                    "WHERE task_path = 'search.tasks.index_products'")), f"page {pk}: published but never indexed"
        else:
            review = query(db, "SELECT w.status, t.status, t.revision_id FROM wagtailcore_workflowstate w "
                               "JOIN wagtailcore_taskstate t ON t.id = w.current_task_state_id WHERE w.object_id = ?",
                           str(pk))
            assert review == [("in_progress", "in_progress", latest[0][0])], f"page {pk}: revision without review"
