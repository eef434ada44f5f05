"""The production stack as it runs for real, and what it survives.

Started here from nothing but the settings a deployment sets: gunicorn with two workers, an RQ task
worker and the scheduler, on this test's PostgreSQL database, a Redis of its own (so it can be
restarted) and Elasticsearch behind a TCP relay (so it can be cut off). Then, in one run:
pages answer and anonymous pages come from the shared cache; a guest's cart; Elasticsearch cut
off mid-run (searches keep answering, from the database); a task worker killed mid-task (the task
is done once another worker is back); Redis restarted (no 5xx, and the cart, whose session is in
the database, is still there); the scheduler enqueued the five-minute job without cron.

Needs PostgreSQL, Elasticsearch and redis-server: skipped without them, failed with REQUIRE_SERVICES=1.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from search.index import rebuild
from storefront.models import ScheduledRun
from tests.conftest import require_service
from tests.factories import make_product
from tests.stack.http import Browser
from tests.stack.relay import Relay

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def children(pid) -> list[int]:
    """Processes whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_for(condition, seconds, what, logs=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.5)
    pytest.fail(f"waited {seconds} s for {what}\n" + (logs.tails() if logs else ""))


class Processes:
    """Processes of the stack, each in its own process group with a log file."""

    def __init__(self, folder: Path, env: dict):
        self.folder, self.env, self.running = folder, env, {}

    def start(self, name, *args, cwd=ROOT):
        log = (self.folder / f"{name}.log").open("ab")
        process = subprocess.Popen(args, cwd=cwd, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.running[name] = process
        return process

    def kill(self, name, sig=signal.SIGTERM):
        """Signal a process, its group and its children (RQ's work horse runs in a session of its own)."""
        process = self.running.pop(name)
        for child in children(process.pid):
            os.kill(child, sig)
        try:
            os.killpg(process.pid, sig)
            process.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop_all(self):
        for name in list(self.running):
            self.kill(name)

    def manage(self, *args):
        return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                              capture_output=True, text=True, timeout=300).stdout

    def tails(self) -> str:
        return "\n".join(f"--- {log.name}\n" + "\n".join(log.read_text(errors="replace").splitlines()[-25:])
                         for log in sorted(self.folder.glob("*.log")))


def database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def services():
    require_service(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    require_service(bool(settings.ELASTICSEARCH_URL), "ELASTICSEARCH_URL is not set")
    require_service(shutil.which("redis-server") is not None, "redis-server is missing (apt-get install redis-server)")


@pytest.fixture
def stack(services, tmp_path):
    es_host, es_port = settings.ELASTICSEARCH_HOSTS[0].split("//")[-1].rstrip("/").split(":")
    relay = Relay((es_host, int(es_port)))
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "storefront.settings.production",
        "SECRET_KEY": "stack-test-secret-key-" + "x" * 30, "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0", "DATABASE_URL": database_url(), "DATABASE_CONN_MAX_AGE": "60",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "TASKS_BACKEND": "rq", "TASKS_CLEANUP_SECONDS": "10",
        "ELASTICSEARCH_URL": f"http://127.0.0.1:{relay.port}", "ELASTICSEARCH_INDEX": settings.ELASTICSEARCH_INDEX,
        "STATIC_ROOT": str(tmp_path / "static"), "PORT": str(web_port), "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "", "PAGE_CACHE_SECONDS": "600", "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }
    processes = Processes(tmp_path, env)
    processes.redis_port = redis_port
    processes.start_redis = lambda: processes.start(
        "redis", "redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
        "--appendonly", "yes", "--save", "")
    try:
        processes.manage("collectstatic", "--noinput", "-v", "0")
        processes.start_redis()
        processes.start("web", str(Path(PYTHON).parent / "gunicorn"), "-c", "deploy/gunicorn.conf.py")
        processes.start("worker", PYTHON, "manage.py", "rqworker", "default", "--with-scheduler")
        processes.start("scheduler", PYTHON, "manage.py", "run_scheduler", "--interval", "2")
        processes.relay, processes.browser = relay, Browser(f"http://127.0.0.1:{web_port}")
        wait_for(lambda: processes.browser.answers("/"), 90, "gunicorn to answer", processes)
        yield processes
    finally:
        processes.stop_all()
        relay.close()


def test_the_production_stack_serves_and_survives_its_faults(stack, tmp_path):
    product = make_product(title="Vải thiều Thanh Hà", stock=50)
    rebuild()
    visitor, logs = stack.browser, stack
    for path in ("/", "/san-pham/", product.url, "/tim-kiem/?q=vai+thieu", "/tim-kiem/goi-y/?q=vai"):
        assert visitor.get(path).status == 200, path
    assert visitor.get(product.url).headers.get("X-Page-Cache") == "hit"  # Redis: shared by both workers

    assert visitor.add_to_cart(product) == 302
    assert visitor.cart_count() == 1

    stack.relay.cut()  # Elasticsearch gone mid-run
    found = visitor.get("/tim-kiem/?q=vai+thieu")
    assert found.status == 200 and "Vải thiều Thanh Hà" in found.text, logs.tails()
    stack.relay.restore()

    work = tmp_path / "task"
    work.mkdir()
    stack.manage("shell", "-c", f"from tests.stack.tasks import mark_slowly; mark_slowly.enqueue({str(work)!r}, 6)")
    wait_for(lambda: (work / "started").exists(), 60, "the worker to start the task", logs)
    stack.kill("worker", signal.SIGKILL)  # killed mid-task, with its work horse
    assert not (work / "done").exists()
    stack.start("worker-2", PYTHON, "manage.py", "rqworker", "default", "--with-scheduler")
    wait_for(lambda: (work / "done").exists(), 240, "the killed worker's task to be done by the next one", logs)
    assert len((work / "started").read_text().split()) == 2  # run again from the top, not finished by the first

    wait_for(lambda: ScheduledRun.objects.filter(task="shop.tasks.expire_unpaid_orders").exists(), 60,
             "the scheduler to enqueue the five-minute job", logs)

    stack.kill("redis")  # Redis restarted: the cache is gone a moment, sessions are in the database
    for path in ("/", product.url, "/san-pham/"):
        assert visitor.get(path).status == 200, logs.tails()
    assert visitor.cart_count() == 1
    stack.start_redis()
    wait_for(lambda: visitor.get(product.url).status == 200, 30, "pages after Redis is back", logs)
    assert visitor.cart_count() == 1
