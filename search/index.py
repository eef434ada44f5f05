"""Writing the product index: the database records always, Elasticsearch too when configured."""

import logging
import time
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection, transaction
from elasticsearch import NotFoundError
from elasticsearch.helpers import bulk
from tqdm import tqdm

from search.backends.elastic import ProductDocument, document_source, index_settings, writer
from search.models import SearchRecord, SearchWord, suggestion_rank
from search.records import live_product_ids, records_for

log = logging.getLogger(__name__)
BATCH = 500
RECORD_FIELDS = [
    "title", "words", "title_words", "province", "legacy_province", "place_keys", "group", "subgroup", "stars",
    "standards", "min_price", "max_price", "in_stock", "season_months", "legal_form", "published_at",
    "url_path", "producer", "place_name", "image_id", "certificate_status", "rank",
    "name_terms", "name_start", "name_length", "producer_terms", "rating_count", "rating_total",
]
WORD_CHARS = SearchWord._meta.get_field("word").max_length


def elasticsearch_enabled() -> bool:
    return bool(settings.ELASTICSEARCH_URL)


def padded(values) -> str:
    return " " + " ".join(str(v) for v in values) + " " if values else " "


def db_row(record) -> SearchRecord:
    return SearchRecord(
        product_id=record.id, title=record.title[:255], words=padded(record.words),
        title_words=padded(record.title_words), province=record.province, legacy_province=record.legacy_province,
        place_keys=padded(record.place_keys), group=record.group, subgroup=record.subgroup, stars=record.stars,
        standards=padded(record.standards), min_price=record.min_price, max_price=record.max_price,
        in_stock=record.in_stock, season_months=padded(record.season_months), legal_form=record.legal_form,
        published_at=record.published_at, url_path=record.url_path, producer=record.producer[:255],
        place_name=record.place_name, image_id=record.image_id, certificate_status=record.certificate_status,
        rank=suggestion_rank(record.stars, record.id), name_terms=padded(record.name_terms),
        name_start=padded(record.name_start), name_length=record.name_length,
        producer_terms=padded(record.producer_terms), rating_count=record.rating_count,
        rating_total=record.rating_total,
    )


def _save_words(records):
    """The prefix index's rows of these records: their distinct words, their title's, and the exact keys
    of their words with diacritics. Sent with
    `executemany`: a product has some forty rows, and bulk_create, compiling each object, took seven
    times as long."""
    rows = [
        (field, word, suggestion_rank(record.stars, record.id), record.id)
        for record in records
        for field, words in (("words", record.words), ("title", record.title_words), ("exact", record.exact))
        for word in {word[:WORD_CHARS] for word in words}
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {SearchWord._meta.db_table} (field, word, rank, product_id) VALUES (%s, %s, %s, %s)", rows
        )


def _delete_words(product_ids=None):
    """One DELETE (of these products' rows, or all): Django deletes the rows of a model with a composite
    primary key by reading every key first and naming each one (a rebuild spent minutes there)."""
    table = SearchWord._meta.db_table
    with connection.cursor() as cursor:
        if product_ids is None:
            cursor.execute(f"DELETE FROM {table}")
        elif product_ids:
            ids = list(product_ids)
            cursor.execute(f"DELETE FROM {table} WHERE product_id IN ({', '.join(['%s'] * len(ids))})", ids)


def _save_rows(records):
    SearchRecord.objects.bulk_create(
        [db_row(r) for r in records], batch_size=BATCH, update_conflicts=True,
        unique_fields=["product"], update_fields=RECORD_FIELDS,
    )


def _es_actions(records, index):
    for record in records:
        yield {"_index": index, "_id": record.id, "_source": document_source(record)}


def new_index_name() -> str:
    return f"{settings.ELASTICSEARCH_INDEX}-{time.strftime('%Y%m%d%H%M%S')}-{int(time.time() * 1000) % 1000:03d}"


