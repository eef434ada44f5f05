"""Wagtail's admin under its own Content-Security-Policy.

The admin's templates and scripts need more than the public site allows (settings.CSP_ADMIN_POLICY
says what and why), and loosening the public policy for them would undo it for every shopper. This
middleware sits inside csp.middleware.CSPMiddleware and hands it the admin policy for responses under
settings.CSP_ADMIN_PATH_PREFIXES; a view's own @csp/@csp_replace decorators still win.
"""

from django.conf import settings


class AdminCSPMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A preview (the editor's preview panel, moderation) is the page served by Wagtail to a dummy
        # request for the page's public URL, through this middleware too, and shown in the admin's iframe.
        admin = request.path_info.startswith(tuple(settings.CSP_ADMIN_PATH_PREFIXES)) or getattr(request, "is_dummy", False)
        if admin and not hasattr(response, "_csp_config"):
            # What django-csp's @csp decorator sets: the whole policy, instead of CONTENT_SECURITY_POLICY.
            response._csp_config = settings.CSP_ADMIN_POLICY["DIRECTIVES"]
        return response
