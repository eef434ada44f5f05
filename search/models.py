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

`SearchWord` is the prefix index for suggestions while typing, on both databases alike.
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
    # Buyers' published reviews (catalog.ratings): "average ≥ N" is total ≥ N × count, exact in integers.
    rating_count = models.PositiveIntegerField(default=0, db_default=0)
    rating_total = models.PositiveIntegerField(default=0, db_default=0)
    rank = models.BigIntegerField(default=0, db_index=True, help_text="Suggestion order: see `suggestion_rank`.")
    # Relevance (search.terms): where a query term matched, and whether the name starts with the query.
    name_terms = models.TextField(default=" ", db_default=" ", help_text="Folded and exact keys of the title, space-padded.")
    name_start = models.TextField(default=" ", db_default=" ", help_text="Position-tagged keys of the title's first words.")
    name_length = models.PositiveSmallIntegerField(default=0, db_default=0, help_text="Words in the title.")
    producer_terms = models.TextField(default=" ", db_default=" ", help_text="Folded and exact keys of the producer's name.")

    class Meta:
        indexes = [models.Index(fields=["min_price"]), models.Index(fields=["published_at"])]


def suggestion_rank(stars: int | None, product_id: int) -> int:
    """Stars (most first, none last), then id, as one ascending number: the order of suggestions
    among equals, which Elasticsearch sorts by stars and id."""
    return (6 - (stars or 0)) << 32 | product_id


class SearchWord(models.Model):
    """One folded word of a product's record (`field` "words") or of its title ("title"), or the exact
    key of one of the record's words with diacritics ("exact", search.terms: what a query word typed
    with diacritics matches). For suggestions while typing, "a word starting with 'th'" is the range
    'th' ≤ word < 'ti' of a B-tree, on SQLite and PostgreSQL alike, where the record's word list
    needs a full scan.

    The primary key keeps a word's products in `rank` order, so the best few are the first rows of
    a walk (it ends with the product, so a walk reads the index alone); the second index answers
    "has this product such a word" (and deletes by product).
    """

    pk = models.CompositePrimaryKey("field", "word", "rank", "product")
    field = models.CharField(max_length=5)
    word = models.CharField(max_length=100)
    rank = models.BigIntegerField()
    product = models.ForeignKey("catalog.ProductPage", on_delete=models.CASCADE, related_name="+", db_index=False)

    class Meta:
        indexes = [models.Index(fields=["product", "field", "word"], name="search_word_by_product")]
