"""Settings shared by every environment, read from environment variables.

Safe by default: DEBUG is off, and with DEBUG off the site refuses to start without
SECRET_KEY and ALLOWED_HOSTS. `dev.py` and `test.py` fill in local defaults.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from storefront.settings.environment import env_bool, env_int, env_list

PROJECT_DIR = Path(__file__).resolve().parent.parent  # site/storefront
BASE_DIR = PROJECT_DIR.parent.parent  # repository root


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "storefront.views.csrf_failure"
if not DEBUG and not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")

INSTALLED_APPS = [
    "storefront",
    "catalog",
    "shop",
    "search",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "axes",  # sign-in throttling: see its block below
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",  # Content-Security-Policy: see its block below
    "storefront.csp.AdminCSPMiddleware",  # the admin's own policy, set before CSPMiddleware writes it
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "storefront.page_cache.PageCacheMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",  # a rate limit refused: RATELIMIT_VIEW (429)
    "axes.middleware.AxesMiddleware",  # last, as axes asks: a locked-out sign-in gets AXES_LOCKOUT_CALLABLE
]

ROOT_URLCONF = "storefront.urls"
WSGI_APPLICATION = "storefront.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "storefront.context_processors.navigation",
                "shop.context_processors.cart",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: a new PostgreSQL connection costs a request ~30 ms.
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60 if os.environ.get("DATABASE_URL", "").startswith("postgres") else 0),
        conn_health_checks=True,  # a persistent connection the server dropped is replaced, not a 500
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default is written by the web server, the task worker and the admin at once:
    # WAL lets readers go on during a write, IMMEDIATE takes the write lock when a transaction
    # starts (so two writers queue instead of failing half-way with "database is locked"), and
    # the busy timeout is how long a writer waits for its turn.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "storefront.passwords.VietnameseCommonPasswordValidator"},  # matkhau123, phone numbers, spaces
]

# Vietnamese first, English second; Asia/Ho_Chi_Minh, aware datetimes.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Numbers are grouped where we ask (catalog.text.grouped, the |vnd and |grouped filters), not every
# integer a template prints: years, ids and quantities stay as they are.
USE_THOUSAND_SEPARATOR = False
FORMAT_MODULE_PATH = ["storefront.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))  # collectstatic writes here
STATICFILES_DIRS = [PROJECT_DIR / "static"]
# Files served at the site's root (favicon.ico) by WhiteNoise.
WHITENOISE_ROOT = PROJECT_DIR / "static" / "root"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Uploads and renditions: S3-compatible storage when a bucket is named, else the local disk.
# Static files: compressed, content-hashed files served by WhiteNoise (`collectstatic` first);
# with DEBUG on, Django's finders serve them as they are.
S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage" if DEBUG
                    else "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": S3_BUCKET,
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,  # another S3-compatible service
        "region_name": os.environ.get("S3_REGION") or None,
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,  # a CDN in front of the bucket
        "querystring_auth": env_bool("S3_SIGNED_URLS", False),  # public renditions need no signature
        "file_overwrite": False,
        "default_acl": os.environ.get("S3_DEFAULT_ACL") or None,
    }}
# Private uploads (buyers' photos of a return request): never at a public URL, read only through the
# view that checks who asks (shop.return_views.photo). On S3 under "private/", private ACL, signed URLs
# (no CDN); else on the disk, outside MEDIA_ROOT (which development serves to anyone).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private-media"))
STORAGES["private"] = {"BACKEND": "django.core.files.storage.FileSystemStorage",
                       "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": "/private-media-is-not-served/"}}
if S3_BUCKET:
    STORAGES["private"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        **STORAGES["default"]["OPTIONS"], "location": "private", "default_acl": "private", "querystring_auth": True,
        "custom_domain": None,  # a bucket whose policy lets anyone read it needs S3_PRIVATE_BUCKET, another one
        "bucket_name": os.environ.get("S3_PRIVATE_BUCKET") or S3_BUCKET}}

# Cache, rate limits and sessions. With REDIS_URL every web process on every machine shares one
# cache; sessions are written to the database and cached, so a cart survives a Redis restart.
# Without it (the embedded default) each process has its own memory cache, so sessions are read
# from the database and pages are cached only where one process serves them all (`make run`).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ocop"),
        "OPTIONS": {
            # A Redis that is down or restarting makes the cache miss instead of the page fail.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Wagtail stores every rendition it hands out in this cache; listings prefetch theirs, so a shared
# cache would only add a network round trip per card. Kept briefly: a deleted rendition's entry
# lingers at most this long in other processes.
CACHES["renditions"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "TIMEOUT": 300,
                        "OPTIONS": {"MAX_ENTRIES": 5000}}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
# Pages shared by visitors who are not signed in (storefront.page_cache): how long at most (0 turns
# it off), and which views may be shared. Changes invalidate them at once, in every process only
# when the cache is shared, so it is on by default with REDIS_URL only (a single process, like the
# development server, may turn it on too: then a template edit shows after PAGE_CACHE_SECONDS).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600 if REDIS_URL else 0)
PAGE_CACHE_CLOCK_MARGIN = float(os.environ.get("PAGE_CACHE_CLOCK_MARGIN", "0.1"))  # seconds machines' clocks may differ
PAGE_CACHE_VIEWS = {"wagtail_serve", "catalog:product_list", "catalog:province_list", "catalog:province",
                    "catalog:group", "figures"}

DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "OCOP Việt Nam"
# The public address of the site: Wagtail's Site record (sitemap, canonical page URLs) and admin
# e-mails use it. `manage.py configure_site` writes it into the Site record.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", SITE_URL)
WAGTAIL_I18N_ENABLED = False
# No Gravatar: the machines have no internet and e-mail hashes should not leave the site; avatars
# are Wagtail's default image (or the one a user uploads).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# Uploads: images up to 5 MB and 20 megapixels; scans of decisions as PDF or images.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 5 * 1024 * 1024
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 20_000_000
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "catalog.image_forms.ImageForm"  # a non-image renamed .jpg is "not an image"
WAGTAILDOCS_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

# Background jobs (search indexing, e-mails, the scheduled jobs): a database queue worked by
# `manage.py db_worker` by default; with TASKS_BACKEND=rq, RQ on REDIS_URL, worked by any number of
# `manage.py rqworker default`. `manage.py run_scheduler` enqueues the periodic jobs.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
if TASKS_BACKEND == "rq":
    TASKS_BACKEND = "django_tasks_rq.RQBackend"
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
# The periodic jobs `manage.py run_scheduler` enqueues: (task, crontab in Asia/Ho_Chi_Minh time).
PERIODIC_TASKS = [
    ("shop.tasks.expire_unpaid_orders", "*/5 * * * *"),  # unpaid online orders past their window
    ("search.tasks.refresh_certificate_stars", "5 0 * * *"),  # certificates expire at midnight
    ("catalog.tasks.send_certificate_reminders", "15 0 * * *"),  # 90 and 30 days before expiry
    ("shop.tasks.open_seasons", "30 0 * * *"),  # seasons opening: e-mail those who asked to be told
    ("shop.tasks.run_payouts", "0 6 * * 1"),  # Mondays: statements of what each producer is owed
    ("shop.tasks.escalate_overdue_returns", "10 * * * *"),  # hourly: return requests producers left unanswered
    ("catalog.tasks.flag_overdue_reports", "*/15 * * * *"),  # listing reports past their 24-hour deadline
]
RQ = {"WORKER_CLASS": "storefront.task_queue.PromptWorker", "JOB_CLASS": "django_tasks_rq.Job"}
TASKS_CLEANUP_SECONDS = env_int("TASKS_CLEANUP_SECONDS", 60)  # how often RQ workers look for dead workers' jobs
RQ_QUEUES = {"default": {
    "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
    "DEFAULT_TIMEOUT": env_int("TASKS_TIMEOUT", 600),
    "QUEUE_CLASS": "storefront.task_queue.RetryingQueue",
}}

# Product search: Elasticsearch when ELASTICSEARCH_URL is set (a comma-separated list of a
# cluster's nodes), else the database. The index name is an alias that `manage.py search_reindex`
# points at a fresh versioned index, with ELASTICSEARCH_SHARDS and ELASTICSEARCH_REPLICAS.
ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
ELASTICSEARCH_HOSTS = env_list("ELASTICSEARCH_URL")
ELASTICSEARCH_INDEX = os.environ.get("ELASTICSEARCH_INDEX", "ocop-products")
ELASTICSEARCH_TIMEOUT = float(os.environ.get("ELASTICSEARCH_TIMEOUT", "2"))  # a search; then the database answers
ELASTICSEARCH_INDEX_TIMEOUT = float(os.environ.get("ELASTICSEARCH_INDEX_TIMEOUT", "30"))  # writes, index creation
ELASTICSEARCH_RETRIES = env_int("ELASTICSEARCH_RETRIES", 2)  # writes, on another node or after a timeout
ELASTICSEARCH_SHARDS = env_int("ELASTICSEARCH_SHARDS", 1)
ELASTICSEARCH_REPLICAS = env_int("ELASTICSEARCH_REPLICAS", 0)
# Make each indexing write visible at once ("true", for tests) or within the index's refresh
# interval ("false", the default: cheaper, and a second is soon enough for shoppers).
ELASTICSEARCH_REFRESH = os.environ.get("ELASTICSEARCH_REFRESH", "false")

# Shop. Card payments through Stripe appear only when STRIPE_SECRET_KEY is set; STRIPE_API_BASE
# points the library elsewhere (stripe-mock in tests). Bank transfers show a VietQR code for the
# shop's account (SHOP_BANK_BIN: the bank's 6-digit NAPAS BIN).
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
SHOP_BANK_BIN = os.environ.get("SHOP_BANK_BIN", "970436")
SHOP_BANK_NAME = os.environ.get("SHOP_BANK_NAME", "Vietcombank")
SHOP_BANK_ACCOUNT = os.environ.get("SHOP_BANK_ACCOUNT", "0011001234567")
SHOP_BANK_ACCOUNT_NAME = os.environ.get("SHOP_BANK_ACCOUNT_NAME", "CONG TY OCOP VIET (DEMO)")
SHOP_FREE_SHIPPING_OVER = int(os.environ.get("SHOP_FREE_SHIPPING_OVER", "500000"))  # đồng; 0 turns it off
SHOP_STRIPE_PAY_MINUTES = int(os.environ.get("SHOP_STRIPE_PAY_MINUTES", "60"))  # Stripe allows 30 to 1440
SHOP_TRANSFER_PAY_MINUTES = int(os.environ.get("SHOP_TRANSFER_PAY_MINUTES", str(24 * 60)))
# Transfers that confirm themselves: Casso's webhook v2 (/chuyen-khoan/casso/), signed with the
# integration's checksum key ("Key bảo mật"); off while unset. Signatures older than the tolerance are refused.
CASSO_CHECKSUM_KEY = os.environ.get("CASSO_CHECKSUM_KEY", "")
TRANSFER_WEBHOOK_TOLERANCE_SECONDS = env_int("TRANSFER_WEBHOOK_TOLERANCE_SECONDS", 300)
SHOP_PREORDER_PAY_HOURS = env_int("SHOP_PREORDER_PAY_HOURS", 48)  # a confirmed pre-order: its e-mail may come at night
SHOP_GATEWAY_PAY_MINUTES = env_int("SHOP_GATEWAY_PAY_MINUTES", 30)  # VNPay and MoMo: the payment page expires then
# VNPay and MoMo (shop.gateways) are offered at checkout once their keys are set; the URLs default to
# their sandboxes. VNPay's IPN address (/cong-thanh-toan/vnpay/ipn/) is registered with VNPay.
VNPAY_TMN_CODE = os.environ.get("VNPAY_TMN_CODE", "")
VNPAY_HASH_SECRET = os.environ.get("VNPAY_HASH_SECRET", "")
VNPAY_PAYMENT_URL = os.environ.get("VNPAY_PAYMENT_URL") or "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"
VNPAY_API_URL = os.environ.get("VNPAY_API_URL") or "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"
MOMO_PARTNER_CODE = os.environ.get("MOMO_PARTNER_CODE", "")
MOMO_ACCESS_KEY = os.environ.get("MOMO_ACCESS_KEY", "")
MOMO_SECRET_KEY = os.environ.get("MOMO_SECRET_KEY", "")
MOMO_ENDPOINT = os.environ.get("MOMO_ENDPOINT") or "https://test-payment.momo.vn"
SHOP_RETURN_WINDOW_HOURS = env_int("SHOP_RETURN_WINDOW_HOURS", 7 * 24)  # after delivery; per group: ReturnWindow
SHOP_RETURN_ANSWER_HOURS = env_int("SHOP_RETURN_ANSWER_HOURS", 48)  # the producer answers a request within
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "OCOP Việt <no-reply@ocop.example>")
LOGIN_URL = "shop:login"
LOGIN_REDIRECT_URL = "shop:account"
LOGOUT_REDIRECT_URL = "/"

# How many days before expiry a certificate is flagged to editors.
OCOP_CERTIFICATE_WARNING_DAYS = 90
# A producer sells only once its province officer has checked its legal details (catalog.identity);
# off lets an operator upgrade first and check existing producers after.
OCOP_REQUIRE_SELLER_CHECK = env_bool("OCOP_REQUIRE_SELLER_CHECK", True)
# Province officers who receive certificate expiry reminders, by province slug:
# OCOP_OFFICER_EMAILS="hai-phong=a@x.vn,b@x.vn;son-la=c@x.vn"
OCOP_OFFICER_EMAILS = {
    slug.strip(): [email.strip() for email in emails.split(",") if email.strip()]
    for slug, _sep, emails in (item.partition("=") for item in os.environ.get("OCOP_OFFICER_EMAILS", "").split(";"))
    if slug.strip()
}

# Sign-in throttling, rate limits and the Content-Security-Policy: storefront.settings.security.
from storefront.settings.security import *  # noqa: E402,F401,F403
from storefront.settings.security import content_security_policies  # noqa: E402

CSP_MEDIA_ORIGINS, CONTENT_SECURITY_POLICY, CSP_ADMIN_POLICY = content_security_policies(
    MEDIA_URL, STORAGES["default"]["OPTIONS"] if S3_BUCKET else None, S3_BUCKET,
    payment_pages=[url for url, offered in ((VNPAY_PAYMENT_URL, VNPAY_TMN_CODE), (MOMO_ENDPOINT, MOMO_PARTNER_CODE))
                   if offered])

if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # The Elasticsearch client logs every request at INFO: too chatty for a shop's logs.
    "loggers": {"elastic_transport": {"level": "WARNING"}},
}
