"""The producers' ledger: what the platform owes each producer for the parcels it sold.

A parcel is written once, when the money is the platform's: an online order when it is paid, a
cash-on-delivery parcel when it is delivered (the courier collected the cash). It writes the goods
(after discounts) and the parcel's delivery fee as owed to the producer, and takes back the
platform's commission (`CommissionRate`) and, for household producers, the VAT and personal income
tax Decree 117/2025/NĐ-CP makes the platform withhold (`TaxRate`), each at the rate in force that
day. A refund writes reversing entries in proportion to what it gives back, never more than the
sale entry still holds. Entries are never edited or deleted, so every figure can be traced.

Every function runs inside the caller's transaction, with the order row already locked
(`shop.orders`), so two moves of one order never both write it.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, Sum
from django.utils import timezone

from catalog.models import ProducerPage
from shop.models import (
    CommissionRate,
    EntryKind,
    LedgerEntry,
    OrderLine,
    PayoutStatement,
    Refund,
    ReturnRequest,
    ReturnWindow,
    SubOrder,
    TaxRate,
)
from shop.models.ledger import BASIS_POINTS
from shop.order_rules import FulfilmentStatus

TAXES = {TaxRate.Tax.VAT: EntryKind.VAT, TaxRate.Tax.PIT: EntryKind.PIT}
WITHHELD_FROM = {ProducerPage.LegalForm.HOUSEHOLD}  # household businesses (hộ kinh doanh)
SALE_KINDS = (EntryKind.GOODS, EntryKind.SHIPPING)  # what the buyer paid for; the rest is kept back
# Requests that may still give money back: the parcel's entries wait for them.
OPEN_RETURNS = (ReturnRequest.Status.OPEN, ReturnRequest.Status.ANSWERED, ReturnRequest.Status.ESCALATED,
                ReturnRequest.Status.ACCEPTED)


# Decree 117/2025/NĐ-CP for goods, from 1 July 2025 (migration 0008 writes the same rows).
DECREE_117 = datetime.date(2025, 7, 1), [(TaxRate.Tax.VAT, 100), (TaxRate.Tax.PIT, 50)]


def seed_tax_rates() -> None:
    """The withholding rates in force, if missing (a fresh test database, a flushed one)."""
    valid_from, rates = DECREE_117
    for tax, basis_points in rates:
        TaxRate.objects.get_or_create(tax=tax, valid_from=valid_from, defaults={
            "basis_points": basis_points, "legal_basis": "Nghị định 117/2025/NĐ-CP, hàng hoá"})


def share(amount: int, basis_points: int) -> int:
    """`basis_points` of `amount` đồng, rounded half up to the đồng."""
    return (amount * basis_points + BASIS_POINTS // 2) // BASIS_POINTS


def tax_rates(day: datetime.date) -> dict[str, int]:
    """{tax: basis points} in force on `day` (the latest row from on or before it)."""
    rates = {}
    for rate in TaxRate.objects.filter(valid_from__lte=day).order_by("valid_from"):
        rates[rate.tax] = rate.basis_points
    return rates


def commission_rate(day: datetime.date, producer_id: int, group_id: int | None) -> int:
    """The most specific commission in force on `day`: the producer's, else its group's, else the
    general one; 0 when none is set."""
    rates = CommissionRate.objects.filter(valid_from__lte=day).order_by("-valid_from", "-pk")
    scopes = [Q(producer_id=producer_id)]
    if group_id is not None:
        scopes.append(Q(producer__isnull=True, group_id=group_id))
    scopes.append(Q(producer__isnull=True, group__isnull=True))
    for scope in scopes:
        rate = rates.filter(scope).first()
        if rate is not None:
            return rate.basis_points
    return 0


def record_sale(suborder: SubOrder, day: datetime.date | None = None) -> list[LedgerEntry]:
    """Write the parcel's sale entries, once (a second call writes nothing)."""
    if suborder.ledger_entries.filter(reverses__isnull=True).exists():
        return []
    day = day or timezone.localdate()
    lines = list(OrderLine.objects.filter(suborder=suborder).select_related("variant__product"))
    goods = sum(line.line_total for line in lines)
    commission = sum(share(line.line_total, commission_rate(
        day, suborder.producer_id, line.variant.product.group_id if line.variant else None)) for line in lines)
    entry = _entry_maker(suborder)
    entries = [entry(EntryKind.GOODS, goods), entry(EntryKind.SHIPPING, suborder.shipping_fee)]
    if commission:
        entries.append(entry(EntryKind.COMMISSION, -commission, goods))
    if suborder.producer.legal_form in WITHHELD_FROM:
        for tax, basis_points in tax_rates(day).items():
            if basis_points and goods:
                entries.append(entry(TAXES[tax], -share(goods, basis_points), goods, basis_points))
    return LedgerEntry.objects.bulk_create([e for e in entries if e.amount or e.kind in SALE_KINDS])


