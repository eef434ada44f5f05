"""gunicorn's settings for the shop (`gunicorn -c deploy/gunicorn.conf.py`), from the environment.

WEB_CONCURRENCY: worker processes (default 2 × cores + 1, at most 8); PORT / BIND: where to
listen; GUNICORN_THREADS: threads per worker (default 1: sync workers); GUNICORN_TIMEOUT: seconds
before a stuck worker is replaced. Each worker is recycled after GUNICORN_MAX_REQUESTS requests
(with jitter), which bounds its memory.
"""

import multiprocessing
import os

wsgi_app = "storefront.wsgi:application"
pythonpath = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "site")
bind = os.environ.get("BIND") or f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 8))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
preload_app = True  # workers share the loaded code pages (copy-on-write)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
