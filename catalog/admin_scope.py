"""Snippets that belong to a producer or a province (models with an `ocop_scope`): each user lists,
opens and changes only its own. One guard in front of every view of the viewset that takes a
primary key (edit, delete, history, usage, copy, inspect…) answers 404 outside the scope, so no
view can be reached around it, and the registered permission policy covers bulk actions."""

from django.contrib.admin.utils import unquote
from django.http import Http404
from django.urls.resolvers import URLPattern
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.views.snippets import SnippetViewSet


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
