from csp.constants import NONCE, UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

from shop.security.paths import path_without_language


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy everywhere; the staff areas (Oscar's dashboard, Django's admin), whose
    templates are not ours and use inline scripts and handlers, allow inline scripts instead of the nonce."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and path_without_language(request.path_info).startswith(
            settings.TERROIR_CSP_STAFF_PREFIXES
        ):
            configured = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["script-src"]
            # The nonce goes: where a nonce is present, browsers ignore 'unsafe-inline'.
            script_src = [UNSAFE_INLINE if source is NONCE else source for source in configured]
            parts.replace = {**(parts.replace or {}), "script-src": script_src}
        return parts
