from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from fulfilment.models import SelfShipRate
from fulfilment.services import producer_fulfilment_accept, producer_fulfilment_pack, producer_fulfilment_ship
from tests.fulfilment.helpers import product_of
from tests.journey import ADDRESS, add_to_basket, guest_checkout_until_preview

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")

pytestmark = pytest.mark.django_db

FRANCE = {**ADDRESS, "country": "FR", "line4": "Lyon", "postcode": "69003", "phone_number": "+33612345678"}


def _to_preview(client):
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    return client.get(reverse("checkout:preview"))


def test_the_preview_shows_each_producers_shipping_method_and_charge_then_the_sum(client, demo):
    # given saffron (self_ship), dates from two GIE members (one hub parcel) and a pickup producer
    Partner.objects.filter(slug="rose-du-dades").update(fulfilment_module="pickup")
    for slug in ("souktana-safran-taliouine", "nakhil-aoufous", "al-wahda-rissani", "rose-du-dades"):
        add_to_basket(client, product_of(slug))

    # when
    response = _to_preview(client)

    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="card card-body shipping-group') == 4
    assert "Pickup at the cooperative" in page or "Retrait" in page
    assert "Included in the GIE hub parcel." in page or "GIE" in page
    plan = response.context["shipping_method"].plan
    assert [quote.charge for __, quote in plan.groups].count(Decimal("0.00")) == 2
    assert plan.total == Decimal("70.00")  # 35 saffron + 35 hub parcel + 0 pickup
    assert response.context["order_total"].incl_tax == response.context["basket"].total_incl_tax + plan.total


def test_a_producer_that_does_not_ship_to_the_address_blocks_checkout_naming_the_product(client, demo):
    # given the argan cooperative only ships within Morocco
    producer = Partner.objects.get(slug="tifawin-argan-tiznit")
    SelfShipRate.objects.create(partner=producer, zone="MA", max_weight_kg=Decimal("5"), charge=Decimal("30"))
    argan = product_of("tifawin-argan-tiznit")
    add_to_basket(client, argan)
    add_to_basket(client, product_of("souktana-safran-taliouine"))

    # when the customer gives an address in France
    client.post(reverse("checkout:index"), {"username": "nadia@example.com", "options": "anonymous"})
    client.post(reverse("checkout:shipping-address"), FRANCE)
    response = client.get(reverse("checkout:shipping-method"), follow=True)

    # then checkout goes back to the address with a message naming the product
    assert response.redirect_chain[-1][0] == reverse("checkout:shipping-address")
    page = response.content.decode()
    assert argan.title.replace("'", "&#x27;") in page
    assert client.get(reverse("checkout:preview")).status_code == 302
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    assert not Order.objects.exists()


def test_posting_the_same_checkout_twice_creates_one_order(client, demo):
    add_to_basket(client, product_of("souktana-safran-taliouine"))
    _to_preview(client)

    first = client.post(reverse("checkout:preview"), {"action": "place_order"})
    second = client.post(reverse("checkout:preview"), {"action": "place_order"})

    assert first.status_code == 302 and first["Location"] == reverse("checkout:thank-you")
    assert second.status_code == 302
    assert Order.objects.count() == 1


def test_thank_you_and_order_pages_show_each_producer_state_and_tracking(client, demo):
    client.login(username="customer@example.com", password="terroir-demo")
    Partner.objects.filter(slug="rose-du-dades").update(fulfilment_module="pickup")
    add_to_basket(client, product_of("souktana-safran-taliouine"))
    add_to_basket(client, product_of("rose-du-dades"))
    guest_checkout_until_preview(client, guest=False)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    thank_you = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    order = Order.objects.get()
    pickup = order.fulfilments.get(partner__slug="rose-du-dades")
    assert thank_you.content.decode().count('class="mb-0 fulfilment-state" data-status="pending"') == 2
    assert pickup.pickup_code in thank_you.content.decode()

    saffron = order.fulfilments.get(partner__slug="souktana-safran-taliouine")
    producer_fulfilment_accept(fulfilment=saffron)
    producer_fulfilment_pack(fulfilment=saffron)
    producer_fulfilment_ship(fulfilment=saffron, carrier="Amana", tracking_number="AM777MA")

    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert 'data-status="shipped"' in page and 'data-status="pending"' in page
    assert "AM777MA" in page
    # the order's own status reads in French, not as Oscar's English pipeline name
    order.refresh_from_db()
    assert order.status == "Partly shipped"
    assert '<p class="order-status" data-status="Partly shipped">Partiellement expédiée</p>' in page


def test_a_guest_follows_each_producers_parcel_from_the_order_status_link(client, demo):
    add_to_basket(client, product_of("souktana-safran-taliouine"))
    add_to_basket(client, product_of("nakhil-aoufous"))
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get()
    saffron = order.fulfilments.get(partner__slug="souktana-safran-taliouine")
    producer_fulfilment_accept(fulfilment=saffron)
    producer_fulfilment_pack(fulfilment=saffron)
    producer_fulfilment_ship(fulfilment=saffron, carrier="Amana", tracking_number="AM888MA")
    client.logout()

    # the e-mailed status link asks the guest for the order's e-mail address first
    kwargs = {"order_number": order.number, "hash": order.verification_hash()}
    form_url = reverse("customer:anon-order-form", kwargs=kwargs)
    response = client.post(form_url, {"email": "nadia@example.com"}, follow=True)

    assert response.status_code == 200, response.status_code
    page = response.content.decode()
    assert page.count('class="card card-body producer-group') == 2
    assert 'data-status="shipped"' in page and "AM888MA" in page
    assert "Partiellement expédiée" in page


def test_a_submission_that_reaches_placement_after_the_order_exists_lands_on_its_thank_you_page(client, demo):
    # given an order placed, and its basket still open (a retried request racing the first one)
    Basket = get_model("basket", "Basket")
    add_to_basket(client, product_of("souktana-safran-taliouine"))
    _to_preview(client)
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get()
    Basket.objects.filter(pk=order.basket_id).update(status="Open")

    # when the same checkout is submitted again
    _to_preview(client)
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)

    # then no second order exists and the customer sees the first one
    assert response.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
    assert str(order.number) in response.content.decode()
