"""Takedowns: reports of violating product and producer pages, and what moderators do about them.

Anyone reports a page (`report`). The producer's province officers and national admins see the
report in their queue (`catalog.takedown_admin`) and decide within 24 hours: hide the page at once
(`hide`: it leaves every public list, the search index and the cart, and its URL answers with a
notice), then uphold or dismiss the report. A producer may be warned, suspended (its page and all
its products hidden, nothing of it sold) and reinstated. Every step is one transaction that writes
one `ListingAction`; the producer's members are e-mailed of each decision about them, and a report
still open at its deadline is flagged and e-mailed (`flag_overdue_reports`, on the scheduler).
"""

import logging

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from catalog import roles
from catalog.emails import _send, absolute
from catalog.models import ListingAction, ListingReport, ProducerPage, ProductPage
from catalog.models.reports import DETAILS_MAX, NOTE_MAX

Kind = ListingAction.Kind

log = logging.getLogger(__name__)

# Sent after commit with `producer_id` and `product_ids` when pages were hidden or shown again:
# written with `update()`, so no page signal fires; the index and the page cache listen.
visibility_changed = Signal()


class TakedownError(ValueError):
    """A step refused with a message for the person who tried it."""


# --- What the public sees -------------------------------------------------------------------------

def is_taken_down(page) -> bool:
    """A product whose page or producer was taken down, or a producer taken down or suspended."""
    if page.taken_down_at is not None:
        return True
    producer = page.producer if isinstance(page, ProductPage) else None
    return producer is not None and producer.taken_down_at is not None


def notice(request, page) -> TemplateResponse:
    """What a taken-down page's URL answers: a notice, 451 (unavailable for legal reasons)."""
    return TemplateResponse(request, "catalog/taken_down.html", {"page": page}, status=451)


# --- Who ------------------------------------------------------------------------------------------

def may_moderate(user, producer) -> bool:
    return producer is not None and roles.can_act_for_province(user, producer.province_id)


def may_see_queue(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user)


def visible_reports(user):
    """The reports in this user's queue: all for national admins, their provinces' for officers."""
    if roles.is_national_admin(user):
        return ListingReport.objects.all()
    return ListingReport.objects.filter(producer__province_id__in=roles.officer_province_ids(user))


def actions_for_members(user):
    """The decisions about the producers this user acts for (what `members_view` lists)."""
    return ListingAction.objects.filter(producer_id__in=roles.member_producer_ids(user))


def is_suspended(producer) -> bool:
    last = ListingAction.objects.filter(producer=producer, kind__in=[Kind.SUSPEND, Kind.REINSTATE]).order_by(
        "-created_at", "-pk").values_list("kind", flat=True).first()
    return last == Kind.SUSPEND


# --- Reporting ------------------------------------------------------------------------------------

def report(page, *, reason, details, user=None, email=""):
    """A report of a live product or producer page by anyone; the province's officers are e-mailed."""
    if reason not in ListingReport.Reason.values:
        raise TakedownError(_("Hãy chọn lý do báo cáo."))
    details = (details or "").strip()
    if len(details) < 10:
        raise TakedownError(_("Hãy mô tả vi phạm (ít nhất 10 ký tự) để cán bộ kiểm tra được."))
    if len(details) > DETAILS_MAX:
        raise TakedownError(_("Mô tả dài quá %(limit)s ký tự.") % {"limit": DETAILS_MAX})
    product = page if isinstance(page, ProductPage) else None
    producer = page.producer if product else page
    if producer is None:
        raise TakedownError(_("Trang này không nhận báo cáo."))
    user = user if user is not None and user.is_authenticated else None
    if user and ListingReport.objects.filter(reporter=user, product=product, producer=producer,
                                             status=ListingReport.Status.OPEN).exists():
        raise TakedownError(_("Bạn đã báo cáo trang này; cán bộ đang xem xét."))
    with transaction.atomic():
        found = ListingReport.objects.create(
            producer=producer, product=product, about_product=product is not None, listing_title=page.title[:255],
            reason=reason, details=details,
            reporter=user, reporter_email=(email or (user.email if user else "")).strip()[:254])
        transaction.on_commit(lambda: send_report_emails.enqueue(found.pk, "new"))
    return found