def ensure_index(es):
    """Before the first rebuild, create an empty versioned index behind the alias, so documents
    never land in an index the engine made up with guessed field types."""
    alias = settings.ELASTICSEARCH_INDEX
    if es.indices.exists_alias(name=alias) or es.indices.exists(index=alias):
        return
    name = new_index_name()
    ProductDocument._index.clone(name=name).settings(**index_settings()).create(using=es)
    es.indices.put_alias(index=name, name=alias)


def update_products(product_ids) -> int:
    """Re-index these products: live ones are (re)written, the rest removed. Returns how many live."""
    product_ids = set(product_ids)
    records = records_for(product_ids)
    gone = product_ids - {r.id for r in records}
    with transaction.atomic():
        _delete_words(product_ids)
        _save_rows(records)
        _save_words(records)
        SearchRecord.objects.filter(product_id__in=gone).delete()
    if elasticsearch_enabled():
        es = writer()
        ensure_index(es)
        refresh = settings.ELASTICSEARCH_REFRESH
        bulk(es, _es_actions(records, settings.ELASTICSEARCH_INDEX), refresh=refresh)
        for product_id in gone:
            try:
                es.delete(index=settings.ELASTICSEARCH_INDEX, id=product_id, refresh=refresh)
            except NotFoundError:
                pass
    return len(records)


def _batches(progress):
    ids = list(live_product_ids())
    bar = tqdm(total=len(ids), unit="products", disable=not progress, desc="Index")
    producer_cache = {}
    for start in range(0, len(ids), BATCH):
        batch = ids[start:start + BATCH]
        yield records_for(batch, producer_cache)
        bar.update(len(batch))
    bar.close()


def vacuum_records():
    """PostgreSQL: a rebuild rewrites every row; clear the dead ones and refresh the planner's
    statistics now rather than whenever autovacuum comes by (the first searches after a rebuild
    were twice as slow). VACUUM cannot run inside a transaction, as in tests: skipped there."""
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            for model in (SearchRecord, SearchWord):
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")


def rebuild(progress=False) -> dict:
    """Rebuild everything. Elasticsearch gets a new versioned index behind the alias, swapped in
    only when complete, so searches keep answering from the old one meanwhile. Each batch is sent
    from a thread while the next one is built (the thread only waits on the engine, never the database)."""
    started = time.monotonic()
    alias = settings.ELASTICSEARCH_INDEX
    new_index = new_index_name()
    es = None
    if elasticsearch_enabled():
        es = writer()
        ProductDocument._index.clone(name=new_index).settings(**index_settings()).create(using=es)
        es.indices.put_settings(index=new_index, settings={"refresh_interval": "-1"})
    count = 0
    with transaction.atomic(), ThreadPoolExecutor(max_workers=1) as sender:
        _delete_words()
        SearchRecord.objects.all().delete()
        sending = None
        for records in _batches(progress):
            SearchRecord.objects.bulk_create([db_row(r) for r in records], batch_size=BATCH)
            _save_words(records)
            count += len(records)
            if es is not None:
                actions = list(_es_actions(records, new_index))
                if sending:
                    sending.result()  # one batch in flight: the engine indexes while we build the next
                sending = sender.submit(bulk, es, actions, chunk_size=BATCH)
        if sending:
            sending.result()
    vacuum_records()
    if es is not None:
        es.indices.put_settings(index=new_index, settings={"refresh_interval": "1s"})
        es.indices.refresh(index=new_index)
        old = list(es.indices.get_alias(name=alias, ignore_unavailable=True).keys()) if es.indices.exists_alias(name=alias) else []
        if es.indices.exists(index=alias) and not es.indices.exists_alias(name=alias):
            es.indices.delete(index=alias)  # a plain index squatting on the alias name
        alias_actions = [{"remove": {"index": name, "alias": alias}} for name in old]
        alias_actions.append({"add": {"index": new_index, "alias": alias}})
        es.indices.update_aliases(actions=alias_actions)
        for name in old:
            es.indices.delete(index=name, ignore_unavailable=True)
    return {"products": count, "seconds": time.monotonic() - started, "index": new_index if es else None}
