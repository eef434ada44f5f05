"""What each user sees in the admin beyond Wagtail's own explorer.

Snippets that belong to a producer or a province (models with an `ocop_scope`): each user lists,
opens and changes only its own. One guard in front of every view of the viewset that takes a
primary key (edit, delete, history, usage, copy, inspect…) answers 404 outside the scope, so no
view can be reached around it, and the registered permission policy covers bulk actions.

Pages, in the page chooser, the admin's page search and the dashboard's site summary (the explorer
is scoped by Wagtail's page permissions): `visible_pages`.
"""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.urls.resolvers import URLPattern
from django.utils.translation import gettext as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.pages.search import SearchView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet

from catalog import roles


class ScopedPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and self.model.ocop_scope.allows_instance(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        return self.model.ocop_scope.filter(super().instances_user_has_any_permission_for(user, actions), user)


class ScopedSnippetViewSet(SnippetViewSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        register_permission_policy(self.model, ScopedPermissionPolicy(self.model))

    def get_queryset(self, request):
        return self.model.ocop_scope.filter(self.model._default_manager.all(), request.user)

    def in_scope(self, request, pk) -> bool:
        rows = self.model._default_manager.filter(pk=unquote(str(pk)))
        return self.model.ocop_scope.filter(rows, request.user).exists()

    def get_urlpatterns(self):
        return [self._guarded(pattern) for pattern in super().get_urlpatterns()]

    def _guarded(self, pattern):
        if not isinstance(pattern, URLPattern) or "pk" not in pattern.pattern.converters:
            return pattern
        view = pattern.callback

        def guarded(request, *args, **kwargs):
            if not self.in_scope(request, kwargs["pk"]):
                raise Http404
            return view(request, *args, **kwargs)

        return URLPattern(pattern.pattern, guarded, pattern.default_args, pattern.name)


# --- Pages ----------------------------------------------------------------------------------------

def edited_pages(user):
    """The pages this user changes or publishes (its producers' subtrees, its provinces' producers and
    campaigns), drafts included; every page for national admins."""
    return PagePermissionPolicy().instances_user_has_any_permission_for(user, {"change", "publish"})


def visible_pages(pages, user):
    """`pages` narrowed to what `user` may see by title: the pages it edits, and elsewhere only live
    pages whose title, and whose parent's, has no unpublished change. Wagtail's admin shows a page (and
    in the chooser's search, its parent) by its draft title, which for another producer's page or another
    province's campaign is not public yet; a live page under its public title can be linked."""
    if roles.is_national_admin(user):
        return pages
    edited = edited_pages(user).values("pk")
    renamed = Page.objects.exclude(draft_title=F("title")).exclude(pk__in=edited)
    parent_renamed = renamed.filter(path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - Page.steplen))
    shown = Page.objects.filter(Q(pk__in=edited) | (Q(live=True, draft_title=F("title")) & ~Exists(parent_renamed)))
    return pages.filter(pk__in=shown.values("pk"))  # by pk only: search backends filter on no other field


def chooser_pages(pages, request):
    """The `construct_page_chooser_queryset` hook. Browsing into a page it may not see is a 404: the
    chooser's header would show that page's draft title."""
    match = request.resolver_match
    parent_id = match.kwargs.get("parent_page_id") if match else None
    if parent_id is not None and not visible_pages(Page.objects.filter(pk=parent_id), request.user).exists():
        raise Http404
    return visible_pages(pages, request.user)


class VisiblePagesPolicy(PagePermissionPolicy):
    """Wagtail's page policy, with "explorable" pages narrowed by `visible_pages`: an officer may add
    campaigns, which makes every province's campaign explorable, drafts included."""

    def explorable_instances(self, user):
        return visible_pages(super().explorable_instances(user), user)


class PageSearchView(SearchView):
    """The admin's page search, over `VisiblePagesPolicy`'s pages (Wagtail's filters by explorable)."""

    permission_policy = VisiblePagesPolicy()


class EditedPagesSummaryItem(PagesSummaryItem):
    """The dashboard's page count: the pages this user looks after, not all under its explorer root."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        if not roles.is_national_admin(self.request.user):
            context["total_pages"] = edited_pages(self.request.user).exclude(depth=1).count()
        return context


# --- Menu items -------------------------------------------------------------------------------------

class ScreenMenuItem(MenuItem):
    """A menu item shown to the users `shown_to(user)` lets in (the screen itself checks again)."""

    def __init__(self, *args, shown_to, **kwargs):
        super().__init__(*args, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request):
        return self.shown_to(request.user)


def forbidden(request):
    """A plain 403 page in the admin's furniture (Wagtail's own answer is a redirect to the
    dashboard, which hides from a producer that the page exists but is not theirs)."""
    title = _("Không có quyền truy cập")
    return render(request, "catalog/admin/forbidden.html", {
        "header_title": title, "page_title": title,
        "breadcrumbs_items": WagtailAdminTemplateMixin.breadcrumbs_items + [{"url": "", "label": title}],
    }, status=403)


def deny_with_403(view):
    """Answer PermissionDenied with a 403 before Wagtail's admin wrapper turns it into a redirect."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            return forbidden(request)

    return wrapped


# --- The moderation screens (questions, reviews, returns, takedowns) --------------------------------

def object_in_scope(request, queryset, pk, *, may_see, visible):
    """One object of a moderation screen, if this user sees it: 403 when the screen is not theirs,
    404 when there is no such object, 403 when it is outside `visible(user)`."""
    if not may_see(request.user):
        raise PermissionDenied
    found = get_object_or_404(queryset, pk=pk)
    if not visible(request.user).filter(pk=found.pk).exists():
        raise PermissionDenied
    return found


def screen_urls(prefix: str, names: tuple[str, str, str], index, detail, action) -> list:
    """The list, one object and its POSTed steps at `<prefix>/`, `<prefix>/<pk>/` and
    `<prefix>/<pk>/thao-tac/`, each answering PermissionDenied with a 403."""
    return [
        path(f"{prefix}/", deny_with_403(index), name=names[0]),
        path(f"{prefix}/<int:pk>/", deny_with_403(detail), name=names[1]),
        path(f"{prefix}/<int:pk>/thao-tac/", deny_with_403(action), name=names[2]),
    ]
