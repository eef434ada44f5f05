"""“Xác minh chủ thể” in the admin: the producers a province officer (or a national admin) looks
after, each with its legal details complete, incomplete or checked, and a button to confirm the
check (`catalog.identity.check`). Producers' own members and officers of other provinces get a 403;
the check is refused with a message while details are missing. Registered by `catalog.wagtail_hooks`.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog import identity, roles
from catalog.admin_scope import ScreenMenuItem
from catalog.import_views import forbidden
from catalog.listing import paginate
from catalog.models import ProducerPage

URL_NAME = "catalog_identity"


def may_check_any(user) -> bool:
    return roles.is_national_admin(user) or roles.is_officer(user)


def producers_in_scope(user):
    """The producers `user` checks (PermissionDenied for everyone else)."""
    if not may_check_any(user):
        raise PermissionDenied
    producers = ProducerPage.objects.select_related("province", "commune", "identity_checked_by")
    return roles.province_scoped(producers, user).order_by("province__short_name", "title", "pk")


class IdentityListView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "catalog/admin/identity.html"
    header_icon = "user"
    page_title = gettext_lazy("Xác minh chủ thể")

    def dispatch(self, request, *args, **kwargs):
        self.producers = producers_in_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        wanted = self.request.GET.get("trang-thai", "")
        producers = self.producers
        if wanted == "checked":
            producers = producers.filter(identity_checked_at__isnull=False)
        elif wanted in ("complete", "incomplete"):  # completeness is computed: narrowed in Python
            producers = [p for p in producers.filter(identity_checked_at__isnull=True) if identity.status(p) == wanted]
        page = paginate(self.request, producers, per_page=50)
        context.update(page=page, wanted=wanted, rows=[
            {"producer": p, "status": identity.status(p), "missing": identity.missing(p)} for p in page])
        return context


@require_POST
def check_view(request, pk):
    """The "Xác nhận đã kiểm tra" button: 404 for an unknown producer, 403 outside one's provinces."""
    if not may_check_any(request.user):
        raise PermissionDenied
    producer = get_object_or_404(ProducerPage, pk=pk)
    try:
        identity.check(producer, request.user)
    except identity.IdentityIncomplete as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Đã xác nhận thông tin pháp lý của “%(name)s”; chủ thể có thể nhận đặt hàng.") % {
            "name": producer.title})
    return redirect(reverse(URL_NAME))


def deny_with_403(view):
    """A 403 with the reason, before Wagtail's admin wrapper turns PermissionDenied into a redirect."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request, _("Chỉ cán bộ OCOP của tỉnh có chủ thể này và quản trị OCOP quốc gia được "
                                        "xác minh chủ thể."))

    return wrapped


def admin_urls():
    return [
        path("xac-minh-chu-the/", deny_with_403(IdentityListView.as_view()), name=URL_NAME),
        path("xac-minh-chu-the/<int:pk>/xac-nhan/", deny_with_403(check_view), name=f"{URL_NAME}_check"),
    ]


def menu_item():
    return ScreenMenuItem(_("Xác minh chủ thể"), reverse(URL_NAME), icon_name="user", order=258,
                          shown_to=may_check_any)
