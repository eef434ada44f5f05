"""The ledger and payouts in the Wagtail admin ("Sổ cái & chi trả").

A producer's members see their producer's balance, entries, statements (CSV and a printable page)
and bank accounts, and give a new account (it waits for review). National admins see every
producer's balance, run a payout, record payments with the bank's reference, review bank accounts
and download the month's tax withheld. Everyone else gets 403. The rates (tax withheld, commission,
return windows) are model viewsets that only national admins hold permissions for.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet

from catalog import roles
from catalog.models import ProducerPage
from shop import ledger, payouts
from shop.admin_views import deny_with_403 as deny
from shop.models import BankAccount, CommissionRate, LedgerEntry, PayoutStatement, ReturnWindow, TaxRate

LEDGER = "shop_ledger"
ENTRIES_SHOWN = 50


def may_see(user) -> bool:
    return roles.is_national_admin(user) or bool(roles.member_producer_ids(user))


def producer_for(user, producer_id) -> ProducerPage:
    """A producer whose ledger `user` may read: one of its own, or any for a national admin."""
    if not (roles.is_national_admin(user) or int(producer_id) in roles.member_producer_ids(user)):
        raise PermissionDenied
    return get_object_or_404(ProducerPage, pk=producer_id)


def national_only(user):
    if not roles.is_national_admin(user):
        raise PermissionDenied


class LedgerView(WagtailAdminTemplateMixin, TemplateView):
    """National admins: every producer's balance and the payout desk. Producers: their own ledger."""

    template_name = "shop/admin/ledger.html"
    header_icon = "table"
    page_title = gettext_lazy("Sổ cái & chi trả")

    def dispatch(self, request, *args, **kwargs):
        if not may_see(request.user):
            raise PermissionDenied
        own = sorted(roles.member_producer_ids(request.user))
        if not roles.is_national_admin(request.user) and len(own) == 1:
            return redirect(f"{LEDGER}:producer", own[0])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        national = roles.is_national_admin(self.request.user)
        ids = (LedgerEntry.objects.values_list("producer_id", flat=True).distinct() if national
               else roles.member_producer_ids(self.request.user))
        producers = ProducerPage.objects.filter(pk__in=set(ids)).order_by("title")
        context.update(national=national, rows=[(producer, ledger.balance(producer.pk)) for producer in producers])
        if national:
            context.update(
                open_statements=PayoutStatement.objects.filter(status=PayoutStatement.Status.OPEN).select_related("producer"),
                pending_accounts=BankAccount.objects.filter(status=BankAccount.Status.PENDING).select_related("producer"),
                this_month=timezone.localdate().strftime("%Y-%m"))
        return context


class ProducerLedgerView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "shop/admin/ledger_producer.html"
    header_icon = "table"
    page_title = gettext_lazy("Sổ cái chủ thể")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        producer = producer_for(self.request.user, kwargs["producer_id"])
        context.update(
            producer=producer, balance=ledger.balance(producer.pk),
            entries=LedgerEntry.objects.filter(producer=producer).select_related("order").order_by("-created_at", "-pk")[
                :ENTRIES_SHOWN],
            statements=producer.payouts.all()[:24], accounts=producer.bank_accounts.all()[:10],
            national=roles.is_national_admin(self.request.user))
        return context


def statement_page(request, pk):
    """The printable statement (the browser prints it; the admin's furniture hides in print)."""
    statement = get_object_or_404(PayoutStatement.objects.select_related("producer"), pk=pk)
    producer_for(request.user, statement.producer_id)
    lines = statement.lines.select_related("entry__order").order_by("entry__created_at", "entry__pk")
    return render(request, "shop/admin/ledger_statement.html", {"statement": statement, "lines": lines})


def statement_csv(request, pk):
    statement = get_object_or_404(PayoutStatement, pk=pk)
    producer_for(request.user, statement.producer_id)
    return _csv(payouts.statement_csv(statement), f"bang-ke-{statement.number}.csv")


def tax_csv(request):
    national_only(request.user)
    try:
        month = datetime.datetime.strptime(request.GET.get("thang", ""), "%Y-%m").date()
    except ValueError:
        messages.error(request, _("Tháng không hợp lệ (dạng 2026-12)."))
        return redirect(f"{LEDGER}:index")
    return _csv(payouts.tax_month(month.year, month.month), f"thue-khau-tru-{month:%Y-%m}.csv")


