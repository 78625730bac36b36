"""Background CSV import: in a Celery worker, or in this process's job threads without a broker
(core.jobs); a heartbeat tells a running import from a dead one."""

import logging

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.dashboard.csv_import import CsvImportRefused, producer_csv_import
from core.jobs import job_heartbeat, job_start

ProducerImport = get_model("partner", "ProducerImport")
logger = logging.getLogger(__name__)


@shared_task(name="cooperatives.producer_import_run")
def producer_import_run(import_id: int) -> str:
    job = ProducerImport.objects.select_related("partner", "user").get(pk=import_id)
    if job.status != ProducerImport.Status.PENDING:
        return job.status  # a redelivered message must not import twice
    with job.file.open("rb") as handle:
        raw = handle.read()
    job.status = ProducerImport.Status.RUNNING
    job.rows_total = max(raw.count(b"\n") - 1, 1)
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "rows_total", "heartbeat_at"])

    def progress(done):
        # None means "checked, now writing"; progress is saved outside the import's transaction.
        done = job.rows_total if done is None else done
        ProducerImport.objects.filter(pk=job.pk).update(rows_done=done)

    try:
        with job_heartbeat(ProducerImport, job.pk):
            summary = producer_csv_import(user=job.user, producer=job.partner, raw=raw, progress=progress)
    except CsvImportRefused as refused:
        job.status, job.errors = ProducerImport.Status.FAILED, refused.errors
    except Exception:
        # The transaction rolled back; the producer must see a finished job, not an endless bar.
        logger.exception("CSV import %s failed", job.pk)
        job.status = ProducerImport.Status.FAILED
        job.errors = [
            {"row": 0, "column": "", "message": _("The import failed unexpectedly; nothing was changed.")}
        ]
    else:
        job.status, job.summary = ProducerImport.Status.DONE, summary
    job.rows_done = job.rows_total
    job.finished = timezone.now()
    job.save(update_fields=["status", "errors", "summary", "rows_done", "finished"])
    return job.status


def producer_import_enqueue(*, job) -> None:
    """Start the import once the job row is committed, never in the request itself."""
    job_start(producer_import_run, job.pk)
