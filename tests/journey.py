"""A guest's checkout through the real views, step by step, as a browser would post it."""

from django.urls import reverse
from oscar.core.loading import get_model

Country = get_model("address", "Country")
Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

ADDRESS = {
    "first_name": "Nadia",
    "last_name": "Berrada",
    "line1": "12 rue Tarik Ibn Ziad",
    "line4": "Casablanca",
    "postcode": "20250",
    "country": "MA",
    "phone_number": "+212612345678",
}


def add_to_basket(client, product, quantity=1):
    response = client.post(
        reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}, follow=True
    )
    assert response.status_code == 200
    return response


def guest_checkout_until_preview(client, *, email="nadia@example.com", address=None, guest=True):
    """Walks checkout up to the payment-method page and returns that page."""
    if guest:
        response = client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})
        assert response.status_code == 302, response.content[:500]
    response = client.post(reverse("checkout:shipping-address"), address or ADDRESS)
    assert response.status_code == 302, response.context and response.context["form"].errors
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 302
    return client.get(reverse("checkout:payment-method"))


def cod_order_through_checkout(client, items, *, currency=None, address=None, email="nadia@example.com"):
    """A guest's cash-on-delivery order placed through the checkout views, as a browser would; with
    `currency`, the visitor first chooses it on the storefront (EUR needs a current exchange rate).
    Returns the placed order."""
    if currency:
        client.post(reverse("currency-choose"), {"currency": currency, "next": "/"})
    for product, quantity in items:
        add_to_basket(client, product, quantity)
    guest_checkout_until_preview(client, email=email, address=address)
    response = client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert response.status_code == 302, response.content[:300]
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you"), response
    return Order.objects.get(pk=client.session["checkout_order_id"])


def cash_on_delivery_place(client):
    """From the payment-method page: chooses cash on delivery, places the order, returns it."""
    response = client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content[:500]
    return Order.objects.order_by("-pk").first()


def euro_card_order_through_checkout(client, items, *, email="nadia@example.com"):
    """A buyer in France who chooses euros and pays by card (cash on delivery is only in dirhams, in
    Morocco); needs the `stripe_double` fixture and a current exchange rate. Returns the placed order."""
    from tests.payment.checkout_helpers import FRANCE, card_checkout_until_payment_page, pay

    client.post(reverse("currency-choose"), {"currency": "EUR", "next": "/"})
    card_checkout_until_payment_page(client, items, address=FRANCE, email=email)
    response = pay(client, "pm_card_visa")
    assert response["Location"] == reverse("checkout:thank-you"), response
    return Order.objects.get(pk=client.session["checkout_order_id"])
