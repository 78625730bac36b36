import csv
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from cooperatives.dashboard.csv_export import COLUMNS
from cooperatives.dashboard.csv_import import CsvImportRefused, producer_csv_import

Lot = get_model("partner", "Lot")
ProducerImport = get_model("partner", "ProducerImport")
Product = get_model("catalogue", "Product")
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _export(client) -> list[dict]:
    response = client.get(reverse("coop-dashboard:csv-export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _upload(client, raw: bytes, django_capture_on_commit_callbacks, name="stock.csv"):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("coop-dashboard:csv-import"), {"file": SimpleUploadedFile(name, raw, "text/csv")}
        )


def _state(coop):
    lots = sorted(Lot.objects.filter(stockrecord__partner=coop).values_list("code", "quantity", "status"))
    prices = sorted(StockRecord.objects.filter(partner=coop).values_list("partner_sku", "price"))
    return lots, prices


def test_export_then_import_unchanged_records_no_change(client_a, coop_a, django_capture_on_commit_callbacks):
    # given coop A's export
    rows = _export(client_a)
    before = _state(coop_a)

    # when it is imported back unchanged
    response = _upload(client_a, _csv(rows), django_capture_on_commit_callbacks)

    # then the import succeeded and nothing changed, nothing was recorded
    job = ProducerImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/csv/import/{job.pk}/")
    assert job.status == "done" and job.errors == []
    assert job.summary == {"products_created": 0, "products_updated": 0, "lots_created": 0, "lots_updated": 0}
    assert _state(coop_a) == before
    assert not StockMovement.objects.exists()
    assert {row["sku"][:4] for row in rows} == {"TAL-"}


def test_an_edited_export_updates_prices_and_lots_and_records_each_stock_change(
    client_a, coop_a, user_a, django_capture_on_commit_callbacks
):
    # given an export where a price and a lot's quantity were changed, and a lot was added
    rows = _export(client_a)
    for row in rows:
        if row["sku"] == rows[0]["sku"]:  # one row per lot: the product's columns repeat on each
            row["price"] = "80.50"
    rows[0]["lot_quantity"] = "7"
    rows.append({**rows[2], "lot_code": "TAL-NEW-LOT", "lot_quantity": "12", "lot_status": "active"})

    # when it is imported
    _upload(client_a, _csv(rows), django_capture_on_commit_callbacks)

    # then the changes are written and each lot change is in the history
    record = StockRecord.objects.get(partner=coop_a, partner_sku=rows[0]["sku"])
    assert record.price == Decimal("80.50")
    assert Lot.objects.get(code=rows[0]["lot_code"]).quantity == 7
    assert Lot.objects.get(code="TAL-NEW-LOT").stockrecord.partner_sku == rows[2]["sku"]
    movements = StockMovement.objects.order_by("lot__code")
    assert {m.lot.code for m in movements} == {rows[0]["lot_code"], "TAL-NEW-LOT"}
    assert all(m.kind == "import" and m.user == user_a for m in movements)
    assert ProducerImport.objects.get().summary["products_updated"] == 1
    assert record.num_in_stock == sum(record.lots.filter(status="active").values_list("quantity", flat=True))


def test_a_new_sku_with_a_product_type_creates_an_unpublished_product(coop_a, user_a):
    raw = _csv(
        [
            {
                "sku": "TAL-900",
                "product_type": "safran",
                "title": "Safran en pistils — 3 g",
                "price": "210",
                "lot_code": "TAL-900-A",
                "lot_quantity": "15",
                "best_before": "2030-01-01",
            }
        ]
    )

    summary = producer_csv_import(user=user_a, producer=coop_a, raw=raw)

    record = StockRecord.objects.select_related("product").get(partner=coop_a, partner_sku="TAL-900")
    assert summary["products_created"] == 1 and summary["lots_created"] == 1
    assert record.product.is_public is False and record.product.product_class.slug == "safran"
    assert record.price == Decimal("210.00") and record.num_in_stock == 15
    assert record.product.categories.filter(slug="safran").exists()


def test_imported_products_are_in_the_search_document_at_once(
    coop_a, user_a, django_capture_on_commit_callbacks
):
    if connection.vendor != "postgresql":
        pytest.skip("the stored search document exists on PostgreSQL only")
    raw = _csv(
        [
            {
                "sku": "TAL-901",
                "product_type": "safran",
                "title": "Pistils de crocus du Siroua — 4 g",
                "price": "280",
                "lot_code": "TAL-901-A",
                "lot_quantity": "5",
                "best_before": "2030-01-01",
            }
        ]
    )

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        producer_csv_import(user=user_a, producer=coop_a, raw=raw)

    product = StockRecord.objects.get(partner=coop_a, partner_sku="TAL-901").product
    assert Product.objects.filter(pk=product.pk, search_title__contains="siroua").exists()
    # the import's own bulk indexing is the only one: nothing is indexed again after commit
    assert len([q for q in queries if q["sql"].startswith("UPDATE") and "to_tsvector" in q["sql"]]) == 1


BAD_ROWS = [
    ("sku of another producer", {"sku": "TIF-001"}, "sku"),
    ("unknown sku without a product type", {"sku": "TAL-777", "product_type": ""}, "product_type"),
    ("negative quantity", {"lot_quantity": "-3"}, "lot_quantity"),
    ("bad date", {"best_before": "31/12/2027"}, "best_before"),
    ("unknown product type", {"product_type": "caviar"}, "product_type"),
    ("price not a number", {"price": "douze"}, "price"),
    ("unknown lot status", {"lot_status": "lost"}, "lot_status"),
    ("lot code of another producer", {"lot_code": "TIF-001-2025-A"}, "lot_code"),
]


@pytest.mark.parametrize("case,change,column", BAD_ROWS, ids=[case for case, __, __ in BAD_ROWS])
def test_one_bad_row_imports_nothing_and_names_its_row_and_column(
    case, change, column, client_a, coop_a, django_capture_on_commit_callbacks
):
    # given an export where row 2 has a good change and row 4 (third data row) a bad one
    rows = _export(client_a)
    rows[0]["lot_quantity"] = "1"
    rows[2].update(change)
    before = _state(coop_a)

    # when it is imported
    _upload(client_a, _csv(rows), django_capture_on_commit_callbacks)

    # then nothing is written and the error names row 4 and the column
    job = ProducerImport.objects.get()
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(4, column)], job.errors
    assert _state(coop_a) == before and not StockMovement.objects.exists()
    page = client_a.get(reverse("coop-dashboard:csv-import-status", kwargs={"pk": job.pk})).content.decode()
    assert f"<td>4</td><td>{column}</td>" in page