def _csv(lines, filename):
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_POST
def run_payouts(request):
    national_only(request.user)
    made = payouts.run()
    if made:
        messages.success(request, _("Đã lập %(count)s bảng kê chi trả.") % {"count": len(made)})
    else:
        messages.info(request, _("Không có khoản nào đủ điều kiện chi trả (đã giao, quá hạn đổi trả, có tài khoản đã duyệt)."))
    return redirect(f"{LEDGER}:index")


@require_POST
def mark_paid(request, pk):
    national_only(request.user)
    try:
        statement = payouts.mark_paid(pk, reference=request.POST.get("reference", ""), actor=request.user)
        messages.success(request, _("Đã ghi nhận chi trả bảng kê %(number)s.") % {"number": statement.number})
    except payouts.PayoutError as error:
        messages.error(request, str(error))
    return redirect(f"{LEDGER}:index")


@require_POST
def give_account(request, producer_id):
    producer = producer_for(request.user, producer_id)
    try:
        payouts.give_account(producer.pk, bank_name=request.POST.get("bank_name", ""),
                             account_number=request.POST.get("account_number", ""),
                             holder=request.POST.get("holder", ""), actor=request.user)
        messages.success(request, _("Đã gửi tài khoản mới; quản trị viên sẽ duyệt trước khi dùng để chi trả. "
                                    "Trong lúc chờ, tài khoản đang dùng vẫn nhận tiền."))
    except payouts.PayoutError as error:
        messages.error(request, str(error))
    return redirect(f"{LEDGER}:producer", producer.pk)


@require_POST
def review_account(request, pk):
    national_only(request.user)
    try:
        payouts.review_account(pk, approve=request.POST.get("approve") == "1", actor=request.user)
        messages.success(request, _("Đã xem xét tài khoản nhận tiền."))
    except payouts.PayoutError as error:
        messages.error(request, str(error))
    return redirect(f"{LEDGER}:index")


class LedgerMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see(request.user)


@hooks.register("register_admin_urls")
def ledger_urls():
    from django.urls import include

    urls = [
        path("", deny(LedgerView.as_view()), name="index"),
        path("chu-the/<int:producer_id>/", deny(ProducerLedgerView.as_view()), name="producer"),
        path("chu-the/<int:producer_id>/tai-khoan/", deny(give_account), name="give_account"),
        path("bang-ke/<int:pk>/", deny(statement_page), name="statement"),
        path("bang-ke/<int:pk>/csv/", deny(statement_csv), name="statement_csv"),
        path("bang-ke/<int:pk>/da-chi/", deny(mark_paid), name="mark_paid"),
        path("chi-tra/", deny(run_payouts), name="run"),
        path("tai-khoan/<int:pk>/duyet/", deny(review_account), name="review_account"),
        path("thue/", deny(tax_csv), name="tax_csv"),
    ]
    return [path("so-cai/", include((urls, LEDGER), namespace=LEDGER))]


@hooks.register("register_admin_menu_item")
def ledger_menu_item():
    return LedgerMenuItem(_("Sổ cái & chi trả"), reverse(f"{LEDGER}:index"), icon_name="table", order=270)


class RateViewSet(ModelViewSet):
    """Dated rates, edited by national admins (the only role holding these models' permissions)."""

    icon = "calculator"
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False

    def get_urlpatterns(self):  # a refusal is a 403, not Wagtail's redirect to the dashboard
        return [URLPattern(url.pattern, deny(url.callback), url.default_args, url.name)
                for url in super().get_urlpatterns()]


@hooks.register("register_admin_viewset")
def rate_viewsets():
    return [
        RateViewSet("tax_rates", model=TaxRate, url_prefix="thue-suat", menu_label=_("Thuế suất khấu trừ"),
                    menu_order=271, form_fields=["tax", "basis_points", "valid_from", "legal_basis"],
                    list_display=["tax", "basis_points", "valid_from", "legal_basis"]),
        RateViewSet("commission_rates", model=CommissionRate, url_prefix="hoa-hong", menu_label=_("Mức hoa hồng"),
                    menu_order=272, form_fields=["producer", "group", "basis_points", "valid_from"],
                    list_display=["__str__", "basis_points", "valid_from"]),
        RateViewSet("return_windows", model=ReturnWindow, url_prefix="thoi-han-doi-tra",
                    menu_label=_("Thời hạn đổi trả"), menu_order=273, form_fields=["group", "hours"],
                    list_display=["group", "hours"]),
    ]
