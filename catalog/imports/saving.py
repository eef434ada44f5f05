"""Saving a checked import: new producers (published), new products (drafts) and certificates, in one transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalog.imports.lookups import key
from catalog.imports.matching import certificate_changes
from catalog.imports.rows import ImportResult
from catalog.models import Certificate, ProducerPage, ProductPage
from catalog.models.certificates import VALIDITY_MONTHS, add_months
from catalog.tree import producer_index, unique_child_slug


def save(result: ImportResult, user) -> dict:
    """Write a clean import in one transaction: producers (live), products (drafts), certificates.

    Raises ValidationError (and saves nothing) if a model refuses a row, for instance because data
    changed since the preview."""
    if not result.ok:
        raise ValueError("An import with errors must not be saved.")
    created_producers, created_products = {}, {}
    counts = {"new_producers": 0, "new_products": 0, "new_certificates": 0, "updated_certificates": 0}
    with transaction.atomic():
        index = producer_index()
        for row in result.rows:
            try:
                producer = row.producer or created_producers.get((row.province.pk, key(row.producer_title)))
                if producer is None:
                    producer = index.add_child(instance=ProducerPage(
                        title=row.producer_title, slug=unique_child_slug(index, row.producer_title),
                        legal_form=row.legal_form, province=row.province, commune=row.commune,
                        owner=user,
                    ))
                    # The import itself is the permission check (officer scope, in `validate`).
                    producer.save_revision(user=user, log_action=True).publish(
                        user=user, skip_permission_checks=True)
                    producer.refresh_from_db()
                    created_producers[(row.province.pk, key(row.producer_title))] = producer
                    counts["new_producers"] += 1
                product = row.product or created_products.get((producer.pk, key(row.product_title)))
                if product is None:
                    product = producer.add_child(instance=ProductPage(
                        title=row.product_title, slug=unique_child_slug(producer, row.product_title),
                        group=row.group, subgroup=row.subgroup, live=False, owner=user,
                    ))
                    product.save_revision(user=user, log_action=True)
                    created_products[(producer.pk, key(row.product_title))] = product
                    counts["new_products"] += 1
                certificate = row.certificate or Certificate.objects.filter(
                    product=product, decision_number=row.decision_number).first()
                if certificate is None:
                    certificate = Certificate(product=product, decision_number=row.decision_number)
                    counts["new_certificates"] += 1
                elif not certificate_changes(certificate, row):
                    continue
                else:
                    counts["updated_certificates"] += 1
                if certificate.decision_date != row.decision_date or not certificate.expires_on:
                    certificate.expires_on = add_months(row.decision_date, VALIDITY_MONTHS)
                certificate.stars, certificate.score = row.stars, row.score
                certificate.decision_date, certificate.issuing_body = row.decision_date, row.issuing_body
                certificate.level = row.level
                certificate.full_clean()
                certificate.save()
            except ValidationError as error:
                raise ValidationError(_("Dòng %(row)s: %(errors)s") % {
                    "row": row.number, "errors": " ".join(error.messages)}) from error
    return counts
