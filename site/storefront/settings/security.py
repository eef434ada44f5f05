"""Defences of the site: sign-in throttling (django-axes), rate limits (django-ratelimit) and the
Content-Security-Policy (django-csp). Imported by `base`, which hands `content_security_policies` the
storage it configured; everything else comes from the environment."""

from urllib.parse import urlsplit

from csp import constants as csp  # not star-exported as settings: lower case

from storefront.settings.environment import env_bool, env_int, env_list

# --- Throttling (django-axes, django-ratelimit)
# Sign-in, on the admin's login page and the shop's: django-axes counts failures in the database
# (AccessAttempt: shared by every web process and machine, cookies or not) per account and per client
# address; at AXES_FAILURE_LIMIT within the cool-off either is locked, the right password included, and
# the login page says so (storefront.security.locked_out, 429). National admins see every failure and
# lift lockouts in the admin ("Đăng nhập thất bại"); failures are logged on "storefront.security" too.
AUTHENTICATION_BACKENDS = [
    "storefront.security.AxesBackend",  # axes' AxesStandaloneBackend, first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"  # the database, never a per-process cache
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", 15) / 60  # hours (a float); older failures are forgotten
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either: an account from anywhere, a client across accounts
# Kept at False: a sign-in to one's own account would wipe the client's failures, guesses at others included.
AXES_RESET_ON_SUCCESS = False
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure (AccessFailureLog), for the report
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins (AccessLog) are shown nowhere: not written
AXES_LOCKOUT_CALLABLE = "storefront.security.locked_out"
AXES_VERBOSE = False  # axes' own start-up and success lines; failures are logged by storefront.security
# Rate limits (django-ratelimit) on the default cache, shared by every web process with REDIS_URL. Each view
# names its limit here; "10/m" is ten per minute, "10/10m" ten per ten minutes, "5/h" five per hour.
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)  # off only for benchmarks that place many orders
RATE_LIMITS = {
    # Checkout POSTs (placing, or recomputing the fee) per client address: generous, as many buyers on one
    # mobile network share an address (carrier-grade NAT); the per-account limits are the tight ones.
    "checkout": "30/m",
    "voucher": "10/10m",  # voucher codes tried per client address (guessing)
    "producer_signup": "5/h",  # producer self-registrations per client address
    "password_reset_ip": "5/h",  # password-reset e-mails asked per client address
    "password_reset_email": "3/h",  # ... and per e-mail address
    "claim_email": "3/h",  # "claim my guest orders" e-mails per account
    "stock_alert": "10/h",  # "tell me when it is back / in season" requests per client address
    "return_request": "10/h",  # return requests and complaints opened (with their photos) per client address
    "review": "10/h",  # reviews sent (with their photos) per client address
    "review_report": "5/h",  # reviews reported per client address
    "question": "10/h",  # product questions asked per client address
    "listing_report": "5/h",  # product and producer pages reported (takedown requests) per client address
    "data_request": "5/h",  # guests' personal-data requests (each may e-mail a signed link) per client address
}
RATELIMIT_VIEW = "storefront.security.ratelimited"  # the 429 page
RATELIMIT_FAIL_OPEN = True  # a Redis that is down lets requests through, as the cache misses (IGNORE_EXCEPTIONS)
# Who the client is, for both: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that each append to
# X-Forwarded-For (nginx: proxy_add_x_forwarded_for), the address the outermost one saw. django-ipware is
# not installed, so axes' AXES_IPWARE_* settings would do nothing: one function answers both libraries.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "storefront.security.client_ip"
RATELIMIT_IP_META_KEY = "storefront.security.client_ip"


# --- Content-Security-Policy (django-csp)
# Enforced on every response by csp.middleware.CSPMiddleware. The public site runs only our own
# static files: no inline scripts, styles or handlers (tests/site/test_csp.py keeps them out of
# our templates), so XSS that slips into a page cannot run. JSON-LD blocks are data, not scripts.
# Wagtail's admin gets the looser admin policy (storefront.csp.AdminCSPMiddleware), on these paths
# (the admin, its previews):
CSP_ADMIN_PATH_PREFIXES = ("/admin/",)
# Producers' stories embed videos (wagtail.embeds: an iframe from the provider's player).
CSP_VIDEO_ORIGINS = ["https://www.youtube.com", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


def media_origins(media_url: str, s3_options: dict | None, bucket: str) -> list[str]:
    """Where uploads and renditions are served from, as django-storages builds their URLs: the CDN
    (S3_CUSTOM_DOMAIN), else the S3-compatible endpoint (path-style URLs), else AWS's bucket host;
    an absolute MEDIA_URL too; CSP_MEDIA_ORIGINS adds any other (a comma-separated list)."""
    origins = [_origin(media_url)]
    if s3_options is not None:
        origins.append(
            "https://" + s3_options["custom_domain"].split("/")[0] if s3_options["custom_domain"]
            else _origin(s3_options["endpoint_url"]) if s3_options["endpoint_url"]
            else f"https://{bucket}.s3.amazonaws.com"
        )
    return list(dict.fromkeys(o for o in [*origins, *env_list("CSP_MEDIA_ORIGINS")] if o))


def content_security_policies(media_url: str, s3_options: dict | None, bucket: str, payment_pages=()):
    """(CSP_MEDIA_ORIGINS, CONTENT_SECURITY_POLICY, CSP_ADMIN_POLICY) for this storage and the
    payment gateways offered (`payment_pages`: VNPay's and MoMo's page URLs, once their keys are set)."""
    media = media_origins(media_url, s3_options, bucket)
    public = {
        "default-src": [csp.SELF],
        "script-src": [csp.SELF],
        "style-src": [csp.SELF],
        "img-src": [csp.SELF, "data:", *media],
        "connect-src": [csp.SELF],
        "frame-src": CSP_VIDEO_ORIGINS,
        # Chromium checks form-action on the redirects after a form is sent too: the checkout form
        # posts to us and online payments are redirected to Stripe Checkout's, VNPay's or MoMo's page.
        "form-action": [csp.SELF, "https://checkout.stripe.com", *(_origin(url) for url in payment_pages)],
        "frame-ancestors": [csp.NONE],  # as X-Frame-Options: DENY
        "base-uri": [csp.SELF],
        "object-src": [csp.NONE],
    }
    admin = {
        **public,
        "script-src": [csp.SELF, csp.UNSAFE_INLINE, "'report-sample'"],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE, "'report-sample'"],
        "img-src": [*public["img-src"], "blob:"],
        "connect-src": [csp.SELF, "https://releases.wagtail.org"],
        "frame-src": [csp.SELF, *CSP_VIDEO_ORIGINS],
        "frame-ancestors": [csp.SELF],
    }
    return media, {"DIRECTIVES": public}, {"DIRECTIVES": admin}
