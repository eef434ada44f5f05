"""Stock moves only through catalog.inventory: whole takings or none, and one signal after commit."""

import pytest
from django.db import transaction

from catalog import inventory
from catalog.models import ProductVariant
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """What `stock_changed` announced, in order."""
    calls = []

    def listener(sender, product_ids, availability_changed, **kwargs):
        calls.append((product_ids, availability_changed))

    inventory.stock_changed.connect(listener)
    yield calls
    inventory.stock_changed.disconnect(listener)


def pack(product):
    return ProductVariant.objects.get(product=product)


def test_taking_the_last_units_is_announced_after_commit_as_a_change_of_availability(
        heard, django_capture_on_commit_callbacks):
    honey, tea = make_product(stock=2), make_product(stock=5)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inventory.take([inventory.Taking(pack(honey).pk, 2, 100_000), inventory.Taking(pack(tea).pk, 1, 100_000)])
        assert heard == []  # nothing before the commit
    assert callbacks and (pack(honey).stock, pack(tea).stock) == (0, 4)
    assert heard == [(sorted([honey.pk, tea.pk]), [honey.pk])]  # only honey sold out


def test_a_shortage_or_a_new_price_takes_nothing_and_says_which_pack(heard, django_capture_on_commit_callbacks):
    honey, tea = make_product(stock=5, price=100_000), make_product(stock=1, price=80_000)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(inventory.StockError) as short:
            inventory.take([inventory.Taking(pack(honey).pk, 2, 100_000), inventory.Taking(pack(tea).pk, 3, 80_000)])
        with pytest.raises(inventory.StockError) as repriced:
            inventory.take([inventory.Taking(pack(honey).pk, 1, 90_000)])
    assert (short.value.variant_id, short.value.available) == (pack(tea).pk, 1)
    assert repriced.value.price == 100_000
    assert (pack(honey).stock, pack(tea).stock) == (5, 1)  # honey's units came back with the rollback
    assert heard == []


def test_a_rolled_back_taking_is_never_announced(heard, django_capture_on_commit_callbacks):
    honey = make_product(stock=1)
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            inventory.take([inventory.Taking(pack(honey).pk, 1, 100_000)])
            raise RuntimeError("the order failed after the stock was taken")
    assert pack(honey).stock == 1 and heard == []


def test_giving_back_and_setting_announce_only_packs_that_came_back_or_ran_out(
        heard, django_capture_on_commit_callbacks):
    empty, full, other = make_product(stock=0), make_product(stock=3), make_product(stock=4)
    with django_capture_on_commit_callbacks(execute=True):
        inventory.give_back({pack(empty).pk: 2, pack(full).pk: 1})
        inventory.set_stock({pack(empty).pk: 0, pack(other).pk: 7})
    assert (pack(empty).stock, pack(full).stock, pack(other).stock) == (0, 4, 7)
    assert heard == [(sorted([empty.pk, full.pk]), [empty.pk]), (sorted([empty.pk, other.pk]), [empty.pk])]
