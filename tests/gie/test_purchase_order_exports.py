"""Every purchase order of a round as one ZIP, built in the background for this GIE's coordinator only."""

import csv
import datetime
import io
import re
import zipfile

import arabic_reshaper
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from oscar.core.loading import get_model
from pypdf import PdfReader

from gie import exports
from gie.exports import export_write
from gie.models import ExportJob
from gie.services import collection_round_open, round_purchase_orders_export_start
from tests.fulfilment.helpers import product_of
from tests.gie.conftest import PASSWORD, hub_order

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
DAY = datetime.date(2026, 11, 25)


def _url(name, slug="mawrout-bladi", **kwargs):
    return reverse(f"gie-dashboard:{name}", kwargs={"slug": slug, **kwargs})


def _open(gie, members, name="Semaine 48"):
    return collection_round_open(gie=gie, name=name, collection_date=DAY, member_ids=[m.pk for m in members])


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _csv_rows(content) -> list[dict]:
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def slow_progress(monkeypatch):
    """No progress write during the job: its query count then depends on nothing but the code."""
    monkeypatch.setattr(exports, "PROGRESS_SECONDS", 3600)


@pytest.fixture
def every_progress(monkeypatch):
    monkeypatch.setattr(exports, "PROGRESS_SECONDS", 0)


def _more_members(gie, slugs):
    """Producers joining the GIE's hub, so that a round can hold more members."""
    Partner.objects.filter(slug__in=slugs).update(fulfilment_module="gie_hub")
    joined = list(Partner.objects.filter(slug__in=slugs))
    gie.members.add(*joined)
    return joined


def test_the_coordinator_downloads_every_purchase_order_of_a_round_as_one_zip(
    client, mawrout, members, django_capture_on_commit_callbacks
):
    # given a round over two members' lines
    order = hub_order()
    nakhil, wahda = members["nakhil-aoufous"], members["al-wahda-rissani"]
    round_ = _open(mawrout, [nakhil, wahda])
    client.login(username="gie@example.com", password=PASSWORD)
    assert "purchase-orders-zip" in client.get(_url("round", pk=round_.pk)).content.decode()

    # when the coordinator starts the ZIP (the Celery task runs after commit)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("round-purchase-orders-export", pk=round_.pk))

    # then the same progress page offers the ZIP, with one progress step per member
    job = ExportJob.objects.get()
    assert (job.kind, job.round, job.gie, job.requested_by.username) == (
        ExportJob.Kind.PURCHASE_ORDERS,
        round_,
        mawrout,
        "gie@example.com",
    )
    assert response.url == _url("export", pk=job.pk)
    page = client.get(response.url).content.decode()
    assert "export-download" in page and "2 / 2" in page and round_.name in page
    download = client.get(_url("export-download", pk=job.pk))
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert archive.testzip() is None
    assert sorted(archive.namelist()) == sorted(
        f"purchase-order-{round_.pk}-{slug}.{ext}"
        for slug in ("nakhil-aoufous", "al-wahda-rissani")
        for ext in ("pdf", "csv")
    )

    # and each member's PDF and CSV hold that member's lines, and only those
    for member in (nakhil, wahda):
        line = order.lines.get(partner=member)
        other = order.lines.exclude(partner=member).get()
        name = f"purchase-order-{round_.pk}-{member.slug}"
        text = _pdf_text(archive.read(f"{name}.pdf"))
        assert member.name in text and str(order.number) in text and line.title[:30] in text
        assert other.title[:30] not in text
        rows = _csv_rows(archive.read(f"{name}.csv"))
        assert [(r["order"], r["product"], r["sku"], r["quantity"]) for r in rows] == [
            (str(order.number), line.title, line.partner_sku, str(line.quantity))
        ]
    nakhil_rows = _csv_rows(archive.read(f"purchase-order-{round_.pk}-nakhil-aoufous.csv"))
    assert nakhil_rows[0]["lot"]  # demo stock is allocated from lots
    # the heading lines under the title span the page (they were cut to the first column's width)
    assert "25/11/2026" in _pdf_text(archive.read(f"purchase-order-{round_.pk}-nakhil-aoufous.pdf"))


def test_progress_is_written_member_by_member(mawrout, members, monkeypatch, every_progress):
    # given a round over three members, and a spy that reads the job as the progress page would
    hub_order([(product_of(slug), 1) for slug in members])
    round_ = _open(mawrout, list(members.values()))
    job = round_purchase_orders_export_start(round_=round_)
    seen = []
    real_csv = exports.purchase_order_csv

    def spy(*, lines):
        seen.append(ExportJob.objects.values_list("status", "rows_done", "rows_total").get(pk=job.pk))
        return real_csv(lines=lines)

    monkeypatch.setattr(exports, "purchase_order_csv", spy)

    # when the job runs
    job = export_write(job_id=job.pk)

    # then each member was counted once done, out of the round's members
    assert seen == [("running", 0, 3), ("running", 1, 3), ("running", 2, 3)]
    assert (job.status, job.rows_done, job.rows_total, job.percent) == ("done", 3, 3, 100)


