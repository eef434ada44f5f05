"""Project configuration and site-wide pages.

The folder is `site/` but the import name is `storefront`: Python's standard library already
has a module called `site`, imported before any of our code runs, so a package by that name
could never be imported. `manage.py`, `wsgi.py` and pytest put `site/` on `sys.path`.
"""
