"""Payouts: a run gathers each producer's settled entries (delivered, past the return window) into
one numbered statement made out to its reviewed bank account; nothing is gathered twice, even by
two runs at once; staff record the bank's reference; a new account waits for review while the old
one is paid; the monthly export gives the tax withheld per producer."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from catalog.models import ProducerPage
from shop import payouts
from shop.models import BankAccount, LedgerEntry, PayoutStatement
from shop.tasks import run_payouts
from tests.conftest import require_service
from tests.factories import make_producer, make_product
from tests.shop.test_ledger import deliver_cash_order, place

pytestmark = pytest.mark.django_db
WEEK = datetime.timedelta(days=8)  # past the default 7-day return window


def household_with_account(**fields):
    producer = make_producer(title="Hộ kinh doanh Mật ong Đại Hợp", legal_form=ProducerPage.LegalForm.HOUSEHOLD,
                             **fields)
    BankAccount.objects.create(producer=producer, bank_name="Agribank", account_number="1500206123456",
                               holder="NGUYEN VAN HOA", status=BankAccount.Status.ACTIVE)
    return producer


def sold(client, producer, price=180_000, quantity=2):
    return deliver_cash_order(place(client, make_product(producer=producer, price=price), quantity=quantity))


def csv_text(lines) -> str:
    return b"".join(lines).decode("utf-8-sig")


def test_a_run_pays_what_is_settled_once_to_the_active_account(client):
    producer = household_with_account()
    order = sold(client, producer)
    fee = order.suborders.get().shipping_fee
    assert payouts.run(now=timezone.now() + datetime.timedelta(days=2)) == []  # still within the window

    [statement] = payouts.run(now=timezone.now() + WEEK)
    assert statement.total == 360_000 + fee - 3_600 - 1_800  # goods + fee − 1 % VAT − 0.5 % PIT
    assert (statement.account_number, statement.holder, statement.status) == (
        "1500206123456", "NGUYEN VAN HOA", PayoutStatement.Status.OPEN)
    assert statement.number.startswith("CT") and statement.lines.count() == LedgerEntry.objects.count()
    assert payouts.run(now=timezone.now() + WEEK) == []  # nothing gathered twice

    rows = csv_text(payouts.statement_csv(statement)).splitlines()
    assert rows[0] == "Đơn hàng,Khoản,Số tiền (đồng),Ghi lúc"
    assert rows[-1] == f"Tổng chi trả,,{statement.total},"


def test_staff_record_the_bank_reference_once(client, django_user_model):
    producer = household_with_account()
    sold(client, producer)
    [statement] = payouts.run(now=timezone.now() + WEEK)
    staff = django_user_model.objects.create_superuser("ketoan", "kt@example.com", "pw-ketoan-123")
    with pytest.raises(payouts.PayoutError, match="mã giao dịch"):
        payouts.mark_paid(statement.pk, reference="  ", actor=staff)
    paid = payouts.mark_paid(statement.pk, reference="FT26336123", actor=staff)
    assert (paid.status, paid.bank_reference, paid.paid_by) == (PayoutStatement.Status.PAID, "FT26336123", staff)
    with pytest.raises(payouts.PayoutError, match="đã được chi trả"):
        payouts.mark_paid(statement.pk, reference="FT2", actor=staff)


def test_a_new_account_waits_for_review_and_the_old_one_is_paid(client, django_user_model):
    producer = household_with_account()
    sold(client, producer)
    member = django_user_model.objects.create_user("hoa", "hoa@example.com", "pw-hoa-12345")
    new = payouts.give_account(producer.pk, bank_name="Vietcombank", account_number="0011 0022 0033",
                               holder="Tran Thi B", actor=member)  # the hour before the run
    assert new.status == BankAccount.Status.PENDING and new.account_number == "001100220033"
    [statement] = payouts.run(now=timezone.now() + WEEK)
    assert statement.account_number == "1500206123456"  # the reviewed one

    admin = django_user_model.objects.create_superuser("qt", "qt@example.com", "pw-qt-123456")
    payouts.review_account(new.pk, approve=True, actor=admin)
    assert list(BankAccount.objects.filter(producer=producer).values_list("account_number", "status")) == [
        ("001100220033", BankAccount.Status.ACTIVE), ("1500206123456", BankAccount.Status.RETIRED)]
    with pytest.raises(payouts.PayoutError, match="đã được xem xét"):
        payouts.review_account(new.pk, approve=False, actor=admin)


def test_bad_account_numbers_are_refused(client):
    producer = make_producer()
    with pytest.raises(payouts.PayoutError, match="6–19 chữ số"):
        payouts.give_account(producer.pk, bank_name="Agribank", account_number="12ab", holder="A", actor=None)
    assert not BankAccount.objects.exists()


def test_no_statement_without_an_active_account(client):
    producer = make_producer()
    sold(client, producer)
    assert payouts.run(now=timezone.now() + WEEK) == []
    assert run_payouts.call() == 0  # the weekly task: nothing settled yet today either


def test_the_monthly_export_gives_the_tax_withheld_per_household(client):
    household = household_with_account()
    sold(client, household, price=100_000, quantity=3)
    sold(client, make_producer(title="HTX chè Cẩm Mỹ"), price=95_000)  # a cooperative: nothing withheld
    today = timezone.localdate()
    rows = csv_text(payouts.tax_month(today.year, today.month)).splitlines()
    assert rows == ["Chủ thể,Loại hình,Doanh thu hàng hoá (đồng),Thuế GTGT đã khấu trừ (đồng),"
                    "Thuế TNCN đã khấu trừ (đồng)",
                    "Hộ kinh doanh Mật ong Đại Hợp,Hộ kinh doanh,300000,3000,1500"]


@pytest.fixture
def _seed_data(keep_seed_data):
    """The concurrent test empties the database when it ends (transactional): put the seed data back."""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_runs_at_once_make_one_statement(client, _seed_data):
    require_service(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    producer = household_with_account()
    sold(client, producer)
    start, made, errors = threading.Barrier(2), [], []

    def run():
        try:
            start.wait()
            made.extend(payouts.run(now=timezone.now() + WEEK))
        except Exception as error:  # noqa: BLE001 - any error fails the test
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(made) == 1
    assert PayoutStatement.objects.count() == 1
    assert PayoutStatement.objects.get().lines.count() == LedgerEntry.objects.count()
