"""The notification outbox: e-mails sent at most once per key, from tasks queued after commit."""

import logging
from collections.abc import Sequence
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from core.jobs import task_run_locally
from core.models import NotificationSent

logger = logging.getLogger(__name__)


def notification_send_once(
    *, key: str, recipient: str, subject: str, body: str, attachments: Sequence[tuple] = ()
) -> bool:
    """Send unless a message with this key already went out; a failed send records nothing.

    attachments: (file name, content, MIME type) triples, as EmailMessage takes them.
    """
    with transaction.atomic():
        __, created = NotificationSent.objects.get_or_create(key=key, defaults={"recipient": recipient})
        if not created:
            return False
        EmailMessage(
            subject, body, settings.DEFAULT_FROM_EMAIL, [recipient], attachments=list(attachments)
        ).send()
    return True


def messages_send_all(task, messages: list[dict]) -> int:
    """Send each message once (recorded by key); a task retries only what failed."""
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


def _queue_now(task, *args) -> None:
    try:
        task.delay(*args)
    except Exception:
        # An unreachable broker must neither turn a committed order into an error page nor lose its
        # e-mails: they go from this process instead (the outbox still sends each one once).
        logger.warning("Could not queue %s%s; sending from this process", task.name, args, exc_info=True)
        task_run_locally(task, *args)


def task_queue_on_commit(task, *args) -> None:
    """Queue a task once the current transaction commits; never if it rolls back."""
    transaction.on_commit(partial(_queue_now, task, *args))
