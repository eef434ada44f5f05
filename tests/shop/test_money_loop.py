"""The whole money loop, as issue 14 defines it done: a cash order, a VietQR order confirmed by the
transfer webhook (Casso), a VNPay order and a MoMo order (through the local fakes) each end in the
producer's ledger — tax withheld for the household producer, none for the cooperative; a return on
one of them refunds through its gateway and reverses; a payout statement sums what is settled; and
for every order, paid − refunded = producers' net + commission + tax withheld."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProducerMember, ProducerPage
from shop import orders, payouts, returns
from shop.models import BankAccount, CommissionRate, EntryKind, LedgerEntry, Order, PayoutStatement, SubOrder
from shop.order_rules import FulfilmentStatus, OrderStatus
from tests.factories import make_producer, make_product
from tests.fakes.momo import FakeMomo
from tests.fakes.vnpay import FakeVnpay
from tests.shop.test_checkout import add, checkout_data
from tests.shop.test_ledger import assert_adds_up, deliver_cash_order, entries
from tests.shop.test_transfers import KEY, casso_body, deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateways(settings):
    settings.CASSO_CHECKSUM_KEY = KEY
    with FakeVnpay() as vnpay, FakeMomo() as momo:
        vnpay.configure(settings)
        momo.configure(settings)
        yield vnpay, momo


def buy(product, method):
    buyer = Client()
    add(buyer, product, 2)
    response = buyer.post(reverse("shop:checkout"), checkout_data(payment_method=method))
    assert response.status_code == 302
    return Order.objects.latest("pk"), response


def ship_and_deliver(order):
    for suborder in order.suborders.all():
        orders.fulfil(suborder, FulfilmentStatus.SHIPPED, tracking_number="VTP123")
        orders.fulfil(suborder, FulfilmentStatus.DELIVERED)
    return Order.objects.get(pk=order.pk)


def test_four_ways_to_pay_end_in_the_ledger_a_return_reverses_and_a_statement_sums_it(client, gateways,
                                                                                     django_user_model):
    vnpay, momo = gateways
    CommissionRate.objects.create(basis_points=300, valid_from=datetime.date(2025, 1, 1))  # 3 % for everyone
    household = make_producer(title="Hộ kinh doanh Mật ong Đại Hợp", legal_form=ProducerPage.LegalForm.HOUSEHOLD)
    cooperative = make_producer(title="HTX chè Cẩm Mỹ")
    BankAccount.objects.create(producer=household, bank_name="Agribank", account_number="1500206123456",
                               holder="NGUYEN VAN HOA", status=BankAccount.Status.ACTIVE)
    honey = make_product(producer=household, title="Mật ong Đại Hợp", price=180_000, stock=50)
    tea = make_product(producer=cooperative, title="Chè Cẩm Mỹ", price=95_000, stock=50)

    cash, _r = buy(honey, "cod")  # 1. cash on delivery: written when delivered
    cash = deliver_cash_order(cash)

    transfer, _r = buy(honey, "vietqr")  # 2. VietQR, confirmed by Casso's signed notification
    assert deliver(client, casso_body(transfer.total, f"THANH TOAN {transfer.number}")).status_code == 200
    transfer = ship_and_deliver(Order.objects.get(pk=transfer.pk))

    card, response = buy(honey, "vnpay")  # 3. VNPay, through its local fake and our IPN
    assert client.get(reverse("gateways:vnpay_ipn"), vnpay.pay(response["Location"])).json()["RspCode"] == "00"
    card = ship_and_deliver(Order.objects.get(pk=card.pk))

    wallet, response = buy(tea, "momo")  # 4. MoMo (the cooperative's): nothing withheld
    momo.pay(response["Location"])
    ipn = momo.ipn_body(next(iter(momo.created)))
    assert client.post(reverse("gateways:momo_ipn"), json.dumps(ipn), content_type="application/json").status_code == 204
    wallet = ship_and_deliver(Order.objects.get(pk=wallet.pk))

    for order in (cash, transfer, card):
        assert order.status == OrderStatus.DELIVERED
        rows = entries(order)
        assert (rows[EntryKind.GOODS], rows[EntryKind.VAT], rows[EntryKind.PIT]) == (360_000, -3_600, -1_800)
        assert rows[EntryKind.COMMISSION] == -10_800
    rows = entries(wallet)
    assert rows[EntryKind.GOODS] == 190_000 and rows[EntryKind.COMMISSION] == -5_700
    assert EntryKind.VAT not in rows and EntryKind.PIT not in rows

    # A return on the VNPay order: one jar of two arrived broken; the producer accepts, VNPay refunds.
    parcel = card.suborders.get()
    buyer_link = f"{reverse('shop:return_open', args=[card.number, parcel.pk])}?t={card.access_token}"
    opened = Client().post(buyer_link, {"reason": "hong", "description": "Một hũ mật ong bị vỡ nắp.",
                                        "remedy": "hoan-tien", "amount": "180000"})
    assert opened.status_code == 302, opened.content.decode()[:1500]
    member = django_user_model.objects.create_user("hoa", "hoa@example.com", "pw-hoa-12345")
    ProducerMember.objects.create(user=member, producer=household)
    request = parcel.return_requests.get()
    returns.accept(request.pk, actor=member)
    assert [int(r["vnp_Amount"]) for r in vnpay.refund_requests] == [180_000 * 100]
    rows = entries(card)
    assert (rows[EntryKind.GOODS], rows[EntryKind.VAT], rows[EntryKind.PIT], rows[EntryKind.COMMISSION]) == (
        180_000, -1_800, -900, -5_400)  # half taken back, with the tax and commission on that half
    assert LedgerEntry.objects.filter(order=card, reverses__isnull=False).count() == 4

    for order in (cash, transfer, card, wallet):
        assert_adds_up(order)

    # A week later the parcels are settled: the household's statement sums its three orders.
    SubOrder.objects.update(delivered_at=timezone.now() - datetime.timedelta(days=8))
    made = payouts.run()
    statement = PayoutStatement.objects.get(producer=household)
    owed = sum(LedgerEntry.objects.filter(producer=household).values_list("amount", flat=True))
    assert statement.total == owed and statement in made
    assert owed == sum(o.total for o in (cash, transfer, card)) - 180_000 - 3 * 10_800 + 5_400 - 3 * 5_400 + 2_700
    assert not PayoutStatement.objects.filter(producer=cooperative).exists()  # no reviewed account yet
    rows = b"".join(payouts.statement_csv(statement)).decode("utf-8-sig").splitlines()
    assert f"{card.number},Tiền hàng (hoàn),-180000" in "\n".join(rows) and rows[-1] == f"Tổng chi trả,,{owed},"
