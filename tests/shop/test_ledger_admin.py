"""“Sổ cái & chi trả” in the admin: a producer reads its own ledger, statements and accounts and
gives a new account; national admins run payouts, record payments, review accounts and download
the month's tax withheld; everyone else is refused with 403 and nothing changes."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProducerPage, ProvinceOfficer
from catalog.templatetags.catalog_tags import vnd
from shop import payouts
from shop.models import BankAccount, PayoutStatement, SubOrder, TaxRate
from tests.factories import make_producer, make_product, province
from tests.shop.test_admin import admin_group, member_client
from tests.shop.test_ledger import deliver_cash_order, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(client):
    producer = make_producer(title="Hộ kinh doanh Mật ong Đại Hợp", legal_form=ProducerPage.LegalForm.HOUSEHOLD)
    BankAccount.objects.create(producer=producer, bank_name="Agribank", account_number="1500206123456",
                               holder="NGUYEN VAN HOA", status=BankAccount.Status.ACTIVE)
    order = deliver_cash_order(place(client, make_product(producer=producer, price=180_000)))
    SubOrder.objects.filter(order=order).update(delivered_at=timezone.now() - datetime.timedelta(days=8))
    return producer


def test_a_producer_reads_its_own_ledger_and_no_one_elses(household, django_user_model):
    other = make_producer(title="HTX chè Cẩm Mỹ")
    client, _user = member_client(django_user_model, household)
    response = client.get(reverse("shop_ledger:index"))
    assert response.status_code == 302 and response["Location"] == reverse("shop_ledger:producer", args=[household.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Có thể chi trả" in page and "Thuế GTGT khấu trừ" in page and vnd(-3_600) in page
    assert client.get(reverse("shop_ledger:producer", args=[other.pk])).status_code == 403
    assert client.post(reverse("shop_ledger:run")).status_code == 403
    assert not PayoutStatement.objects.exists()


def test_a_producer_gives_an_account_that_waits_for_review(household, django_user_model):
    client, user = member_client(django_user_model, household)
    url = reverse("shop_ledger:give_account", args=[household.pk])
    client.post(url, {"bank_name": "Vietcombank", "account_number": "0011002200", "holder": "Nguyen Van Hoa"})
    account = BankAccount.objects.get(status=BankAccount.Status.PENDING)
    assert (account.created_by, account.holder) == (user, "NGUYEN VAN HOA")
    response = client.post(url, {"bank_name": "", "account_number": "x", "holder": ""}, follow=True)
    assert "6–19 chữ số" in response.content.decode()
    assert client.post(reverse("shop_ledger:review_account", args=[account.pk]), {"approve": "1"}).status_code == 403
    assert BankAccount.objects.get(pk=account.pk).status == BankAccount.Status.PENDING


def test_national_admin_runs_a_payout_and_records_it_paid(household, admin_client):
    page = admin_client.get(reverse("shop_ledger:index")).content.decode()
    assert household.title in page
    admin_client.post(reverse("shop_ledger:run"))
    statement = PayoutStatement.objects.get()
    assert statement.producer_id == household.pk and statement.total > 0
    printable = admin_client.get(reverse("shop_ledger:statement", args=[statement.pk])).content.decode()
    assert statement.number in printable and "1500206123456" in printable
    csv = admin_client.get(reverse("shop_ledger:statement_csv", args=[statement.pk]))
    assert csv["Content-Type"].startswith("text/csv") and b"".join(csv.streaming_content).decode("utf-8-sig").startswith(
        "Đơn hàng,Khoản")
    admin_client.post(reverse("shop_ledger:mark_paid", args=[statement.pk]), {"reference": "FT26336123"})
    assert PayoutStatement.objects.get().status == PayoutStatement.Status.PAID


def test_the_tax_export_and_a_bad_month(household, admin_client):
    month = timezone.localdate().strftime("%Y-%m")
    response = admin_client.get(reverse("shop_ledger:tax_csv"), {"thang": month})
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Hộ kinh doanh Mật ong Đại Hợp,Hộ kinh doanh,360000,3600,1800" in body
    response = admin_client.get(reverse("shop_ledger:tax_csv"), {"thang": "12/2026"}, follow=True)
    assert "Tháng không hợp lệ" in response.content.decode()


def test_officers_and_producers_cannot_edit_rates(household, django_user_model):
    officer = django_user_model.objects.create_user("canbo", "cb@example.com", "pw-canbo-123")
    officer.groups.add(admin_group())
    ProvinceOfficer.objects.create(user=officer, province=province("hai-phong"))
    client = Client()
    client.force_login(officer)
    assert client.get(reverse("shop_ledger:index")).status_code == 403
    producer_client, _user = member_client(django_user_model, household)
    for who in (client, producer_client):
        response = who.post(reverse("tax_rates:add"), {"tax": "gtgt", "basis_points": "0", "valid_from": "2026-12-01"})
        assert response.status_code == 403
    assert not TaxRate.objects.filter(basis_points=0).exists()


def test_national_admin_edits_a_dated_rate(admin_client):
    response = admin_client.post(reverse("tax_rates:add"), {
        "tax": "gtgt", "basis_points": "150", "valid_from": "2027-01-01", "legal_basis": "Thử nghiệm"})
    assert response.status_code == 302
    assert payouts.ledger.tax_rates(datetime.date(2027, 1, 2))["gtgt"] == 150
