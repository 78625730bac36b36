"""The product page tells what of its price reaches the producer: the formula a purchase order promises
and a statement pays (price − commission − payment fee, each to the centime)."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from oscar.core.loading import get_model

from cooperatives.selectors import commission_rates_for
from core.money import producer_unit_share
from core.payments import PaymentMethod
from tests.fulfilment.helpers import product_of

StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def _shares(page: str) -> dict[str, str]:
    return dict(re.findall(r'class="producer-share" data-method="(\w+)">\s*(.*?)\s*</p>', page, re.S))


@pytest.fixture
def card_payments(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_0123456789"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_0123456789"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_0123456789"


def test_the_product_page_shows_what_reaches_the_cooperative_cash_on_delivery(client, demo):
    # given Nakhil's Boufeggous dates at 80.00 MAD, Nakhil paying its GIE's 8 % commission
    dates = product_of("nakhil-aoufous", 3)
    assert dates.stockrecords.get().price == Decimal("80.00")

    page = client.get(dates.get_absolute_url()).content.decode()

    # then 80.00 − 6.40 commission − 0.80 cash-on-delivery fee = 72.80 MAD (card payments are off)
    shares = _shares(page)
    assert list(shares) == ["cod"]
    assert re.fullmatch(
        r"Sur ce prix, 72,80\sMAD reviennent à la coopérative \(paiement à la livraison\)\.", shares["cod"]
    )


def test_with_card_payments_the_page_also_shows_the_share_of_a_card_payment(client, demo, card_payments):
    record = StockRecord.objects.select_related("partner").get(
        product=product_of("souktana-safran-taliouine")
    )
    rate = commission_rates_for(partner_ids=[record.partner_id])[record.partner_id]

    shares = _shares(client.get(record.product.get_absolute_url()).content.decode())

    assert list(shares) == ["cod", "card"]
    for key, method in (("cod", PaymentMethod.CASH_ON_DELIVERY), ("card", PaymentMethod.CARD)):
        expected = producer_unit_share(
            unit_price_mad=record.price, commission_rate=rate, fee_rate=method.fee_rate
        )
        amount = f"{expected.share:.2f}".replace(".", ",")
        assert re.search(rf"Sur ce prix, {amount}\sMAD reviennent", shares[key]), (shares[key], expected)
    assert "carte bancaire" in shares["card"]


def test_a_producer_that_is_not_a_cooperative_is_called_the_producer(client, demo):
    dates = product_of("nakhil-aoufous", 3)
    producer = dates.stockrecords.get().partner
    producer.kind = producer.Kind.AUTO_ENTREPRENEUR
    producer.save(update_fields=["kind"])

    shares = _shares(client.get(dates.get_absolute_url()).content.decode())

    assert re.match(r"Sur ce prix, 72,80\sMAD reviennent au producteur ", shares["cod"])


def test_the_share_is_told_in_arabic(client, demo):
    dates = product_of("nakhil-aoufous", 3)
    with translation.override("ar"):
        url = dates.get_absolute_url()

    shares = _shares(client.get(url).content.decode())

    assert url.startswith("/ar/")
    assert "من هذا الثمن" in shares["cod"] and "التعاونية" in shares["cod"] and "72.80" in shares["cod"]


def test_the_share_costs_the_product_page_one_query_whatever_the_payment_methods(
    demo, request, django_assert_num_queries
):
    dates = product_of("nakhil-aoufous", 3)
    url = dates.get_absolute_url()
    client = Client()
    client.get(url)  # warm the per-process caches (site, content types); the view counter row exists
    client.cookies.clear()
    with django_assert_num_queries(PRODUCT_PAGE_QUERIES) as cash_only:
        client.get(url)

    request.getfixturevalue("card_payments")
    client.cookies.clear()
    with django_assert_num_queries(len(cash_only.captured_queries)):
        page = client.get(url).content.decode()
    assert list(_shares(page)) == ["cod", "card"]


# The page's queries, one of them the producer's commission rate for the share line.
PRODUCT_PAGE_QUERIES = 11
