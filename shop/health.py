"""Liveness and readiness for load balancers and monitors.

Readiness asks each dependency with a short timeout and names the ones that do not answer; it never
says why (host names, error texts stay in the log). In the embedded mode (no REDIS_URL) the cache is
in-process and tasks run in-process, so there is nothing to ask and both are "ok".
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 1.0


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    ping = getattr(cache, "ping", None)
    if ping is not None:
        ping()


def _broker() -> None:
    from shop.celery import app

    if app.conf.task_always_eager:
        return
    with app.connection_for_write() as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT_SECONDS
        )


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


def readiness() -> dict[str, str]:
    """{part: "ok" | "unavailable"} for every dependency."""
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.warning("Readiness: %s unavailable", name, exc_info=True)
            results[name] = "unavailable"
        else:
            results[name] = "ok"
    return results


@never_cache
def health_live(request):
    """The process answers: nothing else is asked (a dead dependency must not get it restarted)."""
    return JsonResponse({"status": "ok"})


@never_cache
def health_ready(request):
    checks = readiness()
    broken = [name for name, state in checks.items() if state != "ok"]
    status = 503 if broken else 200
    return JsonResponse({"status": "unavailable" if broken else "ok", "checks": checks}, status=status)
