"""CI runs the suite on a real PostgreSQL: with REQUIRE_SERVICES=1, SQLite is a failure, not a pass."""

import pytest
from django.db import connection

from tests.conftest import require_service


@pytest.mark.services
@pytest.mark.django_db
def test_suite_runs_on_postgresql_when_services_are_required():
    require_service(connection.vendor == "postgresql", "DATABASE_URL does not point at PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int")
        assert cursor.fetchone()[0] >= 130000
