import signal
import time

from django.core.management.base import BaseCommand

from storefront.scheduler import Scheduler


class Command(BaseCommand):
    help = ("Enqueue the periodic jobs (settings.PERIODIC_TASKS) when they fall due, for the task workers; "
            "run as many as you like, each run is enqueued once.")

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=15, help="seconds between checks (default 15)")
        parser.add_argument("--once", action="store_true", help="check once and exit")

    def handle(self, *args, interval, once, **options):
        scheduler = Scheduler()
        self.stdout.write(f"Scheduler {scheduler.name}: " + ", ".join(
            f"{task.path} ({task.crontab})" for task in scheduler.tasks))
        stopping = []
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stopping.append(True))
        while not stopping:
            for run in scheduler.tick():
                self.stdout.write(f"Enqueued {run}")
            if once:
                break
            time.sleep(interval)
