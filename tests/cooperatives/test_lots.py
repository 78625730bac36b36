import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from cooperatives.product_services import product_availability_set
from cooperatives.services import lot_create, lot_recall
from tests.journey import add_to_basket, guest_checkout_until_preview

Lot = get_model("partner", "Lot")
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _place_order(client, product, quantity, *, email="nadia@example.com"):
    add_to_basket(client, product, quantity)
    guest_checkout_until_preview(client, email=email)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content[:300]
    return Order.objects.get(guest_email=email)


def test_order_takes_the_earliest_expiring_lot_first_then_the_next(client, demo):
    product = Product.objects.get(upc="ZIT-001")  # lots A (20 units, expires first) and B (40)
    early, late = Lot.objects.filter(stockrecord__product=product).order_by("best_before")

    order = _place_order(client, product, 25)

    taken = {a.lot.code: a.quantity for a in order.lines.get().lot_allocations.select_related("lot")}
    assert taken == {early.code: early.quantity, late.code: 5}
    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.quantity, late.quantity) == (0, 35)
    assert StockRecord.objects.get(product=product).num_in_stock == 35


def test_expired_and_recalled_lots_are_never_sold(client, demo):
    product = Product.objects.get(upc="ZIT-002")
    record = StockRecord.objects.get(product=product)
    today = timezone.localdate()
    expired, recalled = Lot.objects.filter(stockrecord=record).order_by("best_before")
    Lot.objects.filter(pk=expired.pk).update(best_before=today - datetime.timedelta(days=1))
    lot_recall(lot=recalled, reason="Contrôle qualité")
    fresh = lot_create(
        stockrecord=record, code="ZIT-002-FRESH", quantity=4, best_before=today + datetime.timedelta(days=30)
    )
    record.refresh_from_db()
    assert record.num_in_stock == 4

    order = _place_order(client, product, 3)

    allocations = list(order.lines.get().lot_allocations.all())
    assert [(a.lot_id, a.quantity) for a in allocations] == [(fresh.pk, 3)]
    expired.refresh_from_db()
    recalled.refresh_from_db()
    assert expired.quantity == 16 and recalled.quantity == 34  # untouched


def test_ordering_more_than_the_sellable_lots_hold_is_refused(client, demo):
    product = Product.objects.get(upc="ZIT-003")
    record = StockRecord.objects.get(product=product)
    for lot in Lot.objects.filter(stockrecord=record):
        lot_recall(lot=lot, reason="Étiquetage erroné")

    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})

    assert response.status_code == 302
    assert StockRecord.objects.get(pk=record.pk).num_in_stock == 0
    assert client.get(reverse("basket:summary")).context["basket"].num_items == 0


def test_recall_withdraws_the_lot_and_lists_the_orders_and_customers_that_received_it(client, demo):
    product = Product.objects.get(upc="TAL-003")
    lot = Lot.objects.filter(stockrecord__product=product).order_by("best_before").first()
    first = _place_order(client, product, 2, email="nadia@example.com")
    client.cookies.clear()
    second = _place_order(client, product, 1, email="karim@example.com")
    record = StockRecord.objects.get(product=product)
    before = record.num_in_stock

    recipients = lot_recall(lot=lot, reason="Humidité hors norme")

    assert [(r.order_number, r.email, r.quantity) for r in recipients] == [
        (first.number, "nadia@example.com", 2),
        (second.number, "karim@example.com", 1),
    ]
    lot.refresh_from_db()
    assert lot.status == Lot.Status.RECALLED and lot.recall_reason == "Humidité hors norme"
    record.refresh_from_db()
    assert record.num_in_stock == before - lot.quantity
    # recalling again changes nothing and lists the same people
    assert lot_recall(lot=lot, reason="encore") == recipients
    page = client.get(lot.get_absolute_url()).content.decode()
    assert "lot-recalled" in page and "Humidité hors norme" in page


def test_recall_needs_a_reason(demo):
    lot = Lot.objects.first()

    with pytest.raises(ValidationError):
        lot_recall(lot=lot, reason="  ")

    lot.refresh_from_db()
    assert lot.status == Lot.Status.ACTIVE


def test_lot_trace_page_shows_product_producer_commune_dates_and_certified_labels(client, demo):
    lot = Lot.objects.select_related("stockrecord__product").get(
        code__startswith="TAL-001", code__endswith="-A"
    )

    response = client.get(f"/lot/{lot.code}/")

    assert response.status_code == 200
    page = response.content.decode()
    assert lot.stockrecord.product.title in page
    assert "Coopérative Souktana du Safran" in page and "Taliouine" in page
    assert lot.harvest_date.isoformat() in page and lot.best_before.isoformat() in page
    assert "Safran de Taliouine AOP" in page
    assert client.get("/lot/NO-SUCH-LOT/").status_code == 404


def test_food_product_cannot_be_published_while_its_producer_lacks_a_valid_sanitary_authorisation(demo):
    product = Product.objects.get(upc="TAL-002")
    producer = Partner.objects.get(slug="souktana-safran-taliouine")
    product_availability_set(product=product, is_public=False)
    producer.onssa_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    producer.save()

    with pytest.raises(ValidationError) as raised:
        product_availability_set(product=product, is_public=True)

    assert "ONSSA" in raised.value.message_dict["is_public"][0]
    product.refresh_from_db()
    assert product.is_public is False
    producer.onssa_number, producer.onssa_valid_until = "AS.09.187.06", timezone.localdate()
    producer.save()
    product_availability_set(product=product, is_public=True)
    product.refresh_from_db()
    assert product.is_public is True


def test_non_food_product_does_not_need_a_sanitary_authorisation(demo):
    product = Product.objects.get(upc="CMP-001")  # compost
    Partner.objects.filter(slug="compost-vert-erfoud").update(onssa_number="")
    product.is_public = False
    product.save()

    product_availability_set(product=product, is_public=True)

    product.refresh_from_db()
    assert product.is_public is True


def test_demo_producers_hold_valid_sanitary_authorisations(demo):
    sellers = Partner.objects.filter(stockrecords__isnull=False).distinct()
    assert sellers.count() == 9
    assert all(p.has_valid_sanitary_authorisation() for p in sellers)
