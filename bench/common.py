"""Setup shared by the benchmarks: their own database, filled with the synthetic catalogue."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def configure(database_url: str, sqlite_name: str, fresh: bool) -> None:
    """Point Django at the benchmark database (a SQLite file under bench/out/ by default) and set up."""
    OUT.mkdir(parents=True, exist_ok=True)
    db_file = OUT / sqlite_name
    if not database_url and fresh:
        db_file.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = database_url or f"sqlite:///{db_file}"
    os.environ["MEDIA_ROOT"] = str(OUT / "media")
    # Keep one connection across requests, so query capture sees every request (and timings skip reconnects).
    os.environ["DATABASE_CONN_MAX_AGE"] = "600"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings.test")
    sys.path[:0] = [str(ROOT), str(ROOT / "site")]

    import django

    django.setup()


def fresh_catalog(products: int, wipe_schema: bool, progress: bool):
    """Migrate an empty database, load regions and groups, generate `products`; returns the result."""
    from django.core.management import call_command
    from django.db import connection

    from catalog.demo.generator import generate_catalog

    if wipe_schema:  # start from an empty schema: data migrations must run again
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    call_command("load_regions", verbosity=0)
    call_command("seed_taxonomy", verbosity=0)
    started = time.perf_counter()
    result = generate_catalog(products, seed=1, progress=progress)
    print(f"\ngenerate_catalog --products {products}: {time.perf_counter() - started:.1f} s "
          f"({result.producers} producers, {result.variants} variants, {result.certificates} certificates) "
          f"on {connection.vendor}")
    return result


def ensure_postgres_database(database_url: str) -> None:
    """Create the PostgreSQL database named in `database_url` if it does not exist (needs CREATEDB)."""
    from urllib.parse import unquote, urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = unquote(parts.path.lstrip("/"))
    with psycopg.connect(host=parts.hostname, port=parts.port or 5432, user=unquote(parts.username or ""),
                         password=unquote(parts.password or ""), dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
