"""The e-mails of producers' onboarding, sent by the task worker after the transaction commits
(so a slow mail server never slows the page, and a rolled-back invitation sends nothing).
Certificate reminders are sent by their own daily job (`catalog.reminders`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from catalog import roles
from catalog.models import ProducerPage

User = get_user_model()


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def set_password_url(user) -> str:
    """A one-time link to choose a password (valid until used or PASSWORD_RESET_TIMEOUT)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return absolute(reverse("shop:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]))


def _send(template_prefix: str, context: dict, recipients: list[str]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_email.txt", context)
    send_mail(subject, body, None, recipients)


@task()
def send_invitation(user_id: int, producer_id: int, invited_by_id: int, name: str, new_account: bool) -> bool:
    """Tell an invited person which producer they now act for (and, for a new account, where to
    choose a password)."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    producer = ProducerPage.objects.filter(pk=producer_id).first()
    if user is None or producer is None or not user.email:
        return False
    context = {
        "name": name, "producer": producer, "invited_by": User.objects.filter(pk=invited_by_id).first(),
        "new_account": new_account, "set_password_url": set_password_url(user) if new_account else "",
        "admin_url": absolute(reverse("wagtailadmin_home")),
    }
    _send("catalog/onboarding/invitation", context, [user.email])
    return True


@task()
def send_registration_notice(page_id: int, user_id: int) -> bool:
    """Tell a province's officers that a producer registered itself and waits for their review."""
    page = ProducerPage.objects.select_related("province", "commune").filter(pk=page_id).first()
    user = User.objects.filter(pk=user_id).first()
    recipients = roles.officer_emails(page.province) if page else []
    if not recipients or user is None:
        return False
    context = {"page": page, "user": user, "review_url": absolute(reverse("wagtailadmin_pages:edit", args=[page.pk]))}
    _send("catalog/onboarding/registered", context, recipients)
    return True


def invitation_later(user, producer, invited_by, name: str, new_account: bool) -> None:
    transaction.on_commit(lambda: send_invitation.enqueue(user.pk, producer.pk, invited_by.pk, name, new_account))


def registration_notice_later(page, user) -> None:
    transaction.on_commit(lambda: send_registration_notice.enqueue(page.pk, user.pk))
