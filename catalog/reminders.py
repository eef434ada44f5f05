"""Certificate expiry reminders: 90 and 30 days before a product's current certificate expires,
e-mail the producer's linked users and the province's OCOP officers, once per threshold.

Run daily by the `send_certificate_reminders` task (catalog/tasks.py) or `manage.py
certificate_reminders`. Each reminder is recorded (CertificateReminder) in the same transaction
that sends it, so re-running the job, or two runs at once, never sends one twice. A certificate
first seen inside 30 days gets only the 30-day reminder, not both at once.
"""

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from catalog.models import Certificate, CertificateReminder, ProducerMember
from catalog.models.certificates import current_certificate
from catalog.roles import officer_emails

logger = logging.getLogger(__name__)

THRESHOLDS = (30, 90)  # days before expiry, tightest first


def threshold_for(days_left: int) -> int | None:
    """The reminder due with `days_left` days to go: 30 within 30 days, 90 within 90, else None."""
    return next((days for days in THRESHOLDS if days_left <= days), None)


def current_certificates(today: datetime.date):
    """Certificates valid today that are their product's current one (the latest valid), expiring
    within the widest threshold."""
    horizon = today + datetime.timedelta(days=max(THRESHOLDS))
    candidates = list(
        Certificate.objects.valid_on(today).filter(expires_on__lte=horizon)
        .select_related("product", "product__producer", "product__producer__province")
        .defer("product__producer__story")
    )
    valid = defaultdict(list)
    for row in Certificate.objects.valid_on(today).filter(product_id__in={c.product_id for c in candidates}).values_list(
            "product_id", "pk", "decision_date", "expires_on", "revoked_on", named=True):
        valid[row.product_id].append(row)
    return [c for c in candidates if current_certificate(valid[c.product_id], today).pk == c.pk]


def recipients_for(certificate) -> list[str]:
    """Active users linked to the producer, then the officers of its province; no duplicates."""
    producer = certificate.product.producer
    if producer is None:
        return []
    emails = list(
        ProducerMember.objects.filter(producer=producer, user__is_active=True).exclude(user__email="")
        .order_by("user__email").values_list("user__email", flat=True)
    )
    emails += officer_emails(producer.province) if producer.province_id else []
    seen = set()
    return [e for e in emails if e and not (e.lower() in seen or seen.add(e.lower()))]


def admin_edit_url(certificate) -> str:
    path = reverse("wagtailsnippets_catalog_certificate:edit", args=[certificate.pk])
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def build_messages(certificate, days_before: int, recipients: list[str], today: datetime.date, connection=None):
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "certificate": certificate,
            "product": certificate.product,
            "producer": certificate.product.producer,
            "days_before": days_before,
            "days_left": (certificate.expires_on - today).days,
            "admin_url": admin_edit_url(certificate),
        }
        subject = " ".join(render_to_string("catalog/email/certificate_reminder_subject.txt", context).split())
        body = render_to_string("catalog/email/certificate_reminder_body.txt", context)
    # One message per person: producers and officers do not see each other's addresses.
    return [EmailMessage(subject, body, None, [email], connection=connection) for email in recipients]


def send_certificate_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due today; return how many certificates were reminded about."""
    today = today or timezone.localdate()
    sent = 0
    connection = get_connection()
    for certificate in current_certificates(today):
        days_before = threshold_for((certificate.expires_on - today).days)
        if days_before is None:
            continue
        if CertificateReminder.objects.filter(certificate=certificate, days_before=days_before).exists():
            continue
        recipients = recipients_for(certificate)
        if not recipients:
            # Not recorded: once someone is linked to the producer, the next run tells them.
            logger.warning("No one to remind about certificate %s (product %s)", certificate.pk, certificate.product_id)
            continue
        try:
            with transaction.atomic():
                CertificateReminder.objects.create(
                    certificate=certificate, days_before=days_before, recipients="\n".join(recipients)
                )
                # A failed send rolls the record back, so tomorrow's run tries again.
                connection.send_messages(build_messages(certificate, days_before, recipients, today, connection))
        except IntegrityError:
            continue  # another run recorded it first
        except Exception:
            # Nothing recorded: the next run tries again; the other certificates still go out.
            logger.exception("Could not send the reminder for certificate %s", certificate.pk)
            continue
        sent += 1
    return sent
