"""The producer's CSV export gives back a title typed in the product form as text, never as a
formula; the file is UTF-8 with a byte-order mark and prices stay numbers."""

import codecs
import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from tests.cooperatives.dashboard.conftest import form_post_data

pytestmark = pytest.mark.django_db
ProducerImport = get_model("partner", "ProducerImport")

HOSTILE_TITLE = "-2+3+cmd|' /C calc'!A0"


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client_a, coop_a, record_a):
    # given a title typed in the product form that a spreadsheet would run
    edit = reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id})
    form = client_a.get(edit).context["form"]
    assert client_a.post(edit, {**form_post_data(form), "title": HOSTILE_TITLE}).status_code == 302

    # when the producer downloads its export
    response = client_a.get(reverse("coop-dashboard:csv-export"))

    # then it is UTF-8 with a BOM, says so, and the title reads back quoted while prices stay numbers
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{coop_a.slug}.csv"'
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    edited = [row for row in rows if row["sku"] == record_a.partner_sku]
    assert edited and {row["title"] for row in edited} == {"'" + HOSTILE_TITLE}
    record_a.refresh_from_db()
    assert {Decimal(row["price"]) for row in edited} == {record_a.price}
    assert all(not row["title"].startswith(("=", "+", "-", "@")) for row in rows)


def test_an_exported_file_imports_back_with_its_formula_like_title_unchanged(
    client_a, coop_a, record_a, django_capture_on_commit_callbacks
):
    # given a formula-like title typed in the product form, exported (so quoted) by the producer
    edit = reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id})
    form = client_a.get(edit).context["form"]
    assert client_a.post(edit, {**form_post_data(form), "title": HOSTILE_TITLE}).status_code == 302
    exported = client_a.get(reverse("coop-dashboard:csv-export")).content

    # when the producer uploads that very file back
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            reverse("coop-dashboard:csv-import"),
            {"file": SimpleUploadedFile("stock.csv", exported, "text/csv")},
        )

    # then the import changes nothing: the quote the export added is not taken into the title
    job = ProducerImport.objects.get()
    assert response.status_code == 302 and job.status == "done" and job.errors == []
    assert job.summary["products_updated"] == 0
    record_a.product.refresh_from_db()
    assert record_a.product.title == HOSTILE_TITLE
