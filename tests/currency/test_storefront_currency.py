"""Choosing EUR: product, list and basket show euros; MAD stays the default."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.currency.models import ExchangeRate
from shop.currency.selectors import currency_for_delivery_country, exchange_rate_current
from shop.currency.services import currency_apply_delivery_country, rate_used
from tests.journey import add_to_basket

Product = get_model("catalogue", "Product")
Basket = get_model("basket", "Basket")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def _choose(client, code, next_url="/"):
    return client.post(reverse("currency-choose"), {"currency": code, "next": next_url})


def test_mad_is_the_default_currency(client, demo, eur_rate):
    page = client.get(Product.objects.get(upc="TAL-001").get_absolute_url()).content.decode()
    assert re.search(r">75,00\sMAD<", page) and not re.search(r"\d\s€", page)


def test_after_choosing_eur_the_product_page_shows_the_rounded_euro_price(
    client, demo, eur_rate, django_assert_max_num_queries
):
    product = Product.objects.get(upc="TAL-001")

    response = _choose(client, "EUR", next_url=product.get_absolute_url())

    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    with django_assert_max_num_queries(30):  # 28 for the MAD page, +1 for the rate
        page = client.get(product.get_absolute_url()).content.decode()
    assert re.search(r">7,50\s€<", page)
    assert "75,00" not in page


def test_the_category_list_shows_eur_prices(client, demo, eur_rate):
    _choose(client, "EUR")
    saffron = Product.objects.get(upc="TAL-001")

    response = client.get(Category.objects.get(slug="safran").get_absolute_url())

    page = response.content.decode()
    assert saffron in response.context["products"]
    assert re.search(r">7,50\s€<", page) and "75,00" not in page


def test_the_basket_is_repriced_into_one_currency_when_the_visitor_switches(client, demo, eur_rate):
    # given a basket filled in MAD
    add_to_basket(client, Product.objects.get(upc="TAL-001"), 2)
    add_to_basket(client, Product.objects.get(upc="TAL-002"))

    # when the visitor chooses EUR, then adds one more product
    _choose(client, "EUR", next_url=reverse("basket:summary"))
    add_to_basket(client, Product.objects.get(upc="TAL-004"))

    # then every line and the total are in EUR: 2 × 7.50 + 13.50 + 62.90
    basket = Basket.objects.get()
    assert set(basket.lines.values_list("price_currency", flat=True)) == {"EUR"}
    page = client.get(reverse("basket:summary")).content.decode()
    assert re.search(r"91,40\s€", page) and not re.search(r"\d\sMAD", page)


def test_switching_back_to_mad_restores_the_producers_prices(client, demo, eur_rate):
    add_to_basket(client, Product.objects.get(upc="TAL-001"))
    _choose(client, "EUR")
    _choose(client, "MAD")

    line = Basket.objects.get().lines.get()
    assert (line.price_currency, line.price_excl_tax) == ("MAD", Decimal("75.00"))


def test_eur_cannot_be_chosen_before_staff_enter_a_rate(client, demo):
    response = _choose(client, "EUR", next_url="/catalogue/")
    assert response.status_code == 302
    page = client.get(Product.objects.get(upc="TAL-001").get_absolute_url()).content.decode()
    assert re.search(r">75,00\sMAD<", page) and not re.search(r"\d\s€", page)


def test_an_unknown_currency_or_a_get_is_refused(client, demo, eur_rate):
    assert client.get(reverse("currency-choose")).status_code == 405
    _choose(client, "USD")
    assert "75,00" in client.get(Product.objects.get(upc="TAL-001").get_absolute_url()).content.decode()


def test_the_redirect_stays_on_this_site(client, demo, eur_rate):
    assert _choose(client, "EUR", next_url="https://evil.example/")["Location"] == "/"


def test_the_current_rate_is_the_latest_that_has_started(eur_rate):
    ExchangeRate.objects.create(rate=Decimal("0.1"), effective_on=datetime.date(2999, 1, 1), source="future")
    assert exchange_rate_current() == eur_rate
    assert exchange_rate_current(on=datetime.date(2021, 6, 1)).rate == Decimal("0.0900")


def test_european_delivery_defaults_to_eur_unless_the_visitor_chose(client, demo, eur_rate):
    assert currency_for_delivery_country(country_code="fr") == "EUR"
    assert currency_for_delivery_country(country_code="MA") == "MAD"
    session = {}

    strategy = currency_apply_delivery_country(session=session, basket=None, country_code="FR")

    assert session["terroir_currency"] == "EUR"
    assert rate_used(strategy=strategy).rate_id == eur_rate.pk
    assert rate_used(strategy=strategy).rate == Decimal("0.0925")
    chosen = {"terroir_currency": "MAD", "terroir_currency_chosen": True}
    assert currency_apply_delivery_country(session=chosen, basket=None, country_code="FR") is None
    assert chosen["terroir_currency"] == "MAD"


def test_every_page_offers_the_currency_chooser_with_the_current_choice(client, demo, eur_rate):
    assert 'id="currency_selector"' in client.get("/").content.decode()
    _choose(client, "EUR")
    assert '<option value="EUR" selected>' in client.get("/catalogue/").content.decode()


def test_platform_staff_enter_a_rate_in_the_admin_and_it_prices_the_shop_at_once(client, demo):
    # given
    staff = get_model("auth", "User").objects.get(email="admin@example.com")
    client.force_login(staff)

    # when
    response = client.post(
        "/admin/currency/exchangerate/add/",
        {
            "base_currency": "MAD",
            "quote_currency": "EUR",
            "rate": "0.0925",
            "effective_on": "2026-01-01",
            "source": "Bank Al-Maghrib",
        },
    )

    # then
    assert response.status_code == 302
    rate = exchange_rate_current()
    assert (rate.rate, rate.source, rate.created_by) == (Decimal("0.0925"), "Bank Al-Maghrib", staff)
    _choose(client, "EUR")
    assert re.search(
        r">7,50\s€<", client.get(Product.objects.get(upc="TAL-001").get_absolute_url()).content.decode()
    )


def test_a_zero_or_negative_rate_is_refused_in_the_admin(client, demo):
    client.force_login(get_model("auth", "User").objects.get(email="admin@example.com"))
    data = {
        "base_currency": "MAD",
        "quote_currency": "EUR",
        "rate": "0",
        "effective_on": "2026-01-01",
        "source": "x",
    }

    response = client.post("/admin/currency/exchangerate/add/", data)

    assert response.status_code == 200 and not ExchangeRate.objects.exists()
