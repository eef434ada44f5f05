"""The periodic jobs run without cron: each due run is enqueued once, whatever the number of schedulers."""

import datetime
import sys

import pytest
from django.utils import timezone
from django_tasks import task

from storefront.models import ScheduledRun
from storefront.scheduler import PeriodicTask, Scheduler, periodic_tasks

pytestmark = pytest.mark.django_db
RAN = []


@task()
def note_run() -> int:
    RAN.append(timezone.now())
    return len(RAN)


@pytest.fixture(autouse=True)
def _forget_runs():
    RAN.clear()


def at(hour, minute, day=2):
    return timezone.make_aware(datetime.datetime(2026, 12, day, hour, minute, 30))


def every_five_minutes():
    return PeriodicTask("tests.site.test_scheduler.note_run", "*/5 * * * *")


def test_the_configured_jobs_are_real_tasks_on_valid_schedules():
    paths = {task.path for task in periodic_tasks()}
    assert paths == {"shop.tasks.expire_unpaid_orders", "search.tasks.refresh_certificate_stars",
                     "catalog.tasks.send_certificate_reminders", "shop.tasks.open_seasons",
                     "shop.tasks.run_payouts", "shop.tasks.escalate_overdue_returns",
                     "catalog.tasks.flag_overdue_reports"}
    daily = next(t for t in periodic_tasks() if t.path == "search.tasks.refresh_certificate_stars")
    assert [timezone.localtime(t).strftime("%d %H:%M") for t in daily.fire_times(at(0, 0), at(0, 0, day=4))] == [
        "02 00:05", "03 00:05"]  # after midnight, Viet Nam time


def test_two_schedulers_enqueue_each_run_once():
    first, second = Scheduler([every_five_minutes()], name="a"), Scheduler([every_five_minutes()], name="b")
    assert len(first.tick(at(10, 7))) == 1  # catches up on 10:05
    assert second.tick(at(10, 7)) == []  # already enqueued by the other
    assert first.tick(at(10, 9)) == [] and second.tick(at(10, 9)) == []
    claimed = first.tick(at(10, 11)) + second.tick(at(10, 11))
    assert [run.scheduler for run in claimed] == ["a"]
    assert len(RAN) == 2
    assert list(ScheduledRun.objects.order_by("due_at").values_list("due_at", flat=True)) == [
        at(10, 5) - datetime.timedelta(seconds=30), at(10, 10) - datetime.timedelta(seconds=30)]


def test_a_scheduler_that_was_down_runs_only_the_latest_missed_run():
    scheduler = Scheduler([every_five_minutes()])
    scheduler.tick(at(10, 1))
    claimed = scheduler.tick(at(10, 27))  # 10:05 … 10:25 were missed: one run, for 10:25
    assert [timezone.localtime(run.due_at).strftime("%H:%M") for run in claimed] == ["10:25"]
    assert len(RAN) == 2  # 10:00 on the first tick, then 10:25


def test_a_run_that_could_not_be_enqueued_is_tried_again_on_the_next_tick(monkeypatch):
    scheduler = Scheduler([every_five_minutes()])
    monkeypatch.delattr(sys.modules[__name__], "note_run")  # the task cannot be reached this tick
    assert scheduler.tick(at(10, 6)) == [] and not ScheduledRun.objects.exists()
    monkeypatch.undo()
    assert [timezone.localtime(run.due_at).strftime("%H:%M") for run in scheduler.tick(at(10, 7))] == ["10:05"]
    assert len(RAN) == 1
