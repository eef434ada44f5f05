"""The shop's scheduled jobs, run by the task worker. (The order e-mails are tasks of `shop.emails`.)"""

from django_tasks import task

from shop import orders


@task()
def expire_unpaid_orders() -> int:
    """Every few minutes: cancel online orders not paid in time and give their stock back."""
    return orders.expire_unpaid_orders()
