"""Celery tasks that send fulfilment e-mails; queued with transaction.on_commit by the services."""

import logging
from functools import partial

from celery import shared_task
from django.db import transaction

from fulfilment.notifications import (
    messages_for_new_order,
    messages_for_shipment,
    messages_for_withdrawal,
    notification_send_once,
)

logger = logging.getLogger(__name__)


def messages_send_all(task, messages: list[dict]) -> int:
    """Send each message once (recorded by key); shared by the fulfilment and GIE e-mail tasks."""
    sent, failed = 0, 0
    for message in messages:
        try:
            sent += notification_send_once(**message)
        except Exception:  # one unreachable mailbox must not stop the others
            failed += 1
            logger.warning("Sending %s failed", message["key"], exc_info=True)
    if failed:
        # Already-sent messages are recorded, so the retry sends only what failed.
        raise task.retry()
    return sent


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def notifications_for_new_order(self, order_id: int) -> int:
    return messages_send_all(self, messages_for_new_order(order_id=order_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def notification_for_shipment(self, fulfilment_id: int) -> int:
    return messages_send_all(self, messages_for_shipment(fulfilment_id=fulfilment_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def notification_for_withdrawal(self, fulfilment_id: int) -> int:
    return messages_send_all(self, messages_for_withdrawal(fulfilment_id=fulfilment_id))


def _queue_now(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:  # an unreachable broker must not turn a committed order into an error page
        logger.exception("Could not queue %s%s", task.name, args)


def task_queue_on_commit(task, *args) -> None:
    """Queue a task once the current transaction commits; never if it rolls back."""
    transaction.on_commit(partial(_queue_now, task, *args))
