"""The producers' ledger: each paid (online) or delivered (cash) parcel is written once — goods and
its delivery fee owed to the producer, the platform's commission and, for household producers only,
the 1 % VAT and 0.5 % PIT of Decree 117/2025/NĐ-CP kept back — and refunds take it back in
proportion, never more than was paid. Entries are never edited or deleted, and for every order
paid − refunded = producers' net + commission + tax withheld."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProducerPage, ProductGroup
from shop import ledger, orders, refunds
from shop.models import CommissionRate, EntryKind, LedgerEntry, Order, Refund, ReturnWindow, TaxRate
from shop.order_rules import FulfilmentStatus, OrderStatus
from tests.factories import make_producer, make_product
from tests.shop.test_checkout import add, checkout_data

pytestmark = pytest.mark.django_db

HOUSEHOLD = ProducerPage.LegalForm.HOUSEHOLD


def place(client, *products, quantity=2, **checkout):
    for product in products:
        add(client, product, quantity)
    response = client.post(reverse("shop:checkout"), checkout_data(**checkout))
    assert response.status_code == 302
    return Order.objects.latest("pk")


def deliver_cash_order(order):
    order = orders.transition(order, OrderStatus.CONFIRMED)
    for suborder in order.suborders.all():
        orders.fulfil(suborder, FulfilmentStatus.SHIPPED, tracking_number="GHN123")
        orders.fulfil(suborder, FulfilmentStatus.DELIVERED)
    return Order.objects.get(pk=order.pk)


def entries(order, producer=None):
    found = LedgerEntry.objects.filter(order=order)
    if producer is not None:
        found = found.filter(producer=producer)
    return {kind: total for kind, total in found.values_list("kind").annotate(total=Sum("amount"))}


def assert_adds_up(order):
    """paid − refunded = the producers' net + commission + tax withheld (the last two kept back)."""
    order = Order.objects.get(pk=order.pk)
    rows = entries(order)
    kept_back = -sum(rows.get(kind, 0) for kind in (EntryKind.COMMISSION, EntryKind.VAT, EntryKind.PIT))
    net = sum(rows.values())
    assert refunds.paid(order) - refunds.refunded(order) == net + kept_back
    assert rows.get(EntryKind.GOODS, 0) + rows.get(EntryKind.SHIPPING, 0) == net + kept_back


def test_a_cash_order_is_written_on_delivery_with_tax_withheld_for_the_household_only(client):
    household = make_producer(title="Hộ kinh doanh Mật ong Đại Hợp", legal_form=HOUSEHOLD)
    honey = make_product(producer=household, title="Mật ong Đại Hợp", price=180_000)
    tea = make_product(title="Chè Cẩm Mỹ", price=95_000)  # a cooperative's
    order = place(client, honey, tea)
    assert not LedgerEntry.objects.exists()  # placed: no money yet
    order = deliver_cash_order(order)

    parcel = order.suborders.get(producer=household)
    assert entries(order, household) == {
        EntryKind.GOODS: 360_000, EntryKind.SHIPPING: parcel.shipping_fee,
        EntryKind.VAT: -3_600, EntryKind.PIT: -1_800,  # 1 % and 0.5 % of the goods
    }
    cooperative = order.suborders.exclude(producer=household).get()
    assert entries(order, cooperative.producer) == {EntryKind.GOODS: 190_000, EntryKind.SHIPPING: cooperative.shipping_fee}
    assert_adds_up(order)


def test_an_online_order_is_written_once_when_paid(client):
    order = place(client, make_product(price=100_000), payment_method="vietqr")
    assert not LedgerEntry.objects.exists()
    order = orders.transition(order, OrderStatus.PAID, actor_label="Casso")
    written = LedgerEntry.objects.count()
    assert written == 2
    orders.transition(order, OrderStatus.SHIPPED)
    orders.transition(order, OrderStatus.DELIVERED)  # delivered later: nothing more
    assert LedgerEntry.objects.count() == written
    assert Order.objects.get(pk=order.pk).suborders.get().delivered_at is not None
    assert_adds_up(order)


