"""The shop's scheduled jobs, run by the task worker. (The order e-mails are tasks of `shop.emails`.)"""

import datetime

from django_tasks import task

from shop import emails, orders


@task()
def expire_unpaid_orders() -> int:
    """Every few minutes: cancel online orders not paid in time and give their stock back."""
    return orders.expire_unpaid_orders()


@task()
def open_seasons(today: str | None = None) -> int:
    """Daily, after midnight: e-mail those waiting for a product whose season opened (or that came
    back in stock meanwhile). `today` (ISO date) is for tests and catching up; local today by default."""
    return emails.notify_stock_alerts(today=datetime.date.fromisoformat(today) if today else None)
