"""The permission matrix: every cooperative-dashboard URL × every role, and no foreign data in any answer."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.cooperatives.dashboard.conftest import ROLE_EMAILS, client_for

Lot = get_model("partner", "Lot")
ProducerImport = get_model("partner", "ProducerImport")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

# (url name, which of coop A's objects the URL names: None, "product", "lot" or "import")
URLS = [
    ("home", None),
    ("product-list", None),
    ("product-create", None),
    ("product-edit", "product"),
    ("photo-upload", "product"),
    ("lot-list", None),
    ("lot-add", None),
    ("lot-adjust", "lot"),
    ("lot-quarantine", "lot"),
    ("lot-release", "lot"),
    ("lot-recall", "lot"),
    ("stock-history", None),
    ("profile", None),
    ("csv-export", None),
    ("csv-import", None),
    ("csv-import-status", "import"),
]


def _expected(role: str, kind) -> int:
    if role == "anonymous":
        return 302
    if role == "coop_a":
        return 200
    if role == "coop_b":
        return 404 if kind else 200  # another producer's id is simply not found
    return 403  # customer, GIE coordinator, platform staff: not a member of any producer


def _objects_of(coop_a, user_a):
    record = StockRecord.objects.filter(partner=coop_a).order_by("pk").first()
    lot = Lot.objects.filter(stockrecord=record).order_by("pk").first()
    job = ProducerImport.objects.create(partner=coop_a, user=user_a, file="producers/imports/a.csv")
    return {"product": record.product_id, "lot": lot.pk, "import": job.pk}


@pytest.mark.parametrize("name,kind", URLS)
def test_each_dashboard_url_answers_each_role_as_expected_and_never_shows_coop_a_to_others(
    name, kind, coop_a, coop_b, user_a
):
    # given coop A's objects, and what identifies coop A and coop B in a page
    ids = _objects_of(coop_a, user_a)
    url = reverse(f"coop-dashboard:{name}", kwargs={"pk": ids[kind]} if kind else None)
    a_marks = ["TAL-", coop_a.name]
    b_marks = ["TIF-", coop_b.name]
    for role in ROLE_EMAILS:
        # when each role opens the URL
        response = client_for(role).get(url)

        # then the status is the expected one ...
        assert response.status_code == _expected(role, kind), (role, url, response.status_code)
        body = response.content.decode()
        if role == "anonymous":
            assert response["Location"].startswith(reverse("customer:login"))
        # ... and no page shows another producer's data
        foreign = a_marks if role != "coop_a" else b_marks
        for mark in foreign:
            assert mark not in body, (role, url, mark)
    if name != "csv-export":
        assert coop_a.name in client_for("coop_a").get(url).content.decode()


@pytest.mark.parametrize("name", ["lot-adjust", "lot-quarantine", "lot-recall"])
def test_posting_to_another_producers_lot_is_404_and_changes_nothing(name, coop_a, client_b):
    # given coop A's lot
    lot = Lot.objects.filter(stockrecord__partner=coop_a).order_by("pk").first()
    before = (lot.quantity, lot.status)

    # when coop B posts an action on it
    response = client_b.post(
        reverse(f"coop-dashboard:{name}", kwargs={"pk": lot.pk}), {"quantity": 0, "reason": "take over"}
    )

    # then it is not found and the lot is as it was
    assert response.status_code == 404
    lot.refresh_from_db()
    assert (lot.quantity, lot.status) == before


def test_adding_a_lot_under_another_producers_stock_record_is_refused(coop_a, client_b):
    foreign_record = StockRecord.objects.filter(partner=coop_a).first()

    response = client_b.post(
        reverse("coop-dashboard:lot-add"),
        {"stockrecord": foreign_record.pk, "code": "STOLEN-1", "quantity": 5},
    )

    assert response.status_code == 200
    assert "stockrecord" in response.context["form"].errors
    assert not Lot.objects.filter(code="STOLEN-1").exists()


def test_editing_another_producers_product_by_post_is_404_and_changes_nothing(record_a, client_b):
    response = client_b.post(
        reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id}),
        {"title": "Hijacked", "price": "1.00"},
    )

    assert response.status_code == 404
    record_a.product.refresh_from_db()
    assert record_a.product.title != "Hijacked"


def test_a_product_shared_with_another_producer_is_not_editable_by_either(record_a, coop_b, client_a):
    # given coop B also sells coop A's product (a shared product)
    StockRecord.objects.create(product=record_a.product, partner=coop_b, partner_sku="TIF-SHARED", price=1)

    # when coop A opens its edit page
    response = client_a.get(reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id}))

    # then it is not found: editing it would change coop B's listing
    assert response.status_code == 404


@pytest.mark.parametrize("email", ["saffron@example.com", "dates@example.com", "gie@example.com"])
@pytest.mark.parametrize(
    "url", ["/dashboard/", "/dashboard/orders/", "/dashboard/catalogue/", "/dashboard/partners/"]
)
def test_producers_and_coordinators_are_kept_out_of_oscars_dashboard(client, demo, email, url):
    """Oscar's order pages show every line of an order to any partner in it (django-oscar #2240)."""
    client.login(username=email, password="terroir-demo")
    response = client.get(url)
    assert response.status_code in (302, 403)
    assert "Coopérative" not in response.content.decode()
