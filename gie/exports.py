"""Files built in the background for an ExportJob, reporting progress as they go.

`export_write` runs one job whatever its kind: the consolidated CSV (progress every chunk of rows)
or the ZIP of every purchase order of a round (progress in members). A failure marks the job failed
with its error, which the progress page shows.
"""

import datetime
import io
import logging
import time
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone
from oscar.core.loading import get_model

from core.csv import csv_bytes
from core.jobs import job_heartbeat, job_orphaned
from gie.documents import (
    consolidated_csv_rows,
    purchase_order_csv,
    purchase_order_filename,
    purchase_order_pdf,
)
from gie.models import ExportJob
from gie.selectors import consolidated_lines, round_purchase_orders

logger = logging.getLogger(__name__)
Partner = get_model("partner", "Partner")
CHUNK = 2000
# The progress page refreshes every 2 s: writing progress more often than this is wasted queries,
# and it keeps the job's query count independent of the number of members.
PROGRESS_SECONDS = 0.5


class _Progress:
    """Writes rows_done to the job at most every PROGRESS_SECONDS."""

    def __init__(self, job: ExportJob, total: int):
        self.job_id, self.last = job.pk, time.monotonic()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.RUNNING, rows_total=total, heartbeat_at=timezone.now()
        )

    def report(self, done: int) -> None:
        now = time.monotonic()
        if now - self.last >= PROGRESS_SECONDS:
            ExportJob.objects.filter(pk=self.job_id).update(rows_done=done)
            self.last = now


def _filters_from_json(filters: dict) -> dict:
    parsed = dict(filters)
    for key in ("date_from", "date_to"):
        if parsed.get(key):
            parsed[key] = datetime.date.fromisoformat(parsed[key])
    return parsed


def _consolidated_csv(job: ExportJob) -> tuple[str, bytes, int]:
    lines = consolidated_lines(gie=job.gie, **_filters_from_json(job.filters))
    total = lines.count()
    progress = _Progress(job, total=total)

    def rows_reporting_progress():
        for index, row in enumerate(consolidated_csv_rows(lines.iterator(chunk_size=CHUNK))):
            yield row
            if index % CHUNK == 0:
                progress.report(index)

    return f"{job.gie.slug}-open-lines-{job.pk}.csv", csv_bytes(rows_reporting_progress()), total


def _round_purchase_orders_zip(job: ExportJob) -> tuple[str, bytes, int]:
    """One PDF and one CSV per member with lines in the round, from two queries for all members."""
    round_ = job.round
    orders = round_purchase_orders(round_=round_)
    members = list(Partner.objects.filter(pk__in=list(orders)).order_by("name", "pk"))
    progress = _Progress(job, total=len(members))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, member in enumerate(members, start=1):
            lines = orders[member.pk]
            name = purchase_order_filename(round_=round_, partner=member)
            try:
                pdf = purchase_order_pdf(round_=round_, partner=member, lines=lines)
                archive.writestr(f"{name}.pdf", pdf)
                archive.writestr(f"{name}.csv", purchase_order_csv(lines=lines))
            except Exception as exc:  # say whose purchase order failed
                raise RuntimeError(f"{member}: {exc}") from exc
            progress.report(done)
    return f"{job.gie.slug}-purchase-orders-{round_.pk}-{job.pk}.zip", buffer.getvalue(), len(members)


WRITERS = {
    ExportJob.Kind.CONSOLIDATED: _consolidated_csv,
    ExportJob.Kind.PURCHASE_ORDERS: _round_purchase_orders_zip,
}


def export_write(*, job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("gie", "round__gie").get(pk=job_id)
    if not (job.status == ExportJob.Status.PENDING or job_orphaned(job)):
        return job  # finished, failed, or being written by a live worker: a redelivered message
    try:
        with job_heartbeat(ExportJob, job.pk):
            name, content, total = WRITERS[job.kind](job)
        job.file.save(name, ContentFile(content), save=False)
        job.status, job.rows_total, job.rows_done = ExportJob.Status.DONE, total, total
        job.save(update_fields=["file", "status", "rows_total", "rows_done"])
    except Exception as exc:  # the coordinator sees the failure instead of a progress bar stuck forever
        logger.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:500])
        job.refresh_from_db()
    return job
