"""Celery tasks that send fulfilment e-mails; queued with transaction.on_commit by the services."""

import logging

from celery import shared_task
from django.conf import settings

from core.notifications import messages_send_all
from fulfilment.notifications import (
    messages_for_new_order,
    messages_for_pending_reminders,
    messages_for_shipment,
    messages_for_withdrawal,
)

logger = logging.getLogger(__name__)


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def notifications_for_new_order(self, order_id: int) -> int:
    return messages_send_all(self, messages_for_new_order(order_id=order_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def notification_for_shipment(self, fulfilment_id: int) -> int:
    return messages_send_all(self, messages_for_shipment(fulfilment_id=fulfilment_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def notification_for_withdrawal(self, fulfilment_id: int) -> int:
    return messages_send_all(self, messages_for_withdrawal(fulfilment_id=fulfilment_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def fulfilments_pending_remind(self) -> int:
    """Beat: producers are reminded, once, of fulfilments they left pending."""
    return messages_send_all(
        self, messages_for_pending_reminders(older_than_hours=settings.TERROIR_FULFILMENT_REMINDER_HOURS)
    )
