"""Local development (`make run`): DEBUG on, SQLite and database search unless told otherwise."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "insecure-local-development-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")

from .base import *  # noqa: E402,F401,F403

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
