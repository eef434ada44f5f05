"""A task for the production stack's fault test: slow enough to be killed half-way."""

import time
from pathlib import Path

from django_tasks import task


@task()
def mark_slowly(folder: str, seconds: float) -> str:
    """Write `started`, work for `seconds`, write `done` (a retried run starts again from the top)."""
    folder = Path(folder)
    with (folder / "started").open("a") as started:
        started.write(f"{time.time()}\n")
    time.sleep(seconds)
    (folder / "done").write_text(str(time.time()))
    return "done"
