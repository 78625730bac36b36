"""Celery tasks of the GIE hub; queued on commit by gie.services, each message sent at most once."""

from celery import shared_task

from core.notifications import messages_send_all
from gie.notifications import (
    messages_for_consolidated_shipment,
    messages_for_purchase_order,
    messages_for_shortfall,
)


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def purchase_orders_send(self, round_id: int, partner_id: int) -> int:
    return messages_send_all(self, messages_for_purchase_order(round_id=round_id, partner_id=partner_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def shortfall_notify(self, round_id: int, order_id: int) -> int:
    return messages_send_all(self, messages_for_shortfall(round_id=round_id, order_id=order_id))


@shared_task(bind=True, max_retries=3, default_retry_delay=120)
def consolidated_shipment_notify(self, shipment_id: int) -> int:
    return messages_send_all(self, messages_for_consolidated_shipment(shipment_id=shipment_id))


@shared_task
def export_run(job_id: int) -> None:
    from gie.exports import export_write

    export_write(job_id=job_id)


@shared_task
def consolidated_export_run(job_id: int) -> None:
    """The former name of export_run, kept for jobs queued before the rename."""
    export_run(job_id)


@shared_task
def export_jobs_fail_stale() -> int:
    """Beat: exports whose worker died end as failed."""
    from gie.services import export_jobs_fail_stale as fail_stale

    return fail_stale()
