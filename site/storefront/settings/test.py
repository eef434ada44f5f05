"""Tests: production-like (DEBUG off) with throwaway secrets and no HTTPS redirect."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "insecure-test-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")
# Tests that need Elasticsearch use their own index, so a developer's index is never touched.
os.environ.setdefault("ELASTICSEARCH_INDEX", "ocop-products-test")
os.environ.setdefault("ELASTICSEARCH_REFRESH", "true")
# A busy CI machine: give the engine room before a search falls back to the database.
os.environ.setdefault("ELASTICSEARCH_TIMEOUT", "10")
# Pages are rendered afresh in tests (query counts, content after direct changes); the page cache's
# own tests turn it on.
os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="ocop-test-media-"))
os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="ocop-test-private-"))

from .base import *  # noqa: E402,F401,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Static files straight from the apps' folders, as in development (no collectstatic before tests).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = True
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
LOGGING = {**LOGGING, "loggers": {
    **LOGGING["loggers"], "django_tasks": {"level": "WARNING"}, "wagtail": {"level": "WARNING"},
}}
