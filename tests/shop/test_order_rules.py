"""The order rules as declared in shop.order_rules, asked through the models as views and templates do."""

import pytest

from shop.models import Order, SubOrder
from shop.order_rules import (
    ORDER_TRANSITIONS,
    FulfilmentStatus,
    OrderStatus,
    PaymentMethod,
    rolled_up,
)


def order(status, method=PaymentMethod.COD):
    return Order(status=status, payment_method=method)


@pytest.mark.parametrize("status", list(OrderStatus))
def test_a_buyer_cancels_only_an_order_the_shop_has_not_accepted(status):
    pending = {OrderStatus.PREORDERED, OrderStatus.AWAITING_PAYMENT, OrderStatus.PLACED}
    assert order(status).can_be_cancelled_by_buyer is (status in pending)


def test_staff_buttons_are_the_moves_the_status_allows_for_the_payment_method():
    def names(status, method):
        return [action.name for action in order(status, method).staff_actions()]

    assert names(OrderStatus.PLACED, PaymentMethod.COD) == ["xac-nhan-cod", "huy"]
    assert names(OrderStatus.AWAITING_PAYMENT, PaymentMethod.VIETQR) == ["xac-nhan-chuyen-khoan", "huy"]
    assert names(OrderStatus.AWAITING_PAYMENT, PaymentMethod.STRIPE) == ["huy"]  # Stripe's webhook pays it
    assert names(OrderStatus.DELIVERED, PaymentMethod.STRIPE) == ["hoan-tien"]
    assert names(OrderStatus.DELIVERED, PaymentMethod.COD) == ["da-hoan-tien"]
    assert names(OrderStatus.CANCELLED, PaymentMethod.COD) == []
    assert names(OrderStatus.PREORDERED, PaymentMethod.VIETQR) == ["huy"]  # the season confirms it, not staff
    for status in OrderStatus:  # never a button the transitions refuse
        for method in PaymentMethod:
            assert all(a.to_status in ORDER_TRANSITIONS[status] for a in order(status, method).staff_actions())


def test_producers_act_on_their_parcels_only_once_the_order_is_paid_or_confirmed():
    parcel = SubOrder(order=order(OrderStatus.PLACED), status=FulfilmentStatus.PENDING)
    assert parcel.producer_actions() == []
    parcel.order = order(OrderStatus.CONFIRMED)
    assert [a.name for a in parcel.producer_actions()] == ["dang-chuan-bi", "da-gui"]
    parcel.status = FulfilmentStatus.SHIPPED
    assert [a.name for a in parcel.producer_actions()] == ["da-giao"]


def test_the_order_follows_its_parcels_when_the_last_one_moves():
    assert rolled_up(FulfilmentStatus.PROCESSING, {FulfilmentStatus.PROCESSING}, OrderStatus.PAID) == OrderStatus.PROCESSING
    assert rolled_up(FulfilmentStatus.PROCESSING, {FulfilmentStatus.PROCESSING}, OrderStatus.CONFIRMED) is None
    assert rolled_up(FulfilmentStatus.SHIPPED, {FulfilmentStatus.SHIPPED, FulfilmentStatus.PENDING},
                     OrderStatus.PAID) is None
    assert rolled_up(FulfilmentStatus.SHIPPED, {FulfilmentStatus.SHIPPED}, OrderStatus.PAID) == OrderStatus.SHIPPED
    # A parcel delivered before the last one was sent: the last one sent still ships the order.
    assert rolled_up(FulfilmentStatus.SHIPPED, {FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED},
                     OrderStatus.CONFIRMED) == OrderStatus.SHIPPED
    assert rolled_up(FulfilmentStatus.DELIVERED, {FulfilmentStatus.DELIVERED}, OrderStatus.SHIPPED) == OrderStatus.DELIVERED


def test_only_paid_placed_and_preordered_orders_carry_a_notice_for_the_buyer():
    assert {s for s in OrderStatus if order(s).buyer_notice} == {OrderStatus.PLACED, OrderStatus.PAID,
                                                                 OrderStatus.PREORDERED}
