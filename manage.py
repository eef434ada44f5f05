#!/usr/bin/env python
"""Django's command-line utility. `site/` is put on the path first: see the README."""
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront.settings.production")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