def test_commission_is_the_most_specific_rate_in_force(client):
    producer = make_producer()
    food = ProductGroup.objects.get(slug="thuc-pham")
    today = timezone.localdate()
    CommissionRate.objects.create(basis_points=800, valid_from=today - datetime.timedelta(days=30))  # everyone
    CommissionRate.objects.create(group=food, basis_points=500, valid_from=today - datetime.timedelta(days=30))
    CommissionRate.objects.create(group=food, basis_points=900, valid_from=today + datetime.timedelta(days=1))  # not yet
    order = place(client, make_product(producer=producer, price=100_000), payment_method="vietqr")
    orders.transition(order, OrderStatus.PAID)
    assert entries(order)[EntryKind.COMMISSION] == -10_000  # 5 % of 200,000
    CommissionRate.objects.create(producer=producer, basis_points=300, valid_from=today)
    second = place(client, make_product(producer=producer, price=100_000), payment_method="vietqr")
    orders.transition(second, OrderStatus.PAID)
    assert entries(second)[EntryKind.COMMISSION] == -6_000  # the producer's own 3 %
    assert_adds_up(order)
    assert_adds_up(second)


def test_a_new_tax_rate_applies_from_its_date(client):
    household = make_producer(legal_form=HOUSEHOLD)
    TaxRate.objects.create(tax=TaxRate.Tax.VAT, basis_points=200, valid_from=timezone.localdate() + datetime.timedelta(days=1))
    order = place(client, make_product(producer=household, price=100_000), payment_method="vietqr")
    orders.transition(order, OrderStatus.PAID)
    assert entries(order)[EntryKind.VAT] == -2_000  # still 1 % today
    assert ledger.tax_rates(timezone.localdate() + datetime.timedelta(days=1))[TaxRate.Tax.VAT] == 200


def test_refunds_take_back_in_proportion_and_never_more_than_was_paid(client):
    household = make_producer(legal_form=HOUSEHOLD)
    CommissionRate.objects.create(basis_points=500, valid_from=datetime.date(2025, 1, 1))
    order = place(client, make_product(producer=household, price=100_000), quantity=3, payment_method="vietqr")
    order = orders.transition(order, OrderStatus.PAID)
    suborder = order.suborders.get()
    with transaction.atomic():
        refunds.refund(orders.locked(order.pk), amount=100_000, goods=100_000, shipping=0, suborder=suborder,
                       reason="Một hộp dập", reference="FT2612001")
    rows = entries(order)
    assert rows[EntryKind.GOODS] == 200_000 and rows[EntryKind.COMMISSION] == -10_000
    assert (rows[EntryKind.VAT], rows[EntryKind.PIT]) == (-2_000, -1_000)
    assert_adds_up(order)

    with pytest.raises(refunds.RefundError, match="Chỉ còn có thể hoàn"):
        with transaction.atomic():
            refunds.refund(orders.locked(order.pk), amount=order.total, goods=order.total, shipping=0,
                           suborder=suborder, reason="x", reference="FT2")
    assert Refund.objects.count() == 1

    orders.transition(order, OrderStatus.REFUNDED, note="Huỷ phần còn lại")  # the rest, by staff
    assert sum(entries(order).values()) == 0  # every sale entry taken back, exactly
    assert refunds.refundable(Order.objects.get(pk=order.pk)) == 0
    assert_adds_up(Order.objects.get(pk=order.pk))


def test_a_cash_order_cancelled_before_delivery_writes_nothing(client):
    order = place(client, make_product())
    orders.transition(order, OrderStatus.CANCELLED)
    assert not LedgerEntry.objects.exists() and not Refund.objects.exists()


def test_entries_are_never_edited_or_deleted(client):
    order = place(client, make_product(), payment_method="vietqr")
    orders.transition(order, OrderStatus.PAID)
    entry = LedgerEntry.objects.first()
    entry.amount = 1
    with pytest.raises(ValueError, match="never edited"):
        entry.save()
    with pytest.raises(ValueError, match="never deleted"):
        entry.delete()
    assert LedgerEntry.objects.get(pk=entry.pk).amount != 1


def test_a_parcel_settles_after_its_groups_return_window(client):
    food = ProductGroup.objects.get(slug="thuc-pham")
    ReturnWindow.objects.create(group=food, hours=48)
    producer = make_producer()
    order = deliver_cash_order(place(client, make_product(producer=producer, price=100_000)))
    delivered = order.suborders.get().delivered_at
    before = ledger.balance(producer.pk, now=delivered + datetime.timedelta(hours=47))
    after = ledger.balance(producer.pk, now=delivered + datetime.timedelta(hours=49))
    owed = 200_000 + order.shipping_fee
    assert (before.pending, before.payable) == (owed, 0)
    assert (after.pending, after.payable) == (0, owed)
