"""The orders export (CSV), registered with the catalogue's exports by `shop.wagtail_hooks`: one row per sub-order (one
producer's part of an order), which is what each role may see: national admins every sub-order,
officers their provinces' producers' ones, producers their own."""

from django.db.models import F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import roles
from catalog.exports import CHUNK_ROWS, LOCAL_TIME, Export
from shop.models import SubOrder


def order_header():
    return [_("Mã đơn"), _("Ngày đặt"), _("Trạng thái đơn"), _("Trạng thái giao của chủ thể"), _("Người mua"),
            _("Điện thoại"), _("Tỉnh/thành phố nhận"), _("Chủ thể"), _("Tiền hàng (đồng)"),
            _("Giảm giá (đồng)"), _("Phí giao hàng (đồng)"), _("Tổng cộng (đồng)"), _("Thanh toán")]


def suborders_for(user):
    return roles.scoped(SubOrder.objects.all(), user, "producer").select_related(
        "order", "order__province", "producer").annotate(
        discount=Coalesce(Sum(F("lines__unit_discount") * F("lines__quantity")), 0)).order_by("-order__created_at", "order__pk", "pk")


def order_rows(user):
    for suborder in suborders_for(user).iterator(chunk_size=CHUNK_ROWS):
        order = suborder.order
        yield [
            order.number,
            timezone.localtime(order.created_at, LOCAL_TIME).strftime("%d/%m/%Y %H:%M"),
            order.get_status_display(),
            suborder.get_status_display(),
            order.name,
            order.phone,
            order.province.name if order.province_id else "",
            suborder.producer.title,
            suborder.subtotal,
            suborder.discount,
            suborder.shipping_fee,
            suborder.subtotal - suborder.discount + suborder.shipping_fee,
            order.get_payment_method_display(),
        ]


ORDERS_EXPORT = Export(gettext_lazy("Đơn hàng (mỗi chủ thể một dòng)"), "don-hang", order_header,
                       lambda user, request: order_rows(user))
