"""Brute force and floods: who the client is, what a locked-out sign-in and a refused request see, failed
sign-ins in the logs, and the "Đăng nhập thất bại" admin report where national admins lift lockouts.

django-axes counts sign-in failures (the AXES_* settings), django-ratelimit the rest (RATE_LIMITS); both
ask `client_ip` who the client is, so they always agree.
"""

import ipaddress
import logging

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from axes.utils import reset
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.shortcuts import redirect, render
from django.template.response import SimpleTemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin import messages

from catalog import roles

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the address the outermost one saw (X-Forwarded-For
    entries further left are the client's to make up). An IPv6 client is its /64: one subscriber's block."""
    ip = request.META.get("REMOTE_ADDR", "")
    if count := settings.TRUSTED_PROXY_COUNT:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(hops) >= count:
            ip = hops[-count]
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return request.META.get("REMOTE_ADDR", "")  # a proxy that did not say: the address we can trust
    if address.version == 6 and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


class AxesBackend(AxesStandaloneBackend):
    """axes' backend. authenticate() without a request (the test client's login(), the shell) has no
    client to count, and axes would raise: the other backends decide alone. Every sign-in page passes one."""

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


# Connected when this module is first imported: at the latest when Django loads the backend above, before
# any sign-in fails, and after axes' own receiver (connected when the apps are ready), which flags lockouts.
@receiver(user_login_failed, dispatch_uid="storefront.security.log_failed_login")
def log_failed_login(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    logger.warning("Failed sign-in for %r from %s on %s%s", credentials.get("username"), client_ip(request),
                   request.path, " (locked out)" if getattr(request, "axes_locked_out", False) else "")


def lockout_message(request=None) -> str:
    minutes = round(get_cool_off(request).total_seconds() / 60)
    return ngettext(
        "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút hoặc đặt lại mật khẩu.",
        "Bạn đã nhập sai quá nhiều lần. Vui lòng thử lại sau %(minutes)s phút hoặc đặt lại mật khẩu.", minutes,
    ) % {"minutes": minutes}


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the login page the sign-in came from (the admin's or the shop's), its form
    saying why instead of "wrong password", with status 429; any other page gets ours."""
    status = settings.AXES_HTTP_RESPONSE_CODE
    message = lockout_message(request)
    form = (getattr(original_response, "context_data", None) or {}).get("form")
    if isinstance(original_response, SimpleTemplateResponse) and hasattr(form, "errors"):
        form.errors[NON_FIELD_ERRORS] = form.error_class([message], error_class="nonfield", renderer=form.renderer)
        original_response.content = original_response.rendered_content
        original_response.status_code = status
        return original_response
    return render(request, "storefront/locked_out.html", {"message": message}, status=status)


def ratelimited(request, exception):
    """RATELIMIT_VIEW: a page of the site asking to wait, with the way back; status 429."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    return render(request, "429.html", {"back": back}, status=429)


# --- The admin report -----------------------------------------------------------------------------

def failed_logins(request):
    """Recent failed sign-ins on both login pages, and the accounts and client addresses locked out now
    (each of AXES_LOCKOUT_PARAMETERS, counted as axes does), each with a button that lifts it."""
    if not roles.is_national_admin(request.user):  # a 403 page (Wagtail would turn PermissionDenied into a redirect)
        return render(request, "catalog/admin/import_forbidden.html", {
            "message": _("Bạn không có quyền dùng chức năng này.")}, status=403)
    if request.method == "POST":
        return _lift(request)
    since = timezone.now() - get_cool_off(request)
    limit = get_failure_limit(request, None)
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)

    def locked(field):
        return (recent.exclude(**{f"{field}__isnull": True}).values(field)
                .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
                .filter(failures__gte=limit).order_by("-last"))

    admin_prefix = reverse("wagtailadmin_home")
    failures = [(failure, _("Trang quản trị") if failure.path_info.startswith(admin_prefix) else _("Cửa hàng"))
                for failure in AccessFailureLog.objects.order_by("-attempt_time")[:200]]
    return render(request, "storefront/admin/failed_logins.html", {
        "page_title": _("Đăng nhập thất bại"), "failures": failures, "limit": limit,
        "locked_accounts": locked("username"), "locked_addresses": locked("ip_address"),
    })


def _lift(request):
    username = request.POST.get("username", "").strip()
    ip = request.POST.get("ip_address", "").strip()
    if username or ip:
        reset(username=username or None, ip=ip or None)
        logger.warning("%s lifted the sign-in lockout of %s", request.user.get_username(), username or ip)
        messages.success(request, _("Đã mở khoá “%(who)s”.") % {"who": username or ip})
    return redirect("storefront_failed_logins")
