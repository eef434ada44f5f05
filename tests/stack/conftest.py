"""The stack test is transactional (the stack's processes read what it commits)."""

import pytest


@pytest.fixture(autouse=True, scope="module")
def _seed_data(keep_seed_data):
    """Set up before the test's database fixture, which reloads the snapshot."""
