"""Lot status changes in the producer's CSV follow the dashboard's rules: allowed transitions only,
a reason (the optional `status_reason` column), the recall date; a refused row imports nothing."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from oscar.core.loading import get_model

from cooperatives.dashboard.csv_check import REASON_COLUMN
from cooperatives.dashboard.csv_export import COLUMNS
from cooperatives.services import lot_status_set

Lot = get_model("partner", "Lot")
ProducerImport = get_model("partner", "ProducerImport")
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _export(client) -> list[dict]:
    response = client.get(reverse("coop-dashboard:csv-export"))
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def _upload(client, rows: list[dict], django_capture_on_commit_callbacks):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=[*COLUMNS, REASON_COLUMN])
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("stock.csv", buffer.getvalue().encode("utf-8"), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("coop-dashboard:csv-import"), {"file": upload})
    return ProducerImport.objects.latest("pk")


def _lots(coop):
    return sorted(
        Lot.objects.filter(stockrecord__partner=coop).values_list(
            "code", "quantity", "status", "recall_reason"
        )
    )


def test_a_recall_without_a_reason_is_a_row_error_and_nothing_is_written(
    client_a, coop_a, django_capture_on_commit_callbacks
):
    # given an export where row 2 changes a quantity and row 3 recalls a lot without saying why
    rows = _export(client_a)
    rows[0]["lot_quantity"] = "1"
    rows[1]["lot_status"] = "recalled"
    before = _lots(coop_a)

    # when it is uploaded
    job = _upload(client_a, rows, django_capture_on_commit_callbacks)

    # then the import is refused on row 3's reason, and neither row was written
    assert job.status == "failed"
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, REASON_COLUMN)]
    assert _lots(coop_a) == before and not StockMovement.objects.exists()


def test_a_recall_with_its_reason_goes_through_the_recall_rule(
    client_a, coop_a, user_a, django_capture_on_commit_callbacks
):
    # given an export where one lot is recalled, with the reason
    rows = _export(client_a)
    rows[1].update(lot_status="recalled", status_reason="Humidité hors norme")
    code = rows[1]["lot_code"]
    record = StockRecord.objects.get(partner=coop_a, partner_sku=rows[1]["sku"])
    units = Lot.objects.get(code=code).quantity

    # when it is uploaded
    job = _upload(client_a, rows, django_capture_on_commit_callbacks)

    # then the lot is recalled as the dashboard recalls it: date, reason, history, stock withdrawn
    lot = Lot.objects.get(code=code)
    assert job.status == "done", job.errors
    assert lot.status == "recalled" and lot.recalled_at is not None
    assert lot.recall_reason == "Humidité hors norme"
    movement = StockMovement.objects.get(lot=lot)
    assert (movement.kind, movement.reason, movement.user) == ("recall", "Humidité hors norme", user_a)
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == record.num_in_stock - units


def test_a_recalled_lot_cannot_be_released_by_csv(
    client_a, coop_a, user_a, django_capture_on_commit_callbacks
):
    # given a lot recalled on the dashboard, and an export putting it back on sale with a reason
    lot = Lot.objects.filter(stockrecord__partner=coop_a).order_by("pk").first()
    lot_status_set(user=user_a, producer=coop_a, lot=lot, status="recalled", reason="Étiquetage erroné")
    rows = _export(client_a)
    row = next(index for index, data in enumerate(rows) if data["lot_code"] == lot.code)
    rows[row].update(lot_status="active", status_reason="Erreur de saisie")
    before = _lots(coop_a)

    # when it is uploaded
    job = _upload(client_a, rows, django_capture_on_commit_callbacks)

    # then the row is refused and the lot stays recalled
    assert job.status == "failed"
    assert [e["row"] for e in job.errors] == [row + 2]
    assert _lots(coop_a) == before


def test_a_quarantine_then_its_release_each_need_a_reason(
    client_a, coop_a, django_capture_on_commit_callbacks
):
    # given a lot quarantined by CSV with a reason
    rows = _export(client_a)
    rows[0].update(lot_status="quarantined", status_reason="Analyse en cours")
    code = rows[0]["lot_code"]
    _upload(client_a, rows, django_capture_on_commit_callbacks)
    assert Lot.objects.get(code=code).status == "quarantined"

    # when it is released without a reason, then with one
    rows = _export(client_a)
    rows[0]["lot_status"] = "active"
    refused = _upload(client_a, rows, django_capture_on_commit_callbacks)
    rows[0]["status_reason"] = "Analyse conforme"
    released = _upload(client_a, rows, django_capture_on_commit_callbacks)

    # then only the second upload releases it, and the history says why each time
    assert refused.status == "failed" and [e["column"] for e in refused.errors] == [REASON_COLUMN]
    assert released.status == "done" and Lot.objects.get(code=code).status == "active"
    assert list(
        StockMovement.objects.filter(lot__code=code).order_by("pk").values_list("kind", "reason")
    ) == [
        ("quarantine", "Analyse en cours"),
        ("release", "Analyse conforme"),
    ]


def test_a_new_lot_can_start_in_quarantine_with_a_reason(
    client_a, coop_a, django_capture_on_commit_callbacks
):
    # given a new lot row in quarantine, and another new lot row recalled without a reason
    rows = _export(client_a)
    quarantined = {**rows[0], "lot_code": "TAL-CSV-Q", "lot_quantity": "8", "lot_status": "quarantined"}
    recalled = {**rows[0], "lot_code": "TAL-CSV-R", "lot_quantity": "5", "lot_status": "recalled"}

    # when the second has no reason, nothing is written; with a reason on the first only, it is added
    refused = _upload(
        client_a, [{**quarantined, "status_reason": "Analyse"}, recalled], django_capture_on_commit_callbacks
    )
    done = _upload(
        client_a, [{**quarantined, "status_reason": "Analyse"}], django_capture_on_commit_callbacks
    )

    # then
    assert refused.status == "failed" and [(e["row"], e["column"]) for e in refused.errors] == [
        (3, REASON_COLUMN)
    ]
    assert done.status == "done", done.errors
    lot = Lot.objects.get(code="TAL-CSV-Q")
    assert lot.status == "quarantined" and lot.quantity == 8
    assert list(lot.movements.order_by("pk").values_list("kind", "delta")) == [
        ("import", 8),
        ("quarantine", 0),
    ]
    assert not Lot.objects.filter(code="TAL-CSV-R").exists()


def test_an_export_without_the_reason_column_still_imports(
    client_a, coop_a, django_capture_on_commit_callbacks
):
    # given last month's export, from before the status_reason column, with a quantity changed
    rows = _export(client_a)
    rows[0]["lot_quantity"] = "3"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("stock.csv", buffer.getvalue().encode("utf-8"), "text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        client_a.post(reverse("coop-dashboard:csv-import"), {"file": upload})

    assert ProducerImport.objects.get().status == "done"
    assert Lot.objects.get(code=rows[0]["lot_code"]).quantity == 3
