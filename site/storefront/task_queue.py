"""The RQ queue of the production stack (TASKS_BACKEND=rq).

RQ hands a job whose worker died mid-task (killed, out of memory, a lost machine) to another
worker only if the job has retries left, so every job gets some. Our tasks are written to be run
again safely: indexing rewrites records, e-mails and reminders record what they sent, the expiry
job re-checks each order under its lock.
"""

from django_rq.queues import DjangoRQ
from rq import Retry

RETRIES = Retry(max=3, interval=[10, 60, 300])


class RetryingQueue(DjangoRQ):
    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None:
            kwargs["retry"] = RETRIES
        return super().create_job(*args, **kwargs)
