"""Paying producers: payout runs, statements, bank accounts and the monthly tax export.

A payout run (weekly on the scheduler, or by hand) gathers each producer's settled ledger entries
(delivered parcels past their return window, `shop.ledger.is_settled`) into a numbered statement
made out to the producer's active bank account. The producer's row is locked first and each entry
can belong to one statement only (`PayoutLine.entry` is one-to-one), so a run started twice at
once makes each statement once. Staff pay it at the bank and record the bank's reference.

A bank account a producer gives waits for a national admin's review; until then payouts go to the
account already active (a login taken over the hour before a run cannot redirect the money).
"""

import datetime
import uuid

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.exports import csv_lines
from catalog.models import ProducerPage
from catalog.text import format_vnd
from shop import ledger
from shop.models import BankAccount, EntryKind, LedgerEntry, PayoutLine, PayoutStatement


class PayoutError(Exception):
    """Refused; the message is for the person who asked."""


def run(now=None) -> list[PayoutStatement]:
    """One statement per producer with a positive settled total and an active bank account."""
    now = now or timezone.now()
    producers = LedgerEntry.objects.filter(payout_line__isnull=True).values_list("producer_id", flat=True).distinct()
    made = []
    for producer_id in sorted(set(producers)):
        statement = make_statement(producer_id, now)
        if statement is not None:
            made.append(statement)
    return made


def make_statement(producer_id: int, now=None) -> PayoutStatement | None:
    """The producer's statement of what is settled and not yet in one; None when nothing is owed
    (or it is negative after refunds: carried to the next run) or no account is active yet."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            ProducerPage.objects.select_for_update().filter(pk=producer_id).first()  # runs queue here
            settled = ledger.settled_suborders(producer_id, now)
            entries = list(LedgerEntry.objects.filter(producer_id=producer_id, suborder_id__in=settled,
                                                      payout_line__isnull=True))
            total = sum(entry.amount for entry in entries)
            account = BankAccount.objects.filter(producer_id=producer_id, status=BankAccount.Status.ACTIVE).first()
            if total <= 0 or account is None:
                return None
            statement = PayoutStatement.objects.create(
                number=f"tmp-{uuid.uuid4().hex[:16]}", producer_id=producer_id, settled_until=now, total=total,
                bank_name=account.bank_name, account_number=account.account_number, holder=account.holder)
            statement.number = f"CT{timezone.localtime(now):%y%m}-{statement.pk:05d}"
            statement.save(update_fields=["number"])
            PayoutLine.objects.bulk_create([PayoutLine(statement=statement, entry=entry) for entry in entries])
            return statement
    except IntegrityError:  # another run took these entries meanwhile: its statement stands
        return None


def mark_paid(statement_id: int, *, reference: str, actor) -> PayoutStatement:
    with transaction.atomic():
        statement = PayoutStatement.objects.select_for_update().get(pk=statement_id)
        if statement.status == PayoutStatement.Status.PAID:
            raise PayoutError(_("Bảng kê %(number)s đã được chi trả.") % {"number": statement.number})
        if not reference.strip():
            raise PayoutError(_("Hãy nhập mã giao dịch ngân hàng của khoản chi."))
        statement.status, statement.bank_reference = PayoutStatement.Status.PAID, reference.strip()[:100]
        statement.paid_by, statement.paid_at = actor, timezone.now()
        statement.save(update_fields=["status", "bank_reference", "paid_by", "paid_at"])
    return statement


# --- Bank accounts ------------------------------------------------------------------------------

def give_account(producer_id: int, *, bank_name: str, account_number: str, holder: str, actor) -> BankAccount:
    """A producer gives a new account: it waits for review (replacing any other waiting one)."""
    number = "".join(account_number.split())
    if not (bank_name.strip() and holder.strip()) or not number.isdigit() or not 6 <= len(number) <= 19:
        raise PayoutError(_("Hãy nhập tên ngân hàng, chủ tài khoản và số tài khoản (6–19 chữ số)."))
    with transaction.atomic():
        BankAccount.objects.filter(producer_id=producer_id, status=BankAccount.Status.PENDING).update(
            status=BankAccount.Status.REFUSED)
        return BankAccount.objects.create(producer_id=producer_id, bank_name=bank_name.strip()[:100],
                                          account_number=number, holder=holder.strip().upper()[:100], created_by=actor)


def review_account(account_id: int, *, approve: bool, actor) -> BankAccount:
    """A national admin approves (it replaces the active account) or refuses a waiting account."""
    with transaction.atomic():
        account = BankAccount.objects.select_for_update().get(pk=account_id)
        if account.status != BankAccount.Status.PENDING:
            raise PayoutError(_("Tài khoản này đã được xem xét."))
        if approve:
            BankAccount.objects.filter(producer_id=account.producer_id, status=BankAccount.Status.ACTIVE).update(
                status=BankAccount.Status.RETIRED)
        account.status = BankAccount.Status.ACTIVE if approve else BankAccount.Status.REFUSED
        account.reviewed_by, account.reviewed_at = actor, timezone.now()
        account.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    return account


# --- Exports -------------------------------------------------------------------------------------

def statement_csv(statement: PayoutStatement):
    """The statement's entries, one row each, then the total."""
    header, rows = [_("Đơn hàng"), _("Khoản"), _("Số tiền (đồng)"), _("Ghi lúc")], []
    for line in statement.lines.select_related("entry__order").order_by("entry__created_at", "entry__pk"):
        entry = line.entry
        kind = entry.get_kind_display() if entry.reverses_id is None else _("%(kind)s (hoàn)") % {
            "kind": entry.get_kind_display()}
        rows.append([entry.order.number, kind, entry.amount,
                     timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M")])
    rows.append([_("Tổng chi trả"), "", statement.total, ""])
    return csv_lines(header, rows)


def tax_month(year: int, month: int):
    """What the tax declaration needs for a month: per producer, the goods revenue taxed (net of
    refunds) and the VAT and PIT withheld, from the entries written that month."""
    start = timezone.make_aware(datetime.datetime(year, month, 1))
    end = timezone.make_aware(datetime.datetime(year + month // 12, month % 12 + 1, 1))
    written = LedgerEntry.objects.filter(created_at__gte=start, created_at__lt=end,
                                         kind__in=[EntryKind.GOODS, EntryKind.VAT, EntryKind.PIT])
    sums = {}
    for producer_id, kind, total in written.values_list("producer_id", "kind").annotate(total=Sum("amount")):
        sums.setdefault(producer_id, {})[kind] = total
    producers = ProducerPage.objects.filter(pk__in=sums).order_by("title")
    header, rows = [_("Chủ thể"), _("Loại hình"), _("Doanh thu hàng hoá (đồng)"), _("Thuế GTGT đã khấu trừ (đồng)"),
                    _("Thuế TNCN đã khấu trừ (đồng)")], []
    for producer in producers:
        if not (sums[producer.pk].get(EntryKind.VAT) or sums[producer.pk].get(EntryKind.PIT)):
            continue  # nothing withheld: not in the declaration
        rows.append([producer.title, producer.get_legal_form_display(), sums[producer.pk].get(EntryKind.GOODS, 0),
                     -sums[producer.pk].get(EntryKind.VAT, 0), -sums[producer.pk].get(EntryKind.PIT, 0)])
    return csv_lines(header, rows)


def describe(statement: PayoutStatement) -> str:
    return _("Bảng kê %(number)s: %(total)s cho %(producer)s") % {
        "number": statement.number, "total": format_vnd(statement.total), "producer": statement.producer.title}
