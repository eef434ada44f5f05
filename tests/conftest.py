"""Shared fixtures: regions and taxonomy are loaded once into the test database."""

import os

import pytest
from django.db import connection

from catalog.models import Province
from catalog.reference_data import load_regions, seed_taxonomy
from shop.ledger import seed_tax_rates
from shop.shipping import seed_shipping_rates

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def require_service(available: bool, reason: str):
    """Skip a test that needs a missing service, or fail it when CI says services are required."""
    if available:
        return
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions()
        seed_taxonomy()
        seed_shipping_rates()
        seed_tax_rates()


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("boss", "boss@example.com", "pw-boss-123")
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def keep_seed_data(django_db_setup, django_db_blocker):
    """For a module of transactional tests (`serialized_rollback=True`), which empty the database after
    each test: the seed data is snapshotted when the module starts (reloading it first if an earlier
    transactional test emptied the database), reloaded before each test, and left in place after the
    module for the tests that follow. (tests/e2e keeps its own, started after the browser.)"""
    with django_db_blocker.unblock():
        if not Province.objects.exists():  # an earlier transactional test emptied the database
            load_regions()
            seed_taxonomy()
            seed_shipping_rates()
            seed_tax_rates()
        before = getattr(connection, "_test_serialized_contents", None)
        snapshot = connection.creation.serialize_db_to_string()
        connection._test_serialized_contents = snapshot
    yield
    with django_db_blocker.unblock():
        if not Province.objects.exists():
            connection.creation.deserialize_db_from_string(snapshot)
        if before is None:
            del connection._test_serialized_contents
        else:
            connection._test_serialized_contents = before
