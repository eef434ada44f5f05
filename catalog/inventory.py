"""Stock: how many units of each pack (`ProductVariant`) are on the shelf. This module is the only
code that changes it: orders take and give back units, people set counts on the stock screen.

Stock moves with conditional `UPDATE`s (`stock >= quantity`), taken in variant-id order, so two
buyers can never both get the last unit and concurrent orders cannot deadlock. `UPDATE`s send no
`post_save`, so after the transaction commits this module sends `stock_changed` itself; the search
index listens to it. Page revisions never write stock (`ProductVariant.save`).
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.dispatch import Signal

from catalog.models import ProductVariant

# Sent after commit with `product_ids` (every product whose stock moved) and `availability_changed`
# (those of them with a pack that sold out or came back on the shelf: what "in stock" depends on).
stock_changed = Signal()


class StockError(Exception):
    """A pack could not be taken as asked: it has fewer units (`available`) or its price is no
    longer the one the buyer saw (`price`). Raised inside the caller's transaction, which rolls back."""

    def __init__(self, variant_id: int, *, available: int, price: int | None):
        super().__init__(f"variant {variant_id}: {available} available at {price}")
        self.variant_id, self.available, self.price = variant_id, available, price


@dataclass(frozen=True)
class Taking:
    """`quantity` units of a pack, at the unit price the buyer agreed to (None: at any price, for a
    pre-order whose price was agreed when it was placed)."""

    variant_id: int
    quantity: int
    price: int | None


def take(takings) -> None:
    """Take every pack's units or none (StockError; the caller's transaction rolls back)."""
    takings = sorted(takings, key=lambda t: t.variant_id)
    with transaction.atomic():
        for taking in takings:
            shelf = ProductVariant.objects.filter(pk=taking.variant_id, stock__gte=taking.quantity)
            if taking.price is not None:
                shelf = shelf.filter(price=taking.price)
            taken = shelf.update(stock=F("stock") - taking.quantity)
            if not taken:
                current = ProductVariant.objects.filter(pk=taking.variant_id).values("stock", "price").first() or {}
                raise StockError(taking.variant_id, available=current.get("stock", 0), price=current.get("price"))
        _announce([t.variant_id for t in takings], was_empty=set())


def give_back(quantities: dict[int, int]) -> None:
    """Put units back on the shelf: {variant id: quantity} (a cancelled order's lines)."""
    ids = sorted(quantities)
    with transaction.atomic():
        was_empty = set(ProductVariant.objects.filter(pk__in=ids, stock=0).values_list("pk", flat=True))
        for variant_id in ids:
            ProductVariant.objects.filter(pk=variant_id).update(stock=F("stock") + quantities[variant_id])
        _announce(ids, was_empty)


def set_stock(counts: dict[int, int]) -> None:
    """Set packs' counts as people counted them: {variant id: units}."""
    ids = sorted(counts)
    with transaction.atomic():
        before = ProductVariant.objects.select_for_update().filter(pk__in=ids).values_list("pk", "stock")
        was_empty = {pk for pk, stock in before if stock == 0}
        for variant_id in ids:
            ProductVariant.objects.filter(pk=variant_id).update(stock=counts[variant_id])
        _announce(ids, was_empty)


def _announce(variant_ids, was_empty: set) -> None:
    """After commit, tell listeners which products' stock moved, and which of them have a pack that
    sold out or came back (empty now but not before, or the other way round)."""
    rows = list(ProductVariant.objects.filter(pk__in=variant_ids).values_list("pk", "product_id", "stock"))
    product_ids = sorted({product_id for _pk, product_id, _stock in rows})
    availability_changed = sorted({product_id for pk, product_id, stock in rows if (stock == 0) != (pk in was_empty)})
    transaction.on_commit(lambda: stock_changed.send(
        sender=ProductVariant, product_ids=product_ids, availability_changed=availability_changed))