# --- Deciding -------------------------------------------------------------------------------------

def _note(raw) -> str:
    text = (raw or "").strip()
    if not text:
        raise TakedownError(_("Hãy ghi lý do của quyết định."))
    if len(text) > NOTE_MAX:
        raise TakedownError(_("Lý do dài quá %(limit)s ký tự.") % {"limit": NOTE_MAX})
    return text


def _locked_report(pk):
    return ListingReport.objects.select_for_update(of=("self",)).select_related("producer", "product").get(pk=pk)


def _target(found):
    """The page a report is about (its product, else its producer) and its model."""
    return found.product if found.product_id else found.producer


def _set_taken_down(page, when) -> None:
    type(page).objects.filter(pk=page.pk).update(taken_down_at=when)
    page.taken_down_at = when


def _record(kind, *, actor, note, producer, product=None, found=None, notify=True):
    action = ListingAction.objects.create(
        kind=kind, actor=actor, note=note, producer=producer, product=product, report=found,
        listing_title=(product or producer).title[:255])
    product_ids = [product.pk] if product else list(producer.products.values_list("pk", flat=True))
    transaction.on_commit(lambda: visibility_changed.send(
        sender=ListingAction, producer_id=producer.pk, product_ids=product_ids))
    if notify:
        transaction.on_commit(lambda: send_decision_email.enqueue(action.pk))
    log.info("listing action %s %s on %s by user %s", action.pk, kind, action.listing_title, actor.pk)
    return action


def _open_report(pk, actor):
    """The report, locked, if `actor` moderates it and the page it is about still exists."""
    found = _locked_report(pk)
    if found.producer is None and not roles.is_national_admin(actor):
        raise PermissionDenied
    if found.producer is not None and not may_moderate(actor, found.producer):
        raise PermissionDenied
    if found.producer is None or (found.about_product and found.product is None):
        raise TakedownError(_("Trang bị báo cáo không còn nữa."))
    return found


def hide(pk, *, actor, note):
    """Hide the reported page now, before deciding the report."""
    with transaction.atomic():
        found = _open_report(pk, actor)
        page = _target(found)
        if page.taken_down_at is not None:
            raise TakedownError(_("Trang này đang bị ẩn rồi."))
        _set_taken_down(page, timezone.now())
        return _record(Kind.HIDE, actor=actor, note=_note(note), producer=found.producer, product=found.product,
                       found=found)


def restore(pk, *, actor, note):
    """Show the reported page again (not a suspended producer: that takes `reinstate`)."""
    with transaction.atomic():
        found = _open_report(pk, actor)
        page = _target(found)
        if page.taken_down_at is None:
            raise TakedownError(_("Trang này đang hiển thị."))
        if found.product_id is None and is_suspended(found.producer):
            raise TakedownError(_("Chủ thể đang bị đình chỉ; hãy gỡ đình chỉ để hiện lại trang."))
        _set_taken_down(page, None)
        return _record(Kind.RESTORE, actor=actor, note=_note(note), producer=found.producer, product=found.product,
                       found=found)


def decide(pk, *, actor, upheld: bool, note):
    """Close an open report: a violation (the page stays hidden, hidden now if it was not) or none
    (the page shows again if this was the last open report about it and no suspension holds it)."""
    with transaction.atomic():
        found = _open_report(pk, actor)
        if found.status != ListingReport.Status.OPEN:
            raise TakedownError(_("Báo cáo này đã được quyết định rồi."))
        note = _note(note)
        found.status = ListingReport.Status.UPHELD if upheld else ListingReport.Status.DISMISSED
        found.decided_by, found.decided_at, found.decision_note = actor, timezone.now(), note
        found.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        page = _target(found)
        action = _record(Kind.UPHOLD if upheld else Kind.DISMISS, actor=actor, note=note,
                         producer=found.producer, product=found.product, found=found)
        others_open = ListingReport.objects.filter(producer=found.producer, product=found.product,
                                                   status=ListingReport.Status.OPEN).exists()
        if upheld and page.taken_down_at is None:
            _set_taken_down(page, found.decided_at)
        elif (not upheld and page.taken_down_at is not None and not others_open
              and not (found.product_id is None and is_suspended(found.producer))):
            _set_taken_down(page, None)
            _record(Kind.RESTORE, actor=actor, note=note, producer=found.producer, product=found.product,
                    found=found, notify=False)
    return action


