"""Background jobs of the catalogue, run by the django-tasks worker."""

from django_tasks import task

from catalog import reminders, takedowns


@task()
def send_certificate_reminders() -> int:
    """Daily: e-mail expiry reminders 90 and 30 days before a current certificate expires."""
    return reminders.send_certificate_reminders()


@task()
def flag_overdue_reports() -> int:
    """Every 15 minutes: listing reports still open past their 24-hour deadline, flagged and e-mailed once."""
    return takedowns.flag_overdue_reports()