def record_refund(refund: Refund) -> list[LedgerEntry]:
    """Take back the producers' share of `refund`: its goods and delivery fee from the parcel(s) it
    concerns, and the commission and tax withheld on those goods, in proportion. A whole-order
    refund (no sub-order) takes back everything still held."""
    suborders = [refund.suborder] if refund.suborder_id else list(refund.order.suborders.all())
    written = []
    for suborder in suborders:
        held = _held(suborder)
        if not held:
            continue  # never written (a cash order cancelled before delivery): nothing to take back
        goods_held, shipping_held = held[EntryKind.GOODS][1], held[EntryKind.SHIPPING][1]
        goods = goods_held if not refund.suborder_id else min(refund.goods, goods_held)
        shipping = shipping_held if not refund.suborder_id else min(refund.shipping, shipping_held)
        entry = _entry_maker(suborder, refund)
        for kind, (sale, left) in held.items():
            if kind == EntryKind.GOODS:
                portion = goods
            elif kind == EntryKind.SHIPPING:
                portion = shipping
            elif goods >= goods_held:  # the last of the goods: everything still kept back on them
                portion = left
            else:  # commission and taxes follow the goods given back, never past what is still held
                portion = -min(_part(-sale.amount, goods, sale.base), -left)
            if portion:
                written.append(entry(kind, -portion, reverses=sale))
    return LedgerEntry.objects.bulk_create(written)


def _part(amount: int, part: int, whole: int) -> int:
    """`part`/`whole` of `amount`, rounded half up."""
    return (amount * part + whole // 2) // whole if whole else 0


def _held(suborder) -> dict:
    """{kind: (sale entry, amount it still holds after earlier refunds)} for a written parcel."""
    sales = {e.kind: e for e in suborder.ledger_entries.filter(reverses__isnull=True)}
    taken = dict(LedgerEntry.objects.filter(reverses__in=sales.values()).values("reverses__kind")
                 .annotate(total=Sum("amount")).values_list("reverses__kind", "total"))
    return {kind: (sale, sale.amount + taken.get(kind, 0)) for kind, sale in sales.items()}


def _entry_maker(suborder, refund=None):
    def entry(kind, amount, base=0, basis_points=0, reverses=None):
        return LedgerEntry(producer_id=suborder.producer_id, order_id=suborder.order_id, suborder=suborder, kind=kind,
                           amount=amount, base=base, basis_points=basis_points, reverses=reverses, refund=refund)
    return entry


# --- Settlement and balances ------------------------------------------------------------------------

def return_window(suborder: SubOrder) -> datetime.timedelta:
    """How long after delivery the buyer may still ask for a return: the longest of its lines' groups."""
    groups = set(OrderLine.objects.filter(suborder=suborder).values_list("variant__product__group_id", flat=True))
    windows = dict(ReturnWindow.objects.filter(group_id__in=groups).values_list("group_id", "hours"))
    default = settings.SHOP_RETURN_WINDOW_HOURS
    return datetime.timedelta(hours=max((windows.get(group, default) for group in groups), default=default))


def is_settled(suborder: SubOrder, now=None) -> bool:
    """Delivered, past its return window, and with no return request still open."""
    now = now or timezone.now()
    if suborder.status != FulfilmentStatus.DELIVERED or suborder.delivered_at is None:
        return False
    if suborder.return_requests.filter(status__in=OPEN_RETURNS).exists():
        return False
    return suborder.delivered_at + return_window(suborder) <= now


@dataclass
class Balance:
    pending: int = 0  # written, not settled yet (not delivered, or within the return window)
    payable: int = 0  # settled, in no statement yet
    in_payment: int = 0  # in statements not paid yet
    paid: int = 0

    @property
    def total(self) -> int:
        return self.pending + self.payable + self.in_payment + self.paid


def balance(producer_id: int, now=None) -> Balance:
    result = Balance()
    entries = LedgerEntry.objects.filter(producer_id=producer_id)
    for statement_status, total in entries.filter(payout_line__isnull=False).values_list(
            "payout_line__statement__status").annotate(total=Sum("amount")):
        if statement_status == PayoutStatement.Status.PAID:
            result.paid += total
        else:
            result.in_payment += total
    loose = entries.filter(payout_line__isnull=True).values("suborder_id").annotate(total=Sum("amount"))
    settled = settled_suborders(producer_id, now)
    for row in loose:
        if row["suborder_id"] in settled:
            result.payable += row["total"]
        else:
            result.pending += row["total"]
    return result


def settled_suborders(producer_id: int, now=None) -> set[int]:
    candidates = SubOrder.objects.filter(producer_id=producer_id, status=FulfilmentStatus.DELIVERED,
                                         ledger_entries__payout_line__isnull=True).distinct()
    return {suborder.pk for suborder in candidates if is_settled(suborder, now)}

