"""Shared fixtures: regions and taxonomy are loaded once into the test database."""

import os

import pytest

from catalog.reference_data import load_regions, seed_taxonomy
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
