"""Expiry reminders: 90 and 30 days before a product's current certificate expires, its producer's
users and the province's officers get one e-mail per threshold, never twice."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from catalog.models import CertificateReminder, ProducerMember
from catalog.reminders import send_certificate_reminders, threshold_for
from catalog.tasks import send_certificate_reminders as reminders_task
from tests.factories import make_certificate, make_producer, make_product

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
OFFICERS = {"hai-phong": ["canbo.ocop@haiphong.gov.vn"], "ha-noi": ["canbo@hanoi.gov.vn"]}


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def producer(django_user_model):
    producer = make_producer(title="HTX Vải thiều Thanh Hà")
    for username in ("chunhiem", "ketoan"):
        user = django_user_model.objects.create_user(username, f"{username}@htx.vn", "pw-123456")
        ProducerMember.objects.create(user=user, producer=producer)
    inactive = django_user_model.objects.create_user("cu", "cu@htx.vn", "pw-123456", is_active=False)
    ProducerMember.objects.create(user=inactive, producer=producer)
    return producer


def product_with_certificate(producer, expires_in, **fields):
    product = make_product(producer=producer, title="Vải thiều Thanh Hà", stars=None)
    certificate = make_certificate(product, decision_date=day(-1000), expires_on=day(expires_in),
                                   decision_number="88/QĐ-UBND", **fields)
    return product, certificate


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_thresholds():
    assert [threshold_for(n) for n in (120, 91, 90, 31, 30, 1, 0)] == [None, None, 90, 90, 30, 30, 30]


def test_90_and_30_day_reminders_are_sent_once_each(producer):
    _, certificate = product_with_certificate(producer, expires_in=100)

    assert send_certificate_reminders(today=day(0)) == 0  # 100 days left: too early
    assert mail.outbox == []

    assert send_certificate_reminders(today=day(10)) == 1  # 90 days left
    assert recipients() == ["chunhiem@htx.vn", "ketoan@htx.vn"]
    message = mail.outbox[0]
    assert "Vải thiều Thanh Hà" in message.subject and certificate.expires_on.strftime("%d/%m/%Y") in message.subject
    for text in ("Vải thiều Thanh Hà", "HTX Vải thiều Thanh Hà", "88/QĐ-UBND",
                 certificate.expires_on.strftime("%d/%m/%Y"), "sau 90 ngày",
                 f"/admin/snippets/catalog/certificate/edit/{certificate.pk}/"):
        assert text in message.body, text
    assert message.body.count("http") == 1 and "://" in message.body

    for later in (11, 40, 69):  # still ≥ 31 days left: the 90-day reminder is not repeated
        assert send_certificate_reminders(today=day(later)) == 0
    assert len(mail.outbox) == 2

    assert send_certificate_reminders(today=day(70)) == 1  # 30 days left
    assert len(mail.outbox) == 4
    assert "sau 30 ngày" in mail.outbox[-1].body
    assert send_certificate_reminders(today=day(71)) == 0
    assert send_certificate_reminders(today=day(99)) == 0
    assert len(mail.outbox) == 4
    assert sorted(CertificateReminder.objects.values_list("days_before", flat=True)) == [30, 90]


def test_first_seen_inside_30_days_gets_only_the_30_day_reminder(producer):
    product_with_certificate(producer, expires_in=20)
    assert send_certificate_reminders() == 1
    assert list(CertificateReminder.objects.values_list("days_before", flat=True)) == [30]
    assert send_certificate_reminders() == 0
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("fields, expires_in", [
    ({"revoked_on": day(-5)}, 60),   # revoked
    ({}, -1),                        # already expired
])
def test_no_reminder_for_revoked_or_expired_certificates(producer, fields, expires_in):
    product_with_certificate(producer, expires_in=expires_in, **fields)
    assert send_certificate_reminders() == 0
    assert mail.outbox == [] and not CertificateReminder.objects.exists()


def test_no_reminder_for_a_superseded_certificate(producer):
    product, _ = product_with_certificate(producer, expires_in=60)
    make_certificate(product, decision_date=day(-10), expires_on=day(1000), decision_number="99/QĐ-UBND")
    assert send_certificate_reminders() == 0
    assert mail.outbox == []


@override_settings(OCOP_OFFICER_EMAILS=OFFICERS)
def test_officers_of_the_producers_province_are_included(producer):
    product_with_certificate(producer, expires_in=45)
    assert send_certificate_reminders() == 1
    assert recipients() == ["canbo.ocop@haiphong.gov.vn", "chunhiem@htx.vn", "ketoan@htx.vn"]
    assert all(len(message.to) == 1 for message in mail.outbox)


@override_settings(OCOP_OFFICER_EMAILS=OFFICERS)
def test_officers_alone_are_reminded_when_no_user_is_linked():
    product_with_certificate(make_producer(province_slug="ha-noi", commune_name="Phường Ba Đình",
                                           legacy_province_slug=None), expires_in=45)
    assert send_certificate_reminders() == 1
    assert recipients() == ["canbo@hanoi.gov.vn"]


def test_nobody_to_tell_records_nothing_so_a_later_member_is_told(django_user_model):
    lonely = make_producer()
    product_with_certificate(lonely, expires_in=45)
    assert send_certificate_reminders() == 0
    assert not CertificateReminder.objects.exists()
    user = django_user_model.objects.create_user("moi", "moi@htx.vn", "pw-123456")
    ProducerMember.objects.create(user=user, producer=lonely)
    assert send_certificate_reminders() == 1
    assert recipients() == ["moi@htx.vn"]


def test_task_and_management_command_run_the_job(producer):
    product_with_certificate(producer, expires_in=45)
    result = reminders_task.enqueue()
    assert result.return_value == 1
    call_command("certificate_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 2


def test_a_failed_send_is_not_recorded_and_is_retried(producer, monkeypatch):
    product_with_certificate(producer, expires_in=45)

    class Broken:
        def send_messages(self, messages):
            raise OSError("mail server down")

    monkeypatch.setattr("catalog.reminders.get_connection", Broken)
    assert send_certificate_reminders() == 0
    assert not CertificateReminder.objects.exists()
    monkeypatch.undo()
    assert send_certificate_reminders() == 1
    assert len(mail.outbox) == 2
