"""Paying by card at checkout, against the local Stripe double, through the real views."""

import copy
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from shop.checkout.card import card_checkout_order_place
from shop.payment.models import CardCheckout, StripePaymentIntent
from shop.payment.services import stripe_payment_intent_sync
from tests.payment.checkout_helpers import card_checkout_until_payment_page, pay, product_of, webhook_post

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
Source = get_model("payment", "Source")

pytestmark = pytest.mark.django_db

SAFFRON, ARGAN = "souktana-safran-taliouine", "tifawin-argan-tiznit"
# Placing a 3-producer order from its card checkout: re-pricing, stock, fulfilments, payment records.
QUERY_BUDGET = 66  # measured: 66 on SQLite and PostgreSQL; per line only Oscar's own line writes


def _items():
    return [(product_of(SAFFRON), 1), (product_of(ARGAN), 2)]


def test_without_stripe_keys_the_card_is_not_offered(client, demo, stripe_keys_absent):
    from tests.journey import add_to_basket, guest_checkout_until_preview

    add_to_basket(client, product_of(ARGAN))
    response = guest_checkout_until_preview(client)

    assert [m.key for m in response.context["methods"]] == ["cod"]


def test_a_card_payment_that_succeeds_places_one_order_paid_by_card(client, demo, stripe_double):
    # given a guest at the card page, with the card offered next to cash on delivery
    page = card_checkout_until_payment_page(client, _items())
    assert page.status_code == 200
    assert "https://js.stripe.com/v3/" in page.content.decode()  # the Payment Element's script
    checkout = CardCheckout.objects.get()
    remote = stripe_double.intents[checkout.intent_id]

    # when the card is confirmed
    response = pay(client, "pm_card_visa")

    # then the order exists once, for exactly what Stripe charged, and the thank-you page shows it
    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.number == checkout.order_number == remote["metadata"]["order_number"]
    assert remote["amount"] == int(order.total_incl_tax * 100) and remote["currency"] == "mad"
    source = Source.objects.get(order=order)
    assert (source.source_type.code, source.reference) == ("stripe-card", checkout.intent_id)
    assert source.amount_debited == order.total_incl_tax
    assert order.guest_email == "nadia@example.com"
    assert client.get(response["Location"]).status_code == 200


def test_a_declined_card_leaves_no_order_and_the_basket_intact_then_another_card_pays(
    client, demo, stripe_double
):
    card_checkout_until_payment_page(client, _items())
    basket_id = CardCheckout.objects.get().basket_id

    response = pay(client, "pm_card_chargeDeclined")

    assert response.status_code == 302 and response["Location"] == reverse("checkout:preview")
    assert not Order.objects.exists()
    basket = Basket.objects.get(pk=basket_id)
    assert basket.status == "Open" and basket.num_items == 3
    intent = StripePaymentIntent.objects.get()
    assert (intent.status, intent.last_error_code) == ("requires_payment_method", "generic_decline")
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert any(m.level_tag == "error" for m in page.context["messages"])

    # the customer tries again: same order number and total, so the same PaymentIntent
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    response = pay(client, "pm_card_visa")

    assert response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1 and len(stripe_double.intents) == 1


def test_a_card_needing_3d_secure_shows_the_bank_step_then_places_the_order(client, demo, stripe_double):
    card_checkout_until_payment_page(client, _items())

    response = pay(client, "pm_card_authenticationRequired")

    # the bank's step is shown (Stripe.js runs it with the client secret), nothing is placed yet
    assert response.status_code == 200
    assert 'id="card-requires-action"' in response.content.decode()
    assert response.context["client_secret"].startswith(CardCheckout.objects.get().intent_id)
    assert not Order.objects.exists()

    # when the customer completes 3-D Secure and Stripe.js reloads the page
    stripe_double.authenticate(CardCheckout.objects.get().intent_id)
    response = client.get(reverse("checkout:card-payment"))

    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1


