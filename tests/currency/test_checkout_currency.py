"""A European buyer learns what it can pay with before the address; EUR only with a rate; cash on
delivery is always priced, recorded and collected in MAD."""

import re

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.currency.models import OrderExchangeRate
from tests.journey import ADDRESS, add_to_basket, cash_on_delivery_place, guest_checkout_until_preview

Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db
EUROPE_CARD_ONLY = "Livraison en Europe : paiement par carte uniquement."
COD_IN_MAD = "Le paiement à la livraison se fait en dirhams : votre panier est désormais en MAD."


@pytest.fixture
def cards_enabled(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_x"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_x"


def _choose(client, code, next_url="/"):
    return client.post(reverse("currency-choose"), {"currency": code, "next": next_url})


def _saffron():
    return Product.objects.get(upc="TAL-001")


def test_the_basket_and_the_first_checkout_steps_say_what_each_destination_can_pay_with(
    client, demo, cards_enabled
):
    # given a basket
    add_to_basket(client, _saffron())

    # then the basket, the "who are you" step and the address step each say it, before any address
    pages = [
        client.get(reverse("basket:summary")),
        client.get(reverse("checkout:index")),
    ]
    client.post(reverse("checkout:index"), {"username": "hans@example.com", "options": "anonymous"})
    pages.append(client.get(reverse("checkout:shipping-address")))
    for response in pages:
        page = response.content.decode()
        assert response.status_code == 200
        assert EUROPE_CARD_ONLY in page
        assert "Paiement à la livraison, en dirhams : Maroc uniquement." in page


def test_without_card_payments_the_basket_says_europe_cannot_be_served_yet(client, demo, settings):
    settings.STRIPE_SECRET_KEY = ""
    add_to_basket(client, _saffron())

    page = client.get(reverse("basket:summary")).content.decode()

    assert "Livraison en Europe : pas encore possible" in page and EUROPE_CARD_ONLY not in page


def test_the_notice_speaks_arabic_to_an_arabic_reader(client, demo, cards_enabled):
    add_to_basket(client, _saffron())

    page = client.get("/ar" + reverse("basket:summary")).content.decode()

    assert "التسليم في أوروبا: الدفع بالبطاقة فقط." in page and "المغرب" in page


def test_eur_is_offered_by_the_chooser_only_once_a_rate_exists(client, demo, django_user_model):
    # given no exchange rate: the chooser offers nothing to choose, and choosing EUR anyway is refused
    assert 'value="EUR"' not in client.get("/catalogue/").content.decode()
    response = _choose(client, "EUR", next_url="/catalogue/")
    page = client.get(response["Location"]).content.decode()
    assert "aucun taux de change" in page.lower() or "no exchange rate" in page.lower()
    assert re.search(r"75,00\sMAD", client.get(_saffron().get_absolute_url()).content.decode())

    # when staff enter a rate in the admin
    admin = django_user_model.objects.get(email="admin@example.com")
    staff = type(client)()
    staff.force_login(admin)
    staff.post(
        "/admin/currency/exchangerate/add/",
        {
            "base_currency": "MAD",
            "quote_currency": "EUR",
            "rate": "0.0925",
            "effective_on": "2026-01-01",
            "source": "Bank Al-Maghrib",
        },
    )

    # then EUR is offered at once
    assert '<option value="EUR"' in client.get("/catalogue/").content.decode()


def test_cash_on_delivery_chosen_while_browsing_in_eur_is_priced_and_recorded_in_mad(client, demo, eur_rate):
    # given a visitor who browses in EUR and fills a basket in EUR
    _choose(client, "EUR")
    add_to_basket(client, _saffron(), 2)
    assert set(Basket.objects.get().lines.values_list("price_currency", flat=True)) == {"EUR"}

    # when it delivers to Morocco and chooses cash on delivery
    guest_checkout_until_preview(client, address=ADDRESS)
    response = client.post(reverse("checkout:payment-method"), {"method": "cod"}, follow=True)

    # then the basket is repriced in MAD, with a visible notice, before the order is placed
    page = response.content.decode()
    assert COD_IN_MAD in page
    assert re.search(r"150,00\sMAD", page) and not re.search(r"\d\s€", page)
    assert set(Basket.objects.get().lines.values_list("price_currency", flat=True)) == {"MAD"}
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302
    order = get_model("order", "Order").objects.get()
    source = order.sources.get()
    assert (order.currency, source.currency) == ("MAD", "MAD")
    assert source.amount_allocated == order.total_incl_tax
    assert {f.currency for f in order.fulfilments.all()} == {"MAD"}
    assert not OrderExchangeRate.objects.filter(order=order).exists()


def test_switching_back_to_eur_after_choosing_cash_on_delivery_is_undone_before_placing(
    client, demo, eur_rate
):
    # given cash on delivery chosen (the basket went to MAD)
    add_to_basket(client, _saffron())
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})

    # when the visitor picks EUR in the chooser and submits the order
    _choose(client, "EUR", next_url=reverse("checkout:preview"))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})

    # then the order is not placed in EUR: the summary comes back in MAD with the notice
    assert response.status_code == 302 and response["Location"] == reverse("checkout:preview")
    assert not get_model("order", "Order").objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert COD_IN_MAD in page and re.search(r"75,00\sMAD", page)
    order = cash_on_delivery_place(client)
    assert order.currency == "MAD"
