from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from storefront.sitemaps import sitemaps
from shop.webhooks import stripe_webhook
from storefront.views import figures, robots_txt

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("cong-thanh-toan/", include("shop.gateways.urls")),  # VNPay and MoMo: return pages and IPNs
    path("chuyen-khoan/", include("shop.transfers.urls")),  # bank-transfer notifications (payOS)
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Vietnamese at the root, English under /en/.
urlpatterns += i18n_patterns(
    path("", include("catalog.urls")),
    path("", include("search.urls")),
    path("", include("shop.urls")),
    path("thong-ke/", figures, name="figures"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