def test_a_failing_member_marks_the_job_failed_with_the_error_shown(
    client, mawrout, members, monkeypatch, every_progress
):
    # given a round of two members whose second PDF cannot be drawn
    hub_order()
    round_ = _open(mawrout, list(members.values()))
    job = round_purchase_orders_export_start(round_=round_)
    real_pdf, calls = exports.purchase_order_pdf, []

    def breaks_on_second(**kwargs):
        calls.append(kwargs["partner"])
        if len(calls) == 2:
            raise ValueError("police introuvable")
        return real_pdf(**kwargs)

    monkeypatch.setattr(exports, "purchase_order_pdf", breaks_on_second)

    job = export_write(job_id=job.pk)

    # then the job is failed with the error and whose it is, one member done, and nothing to download
    error = f"{calls[1].name}: police introuvable"
    assert (job.status, job.error, job.rows_done, job.rows_total) == ("failed", error, 1, 2)
    assert not job.file
    client.login(username="gie@example.com", password=PASSWORD)
    page = client.get(_url("export", pk=job.pk)).content.decode()
    assert escape(error) in page and "export-download" not in page
    assert client.get(_url("export-download", pk=job.pk)).status_code == 404


def test_the_job_runs_the_same_few_queries_for_two_or_four_members(
    mawrout, members, slow_progress, django_assert_max_num_queries
):
    # given a round of two members
    hub_order()
    small = _open(mawrout, [members["nakhil-aoufous"], members["al-wahda-rissani"]], name="R2")
    small_job = round_purchase_orders_export_start(round_=small)
    with django_assert_max_num_queries(7) as two:
        assert export_write(job_id=small_job.pk).rows_total == 2

    # and a round of four members, with more lines each
    joined = _more_members(mawrout, ["rose-du-dades", "zitouna-ouazzane"])
    for __ in range(3):
        hub_order([(product_of(p.slug), 2) for p in joined] + [(product_of("nakhil-aoufous"), 1)])
    hub_order([(product_of("compost-vert-erfoud"), 1)])
    big = _open(mawrout, [*joined, members["nakhil-aoufous"], members["compost-vert-erfoud"]], name="R4")
    big_job = round_purchase_orders_export_start(round_=big)

    # then the job runs no more queries for four members than for two
    with django_assert_max_num_queries(len(two.captured_queries)):
        done = export_write(job_id=big_job.pk)
    assert (done.status, done.rows_total) == ("done", 4)
    assert len(zipfile.ZipFile(done.file.open("rb")).namelist()) == 8
    # stored under a random directory: media served without Django cannot be guessed at
    small_job.refresh_from_db()
    directories = {job.file.name.split("/")[2] for job in (done, small_job)}
    assert len(directories) == 2 and all(re.fullmatch(r"[0-9a-f]{32}", d) for d in directories)


def test_another_coordinator_cannot_start_see_or_download_a_rounds_zip(client, mawrout, members, other_gie):
    hub_order()
    round_ = _open(mawrout, list(members.values()))
    job = round_purchase_orders_export_start(round_=round_)
    export_write(job_id=job.pk)
    client.login(username="other@example.com", password=PASSWORD)

    for slug in ("mawrout-bladi", "oasis-draa"):
        assert client.post(_url("round-purchase-orders-export", slug=slug, pk=round_.pk)).status_code == 404
        assert client.get(_url("export", slug=slug, pk=job.pk)).status_code == 404
        assert client.get(_url("export-download", slug=slug, pk=job.pk)).status_code == 404
    assert ExportJob.objects.count() == 1


def test_a_member_cooperative_and_an_anonymous_visitor_cannot_start_the_zip(client, mawrout, members):
    hub_order()
    round_ = _open(mawrout, list(members.values()))
    url = _url("round-purchase-orders-export", pk=round_.pk)

    anonymous = client.post(url)
    client.login(username="dates@example.com", password=PASSWORD)  # the user of a member of the round
    member = client.post(url)

    assert anonymous.status_code == 302 and "login" in anonymous.url
    assert member.status_code == 404
    assert not ExportJob.objects.exists()


def test_a_purchase_orders_job_needs_a_round_and_a_csv_job_has_none(mawrout, members):
    hub_order()
    round_ = _open(mawrout, list(members.values()))
    for kind, with_round in ((ExportJob.Kind.PURCHASE_ORDERS, None), (ExportJob.Kind.CONSOLIDATED, round_)):
        with pytest.raises(IntegrityError), transaction.atomic():
            ExportJob.objects.create(gie=mawrout, kind=kind, round=with_round)


def test_a_coordinator_reading_in_arabic_gets_the_purchase_order_in_arabic(client, mawrout, members):
    # given a round over a member's lines
    hub_order()
    nakhil = members["nakhil-aoufous"]
    round_ = _open(mawrout, [nakhil])
    client.login(username="gie@example.com", password=PASSWORD)

    # when the coordinator downloads the member's purchase order with the dashboard in Arabic
    with translation.override("ar"):
        url = _url("purchase-order", pk=round_.pk, partner_id=nakhil.pk, fmt="pdf")
    text = _pdf_text(client.get(url).content)

    # then headings read back as joined Arabic letters, the member and the date are there, no ISO date
    assert arabic_reshaper.reshape("سند الطلب") in text and arabic_reshaper.reshape("تاريخ الجمع") in text
    assert nakhil.name in text
    assert DAY.isoformat() not in text and "2026" in text
