"""Settings of the HTTP benchmark (`bench/http.py`): production's, plus the floor view and a query count.

    DJANGO_SETTINGS_MODULE=bench.settings_bench   (the repository root on sys.path; gunicorn's
                                                   working directory is enough)

Everything production reads from the environment still comes from it (DATABASE_URL, REDIS_URL,
ELASTICSEARCH_URL, TASKS_BACKEND…); this module only adds, for the benchmark:

- ROOT_URLCONF `bench.floor`: the site's URLs plus `/__bench_floor__/`, the floor view;
- `bench.floor.QueryCountMiddleware` outside every other middleware: each response says how many
  SQL queries its request ran (`X-Bench-Queries`), sessions and authentication included;
- collected static files under bench/out/static (not the repository's static/, which others use);
- throwaway SECRET_KEY / ALLOWED_HOSTS and no HTTPS redirect (plain HTTP on loopback), unless set;
- no rate limits (RATELIMIT_ENABLE=0): every simulated buyer comes from 127.0.0.1.
"""

import os
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
os.environ.setdefault("SECRET_KEY", "bench-only-insecure-key")
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("ELASTICSEARCH_INDEX", "ocop-products-bench-http")
os.environ.setdefault("MEDIA_ROOT", str(OUT / "media"))
# The load generator is one client address placing hundreds of orders a minute: the per-address rate
# limits (checkout) would refuse most of them. Sign-in throttling stays on (the benchmark never fails one).
os.environ.setdefault("RATELIMIT_ENABLE", "0")

from storefront.settings.production import *  # noqa: E402,F401,F403
from storefront.settings.production import MIDDLEWARE  # noqa: E402

ROOT_URLCONF = "bench.floor"
MIDDLEWARE = ["bench.floor.QueryCountMiddleware", *MIDDLEWARE]
STATIC_ROOT = OUT / "static"
