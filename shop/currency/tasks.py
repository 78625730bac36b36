"""Periodic tasks of the currency app (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.conf import settings

from core.notifications import messages_send_all
from shop.currency.notifications import messages_for_stale_exchange_rate


@shared_task(bind=True, max_retries=3, default_retry_delay=300)
def exchange_rate_stale_warn(self) -> int:
    return messages_send_all(
        self, messages_for_stale_exchange_rate(max_age_days=settings.TERROIR_EXCHANGE_RATE_MAX_AGE_DAYS)
    )
