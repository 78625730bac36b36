"""Producers are reminded once of a fulfilment they left pending for more than 48 hours (beat job)."""

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from fulfilment.models import ProducerFulfilment
from fulfilment.services import producer_fulfilment_accept
from fulfilment.tasks import fulfilments_pending_remind
from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import product_of

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def _order(client, *slugs):
    for slug in slugs:
        add_to_basket(client, product_of(slug))
    guest_checkout_until_preview(client)
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    return Order.objects.get()


def _reminders():
    return [m for m in mail.outbox if "still waiting" in m.subject or "attend toujours" in m.subject]


def test_a_pending_fulfilment_is_reminded_once_an_accepted_one_never(client, demo, settings):
    # given an order of two producers, one of which accepted its part
    order = _order(client, "souktana-safran-taliouine", "tifawin-argan-tiznit")
    saffron = ProducerFulfilment.objects.get(order=order, partner__slug="souktana-safran-taliouine")
    argan = ProducerFulfilment.objects.get(order=order, partner__slug="tifawin-argan-tiznit")
    producer_fulfilment_accept(fulfilment=argan)
    assert fulfilments_pending_remind.apply().result == 0  # within 48 hours
    mail.outbox.clear()

    # when the reminder job runs past the limit, twice
    settings.TERROIR_FULFILMENT_REMINDER_HOURS = 0
    first = fulfilments_pending_remind.apply().result
    second = fulfilments_pending_remind.apply().result

    # then the saffron cooperative's user got one reminder, in French, with the dashboard link
    reminders = _reminders()
    assert (first, second) == (1, 0)
    assert [m.to for m in reminders] == [["saffron@example.com"]]
    assert order.number in reminders[0].subject
    assert f"/dashboard/fulfilments/{saffron.pk}/" in reminders[0].body
