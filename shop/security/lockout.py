"""Login lockout with django-axes: the authentication backend, the lockout page, the client's address."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.shortcuts import render


class LockoutBackend(AxesStandaloneBackend):
    """axes' backend, which refuses a locked-out username + address on every login form.

    Every login form passes the request. The one call without it is Oscar's registration, which
    signs the new customer in with the password they just chose: nothing to guess there, so it
    is let through instead of failing (axes' own backend raises).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "terroir/lockout.html", {"cooloff_minutes": minutes}, status=429)


def client_ip(request) -> str | None:
    """The visitor's address: behind TERROIR_TRUSTED_PROXY_COUNT proxies, the one the outermost
    trusted proxy saw (each proxy appends to X-Forwarded-For; entries left of it can be forged)."""
    count = settings.TERROIR_TRUSTED_PROXY_COUNT
    if count:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
