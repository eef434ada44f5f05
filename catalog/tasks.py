"""Background jobs of the catalogue, run by the django-tasks worker."""

from django_tasks import task


@task()
def send_certificate_reminders() -> int:
    """Daily: e-mail expiry reminders 90 and 30 days before a current certificate expires."""
    from catalog.reminders import send_certificate_reminders as send

    return send()
