"""Card checkouts left unpaid expire (beat job): the intent is cancelled at Stripe, the basket given back."""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from shop.checkout.tasks import card_checkouts_expire
from shop.payment.models import CardCheckout, StripePaymentIntent
from tests.payment.checkout_helpers import card_checkout_until_payment_page, pay, product_of

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


def _items():
    return [(product_of("souktana-safran-taliouine"), 1)]


def test_an_unpaid_card_checkout_expires_and_the_customer_gets_the_basket_back(
    client, demo, stripe_double, settings
):
    # given a customer who left the payment page open without paying
    card_checkout_until_payment_page(client, _items())
    checkout = CardCheckout.objects.get()
    assert card_checkouts_expire.apply().result == 0  # not yet: the limit is an hour

    # when the limit has passed
    settings.TERROIR_CARD_CHECKOUT_EXPIRY_MINUTES = 0
    expired = card_checkouts_expire.apply().result

    # then the intent can no longer be paid, the basket is open again, and the customer is told
    checkout.refresh_from_db()
    assert expired == 1 and checkout.expired_at is not None
    assert stripe_double.intents[checkout.intent_id]["status"] == "canceled"
    assert StripePaymentIntent.objects.get().status == "canceled"
    assert Basket.objects.get(pk=checkout.basket_id).status == Basket.OPEN
    response = client.get(reverse("checkout:card-payment"), follow=True)
    assert response.redirect_chain[0][0] == reverse("checkout:preview")
    assert card_checkouts_expire.apply().result == 0  # once


def test_after_an_expiry_the_customer_pays_with_a_new_intent(client, demo, stripe_double, settings):
    # given an expired checkout
    card_checkout_until_payment_page(client, _items())
    settings.TERROIR_CARD_CHECKOUT_EXPIRY_MINUTES = 0
    card_checkouts_expire.apply()

    # when the customer reloads the payment page, confirms the order again and pays
    client.get(reverse("checkout:card-payment"))
    again = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert again["Location"] == reverse("checkout:card-payment")
    response = pay(client, "pm_card_visa")

    # then one order, paid by the new intent
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    paid = StripePaymentIntent.objects.get(status="succeeded")
    assert paid.order_number == order.number and StripePaymentIntent.objects.count() == 2


def test_a_checkout_paid_at_stripe_whose_news_never_arrived_gets_its_order_instead(
    client, demo, stripe_double, settings, django_capture_on_commit_callbacks
):
    # given a customer who finished 3-D Secure, then closed the page, and no webhook came
    card_checkout_until_payment_page(client, _items())
    pay(client, "pm_card_authenticationRequired")
    checkout = CardCheckout.objects.get()
    stripe_double.authenticate(checkout.intent_id)

    # when the expiry job runs
    settings.TERROIR_CARD_CHECKOUT_EXPIRY_MINUTES = 0
    with django_capture_on_commit_callbacks(execute=True):
        expired = card_checkouts_expire.apply().result

    # then it asked Stripe, and placed the paid order rather than cancelling
    checkout.refresh_from_db()
    assert expired == 0 and checkout.expired_at is None
    assert Order.objects.get().number == checkout.order_number
