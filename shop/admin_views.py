"""Orders in the Wagtail admin.

Staff (superusers, or anyone with the `shop.change_order` permission) list every order and move
it on: confirm a bank transfer or a COD order, mark it delivered, cancel it, refund it. Producers
(users linked to a producer by `catalog.ProducerMember`) list only their own sub-orders and pack,
ship and deliver them. The buttons offered are the orders' own answers (`order.staff_actions()`,
`suborder.producer_actions()`, from `shop.order_rules`); every change goes through `shop.orders`
(`transition`, `fulfil`), which records who acted.
"""

import logging

import stripe
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.ui.tables import BaseColumn, Column, StatusTagColumn, TitleColumn
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog import roles
from catalog.admin_scope import deny_with_403, forbidden  # noqa: F401 - the shop's screens import them from here
from catalog.addresses import normalise_phone
from catalog.text import format_vnd
from shop import order_rules, orders, payments, refunds
from shop.models import Order, OrderEvent, SubOrder
from shop.order_rules import OrderStatus

log = logging.getLogger(__name__)

# URL namespaces of the two admin areas (see shop.wagtail_hooks).
ORDERS = "shop_orders"
SUBORDERS = "shop_suborders"


# --- Who may see what ---------------------------------------------------------------------------

def is_order_staff(user) -> bool:
    return bool(user.is_authenticated and user.is_active
                and (user.is_superuser or user.has_perm("shop.change_order")))


def producer_ids(user) -> list[int]:
    """The producers `user` acts for as a member."""
    return sorted(roles.member_producer_ids(user))


def visible_suborders(user):
    """Sub-orders `user` may open and act on: its producers' ones; staff: all."""
    if is_order_staff(user):
        return SubOrder.objects.all()
    ids = producer_ids(user)
    if not ids:
        raise PermissionDenied
    return SubOrder.objects.filter(producer_id__in=ids)


def listed_suborders(user):
    """"Đơn của tôi": the sub-orders of the user's producers; staff acting for none see all."""
    ids = producer_ids(user)
    if ids:
        return SubOrder.objects.filter(producer_id__in=ids)
    if is_order_staff(user):
        return SubOrder.objects.all()
    raise PermissionDenied


def _back(request, default_url):
    return redirect(get_valid_next_url_from_request(request) or default_url)


def actor_name(event) -> str:
    if event.actor_id and event.actor:
        return event.actor.get_full_name() or event.actor.get_username()
    return event.actor_label


def address(order) -> str:
    if order.commune_id is None:  # bookings only: nothing to deliver
        return ""
    return ", ".join(part for part in (order.street, order.commune.name, order.province.name) if part)


# --- Staff actions on whole orders --------------------------------------------------------------

@require_POST
def order_action(request, pk):
    if not is_order_staff(request.user):
        raise PermissionDenied
    order = get_object_or_404(Order, pk=pk)
    back = _back(request, reverse(f"{ORDERS}:detail", args=[order.pk]))
    action = order_rules.STAFF_ACTIONS_BY_NAME.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Thao tác không hợp lệ."))
        return back
    if action not in order.staff_actions():
        messages.error(request, _("Không thể “%(action)s” khi đơn %(number)s đang “%(status)s”.") % {
            "action": action.label, "number": order.number, "status": order.get_status_display()})
        return back
    note = request.POST.get("note", "").strip()[:300]
    if action.name == order_rules.REFUND_THROUGH_STRIPE:
        _refund_by_stripe(request, order, note)
        return back
    if action.name == order_rules.REFUND_THROUGH_GATEWAY:
        _refund_by_gateway(request, order, note)
        return back
    try:
        order = orders.transition(order, action.to_status, actor=request.user, note=note)
    except orders.OrderError as error:
        messages.error(request, str(error))
        return back
    messages.success(request, _("Đơn %(number)s: %(status)s.") % {
        "number": order.number, "status": order.get_status_display()})
    return back


def _refund_by_gateway(request, order, note):
    """Refund what is left through VNPay or MoMo, then mark the order refunded, in one transaction:
    the gateway's refusal changes nothing."""
    reason = note or _("Hoàn tiền cả đơn.")
    try:
        with transaction.atomic():
            order = orders.locked(order.pk)
            left = refunds.refundable(order)
            shipping = min(order.shipping_fee, left)
            refunds.refund(order, amount=left, goods=left - shipping, shipping=shipping, actor=request.user,
                           reason=reason)
            orders.transition(order, OrderStatus.REFUNDED, actor=request.user, note=reason)
    except (refunds.RefundError, orders.OrderError) as error:
        messages.error(request, str(error))
        return
    messages.success(request, _("Đã hoàn tiền đơn %(number)s.") % {"number": order.number})


