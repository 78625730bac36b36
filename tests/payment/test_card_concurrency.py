"""The customer's browser and Stripe's webhook placing the same paid card order at the same moment."""

import pytest
from oscar.core.loading import get_class, get_model

from shop.checkout.card import address_fields, card_checkout_order_place
from shop.payment.models import CardCheckout, StripePaymentIntent
from tests.concurrency import in_own_connection
from tests.fulfilment.helpers import basket_with
from tests.fulfilment.test_concurrency import (  # noqa: F401  (the fixture is used by name)
    _run_concurrently,
    committed_scarce_products,
)

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _paid_card_checkout(product) -> CardCheckout:
    basket = basket_with([(product, 2)])
    basket.freeze()
    address = ShippingAddress(
        first_name="Nadia", last_name="Berrada", line1="12 rue Tarik", line4="Rabat", country_id="MA"
    )
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    total = OrderTotalCalculator().calculate(basket, method.calculate(basket))
    number = str(100000 + basket.pk)
    StripePaymentIntent.objects.create(
        intent_id=f"pi_race_{basket.pk}",
        order_number=number,
        amount=total.incl_tax,
        currency="MAD",
        status="succeeded",
    )
    return CardCheckout.objects.create(
        intent_id=f"pi_race_{basket.pk}",
        order_number=number,
        basket_id=basket.pk,
        guest_email="nadia@example.com",
        shipping_address=address_fields(address),
        shipping_method_code=method.code,
        currency="MAD",
        total=total.incl_tax,
    )


def _card_rows_delete(checkout):
    CardCheckout.objects.filter(pk=checkout.pk).delete()
    StripePaymentIntent.objects.filter(intent_id=checkout.intent_id).delete()


def test_browser_and_webhook_placing_at_once_make_one_order(committed_scarce_products):  # noqa: F811
    checkout = in_own_connection(lambda: _paid_card_checkout(committed_scarce_products[0]))
    try:

        def place(index, barrier):
            own = CardCheckout.objects.get(pk=checkout.pk)
            barrier.wait()
            return card_checkout_order_place(checkout=own).number

        results = _run_concurrently(place, 2)

        assert results == [checkout.order_number, checkout.order_number], results
        assert Order.objects.filter(number=checkout.order_number).count() == 1
        assert CardCheckout.objects.get(pk=checkout.pk).order_id is not None
    finally:
        in_own_connection(lambda: _card_rows_delete(checkout))