def test_a_payment_finished_after_the_page_was_closed_places_one_order_whatever_the_webhooks_do(
    client, demo, stripe_double, django_capture_on_commit_callbacks
):
    # given a customer who starts 3-D Secure, then closes the page
    card_checkout_until_payment_page(client, _items())
    pay(client, "pm_card_authenticationRequired")
    checkout = CardCheckout.objects.get()
    failed_snapshot = copy.deepcopy(stripe_double.intents[checkout.intent_id])
    succeeded = stripe_double.authenticate(checkout.intent_id)

    # when Stripe delivers payment_intent.succeeded five times, and an older failure arrives late
    with django_capture_on_commit_callbacks(execute=True):
        for __ in range(5):
            assert (
                webhook_post(
                    client, event_type="payment_intent.succeeded", obj=succeeded, event_id="evt_paid_1"
                ).status_code
                == 200
            )
        webhook_post(client, event_type="payment_intent.payment_failed", obj=failed_snapshot)
        webhook_post(client, event_type="payment_intent.succeeded", obj=succeeded)  # a distinct id

    # then exactly one order exists, paid, and the customer coming back lands on it
    order = Order.objects.get()
    assert order.number == checkout.order_number
    assert StripePaymentIntent.objects.get().status == "succeeded"
    response = client.get(reverse("checkout:card-payment"))
    assert response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
    assert Source.objects.get().amount_debited == order.total_incl_tax


def test_the_browser_and_the_webhook_racing_still_make_one_order(
    client, demo, stripe_double, django_capture_on_commit_callbacks
):
    card_checkout_until_payment_page(client, _items())
    checkout = CardCheckout.objects.get()

    # the webhook is processed before the browser's confirmation returns to us
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(client, "pm_card_visa")
        webhook_post(
            client, event_type="payment_intent.succeeded", obj=stripe_double.intents[checkout.intent_id]
        )

    assert response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1


def test_a_paid_basket_that_can_no_longer_be_ordered_is_refunded_in_full(
    client, demo, stripe_double, django_capture_on_commit_callbacks
):
    # given a payment in progress, and the stock sold out meanwhile
    card_checkout_until_payment_page(client, [(product_of(SAFFRON), 1)])
    checkout = CardCheckout.objects.get()
    Lot = get_model("partner", "Lot")
    Lot.objects.filter(stockrecord__product=product_of(SAFFRON)).update(quantity=0)

    response = pay(client, "pm_card_visa")

    # then no order, the money goes back at once, and the customer is told
    assert response["Location"] == reverse("checkout:preview")
    assert not Order.objects.exists()
    (refund,) = stripe_double.refunds.values()
    assert refund["payment_intent"] == checkout.intent_id and refund["amount"] == int(checkout.total * 100)
    assert CardCheckout.objects.get().refunded_unplaced
    assert Decimal(refund["amount"]) > 0


def test_placing_a_paid_card_order_for_three_producers_stays_within_its_query_budget(
    client, demo, stripe_double, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    # given a payment Stripe reports as succeeded (3-D Secure finished elsewhere), not yet placed
    items = _items() + [(product_of("nakhil-aoufous"), 1)]
    card_checkout_until_payment_page(client, items)
    pay(client, "pm_card_authenticationRequired")
    checkout = CardCheckout.objects.get()
    stripe_double.authenticate(checkout.intent_id)
    with django_capture_on_commit_callbacks(execute=False):
        stripe_payment_intent_sync(intent=StripePaymentIntent.objects.get())

    # when the order is placed from the frozen basket, then the query count is pinned (no N+1)
    with django_assert_max_num_queries(QUERY_BUDGET):
        order = card_checkout_order_place(checkout=checkout)

    assert order.fulfilments.count() == 3


def test_an_order_the_webhook_places_keeps_the_language_of_the_customers_checkout(
    client, demo, stripe_double, django_capture_on_commit_callbacks
):
    # given a customer who paid on the Arabic storefront, then closed the page during 3-D Secure
    with translation.override("ar"):
        card_checkout_until_payment_page(client, _items())
        pay(client, "pm_card_authenticationRequired")
    checkout = CardCheckout.objects.get()
    succeeded = stripe_double.authenticate(checkout.intent_id)

    # when Stripe's webhook (no language prefix: the platform's French) places the order
    with django_capture_on_commit_callbacks(execute=True):
        webhook_post(client, event_type="payment_intent.succeeded", obj=succeeded)

    # then the order is in the customer's language, not the webhook request's
    assert checkout.language == "ar"
    assert Order.objects.get().language == "ar"
