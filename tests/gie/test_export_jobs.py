"""An export whose worker died ends as failed, with a message, instead of "running" forever."""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext

from gie import services as gie_services
from gie.models import ExportJob
from gie.tasks import export_jobs_fail_stale
from tests.gie.conftest import PASSWORD

pytestmark = pytest.mark.django_db
DIED_EN = "The export stopped responding; please start it again."


def _died() -> str:
    return gettext(DIED_EN)  # stored in the language of whoever swept it (French here)


def _url(name, **kwargs):
    return reverse(f"gie-dashboard:{name}", kwargs={"slug": "mawrout-bladi", **kwargs})


@pytest.fixture
def lost_export(client, members, monkeypatch, django_capture_on_commit_callbacks):
    """An export whose worker died before it could run."""
    monkeypatch.setattr(gie_services, "job_start", lambda task, job_id: None)
    client.login(username="gie@example.com", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(_url("export-start"), {}).status_code == 302
    return ExportJob.objects.get()


def test_an_export_without_a_heartbeat_for_minutes_is_shown_as_failed(client, lost_export, settings):
    settings.TERROIR_JOB_STALE_MINUTES = 0

    page = client.get(_url("export", pk=lost_export.pk)).content.decode()

    lost_export.refresh_from_db()
    assert (lost_export.status, lost_export.error) == (ExportJob.Status.FAILED, _died())
    assert escape(_died()) in page and 'http-equiv="refresh"' not in page


def test_the_beat_sweep_fails_dead_exports_only_past_the_limit(lost_export, settings):
    settings.TERROIR_JOB_STALE_MINUTES = 10
    assert export_jobs_fail_stale.apply().result == 0

    settings.TERROIR_JOB_STALE_MINUTES = 0
    assert export_jobs_fail_stale.apply().result == 1
    lost_export.refresh_from_db()
    assert lost_export.status == ExportJob.Status.FAILED
