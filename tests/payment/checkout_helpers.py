"""Card checkout through the real views, and webhook deliveries signed like Stripe's."""

from django.urls import reverse
from oscar.core.loading import get_model

from tests.journey import ADDRESS, add_to_basket, guest_checkout_until_preview
from tests.payment.conftest import WEBHOOK_SECRET
from tests.stripe_double import event_payload, signature_header

Product = get_model("catalogue", "Product")

FRANCE = {**ADDRESS, "country": "FR", "line4": "Lyon", "postcode": "69003", "phone_number": "+33612345678"}


def product_of(slug):
    return Product.objects.filter(stockrecords__partner__slug=slug).order_by("pk").first()


def card_checkout_until_payment_page(client, items, *, address=None, email="nadia@example.com"):
    """Fills a basket, walks checkout, chooses the card, submits the preview; returns the card page."""
    for product, quantity in items:
        add_to_basket(client, product, quantity)
    guest_checkout_until_preview(client, address=address, email=email)
    response = client.post(reverse("checkout:payment-method"), {"method": "card"})
    assert response.status_code == 302, response.content[:300]
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response["Location"] == reverse("checkout:card-payment"), response
    return client.get(reverse("checkout:card-payment"))


def pay(client, payment_method):
    return client.post(reverse("checkout:card-payment"), {"payment_method": payment_method})


def webhook_post(client, *, event_type, obj, event_id=None):
    payload = event_payload(event_type=event_type, obj=obj, event_id=event_id)
    header = signature_header(payload=payload, secret=WEBHOOK_SECRET)
    return client.post(
        "/payments/stripe/webhook/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
