"""E-mails are written by workers whose language is French: each follows the order's language instead."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from fulfilment.tasks import notifications_for_new_order
from shop.order.utils import order_language
from tests.journey import add_to_basket, guest_checkout_until_preview

Order = get_model("order", "Order")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

ARGAN = "tifawin-argan-tiznit"


@pytest.fixture
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []


def _cash_on_delivery_checkout(client, *, language):
    """A guest's order through the real views, on the storefront of `language`."""
    with translation.override(language):  # reverse() gives /ar/... under Arabic, /... under French
        add_to_basket(client, Product.objects.filter(stockrecords__partner__slug=ARGAN).order_by("pk")[0])
        guest_checkout_until_preview(client)
        assert reverse("checkout:preview").startswith("/ar/" if language == "ar" else "/checkout/")
        client.post(reverse("checkout:payment-method"), {"method": "cod"})
        response = client.post(reverse("checkout:preview"), {"action": "place_order"})
        assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    return Order.objects.get()


def _worker_sends_new_order_mails(order, *, worker_language):
    """The Celery task, run in a language that is not the order's (as a worker in French would)."""
    mail.outbox = []
    with translation.override(worker_language):
        notifications_for_new_order.apply(args=[order.pk])
    return {message.to[0]: message for message in mail.outbox}


def test_an_order_placed_on_the_arabic_storefront_is_confirmed_in_arabic(client, demo, locmem_mail):
    order = _cash_on_delivery_checkout(client, language="ar")

    by_recipient = _worker_sends_new_order_mails(order, worker_language="fr")

    assert order.language == "ar"
    customer = by_recipient["nadia@example.com"]
    assert customer.subject == f"طلبك رقم {order.number}"
    assert customer.body.startswith(f"شكرًا على طلبك رقم {order.number}.")
    assert "Merci" not in customer.body


def test_a_producer_reads_an_arabic_customers_order_in_french(client, demo, locmem_mail):
    order = _cash_on_delivery_checkout(client, language="ar")

    by_recipient = _worker_sends_new_order_mails(order, worker_language="ar")

    fulfilment = order.fulfilments.get()
    producer = by_recipient["argan@example.com"]
    assert producer.subject == f"Nouvelle commande {order.number} pour {fulfilment.partner}"
    assert producer.body.startswith(f"Nouvelle commande {order.number} pour {fulfilment.partner}.")


def test_an_order_placed_on_the_french_storefront_is_confirmed_in_french(client, demo, locmem_mail):
    order = _cash_on_delivery_checkout(client, language="fr")

    by_recipient = _worker_sends_new_order_mails(order, worker_language="ar")

    assert order.language == "fr"
    customer = by_recipient["nadia@example.com"]
    assert customer.subject == f"Votre commande {order.number}"
    assert customer.body.startswith(f"Merci pour votre commande {order.number}.")


@pytest.mark.parametrize(
    ("active", "stored"), [("ar", "ar"), ("ar-ma", "ar"), ("en-us", "en"), ("de", "fr"), (None, "fr")]
)
def test_the_order_language_is_one_of_the_storefront_languages(active, stored):
    assert order_language(active) == stored


def test_a_cash_on_delivery_customer_gets_one_confirmation_not_oscars_as_well(
    client, demo, locmem_mail, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        order = _cash_on_delivery_checkout(client, language="ar")

    to_customer = [message for message in mail.outbox if message.to == ["nadia@example.com"]]
    assert [message.subject for message in to_customer] == [f"طلبك رقم {order.number}"]
