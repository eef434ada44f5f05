"""Suggestions while typing get an index made for prefixes: `SearchWord`, filled here from the
records already indexed, so suggestions work before the next `search_reindex`."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 500


def fill(apps, schema_editor):
    """Ranks and word rows of every record, as `search.index` writes them (rank: `suggestion_rank`)."""
    SearchRecord = apps.get_model("product_search", "SearchRecord")
    table = apps.get_model("product_search", "SearchWord")._meta.db_table
    rows = SearchRecord.objects.order_by("pk").values_list("pk", "stars", "words", "title_words")
    with schema_editor.connection.cursor() as cursor:
        for start in range(0, rows.count(), BATCH):
            batch = [(pk, (6 - (stars or 0)) << 32 | pk, words, title)
                     for pk, stars, words, title in rows[start:start + BATCH]]
            cursor.executemany(f"UPDATE {SearchRecord._meta.db_table} SET rank = %s WHERE product_id = %s",
                               [(rank, pk) for pk, rank, _words, _title in batch])
            cursor.executemany(f"INSERT INTO {table} (field, word, rank, product_id) VALUES (%s, %s, %s, %s)", [
                (field, word, rank, pk)
                for pk, rank, words, title in batch
                for field, line in (("words", words), ("title", title))
                for word in {word[:100] for word in line.split()}
            ])


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0007_provincereviewtask'),
        ('product_search', '0004_card_fields'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchrecord',
            name='rank',
            field=models.BigIntegerField(
                db_index=True, default=0, help_text='Suggestion order: see `suggestion_rank`.'),
        ),
        migrations.CreateModel(
            name='SearchWord',
            fields=[
                ('pk', models.CompositePrimaryKey(
                    'field', 'word', 'rank', 'product', blank=True, editable=False, primary_key=True, serialize=False)),
                ('field', models.CharField(max_length=5)),
                ('word', models.CharField(max_length=100)),
                ('rank', models.BigIntegerField()),
                ('product', models.ForeignKey(
                    db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+',
                    to='catalog.productpage')),
            ],
            options={
                'indexes': [models.Index(fields=['product', 'field', 'word'], name='search_word_by_product')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
