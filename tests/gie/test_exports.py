"""The consolidated CSV exported in the background: progress page, then a download for this GIE only."""

import csv
import io

import pytest
from django.urls import reverse

from gie.models import ExportJob
from tests.gie.conftest import PASSWORD, hub_order

pytestmark = pytest.mark.django_db


def _url(name, slug="mawrout-bladi", **kwargs):
    return reverse(f"gie-dashboard:{name}", kwargs={"slug": slug, **kwargs})


def test_a_background_export_shows_progress_then_downloads_the_filtered_csv(
    client, members, django_capture_on_commit_callbacks
):
    # given two member lines and a coordinator filtering on one member
    order = hub_order()
    nakhil = members["nakhil-aoufous"]
    client.login(username="gie@example.com", password=PASSWORD)

    # when the export is started (the Celery task runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("export-start"), {"member": nakhil.pk})

    # then the job page says it is ready, and the file holds that member's line only
    job = ExportJob.objects.get()
    assert response.url == _url("export", pk=job.pk)
    page = client.get(response.url).content.decode()
    assert "export-download" in page and "1 / 1" in page
    download = client.get(_url("export-download", pk=job.pk))
    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    assert [(r["order"], r["member"]) for r in rows] == [(str(order.number), nakhil.name)]


def test_another_coordinator_cannot_see_or_download_the_export(client, mawrout, other_gie):
    job = ExportJob.objects.create(gie=mawrout, status=ExportJob.Status.DONE)
    client.login(username="other@example.com", password=PASSWORD)

    for name in ("export", "export-download"):
        assert client.get(_url(name, pk=job.pk)).status_code == 404
        assert client.get(_url(name, slug="oasis-draa", pk=job.pk)).status_code == 404
    assert client.post(_url("export-start"), {}).status_code == 404
