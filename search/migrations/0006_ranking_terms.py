"""Relevance that follows how a shopper types Vietnamese (search.terms): the title's and producer's
keys, the title's first words by position and its length on each record, and "exact" rows in
`SearchWord` for words typed with diacritics.

Filled here from what each record already holds (its title and producer's name), so ranking and
accented queries work at once; the exact keys of descriptions and stories come with the next
`manage.py search_reindex`, which also gives Elasticsearch the new fields. The columns have database
defaults, so processes still running the previous release can go on writing records meanwhile.
"""

from django.db import migrations, models

from search.terms import all_keys, exact_words, name_start, terms_of

BATCH = 500


def padded(values) -> str:
    return " " + " ".join(values) + " " if values else " "


def fill(apps, schema_editor):
    SearchRecord = apps.get_model("product_search", "SearchRecord")
    table = SearchRecord._meta.db_table
    words = apps.get_model("product_search", "SearchWord")._meta.db_table
    rows = SearchRecord.objects.order_by("pk").values_list("pk", "rank", "title", "producer")
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, rows.count(), BATCH):
            batch = list(rows[start:start + BATCH])
            cursor.executemany(
                f"UPDATE {table} SET name_terms = %s, name_start = %s, name_length = %s, producer_terms = %s "
                "WHERE product_id = %s",
                [(padded(sorted(all_keys(title))), padded(name_start(title)), len(terms_of(title)),
                  padded(sorted(all_keys(producer))), pk) for pk, _rank, title, producer in batch],
            )
            cursor.executemany(f"INSERT INTO {words} (field, word, rank, product_id) VALUES (%s, %s, %s, %s)", [
                ("exact", word[:100], rank, pk)
                for pk, rank, title, producer in batch
                for word in {word[:100] for word in exact_words(f"{title} {producer}")}
            ])


def unfill(apps, schema_editor):
    table = apps.get_model("product_search", "SearchWord")._meta.db_table
    schema_editor.execute(f"DELETE FROM {table} WHERE field = 'exact'")


class Migration(migrations.Migration):
    dependencies = [("product_search", "0005_suggestion_words")]

    operations = [
        migrations.AddField(
            model_name="searchrecord", name="name_terms",
            field=models.TextField(default=" ", db_default=" ", help_text="Folded and exact keys of the title, space-padded."),
        ),
        migrations.AddField(
            model_name="searchrecord", name="name_start",
            field=models.TextField(default=" ", db_default=" ", help_text="Position-tagged keys of the title's first words."),
        ),
        migrations.AddField(
            model_name="searchrecord", name="name_length",
            field=models.PositiveSmallIntegerField(default=0, db_default=0, help_text="Words in the title."),
        ),
        migrations.AddField(
            model_name="searchrecord", name="producer_terms",
            field=models.TextField(default=" ", db_default=" ", help_text="Folded and exact keys of the producer's name."),
        ),
        migrations.RunPython(fill, unfill),
    ]
