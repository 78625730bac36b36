"""Prometheus metrics: django-prometheus's request latency and counts, plus the marketplace's own.

`/metrics` is for platform staff or a scraper holding `METRICS_TOKEN` (sent as a Bearer token).
With several processes (gunicorn workers, the Celery worker) `PROMETHEUS_MULTIPROC_DIR` makes every
process write its samples there and the view adds them up.
"""

import hmac

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseForbidden
from django_prometheus.exports import ExportToDjangoView
from prometheus_client import Counter

ORDERS_PLACED = Counter("terroir_orders_placed_total", "Orders placed, by currency", ["currency"])
TASKS_FAILED = Counter("terroir_tasks_failed_total", "Celery tasks that ended in an exception", ["task"])


def order_placed_count(sender, order, **kwargs) -> None:
    """order_placed fires inside the placing transaction: count only what commits."""
    currency = order.currency
    transaction.on_commit(lambda: ORDERS_PLACED.labels(currency=currency).inc())


def task_failure_count(sender=None, **kwargs) -> None:
    TASKS_FAILED.labels(task=getattr(sender, "name", "unknown")).inc()


def _scraper_allowed(request) -> bool:
    if request.user.is_authenticated and request.user.is_staff:
        return True
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


def metrics_view(request):
    if not _scraper_allowed(request):
        return HttpResponseForbidden("Forbidden", content_type="text/plain")
    return ExportToDjangoView(request)
