"""The shop's scheduled jobs, run by the task worker. (The order e-mails are tasks of `shop.emails`.)"""

import datetime

from django_tasks import task

from shop import emails, orders, payouts, preorders


@task()
def expire_unpaid_orders() -> int:
    """Every few minutes: cancel online orders not paid in time and give their stock back."""
    return orders.expire_unpaid_orders()


@task()
def open_seasons(today: str | None = None) -> int:
    """Daily, after midnight: confirm the pre-orders of products whose season opened (they get
    the stock first), then e-mail those waiting for a product that can be bought now. Returns how
    many were e-mailed. `today` (ISO date) is for tests and catching up; local today by default."""
    day = datetime.date.fromisoformat(today) if today else None
    preorders.confirm_waiting(today=day)
    return emails.notify_stock_alerts(today=day)


@task()
def confirm_preorders(product_ids: list[int] | None = None) -> int:
    """When stock moves: confirm the waiting pre-orders of these products that it now covers."""
    return preorders.confirm_waiting(product_ids=product_ids)


@task()
def run_payouts() -> int:
    """Weekly: a statement per producer of its settled entries; returns how many were made."""
    return len(payouts.run())


@task()
def escalate_overdue_returns() -> int:
    """Hourly: return requests the producer left unanswered past their deadline go to the province's
    officers (once each); returns how many."""
    from shop import returns  # imported here: it pulls in the admin's order views

    return returns.escalate_overdue()
