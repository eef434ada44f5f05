"""Fixtures for the shop's tests: Stripe settings pointing at stripe-mock (Stripe's own mock server,
started by .ci/stripe-mock.sh and found through STRIPE_API_BASE)."""

import os
import urllib.request

import pytest

from tests.conftest import require_service

SECRET = "whsec_test_secret"
MOCK = os.environ.get("STRIPE_API_BASE", "")


def stripe_mock_up() -> bool:
    if not MOCK:
        return False
    try:
        request = urllib.request.Request(f"{MOCK}/v1/customers", headers={"Authorization": "Bearer sk_test_123"})
        return urllib.request.urlopen(request, timeout=3).status == 200
    except OSError:
        return False


@pytest.fixture
def stripe_settings(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_123"
    settings.STRIPE_WEBHOOK_SECRET = SECRET
    settings.STRIPE_API_BASE = MOCK
    return settings


@pytest.fixture
def stripe_mock(stripe_settings):
    require_service(stripe_mock_up(), "STRIPE_API_BASE is not set or stripe-mock is not answering")
    return stripe_settings
