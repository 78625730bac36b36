"""A CSV import whose worker died ends as failed, with a message, instead of "running" forever."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from oscar.core.loading import get_model

from cooperatives.dashboard import tasks as import_tasks
from cooperatives.tasks import producer_imports_fail_stale

ProducerImport = get_model("partner", "ProducerImport")

pytestmark = pytest.mark.django_db
DIED_EN = "The import stopped responding; nothing was changed. Please import the file again."


def _died() -> str:
    return gettext(DIED_EN)  # stored in the language of whoever swept it (French here)


@pytest.fixture
def lost_import(client_a, monkeypatch, django_capture_on_commit_callbacks):
    """An import whose worker died before it could run: queued, then nothing."""
    monkeypatch.setattr(import_tasks, "job_start", lambda task, job_id: None)
    exported = client_a.get(reverse("coop-dashboard:csv-export")).content  # the producer's own stock
    upload = SimpleUploadedFile("stock.csv", exported, "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(reverse("coop-dashboard:csv-import"), {"file": upload})
    assert response.status_code == 302
    return ProducerImport.objects.get()


def test_an_import_without_a_heartbeat_for_minutes_is_shown_as_failed(client_a, lost_import, settings):
    # given the job's last sign of life is older than the limit
    settings.TERROIR_JOB_STALE_MINUTES = 0

    # when the producer looks at it
    page = client_a.get(reverse("coop-dashboard:csv-import-status", kwargs={"pk": lost_import.pk}))

    # then it is failed and says so, and the page stops refreshing itself
    lost_import.refresh_from_db()
    assert lost_import.status == ProducerImport.Status.FAILED and lost_import.finished is not None
    assert escape(_died()) in page.content.decode() and 'http-equiv="refresh"' not in page.content.decode()


def test_the_beat_sweep_fails_dead_imports_and_spares_live_ones(client_a, lost_import, settings):
    # given a dead import, while the limit is not reached
    settings.TERROIR_JOB_STALE_MINUTES = 10
    assert producer_imports_fail_stale.apply().result == 0

    # when the limit has passed
    settings.TERROIR_JOB_STALE_MINUTES = 0
    failed = producer_imports_fail_stale.apply().result

    # then
    lost_import.refresh_from_db()
    assert failed == 1 and lost_import.status == ProducerImport.Status.FAILED
    assert lost_import.errors == [{"row": 0, "column": "", "message": _died()}]
