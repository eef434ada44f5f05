"""The RQ queue and worker of the production stack (TASKS_BACKEND=rq).

RQ hands a job whose worker died mid-task (killed, out of memory, a lost machine) to another
worker only if the job has retries left, so every job gets some. Our tasks are written to be run
again safely: indexing rewrites records, e-mails and reminders record what they sent, the expiry
job re-checks each order under its lock.

A dead worker's job is noticed when its heartbeat lapses (RQ: the monitoring interval + 60 s) at
the next registry clean-up of any worker, which an idle worker only runs when it wakes from
waiting for a job (its TTL − 15 s). RQ's defaults (30 s; every 10 minutes; 420 s) are shortened
here so the job is back in the queue within about two minutes.
"""

from django.conf import settings
from django_rq.queues import DjangoRQ
from rq import Retry, Worker

RETRIES = Retry(max=3, interval=[10, 60, 300])


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None:
            kwargs["retry"] = RETRIES
        return super().create_job(*args, **kwargs)


class PromptWorker(Worker):
    """RQ's forking worker: each job runs in a work horse the worker watches with heartbeats, which
    is how a job whose worker died is noticed in a minute or two (in-process `SimpleWorker` jobs
    have no heartbeat and would wait out their whole timeout first)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("job_monitoring_interval", 10)
        kwargs.setdefault("maintenance_interval", settings.TASKS_CLEANUP_SECONDS)
        kwargs["worker_ttl"] = 60  # rqworker always passes its own default (420), too slow to wake for clean-ups
        super().__init__(*args, **kwargs)
