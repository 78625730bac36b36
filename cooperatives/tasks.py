"""Periodic tasks of the producers' stock (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from cooperatives import services
from cooperatives.dashboard.tasks import producer_import_run  # noqa: F401  (registered for the worker)


@shared_task
def lots_expired_sweep() -> int:
    return services.lots_expired_sweep()


@shared_task
def producer_imports_fail_stale() -> int:
    return services.producer_imports_fail_stale()
