"""The database side of the product index: one flat, folded row per published product.

Both backends are fed from the same record (`search.records.product_record`), so the database
fallback filters, counts and sorts exactly what Elasticsearch would. Multi-valued fields are kept
as space-padded word lists (" vai thieu thanh ha ") so that "has this word" and "has a word
starting with" are plain LIKE tests on SQLite and PostgreSQL alike.

On PostgreSQL the table also has `words_tsv`, a generated `tsvector` of `words` with a GIN index
(migration 0003), which the database backend's word filter uses there. The model does not declare
it (as a `GeneratedField` of a `SearchVectorField`, with a `GinIndex`) because one model serves both
databases: a generated field's expression is compiled for every backend the model is migrated on,
and SQLite, the embedded default, has neither `to_tsvector`, a `tsvector` type nor GIN indexes. So
the column is PostgreSQL-only DDL, and code never reads or writes it through the ORM.
"""

from django.db import models


class SearchRecord(models.Model):
    product = models.OneToOneField(
        "catalog.ProductPage", on_delete=models.CASCADE, primary_key=True, related_name="search_record"
    )
    title = models.CharField(max_length=255)
    words = models.TextField(help_text="Folded words of everything searchable, space-padded.")
    title_words = models.TextField(help_text="Folded words of the title, space-padded.")
    province = models.CharField(max_length=100, db_index=True)
    legacy_province = models.CharField(max_length=100, blank=True, db_index=True)
    place_keys = models.TextField(help_text="Place keys (p:slug, lp:slug, ld:code), space-padded.")
    group = models.CharField(max_length=100, db_index=True)
    subgroup = models.CharField(max_length=100, blank=True)
    stars = models.PositiveSmallIntegerField(null=True, db_index=True)
    standards = models.TextField(blank=True, help_text="Standard slugs, space-padded.")
    min_price = models.PositiveBigIntegerField(null=True)
    max_price = models.PositiveBigIntegerField(null=True)
    in_stock = models.BooleanField(default=False)
    season_months = models.CharField(max_length=40, help_text="Months on sale, space-padded; all twelve when all year.")
    legal_form = models.CharField(max_length=20)
    published_at = models.DateTimeField(null=True)
    # Shown on the result card, so a page of results needs no Wagtail page (search.hits).
    url_path = models.CharField(max_length=255, default="")
    producer = models.CharField(max_length=255, default="")
    place_name = models.CharField(max_length=100, default="")
    image_id = models.PositiveIntegerField(null=True)
    certificate_status = models.CharField(max_length=10, default="", help_text='"", "expired" or "revoked".')

    class Meta:
        indexes = [models.Index(fields=["min_price"]), models.Index(fields=["published_at"])]