def test_every_bad_row_is_reported_at_once(coop_a, user_a):
    raw = _csv(
        [
            {"sku": "TAL-001", "price": "x", "lot_code": "TAL-001-Z", "lot_quantity": "-1"},
            {"sku": "TIF-002"},
            {"sku": "TAL-001", "lot_code": "TAL-001-Y", "lot_quantity": "2", "harvest_date": "hier"},
        ]
    )

    with pytest.raises(CsvImportRefused) as refused:
        producer_csv_import(user=user_a, producer=coop_a, raw=raw)

    assert [(e["row"], e["column"]) for e in refused.value.errors] == [
        (2, "price"),
        (3, "sku"),
        (4, "harvest_date"),
    ]
    assert not Lot.objects.filter(code__in=["TAL-001-Z", "TAL-001-Y"]).exists()


@pytest.mark.parametrize(
    "case,raw,message",
    [
        ("not a csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        ("text without our columns", b"hello,world\n1,2\n", "column missing"),
        (
            "latin-1 instead of UTF-8",
            "sku,title\nTAL-001,Safran Catégorie I\n".encode("latin-1"),
            "not UTF-8",
        ),
        ("no header", b"\n\n", "column missing"),
    ],
)
def test_a_file_that_is_not_our_utf8_csv_is_refused_at_once(case, raw, message, client_a, coop_a):
    with translation.override("en"):  # the dashboard under /en/: the messages above are English
        response = client_a.post(
            reverse("coop-dashboard:csv-import"), {"file": SimpleUploadedFile("stock.csv", raw, "text/csv")}
        )

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["file"])
    assert not ProducerImport.objects.exists()


def test_a_file_over_10_mb_is_refused(client_a):
    raw = b"sku," + b"x" * (10 * 1024 * 1024)

    with translation.override("en"):  # the form's message is lazy: read it in English too
        response = client_a.post(
            reverse("coop-dashboard:csv-import"), {"file": SimpleUploadedFile("big.csv", raw, "text/csv")}
        )
        assert "10 MB" in " ".join(response.context["form"].errors["file"])

    assert response.status_code == 200
    assert not ProducerImport.objects.exists()


def test_the_import_runs_as_a_background_job_with_progress(
    client_a, coop_a, django_capture_on_commit_callbacks
):
    # given a job whose task has not run yet (no commit yet)
    rows = _export(client_a)
    response = client_a.post(
        reverse("coop-dashboard:csv-import"), {"file": SimpleUploadedFile("s.csv", _csv(rows), "text/csv")}
    )
    job = ProducerImport.objects.get()
    waiting = client_a.get(response["Location"]).content.decode()

    # when the transaction commits, the task runs
    with django_capture_on_commit_callbacks(execute=True):
        from cooperatives.dashboard.tasks import producer_import_enqueue

        producer_import_enqueue(job=job)
    job.refresh_from_db()

    # then the waiting page refreshes itself, and the job ends done with all rows counted
    assert 'http-equiv="refresh"' in waiting and "<progress" in waiting
    assert job.status == "done" and job.rows_total == len(rows) and job.rows_done == len(rows)
    assert job.progress_percent == 100
