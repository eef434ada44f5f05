"""CSV exports of products and certificates (and, registered by the shop, orders), scoped by role
(see `catalog.roles`).

Files are UTF-8 with a byte-order mark, so Excel shows Vietnamese correctly, with Vietnamese
headers, and are written row by row (`rows_*` are generators over `iterator()` querysets) so a
large export streams instead of being built in memory. Every CSV goes through `csv_lines`, which
writes formula-like text cells as text (CSV injection).

"""

import csv
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalog import roles
from catalog.models import Certificate, ProductPage

BOM = "\ufeff"
LOCAL_TIME = ZoneInfo("Asia/Ho_Chi_Minh")
CHUNK_ROWS = 500


class _Echo:
    def write(self, value):
        return value


# A spreadsheet program reads a cell starting with one of these as a formula (or, after a tab or CR, may).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    """Numbers as they are; any other value as text, prefixed with a quote if it starts like a formula."""
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)):
        return value
    value = str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_lines(header, rows):
    """Encoded CSV lines, the first with a byte-order mark: the one CSV writer of the project.

    Against CSV injection (OWASP's rule), a text cell starting with =, +, -, @, a tab or a carriage
    return is written with a single quote in front, so a name typed by a buyer or a producer
    (`=HYPERLINK(...)`) opens as text, never as a working formula. Numbers (int, float, Decimal) are
    written as they are: -5 stays a number."""
    writer = csv.writer(_Echo())
    yield (BOM + writer.writerow([_cell(value) for value in header])).encode("utf-8")
    for row in rows:
        yield writer.writerow([_cell(value) for value in row]).encode("utf-8")


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


# --- Products -----------------------------------------------------------------------------------

def product_header():
    return [_("Tên sản phẩm"), _("Chủ thể"), _("Tỉnh/thành phố"), _("Nhóm"), _("Số sao"),
            _("Trạng thái chứng nhận"), _("Giá thấp nhất (đồng)"), _("Tồn kho"), _("Đang bán"), _("Đường dẫn")]


def products_for(user):
    return roles.scoped(ProductPage.objects.all(), user, "producer").select_related(
        "producer", "producer__province", "group").prefetch_related("variants", "certificates").order_by(
        "producer__province__short_name", "producer__title", "title", "pk")


def product_rows(user, base_url=""):
    for product in products_for(user).iterator(chunk_size=CHUNK_ROWS):
        certificate = product.current_certificate
        if certificate:
            status = certificate.get_status_display()
        elif product.certificate_history:
            status = product.certificate_problem
        else:
            status = _("Chưa có chứng nhận")
        url = product.get_url() if product.live else ""
        if url and url.startswith("/") and base_url:
            url = base_url.rstrip("/") + url
        yield [
            product.title,
            product.producer.title if product.producer else "",
            product.producer.province.name if product.producer else "",
            product.group.name,
            product.stars or "",
            status,
            product.min_price,
            sum(variant.stock for variant in product.variant_list),
            _("Có") if product.live else _("Không (bản nháp)"),
            url,
        ]


# --- Certificates -------------------------------------------------------------------------------

def certificate_header():
    return [_("Sản phẩm"), _("Chủ thể"), _("Tỉnh/thành phố"), _("Số sao"), _("Điểm"), _("Số quyết định"),
            _("Ngày quyết định"), _("Cơ quan ban hành"), _("Cấp công nhận"), _("Ngày hết hạn"), _("Trạng thái")]


def certificates_for(user):
    return roles.scoped(Certificate.objects.all(), user, "product__producer").select_related(
        "product", "product__producer", "product__producer__province").order_by(
        "product__producer__province__short_name", "product__producer__title", "product__title",
        "-decision_date", "pk")


def certificate_rows(user):
    for certificate in certificates_for(user).iterator(chunk_size=CHUNK_ROWS):
        producer = certificate.product.producer
        yield [
            certificate.product.title,
            producer.title if producer else "",
            producer.province.name if producer else "",
            certificate.stars,
            certificate.score,
            certificate.decision_number,
            _date(certificate.decision_date),
            certificate.issuing_body,
            certificate.get_level_display(),
            _date(certificate.expires_on),
            certificate.get_status_display(),
        ]


@dataclass(frozen=True)
class Export:
    label: str
    stem: str  # file name, before the date
    header: Callable[[], list]
    rows: Callable  # rows(user, request), each scoped to the user


EXPORTS: dict[str, Export] = {}


def register(slug: str, export: Export):
    """Other apps add their exports here (the shop: orders), so the catalogue never imports them."""
    EXPORTS[slug] = export


register("san-pham", Export(gettext_lazy("Sản phẩm"), "san-pham-ocop", product_header, lambda user, request: product_rows(
    user, request.build_absolute_uri("/") if request else "")))
register("chung-nhan", Export(gettext_lazy("Chứng nhận OCOP"), "chung-nhan-ocop", certificate_header,
                              lambda user, request: certificate_rows(user)))
