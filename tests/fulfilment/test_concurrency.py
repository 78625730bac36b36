"""Concurrent checkouts on PostgreSQL: row locks in primary-key order, no oversell, no deadlock.

These tests commit real rows from other threads (each thread has its own connection and could
not see the test's transaction), so the fixture removes everything it created afterwards.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from cooperatives.services import lot_create
from core.models import NotificationSent
from fulfilment.models import ProducerFulfilment
from shop.order.utils import OrderAlreadyPlaced
from tests.concurrency import in_own_connection
from tests.fulfilment.helpers import basket_with, order_place

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ShippingAddress = get_model("order", "ShippingAddress")
StockRecord = get_model("partner", "StockRecord")
Lot = get_model("partner", "Lot")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

BUYERS = 64
UNITS = 10


def _scarce_products_create():
    # Saffron is food: only a producer with a valid ONSSA authorisation may sell it.
    producer = Partner.objects.create(
        name="Coopérative Course", slug="cooperative-course", onssa_number="ONSSA-COURSE-01"
    )
    product_class = ProductClass.objects.get(slug="safran")
    products = []
    for index in (1, 2):
        product = Product.objects.create(
            title=f"Safran rare {index}", upc=f"RACE-{index}", product_class=product_class
        )
        record = StockRecord.objects.create(
            product=product, partner=producer, partner_sku=f"RACE-{index}", price=Decimal("50.00")
        )
        lot_create(stockrecord=record, code=f"RACE-{index}-A", quantity=4)
        lot_create(stockrecord=record, code=f"RACE-{index}-B", quantity=UNITS - 4)
        products.append(product)
    return producer, products


def _scarce_products_delete(producer, products):
    orders = Order.objects.filter(lines__partner=producer).distinct()
    address_ids = list(orders.values_list("shipping_address_id", flat=True))
    basket_ids = list(orders.values_list("basket_id", flat=True))
    # the e-mails of these orders were sent (and recorded) for real after each commit
    fulfilment_ids = ProducerFulfilment.objects.filter(order__in=orders).values_list("pk", flat=True)
    sent_keys = Q()
    for order_id in orders.values_list("pk", flat=True):
        sent_keys |= Q(key__startswith=f"order-placed:{order_id}:")
    for fulfilment_id in fulfilment_ids:
        sent_keys |= Q(key__startswith=f"fulfilment-new:{fulfilment_id}:")
    if sent_keys:
        NotificationSent.objects.filter(sent_keys).delete()
    Order.objects.filter(pk__in=list(orders.values_list("pk", flat=True))).delete()
    ShippingAddress.objects.filter(pk__in=address_ids).delete()
    Basket.objects.filter(lines__stockrecord__partner=producer).delete()
    Basket.objects.filter(pk__in=basket_ids).delete()
    Product.objects.filter(pk__in=[p.pk for p in products]).delete()
    producer.delete()


@pytest.fixture
def committed_scarce_products(db):
    """Two products of a new producer, each with its last 10 units split over two lots."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SQLite serialises all writers)")
    producer, products = in_own_connection(_scarce_products_create)
    try:
        yield products
    finally:
        in_own_connection(lambda: _scarce_products_delete(producer, products))


def _run_concurrently(work, count):
    # Bounded waits: a buyer that cannot start breaks the barrier instead of hanging the suite.
    barrier = threading.Barrier(count, timeout=60)
    results = [None] * count

    def run(index):
        try:
            results[index] = work(index, barrier)
        except Exception as exc:  # reported in the assertion, not swallowed
            results[index] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 180
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()))
    assert not any(thread.is_alive() for thread in threads), "a buyer is stuck (deadlock?)"
    return results


def test_64_buyers_racing_for_the_last_10_units_buy_exactly_10(committed_scarce_products):
    # given two scarce products; half the buyers put them in the basket in the opposite order
    first, second = committed_scarce_products

    def buy(index, barrier):
        items = [(first, 1), (second, 1)] if index % 2 else [(second, 1), (first, 1)]
        basket = basket_with(items)
        barrier.wait()
        try:
            order_place([], basket=basket)
        except UnableToPlaceOrder:
            return "sold out"
        return "bought"

    # when
    results = _run_concurrently(buy, BUYERS)

    # then
    assert sorted(set(results)) == ["bought", "sold out"], results
    assert results.count("bought") == UNITS
    for product in committed_scarce_products:
        assert list(Lot.objects.filter(stockrecord__product=product).values_list("quantity", flat=True)) == [
            0,
            0,
        ]
        assert StockRecord.objects.get(product=product).num_in_stock == 0
    orders = Order.objects.filter(lines__product=first)
    assert orders.count() == UNITS
    assert all(order.fulfilments.count() == 1 for order in orders)


def test_the_same_basket_submitted_twice_at_once_makes_one_order(committed_scarce_products):
    basket = in_own_connection(lambda: basket_with([(committed_scarce_products[0], 2)]))

    def submit(index, barrier):
        own_basket = Basket.objects.get(pk=basket.pk)
        own_basket.strategy = basket.strategy
        barrier.wait()
        try:
            return str(order_place([], basket=own_basket).number)
        except OrderAlreadyPlaced as exc:
            return f"already {exc.order.number}"

    results = _run_concurrently(submit, 2)

    number = str(100000 + basket.pk)
    assert sorted(results) == sorted([number, f"already {number}"]), results
    assert Order.objects.filter(number=number).count() == 1
    assert StockRecord.objects.get(product=committed_scarce_products[0]).num_in_stock == UNITS - 2
