from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.journey import ADDRESS, add_to_basket, guest_checkout_until_preview

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")
Lot = get_model("partner", "Lot")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")

pytestmark = pytest.mark.django_db


def _one_product_of(slug):
    return Product.objects.filter(stockrecords__partner__slug=slug).order_by("pk").first()


def test_guest_cash_on_delivery_order_is_split_by_three_producers(client, demo):
    # given a basket with saffron, argan oil and dates from three cooperatives
    saffron = _one_product_of("souktana-safran-taliouine")
    argan = _one_product_of("tifawin-argan-tiznit")
    dates = _one_product_of("nakhil-aoufous")
    add_to_basket(client, saffron, 2)
    add_to_basket(client, argan)
    add_to_basket(client, dates, 3)
    saffron_stock_before = StockRecord.objects.get(product=saffron).num_in_stock

    # when the guest checks out paying cash on delivery
    response = guest_checkout_until_preview(client)
    assert response.status_code == 200
    assert (
        "Paiement à la livraison" in response.content.decode()
        or "Cash on delivery" in response.content.decode()
    )
    response = client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:preview")
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)

    # then one order exists, with lines from three producers, and a confirmation per producer
    assert response.status_code == 200
    order = Order.objects.get()
    assert order.guest_email == "nadia@example.com"
    assert {line.partner.slug for line in order.lines.all()} == {
        "souktana-safran-taliouine",
        "tifawin-argan-tiznit",
        "nakhil-aoufous",
    }
    page = response.content.decode()
    for name in (
        "Coopérative Souktana du Safran",
        "Coopérative Tifawin d&#x27;Argan",
        "Coopérative Nakhil Aoufous",
    ):
        assert name in page
    assert page.count('class="card card-body producer-group') == 3
    # one flat parcel charge per producer, paid in cash on delivery for the whole total
    assert order.shipping_incl_tax == Decimal("105.00")
    source = Source.objects.get(order=order)
    assert source.source_type.code == "cash-on-delivery"
    assert source.amount_allocated == order.total_incl_tax
    # stock came out of the earliest-expiring lot first
    assert StockRecord.objects.get(product=saffron).num_in_stock == saffron_stock_before - 2
    allocation = order.lines.get(product=saffron).lot_allocations.get()
    assert allocation.lot.code.endswith("-A") and allocation.quantity == 2


def test_cash_on_delivery_is_not_offered_for_a_delivery_in_france(client, demo):
    add_to_basket(client, _one_product_of("tifawin-argan-tiznit"))
    address = {
        **ADDRESS,
        "country": "FR",
        "line4": "Lyon",
        "postcode": "69003",
        "phone_number": "+33612345678",
    }

    response = guest_checkout_until_preview(client, address=address)

    assert (
        "No payment method is available" in response.content.decode() or "Aucun" in response.content.decode()
    )
    response = client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert response.status_code == 200  # form re-rendered with the error, nothing placed
    assert not Order.objects.exists()


def test_placing_an_order_for_more_than_the_lots_hold_fails_with_a_message_and_writes_nothing(client, demo):
    product = _one_product_of("zitouna-ouazzane")
    record = StockRecord.objects.get(product=product)
    add_to_basket(client, product, 3)
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    # another buyer empties the lots meanwhile
    Lot.objects.filter(stockrecord=record).update(quantity=1)

    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert response.status_code == 200
    assert "Not enough stock" in response.content.decode() or "stock" in response.content.decode()
    assert not Order.objects.exists()
    assert sum(Lot.objects.filter(stockrecord=record).values_list("quantity", flat=True)) == 2


def test_preview_without_a_payment_method_sends_back_to_the_choice(client, demo):
    add_to_basket(client, _one_product_of("rose-du-dades"))
    guest_checkout_until_preview(client)

    response = client.get(reverse("checkout:preview"))

    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:payment-method")


def test_a_signed_in_customer_sees_each_producer_in_order_history(client, demo):
    client.login(username="customer@example.com", password="terroir-demo")
    add_to_basket(client, _one_product_of("souktana-safran-taliouine"))
    add_to_basket(client, _one_product_of("rose-du-dades"))
    guest_checkout_until_preview(client, guest=False)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get()
    assert order.user.email == "customer@example.com"

    response = client.get(reverse("customer:order", kwargs={"order_number": order.number}))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="card card-body producer-group') == 2
    assert "Coopérative Rose du Dadès" in page
