"""Checked rows against the database (the producers, products and certificates they update) and each other."""

import datetime

from django.utils.translation import gettext as _

from catalog.imports.lookups import key
from catalog.models import Certificate, ProducerPage, ProductPage


def match_existing(rows) -> None:
    """Find the producers, products and certificates rows refer to, in a few queries."""
    provinces = {row.province.pk for row in rows if row.province}
    producers = {}
    for producer in ProducerPage.objects.filter(province_id__in=provinces).order_by("pk"):
        producers.setdefault((producer.province_id, key(producer.title)), producer)
    products = {}
    for product in ProductPage.objects.filter(producer__in=list(producers.values())).order_by("pk"):
        products.setdefault((product.producer_id, key(product.title)), product)
    certificates = {}
    for certificate in Certificate.objects.filter(product__in=list(products.values())):
        certificates[(certificate.product_id, key(certificate.decision_number))] = certificate
    for row in rows:
        if not row.province:
            continue
        row.producer = producers.get((row.province.pk, key(row.producer_title)))
        if row.producer:
            row.product = products.get((row.producer.pk, key(row.product_title)))
        if row.product:
            row.certificate = certificates.get((row.product.pk, key(row.decision_number)))
        if row.certificate:
            row.changes = certificate_changes(row.certificate, row)


def certificate_changes(certificate, row) -> list:
    """What the row changes in an existing certificate, as the preview shows it."""
    changes = []
    for label, old, new in (
        (_("số sao"), certificate.stars, row.stars),
        (_("điểm"), certificate.score, row.score),
        (_("ngày quyết định"), certificate.decision_date, row.decision_date),
        (_("cơ quan ban hành"), certificate.issuing_body, row.issuing_body),
        (_("cấp"), certificate.level, row.level),
    ):
        if old != new:
            show = (lambda v: v.strftime("%d/%m/%Y") if isinstance(v, datetime.date) else ("—" if v in (None, "") else v))
            changes.append(f"{label} {show(old)} → {show(new)}")
    return changes


def check_duplicates(rows) -> None:
    by_product = {}
    by_number = {}
    product_groups = {}
    for row in rows:
        if not (row.province and row.decision_number):
            continue
        product_key = (row.province.pk, key(row.producer_title), key(row.product_title))
        number = key(row.decision_number)
        first = by_product.setdefault(product_key + (number,), row)
        if first is not row:
            row.errors.append(_("Trùng số quyết định %(number)s cho cùng sản phẩm với dòng %(row)s.") % {
                "number": row.decision_number, "row": first.number})
        if row.decision_date:
            same = by_number.setdefault((row.province.pk, row.decision_date.year, number), row)
            if same.decision_date and same.decision_date != row.decision_date:
                row.errors.append(_(
                    "Quyết định %(number)s ở dòng %(row)s có ngày %(date)s; một quyết định chỉ có một ngày.") % {
                    "number": row.decision_number, "row": same.number, "date": same.decision_date.strftime("%d/%m/%Y")})
        if row.group and not row.product:
            group_row = product_groups.setdefault(product_key, row)
            if group_row.group != row.group:
                row.errors.append(_("Sản phẩm này ở dòng %(row)s thuộc nhóm “%(group)s”, khác nhóm ở dòng này.") % {
                    "row": group_row.number, "group": group_row.group.name})
