"""Demo and synthetic catalogue data.

Two different needs live here, kept apart on purpose:

* `data` + `loader` (`manage.py load_demo`): a small, believable catalogue built from the seed facts in
  DESIGN.md with the real names of well-known OCOP products, so the site can be shown and tried.
  Pages are created the slow, ordinary Wagtail way (`add_child`, revisions), exactly as editors would.
* `generator` (`manage.py generate_catalog`): tens of thousands of clearly synthetic products for
  benchmarks and load tests. Page rows are written in bulk (treebeard paths computed here) because
  `add_child` one page at a time is far too slow at that scale.

Both share `issuers` (who recognised a certificate, by date and stars) and `places` (legacy unit →
today's commune via the `vietnam-provinces` package), so the rules of DESIGN.md are coded once.
"""

from django.dispatch import Signal

# Sent by `load_demo` once the catalogue is in place (kwargs: `today`, `log`), so other apps can add
# their own demo rows (the shop adds a campaign with a voucher) without the catalogue importing them.
demo_loaded = Signal()
# Sent by `remove_demo`, so those apps delete their demo rows too.
demo_removed = Signal()
