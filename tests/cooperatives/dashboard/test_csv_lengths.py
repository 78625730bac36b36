"""A CSV cell longer than its database column is refused on upload, with its row and column."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from cooperatives.dashboard.csv_export import COLUMNS

pytestmark = pytest.mark.django_db
ProducerImport = get_model("partner", "ProducerImport")
StockRecord = get_model("partner", "StockRecord")


def _csv(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


NEW_ROW = {
    "sku": "TAL-901",
    "product_type": "safran",
    "title": "Safran",
    "price": "90",
    "lot_code": "TAL-901-A",
}


@pytest.mark.parametrize(("column", "limit"), [("title", 255), ("sku", 128), ("lot_code", 64)])
def test_a_cell_longer_than_its_column_is_refused_with_row_and_column(
    client_a, coop_a, django_capture_on_commit_callbacks, column, limit
):
    # given a CSV whose second data row has a cell one character too long
    rows = [NEW_ROW, {**NEW_ROW, "sku": "TAL-902", "lot_code": "TAL-902-A", column: "x" * (limit + 1)}]

    # when it is uploaded
    with django_capture_on_commit_callbacks(execute=True):
        response = client_a.post(
            "/en" + reverse("coop-dashboard:csv-import"),
            {"file": SimpleUploadedFile("stock.csv", _csv(rows), "text/csv")},
        )

    # then the upload is refused at once, naming the row, the column and the limit; nothing is written
    assert response.status_code == 200
    assert f"Longer than {limit} characters. (row 3, column {column})" in response.content.decode()
    assert not ProducerImport.objects.exists()
    assert not StockRecord.objects.filter(partner=coop_a, partner_sku__in=["TAL-901", "TAL-902"]).exists()
