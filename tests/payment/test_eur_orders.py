"""An order paid in EUR: consistent prices through checkout, the rate recorded, MAD amounts per producer."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.formats import number_format
from oscar.core.loading import get_model

from core.money import amount_to_mad, order_rate_to_mad
from fulfilment.models import ProducerFulfilment
from shop.currency.models import ExchangeRate
from shop.currency.pricing import mad_to_eur
from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import FRANCE, card_checkout_until_payment_page, pay, product_of

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

SAFFRON, ARGAN = "souktana-safran-taliouine", "tifawin-argan-tiznit"
RATE = Decimal("0.0925")


@pytest.fixture
def eur_rate(db):
    return ExchangeRate.objects.create(
        rate=RATE, effective_on=datetime.date(2026, 1, 1), source="Bank Al-Maghrib"
    )


@pytest.fixture
def eur_order(client, demo, eur_rate, stripe_double, django_capture_on_commit_callbacks):
    # a visitor who never chose a currency, delivering to France: checkout switches the basket to EUR
    with django_capture_on_commit_callbacks(execute=True):
        page = card_checkout_until_payment_page(
            client, [(product_of(SAFFRON), 1), (product_of(ARGAN), 2)], address=FRANCE
        )
        assert page.context["intent"].currency == "EUR"
        assert pay(client, "pm_card_visa")["Location"] == reverse("checkout:thank-you")
    return Order.objects.get()


def _mad_price(product) -> Decimal:
    return StockRecord.objects.get(product=product).price


def test_a_french_delivery_prices_the_checkout_in_eur_consistently(client, demo, eur_rate, stripe_double):
    add_to_basket(client, product_of(ARGAN))
    guest_checkout_until_preview(client, address=FRANCE)
    client.post(reverse("checkout:payment-method"), {"method": "card"})

    preview = client.get(reverse("checkout:preview"))

    basket = preview.context["basket"]
    assert basket.currency == "EUR"
    expected_line = mad_to_eur(amount_mad=_mad_price(product_of(ARGAN)), rate=RATE)
    assert basket.all_lines()[0].unit_price_incl_tax == expected_line
    ((parcel, quote, charge),) = preview.context["shipping_groups"]
    assert charge == mad_to_eur(amount_mad=quote.charge, rate=RATE)
    assert preview.context["order_total"].incl_tax == expected_line + charge
    assert "€" in preview.content.decode()


def test_an_eur_order_is_paid_in_eur_and_records_its_rate(eur_order, eur_rate, stripe_double):
    assert eur_order.currency == "EUR"
    (remote,) = stripe_double.intents.values()
    assert (remote["currency"], remote["amount"]) == ("eur", int(eur_order.total_incl_tax * 100))
    recorded = eur_order.exchange_rate
    assert (recorded.currency, recorded.rate, recorded.exchange_rate_id) == ("EUR", RATE, eur_rate.pk)
    assert order_rate_to_mad(eur_order) == Decimal("10.81081081")
    # every producer's parcel charge is in euros too, and the order pays their sum
    fulfilments = list(ProducerFulfilment.objects.filter(order=eur_order))
    assert {f.currency for f in fulfilments} == {"EUR"}
    assert sum(f.shipping_charge for f in fulfilments) == eur_order.shipping_incl_tax


def test_an_eur_order_converts_to_the_right_mad_amounts_for_each_producer(eur_order):
    for slug, quantity in ((SAFFRON, 1), (ARGAN, 2)):
        fulfilment = ProducerFulfilment.objects.get(order=eur_order, partner__slug=slug)
        line = fulfilment.lines.get().line
        eur_unit = mad_to_eur(amount_mad=_mad_price(line.product), rate=RATE)
        assert line.unit_price_incl_tax == eur_unit and line.quantity == quantity

        mad = amount_to_mad(order=eur_order, amount=line.line_price_incl_tax)

        # reproducible from the order alone, and never less than the producer's own MAD price
        assert mad == (eur_unit * quantity * Decimal("10.81081081")).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert mad >= _mad_price(line.product) * quantity


def test_a_mad_order_converts_at_one(client, demo, stripe_double):
    card_checkout_until_payment_page(client, [(product_of(ARGAN), 1)])
    pay(client, "pm_card_visa")
    order = Order.objects.get()

    assert order.currency == "MAD" and order_rate_to_mad(order) == Decimal("1")
    assert amount_to_mad(order=order, amount=Decimal("12.34")) == Decimal("12.34")


def test_the_confirmation_email_shows_the_eur_amounts(eur_order):
    (customer,) = [m for m in mail.outbox if m.to == ["nadia@example.com"]]
    assert f"{number_format(eur_order.total_incl_tax, 2)} EUR" in customer.body  # localised, like the mail
