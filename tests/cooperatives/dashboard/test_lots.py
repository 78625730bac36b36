import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from cooperatives.services import lot_quantity_adjust, lot_status_set

Lot = get_model("partner", "Lot")
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_adding_a_lot_records_it_in_the_history_and_raises_the_stock(client_a, record_a, user_a):
    # given a stock record of coop A
    before = record_a.num_in_stock

    # when its user adds a lot after the harvest
    response = client_a.post(
        reverse("coop-dashboard:lot-add"),
        {
            "stockrecord": record_a.pk,
            "code": "TAL-001-2026-N",
            "quantity": 30,
            "harvest_date": "2026-11-02",
            "best_before": "2028-11-02",
            "reason": "Récolte de novembre",
        },
    )

    # then the lot exists, the stock grew, and the history says who, when and why
    assert response.status_code == 302
    lot = Lot.objects.get(code="TAL-001-2026-N")
    record_a.refresh_from_db()
    assert record_a.num_in_stock == before + 30
    movement = StockMovement.objects.get(lot=lot)
    assert (movement.kind, movement.delta, movement.user, movement.reason) == (
        "create",
        30,
        user_a,
        "Récolte de novembre",
    )


def test_adding_a_lot_with_an_existing_code_is_refused(client_a, record_a, lot_a):
    response = client_a.post(
        reverse("coop-dashboard:lot-add"), {"stockrecord": record_a.pk, "code": lot_a.code, "quantity": 3}
    )

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Lot.objects.filter(code=lot_a.code).count() == 1


def test_adjusting_a_lot_needs_a_reason_and_records_the_difference(client_a, lot_a, user_a):
    url = reverse("coop-dashboard:lot-adjust", kwargs={"pk": lot_a.pk})
    old = lot_a.quantity

    refused = client_a.post(url, {"quantity": old - 2, "reason": ""})
    response = client_a.post(url, {"quantity": old - 2, "reason": "Deux boîtes abîmées"})

    assert refused.status_code == 200 and "reason" in refused.context["form"].errors
    assert response.status_code == 302
    lot_a.refresh_from_db()
    assert lot_a.quantity == old - 2
    movement = StockMovement.objects.get(lot=lot_a)
    assert (movement.kind, movement.delta, movement.quantity_after, movement.user) == (
        "adjust",
        -2,
        old - 2,
        user_a,
    )
    assert StockRecord.objects.get(pk=lot_a.stockrecord_id).num_in_stock == sum(
        Lot.objects.filter(stockrecord_id=lot_a.stockrecord_id).values_list("quantity", flat=True)
    )


def test_a_negative_quantity_is_refused(client_a, lot_a):
    response = client_a.post(
        reverse("coop-dashboard:lot-adjust", kwargs={"pk": lot_a.pk}), {"quantity": -1, "reason": "x"}
    )

    assert response.status_code == 200
    assert not StockMovement.objects.exists()


def test_quarantine_takes_the_lot_out_of_stock_and_release_puts_it_back(client_a, lot_a):
    record = StockRecord.objects.get(pk=lot_a.stockrecord_id)
    before = record.num_in_stock

    client_a.post(reverse("coop-dashboard:lot-quarantine", kwargs={"pk": lot_a.pk}), {"reason": "Humidité"})
    record.refresh_from_db()
    in_quarantine = record.num_in_stock
    client_a.post(reverse("coop-dashboard:lot-release", kwargs={"pk": lot_a.pk}), {"reason": "Analyse OK"})
    record.refresh_from_db()

    assert in_quarantine == before - lot_a.quantity
    assert record.num_in_stock == before
    assert list(StockMovement.objects.filter(lot=lot_a).order_by("pk").values_list("kind", "reason")) == [
        ("quarantine", "Humidité"),
        ("release", "Analyse OK"),
    ]


def test_a_recall_is_final(client_a, lot_a, coop_a, user_a):
    response = client_a.post(
        reverse("coop-dashboard:lot-recall", kwargs={"pk": lot_a.pk}), {"reason": "ONSSA"}
    )
    assert response.status_code == 302

    with pytest.raises(ValidationError):
        lot_status_set(user=user_a, producer=coop_a, lot=lot_a, status="active", reason="oops")
    with pytest.raises(ValidationError):
        lot_quantity_adjust(user=user_a, producer=coop_a, lot=lot_a, quantity=1, reason="oops")
    lot_a.refresh_from_db()
    assert lot_a.status == "recalled"
    assert StockMovement.objects.filter(lot=lot_a).count() == 1


def test_services_refuse_another_producers_lot_even_without_the_selector(lot_a, coop_b, user_a):
    with pytest.raises(PermissionDenied):
        lot_quantity_adjust(user=user_a, producer=coop_b, lot=lot_a, quantity=0, reason="x")
    lot_a.refresh_from_db()
    assert lot_a.quantity > 0


def test_the_history_page_lists_the_producers_changes_with_who_and_why(client_a, lot_a):
    client_a.post(
        reverse("coop-dashboard:lot-adjust", kwargs={"pk": lot_a.pk}),
        {"quantity": lot_a.quantity + 1, "reason": "Inventaire du 1er"},
    )

    page = client_a.get(reverse("coop-dashboard:stock-history")).content.decode()

    assert lot_a.code in page and "Inventaire du 1er" in page and "Fatima" in page


@pytest.mark.postgres
def test_lot_adjust_locks_the_stock_record_then_the_lot(lot_a, coop_a, user_a):
    if connection.vendor != "postgresql":
        pytest.skip("SELECT … FOR UPDATE is only emitted on PostgreSQL")

    with CaptureQueriesContext(connection) as queries:
        lot_quantity_adjust(user=user_a, producer=coop_a, lot=lot_a, quantity=1, reason="count")
    locks = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert '"partner_stockrecord"' in locks[0] and '"partner_lot"' in locks[1]


def test_lot_list_shows_only_own_lots_in_a_constant_number_of_queries(
    client_a, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("coop-dashboard:lot-list"))

    codes = {lot.code for lot in response.context["lots"]}
    assert codes and all(code.startswith("TAL-") for code in codes)


def test_the_history_page_costs_the_same_queries_for_one_or_many_changes(
    client_a, coop_a, user_a, django_assert_max_num_queries
):
    for lot in Lot.objects.filter(stockrecord__partner=coop_a)[:6]:
        lot_quantity_adjust(user=user_a, producer=coop_a, lot=lot, quantity=lot.quantity + 1, reason="count")

    with django_assert_max_num_queries(7):
        response = client_a.get(reverse("coop-dashboard:stock-history"))

    assert len(response.context["movements"]) == 6
