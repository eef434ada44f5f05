"""The periodic jobs, enqueued on time without cron (`manage.py run_scheduler`).

Each job is a django-tasks task and a crontab line in Asia/Ho_Chi_Minh time (settings.PERIODIC_TASKS);
APScheduler's `CronTrigger` says when it is due. Any number of schedulers may run (one per machine,
or a spare): each due run is claimed by inserting a `ScheduledRun` row, unique per task and time,
in the transaction that enqueues it, so exactly one scheduler enqueues it and a failed enqueue
leaves it unclaimed for the next tick. A scheduler that was down catches up on the latest missed
run of each job (not every one it missed), as long as it is not older than the job's period.
"""

import datetime
import logging
import os
import socket
from dataclasses import dataclass

from apscheduler.triggers.cron import CronTrigger
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from storefront.models import ScheduledRun

log = logging.getLogger(__name__)
ONE_SECOND = datetime.timedelta(seconds=1)


@dataclass
class PeriodicTask:
    path: str  # dotted path of a django-tasks task
    crontab: str

    def __post_init__(self):
        self.trigger = CronTrigger.from_crontab(self.crontab, timezone=timezone.get_default_timezone())

    def fire_times(self, after: datetime.datetime, until: datetime.datetime):
        """The times it is due in (after, until]."""
        due = self.trigger.get_next_fire_time(None, after + ONE_SECOND)
        while due is not None and due <= until:
            yield due
            due = self.trigger.get_next_fire_time(due, due + ONE_SECOND)

    def period(self, around: datetime.datetime) -> datetime.timedelta:
        first = self.trigger.get_next_fire_time(None, around)
        return self.trigger.get_next_fire_time(first, first + ONE_SECOND) - first


def periodic_tasks() -> list[PeriodicTask]:
    return [PeriodicTask(path, crontab) for path, crontab in settings.PERIODIC_TASKS]


class Scheduler:
    def __init__(self, tasks=None, name=None):
        self.tasks = periodic_tasks() if tasks is None else tasks
        self.name = (name or f"{socket.gethostname()}:{os.getpid()}")[:100]
        self.checked_until = {}

    def tick(self, now=None) -> list[ScheduledRun]:
        """Enqueue what fell due since the last tick (on the first tick: the latest run missed
        within one period). Returns the runs this scheduler claimed."""
        now = now or timezone.now()
        claimed = []
        for task in self.tasks:
            since = self.checked_until.get(task.path) or now - task.period(now)
            due = list(task.fire_times(since, now))
            self.checked_until[task.path] = now
            if due and (run := self.claim(task, due[-1])):  # missed runs coalesce into the latest
                claimed.append(run)
        return claimed

    def claim(self, task: PeriodicTask, due_at) -> ScheduledRun | None:
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(task=task.path, due_at=due_at, scheduler=self.name)
                result = import_string(task.path).enqueue()
                run.result_id = str(result.id)[:64]
                run.save(update_fields=["result_id"])
        except IntegrityError:
            return None  # another scheduler enqueued it
        except Exception:
            log.exception("Could not enqueue %s due at %s; the next tick tries again", task.path, due_at)
            self.checked_until[task.path] = due_at - ONE_SECOND
            return None
        log.info("Enqueued %s due at %s", task.path, timezone.localtime(due_at))
        return run
