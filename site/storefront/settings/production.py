"""Production: everything comes from the environment (see the README)."""

from .base import *  # noqa: F401,F403
