"""The production stack as the benchmarks start it: gunicorn (deploy/gunicorn.conf.py) and a task worker.

Each process is started in a process group of its own and logs to bench/out/<name>-*.log;
`stop_all()` ends every group started here (SIGTERM, then SIGKILL after a grace period), and is
safe to call twice. `worker_rss()` reads each gunicorn worker's VmRSS from /proc.
"""

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
_started: list[subprocess.Popen] = []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _spawn(name: str, command: list[str], env: dict) -> subprocess.Popen:
    OUT.mkdir(parents=True, exist_ok=True)
    with open(OUT / f"{name}.log", "wb") as log:  # the child keeps its own descriptor
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    _started.append(process)
    return process


class Stack:
    """One web server (gunicorn with `workers` sync workers) on 127.0.0.1:`port`, and optionally a task worker."""

    def __init__(self, name: str, env: dict, port: int | None = None, workers: int = 2):
        self.name, self.port, self.workers = name, port or free_port(), workers
        self.env = {**env, "WEB_CONCURRENCY": str(workers), "PORT": str(self.port), "HOST": "127.0.0.1"}
        self.url = f"http://127.0.0.1:{self.port}"
        self.web = self.tasks = None

    def start(self, task_worker: bool = True, ready_path: str = "/__bench_floor__/") -> "Stack":
        self.web = _spawn(f"{self.name}-gunicorn", [GUNICORN, "-c", "deploy/gunicorn.conf.py"], self.env)
        if task_worker:
            rq = self.env.get("TASKS_BACKEND") == "rq"
            # django-tasks-rq's jobs run only under its own Job class (its README: `--job-class`).
            command = (["rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job"] if rq
                       else ["db_worker", "--interval", "1"])
            self.tasks = _spawn(f"{self.name}-tasks", [PY, "manage.py", *command], self.env)
        self.wait_ready(ready_path)
        return self

    def wait_ready(self, path: str, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.web.poll() is not None:
                raise RuntimeError(f"gunicorn {self.name} exited ({self.web.returncode}); see {OUT}/{self.name}-gunicorn.log")
            try:
                with urllib.request.urlopen(self.url + path, timeout=30) as response:
                    if response.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn {self.name} did not answer {path} within {timeout:.0f} s")

    def worker_pids(self) -> list[int]:
        try:
            text = Path(f"/proc/{self.web.pid}/task/{self.web.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in text.split()]

    def worker_rss(self) -> dict[int, float]:
        """Resident memory of each gunicorn worker, MiB."""
        memory = {}
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        memory[pid] = int(line.split()[1]) / 1024
            except OSError:
                pass
        return memory


def _cpu(pid: int, children: bool) -> float:
    """CPU seconds of a process (and of its reaped children when `children`), from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = sum(int(f) for f in fields[11:15 if children else 13])  # utime stime [cutime cstime]
    return ticks / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds all cores of the machine have spent busy since boot (/proc/stat), every process counted."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(s: "Stack") -> dict[str, float]:
    """CPU used so far by the stack's web processes (workers, and recycled ones) and its task worker."""
    web = _cpu(s.web.pid, children=True) + sum(_cpu(pid, children=False) for pid in s.worker_pids())
    return {"web": web, "tasks": _cpu(s.tasks.pid, children=True) if s.tasks else 0.0}


def _signal_group(pgid: int, signum: int) -> None:
    try:
        os.killpg(pgid, signum)
    except (ProcessLookupError, PermissionError):
        pass


def stop(process: subprocess.Popen, grace: float = 15) -> None:
    """End the process group `process` leads (started by `_spawn`): SIGTERM, then SIGKILL for what is left."""
    if process in _started:
        _started.remove(process)
    if process.poll() is None:
        _signal_group(process.pid, signal.SIGTERM)
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    _signal_group(process.pid, signal.SIGKILL)  # a worker or job the leader left behind, or the leader itself
    process.wait(5)


def stop_all() -> None:
    while _started:
        stop(_started.pop())