def sanction(producer, *, actor, kind, note, found=None):
    """Warn, suspend or reinstate a producer (`Kind.WARN`, `SUSPEND`, `REINSTATE`)."""
    if kind not in (Kind.WARN, Kind.SUSPEND, Kind.REINSTATE):
        raise TakedownError(_("Thao tác không hợp lệ."))
    if not may_moderate(actor, producer):
        raise PermissionDenied
    with transaction.atomic():
        current = ProducerPage.objects.select_for_update().get(pk=producer.pk)
        suspended = is_suspended(current)
        if kind == Kind.SUSPEND and suspended:
            raise TakedownError(_("Chủ thể đang bị đình chỉ rồi."))
        if kind == Kind.REINSTATE and not suspended:
            raise TakedownError(_("Chủ thể không bị đình chỉ."))
        note = _note(note)
        if kind == Kind.SUSPEND:
            _set_taken_down(current, timezone.now())
        elif kind == Kind.REINSTATE:
            _set_taken_down(current, None)
        return _record(kind, actor=actor, note=note, producer=current, found=found)


# --- E-mail ---------------------------------------------------------------------------------------

def _national_admin_emails() -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="").filter(
        Q(is_superuser=True) | Q(groups__name=roles.NATIONAL_ADMIN_GROUP))
    return sorted(set(users.values_list("email", flat=True)))


def _member_emails(producer) -> list[str]:
    return sorted(set(producer.members.filter(user__is_active=True).exclude(user__email="").values_list(
        "user__email", flat=True)))


@task()
def send_report_emails(report_id: int, why: str) -> int:
    """A new report ("new": the province's officers) or one past its deadline ("overdue": the
    officers and the national admins). Returns how many addresses were written to."""
    found = ListingReport.objects.select_related("producer__province", "product").filter(pk=report_id).first()
    if found is None or found.producer is None:
        return 0
    emails = roles.officer_emails(found.producer.province)
    if why == "overdue" or not emails:
        emails = sorted(set(emails) | set(_national_admin_emails()))
    if not emails:
        return 0
    _send("catalog/email/listing_report", {
        "report": found, "overdue": why == "overdue",
        "admin_url": absolute(reverse("catalog_takedowns_detail", args=[found.pk]))}, emails)
    return len(emails)


@task()
def send_decision_email(action_id: int) -> int:
    """Tell the producer's members what was decided about their page or about them."""
    action = ListingAction.objects.select_related("producer", "report").filter(pk=action_id).first()
    if action is None or action.producer is None or not (emails := _member_emails(action.producer)):
        return 0
    _send("catalog/email/listing_decision", {
        "action": action, "admin_url": absolute(reverse("catalog_takedowns_mine"))}, emails)
    return len(emails)


def flag_overdue_reports() -> int:
    """Reports still open past their deadline are flagged (once) and e-mailed (`catalog.tasks`)."""
    now = timezone.now()
    with transaction.atomic():
        due = list(ListingReport.objects.select_for_update(skip_locked=True).filter(
            status=ListingReport.Status.OPEN, due_by__lt=now, overdue_notified_at__isnull=True
        ).values_list("pk", flat=True))
        ListingReport.objects.filter(pk__in=due).update(overdue_notified_at=now)
        for pk in due:
            transaction.on_commit(lambda pk=pk: send_report_emails.enqueue(pk, "overdue"))
    return len(due)

