"""Server-side page cache for visitors who carry no state (no session, basket or history cookie).

Such a visitor has an empty basket and no account, so the page is the same for all of them
except the CSRF token, which is swapped for a fresh one on every hit. Anyone with a cookie
that could change the page (basket, login, messages, recently viewed) is never served from
or written to the cache, so one visitor's basket can never appear on another's page.
"""

import hashlib
import re
from functools import wraps
from http.cookies import SimpleCookie

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')
PLACEHOLDER = "__csrf_token__"
HARMLESS_COOKIES = {"csrftoken", "django_language"}


def _cacheable_request(request) -> bool:
    return request.method in ("GET", "HEAD") and set(request.COOKIES) <= HARMLESS_COOKIES


def _key(request) -> str:
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"terroir:page:{get_language()}:{digest}"


def cache_page_for_stateless_visitors(view=None, *, replayed_cookies: frozenset = frozenset()):
    """Serve `view` from the cache to stateless visitors.

    `replayed_cookies`: cookies the view sets that depend only on the address for such a visitor
    (the product page's recently-viewed history, which then holds just that product); they are
    stored with the page and set again on every hit. A response setting any other cookie is not cached.
    """
    if view is None:
        return lambda view: cache_page_for_stateless_visitors(view, replayed_cookies=replayed_cookies)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        seconds = getattr(settings, "TERROIR_PAGE_CACHE_SECONDS", 0)
        if not seconds or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        cached = cache.get(key)
        if cached is not None:
            content_type, body, cookies = cached
            response = HttpResponse(body.replace(PLACEHOLDER, get_token(request)), content_type=content_type)
            response.cookies = SimpleCookie(cookies)
            response["X-Page-Cache"] = "hit"
        else:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response.render()
            if (
                response.status_code == 200
                and set(response.cookies) <= replayed_cookies
                and not response.streaming
            ):
                body = CSRF_INPUT.sub(rf"\g<1>{PLACEHOLDER}\g<2>", response.content.decode(response.charset))
                cache.set(key, (response["Content-Type"], body, SimpleCookie(response.cookies)), seconds)
                response["X-Page-Cache"] = "miss"
        patch_vary_headers(response, ("Cookie", "Accept-Language"))
        return response

    return wrapper
