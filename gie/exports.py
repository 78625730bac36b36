"""The consolidated CSV built in the background, reporting progress every chunk of rows."""

import csv
import datetime
import io
import logging

from django.core.files.base import ContentFile

from gie.documents import consolidated_csv_rows
from gie.models import ExportJob
from gie.selectors import consolidated_lines

logger = logging.getLogger(__name__)
CHUNK = 2000


def _filters_from_json(filters: dict) -> dict:
    parsed = dict(filters)
    for key in ("date_from", "date_to"):
        if parsed.get(key):
            parsed[key] = datetime.date.fromisoformat(parsed[key])
    return parsed


def consolidated_export_write(*, job_id: int) -> ExportJob:
    job = ExportJob.objects.select_related("gie").get(pk=job_id)
    try:
        lines = consolidated_lines(gie=job.gie, **_filters_from_json(job.filters))
        total = lines.count()
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, rows_total=total)
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for index, row in enumerate(consolidated_csv_rows(lines.iterator(chunk_size=CHUNK))):
            writer.writerow(row)
            if index and index % CHUNK == 0:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=index)
        job.file.save(
            f"{job.gie.slug}-open-lines-{job.pk}.csv", ContentFile(buffer.getvalue().encode()), save=False
        )
        job.status, job.rows_total, job.rows_done = ExportJob.Status.DONE, total, total
        job.save(update_fields=["file", "status", "rows_total", "rows_done"])
    except Exception as exc:  # the coordinator sees the failure instead of a progress bar stuck forever
        logger.exception("Export %s failed", job_id)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.FAILED, error=str(exc)[:500])
        job.refresh_from_db()
    return job
