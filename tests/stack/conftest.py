"""The stack test is transactional (the stack's processes read what it commits): keep the seed data
of tests/conftest.py (regions, groups, shipping rates) across it, as tests/e2e does."""

import pytest
from django.db import connection

from catalog.models import Province


@pytest.fixture(autouse=True, scope="module")
def _seed_snapshot(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        assert Province.objects.exists()
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
