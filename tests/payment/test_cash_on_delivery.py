"""Cash on delivery: placed at once with its optional fee; the cash counted once remitted."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from fulfilment.cod import CodInputError, fulfilment_cod_collect, fulfilments_cod_remit
from fulfilment.models import ProducerFulfilment
from fulfilment.services import (
    producer_fulfilment_accept,
    producer_fulfilment_deliver,
    producer_fulfilment_pack,
    producer_fulfilment_ship,
)
from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import product_of

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

SAFFRON, DATES = "souktana-safran-taliouine", "nakhil-aoufous"


def _cod_order(client, items):
    for product, quantity in items:
        add_to_basket(client, product, quantity)
    guest_checkout_until_preview(client)
    assert client.post(reverse("checkout:payment-method"), {"method": "cod"}).status_code == 302
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    return Order.objects.get()


def _delivered(fulfilment):
    for step in (producer_fulfilment_accept, producer_fulfilment_pack):
        step(fulfilment=fulfilment)
    producer_fulfilment_ship(fulfilment=fulfilment, carrier="Amana", tracking_number="AM123")
    return producer_fulfilment_deliver(fulfilment=fulfilment)


def test_cash_on_delivery_is_placed_at_once_with_its_fee(client, demo, settings):
    settings.COD_FEE = "15.00"

    order = _cod_order(client, [(product_of(SAFFRON), 1)])

    surcharge = order.surcharges.get()
    assert surcharge.code == "cod-fee" and surcharge.incl_tax == Decimal("15.00")
    assert order.total_incl_tax == order.basket_total_incl_tax + order.shipping_incl_tax + Decimal("15.00")


def test_no_fee_by_default(client, demo):
    order = _cod_order(client, [(product_of(SAFFRON), 1)])

    assert not order.surcharges.exists()
    assert order.total_incl_tax == order.basket_total_incl_tax + order.shipping_incl_tax


def test_cash_is_collected_at_delivery_then_remitted_with_the_carriers_reference(client, demo):
    # given a cash order for two producers, one delivered
    order = _cod_order(client, [(product_of(SAFFRON), 2), (product_of(DATES), 1)])
    saffron = ProducerFulfilment.objects.get(order=order, partner__slug=SAFFRON)
    dates = ProducerFulfilment.objects.get(order=order, partner__slug=DATES)
    line = saffron.lines.get().line

    saffron = _delivered(saffron)

    # then the carrier holds that parcel's cash, not yet remitted (settlements wait for it:
    # tests/fulfilment/test_settlements.py)
    assert saffron.cod_collected_amount == line.line_price_incl_tax + saffron.shipping_charge
    assert saffron.cod_collected_at is not None
    assert saffron.cod_remitted_at is None

    # when the carrier's transfer arrives
    when = timezone.make_aware(datetime.datetime(2026, 11, 20, 10, 0))
    (saffron,) = fulfilments_cod_remit(fulfilments=[saffron], reference="AMANA-VIR-0042", remitted_at=when)

    assert (saffron.cod_remitted_at, saffron.cod_remittance_reference) == (when, "AMANA-VIR-0042")
    assert ProducerFulfilment.objects.get(pk=saffron.pk).cod_remitted_at == when
    assert ProducerFulfilment.objects.get(pk=dates.pk).cod_remitted_at is None


def test_remittance_refuses_uncollected_or_already_remitted_cash_and_writes_nothing(client, demo):
    order = _cod_order(client, [(product_of(SAFFRON), 1), (product_of(DATES), 1)])
    saffron = _delivered(ProducerFulfilment.objects.get(order=order, partner__slug=SAFFRON))
    dates = ProducerFulfilment.objects.get(order=order, partner__slug=DATES)

    with pytest.raises(CodInputError):
        fulfilments_cod_remit(fulfilments=[saffron, dates], reference="AMANA-1")
    with pytest.raises(CodInputError):
        fulfilments_cod_remit(fulfilments=[saffron], reference="  ")
    assert ProducerFulfilment.objects.filter(cod_remitted_at__isnull=False).count() == 0

    fulfilments_cod_remit(fulfilments=[saffron], reference="AMANA-1")
    with pytest.raises(CodInputError):
        fulfilments_cod_remit(fulfilments=[saffron], reference="AMANA-2")
    with pytest.raises(CodInputError):
        fulfilment_cod_collect(fulfilment=saffron, amount=Decimal("1.00"))
    assert ProducerFulfilment.objects.get(pk=saffron.pk).cod_remittance_reference == "AMANA-1"


def test_the_carrier_report_corrects_the_collected_amount_before_remittance(client, demo):
    order = _cod_order(client, [(product_of(SAFFRON), 1)])
    saffron = _delivered(ProducerFulfilment.objects.get(order=order))

    saffron = fulfilment_cod_collect(fulfilment=saffron, amount=Decimal("100.00"))

    assert saffron.cod_collected_amount == Decimal("100.00")
    with pytest.raises(CodInputError):
        fulfilment_cod_collect(fulfilment=saffron, amount=Decimal("-1"))


def test_platform_staff_mark_cash_remitted_from_the_admin_with_a_reference(client, demo):
    order = _cod_order(client, [(product_of(SAFFRON), 1)])
    saffron = _delivered(ProducerFulfilment.objects.get(order=order))
    client.logout()
    client.login(username="admin@example.com", password="terroir-demo")
    url = reverse("admin:fulfilment_producerfulfilment_changelist")

    without = client.post(url, {"action": "cod_remit", "_selected_action": [saffron.pk], "reference": ""})
    assert without.status_code == 302
    assert ProducerFulfilment.objects.get(pk=saffron.pk).cod_remitted_at is None

    client.post(url, {"action": "cod_remit", "_selected_action": [saffron.pk], "reference": "AMANA-VIR-7"})

    saffron.refresh_from_db()
    assert saffron.cod_remittance_reference == "AMANA-VIR-7" and saffron.cod_remitted_at is not None


def test_a_producer_cannot_use_the_remittance_action(client, demo):
    order = _cod_order(client, [(product_of(SAFFRON), 1)])
    saffron = _delivered(ProducerFulfilment.objects.get(order=order))
    client.logout()
    client.login(username="saffron@example.com", password="terroir-demo")

    response = client.post(
        reverse("admin:fulfilment_producerfulfilment_changelist"),
        {"action": "cod_remit", "_selected_action": [saffron.pk], "reference": "FAKE"},
    )

    assert response.status_code in (302, 403)
    assert ProducerFulfilment.objects.get(pk=saffron.pk).cod_remitted_at is None