def _refund_by_stripe(request, order, note):
    """Ask Stripe for the refund; its `charge.refunded` webhook then marks the order refunded."""
    try:
        payments.refund_stripe(order)
    except ValueError as error:  # no card payment to refund
        messages.error(request, str(error))
        return
    except stripe.StripeError as error:
        log.warning("Stripe refused the refund of order %s: %r", order.number, error)
        messages.error(request, _("Stripe chưa hoàn được tiền cho đơn %(number)s; vui lòng thử lại sau hoặc "
                                  "hoàn tiền trên trang quản trị Stripe.") % {"number": order.number})
        return
    OrderEvent.objects.record(order, actor=request.user, note=_("Đã yêu cầu Stripe hoàn tiền.") + (f" {note}" if note else ""))
    messages.success(request, _("Đã gửi yêu cầu hoàn tiền đơn %(number)s tới Stripe; đơn chuyển sang “Đã hoàn tiền” "
                                "khi Stripe xác nhận.") % {"number": order.number})


# --- Producers' steps on their own parcels ------------------------------------------------------

@require_POST
def suborder_action(request, pk):
    suborder = get_object_or_404(visible_suborders(request.user).select_related("order"), pk=pk)
    back = _back(request, reverse(f"{SUBORDERS}:detail", args=[suborder.pk]))
    action = order_rules.PRODUCER_ACTIONS_BY_NAME.get(request.POST.get("action", ""))
    if action is None:
        messages.error(request, _("Thao tác không hợp lệ."))
        return back
    if action not in suborder.producer_actions():
        messages.error(request, _("Không thể “%(action)s” phần đơn %(number)s lúc này (đơn “%(order_status)s”, "
                                  "phần đơn “%(status)s”).") % {
            "action": action.label, "number": suborder.order.number,
            "order_status": suborder.order.get_status_display(), "status": suborder.get_status_display()})
        return back
    tracking_number = request.POST.get("tracking_number", "").strip() if action.needs_tracking else ""
    if action.needs_tracking and not tracking_number:
        messages.error(request, _("Hãy nhập mã vận đơn khi gửi hàng."))
        return back
    try:
        suborder = orders.fulfil(suborder, action.to_status, actor=request.user, tracking_number=tracking_number)
    except orders.OrderError as error:
        messages.error(request, str(error))
        return back
    messages.success(request, _("Đơn %(number)s · %(producer)s: %(status)s.") % {
        "number": suborder.order.number, "producer": suborder.producer.title,
        "status": suborder.get_status_display()})
    return back


# --- Pages --------------------------------------------------------------------------------------

class OrderIndexView(IndexView):
    """Every order, for staff: filter by status and payment method, search by number, phone, e-mail."""

    any_permission_required = ["change"]

    def search_queryset(self, queryset):
        if not self.is_searching:
            return queryset
        query = self.search_query.strip()
        try:
            phone = normalise_phone(query)  # "+84 912 345 678" finds 0912345678
        except ValidationError:
            phone = query
        return queryset.filter(Q(number__icontains=query) | Q(email__icontains=query)
                               | Q(phone__icontains=phone) | Q(name__icontains=query))

    def get_list_more_buttons(self, instance):
        return []  # orders are not edited or deleted here: they move through the detail page's actions


class OrderDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One order for staff: its parcels and lines per producer, its history, the allowed actions."""

    template_name = "shop/admin/order_detail.html"
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not is_order_staff(request.user):
            raise PermissionDenied
        self.order = get_object_or_404(Order.objects.select_related("commune", "province", "user"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Đơn hàng %(number)s") % {"number": self.order.number}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{ORDERS}:index"), "label": _("Đơn hàng")},
            {"url": "", "label": self.order.number},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        order = self.order
        suborders = list(order.suborders.select_related("producer").prefetch_related("lines"))
        for suborder in suborders:
            suborder.order = order
            suborder.admin_actions = suborder.producer_actions()
        events = list(order.events.select_related("actor", "suborder__producer"))
        for event in events:
            event.actor_name = actor_name(event)
        context.update(order=order, suborders=suborders, events=events, actions=order.staff_actions(),
                       address=address(order), here=self.request.get_full_path())
        return context


class SubOrderActionsColumn(BaseColumn):
    cell_template_name = "shop/admin/suborder_actions_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["actions"] = instance.producer_actions()
        # Back to the listing as filtered (not to the results-only fragment that searches load).
        query = parent_context["request"].GET.copy()
        query.pop("_w_filter_fragment", None)
        context["next"] = parent_context["table"].base_url + (f"?{query.urlencode()}" if query else "")
        return context

    def render_cell_html(self, instance, parent_context):
        # With the request, so that the forms get their CSRF token.
        context = self.get_cell_context_data(instance, parent_context)
        return self.cell_template.render(context, request=parent_context.get("request"))


def _lines_summary(suborder) -> str:
    return "; ".join(f"{line.product_title} ({line.variant_name}) × {line.quantity}" for line in suborder.lines.all())


class SubOrderIndexView(IndexView):
    """"Đơn của tôi": the parcels of the user's producers, with what is needed to ship them."""

    model = SubOrder
    any_permission_required = None  # checked in dispatch: producer members (and staff)
    page_title = gettext_lazy("Đơn của tôi")
    header_icon = "tasks"
    list_filter = ["status"]
    search_fields = ["order__number", "order__name", "order__phone"]
    search_backend_name = None
    default_ordering = "-order__created_at"
    paginate_by = 20

    def dispatch(self, request, *args, **kwargs):
        listed_suborders(request.user)  # PermissionDenied for users who act for no producer
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return listed_suborders(self.request.user).select_related(
            "order", "order__commune", "order__province", "producer").prefetch_related("lines")

    @cached_property
    def columns(self):
        return [
            TitleColumn("number", label=_("Mã đơn"), accessor="order.number", sort_key="order__number",
                        get_url=lambda suborder: reverse(f"{SUBORDERS}:detail", args=[suborder.pk])),
            Column("created_at", label=_("Đặt lúc"), accessor=placed_at, sort_key="order__created_at"),
            Column("producer", label=_("Chủ thể"), accessor="producer.title"),
            StatusTagColumn("status", label=_("Phần đơn"), accessor="get_status_display", sort_key="status",
                            primary=lambda suborder: bool(suborder.producer_actions())),
            Column("order_status", label=_("Đơn hàng"), accessor="order.get_status_display"),
            Column("lines", label=_("Sản phẩm"), accessor=_lines_summary),
            Column("buyer", label=_("Người nhận"), accessor=lambda suborder: f"{suborder.order.name} · {suborder.order.phone}"),
            Column("address", label=_("Địa chỉ giao"), accessor=lambda suborder: address(suborder.order)),
            SubOrderActionsColumn("actions", label=_("Thao tác")),
        ]

    def get_valid_orderings(self):
        return ["order__created_at", "-order__created_at", "order__number", "-order__number", "status", "-status"]


class SubOrderDetailView(WagtailAdminTemplateMixin, TemplateView):
    """One parcel, for its producer (or staff): lines, where to deliver, its history, its next steps."""

    template_name = "shop/admin/suborder_detail.html"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        queryset = visible_suborders(request.user).select_related(
            "order", "order__commune", "order__province", "producer")
        self.suborder = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Đơn %(number)s · %(producer)s") % {
            "number": self.suborder.order.number, "producer": self.suborder.producer.title}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{SUBORDERS}:index"), "label": _("Đơn của tôi")},
            {"url": "", "label": self.suborder.order.number},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        suborder, order = self.suborder, self.suborder.order
        events = list(suborder.events.select_related("actor"))
        for event in events:
            event.actor_name = actor_name(event)
        context.update(
            suborder=suborder, order=order, lines=list(suborder.lines.all()), events=events,
            actions=suborder.producer_actions(), address=address(order), here=self.request.get_full_path(),
            parcel_total=suborder.subtotal + suborder.shipping_fee,
            order_url=reverse(f"{ORDERS}:detail", args=[order.pk]) if is_order_staff(self.request.user) else "",
        )
        return context


def total_in_dong(order) -> str:
    return format_vnd(order.total)


def placed_at(obj) -> str:
    """When an order (or a sub-order's order) was placed, as "15:01 24/11/2026" in local time."""
    order = getattr(obj, "order", obj)
    return date_filter(timezone.localtime(order.created_at), "H:i d/m/Y")
