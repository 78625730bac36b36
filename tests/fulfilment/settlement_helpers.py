"""Orders placed, delivered and paid the way users do, for the settlement tests.

Cash-on-delivery orders through the real OrderCreator (`order_place`), card orders through the
checkout views and the Stripe double (the test must use the `stripe_double` fixture), EUR orders
through the storefront's currency choice at a staff-entered rate; deliveries through the producer's
fulfilment services (or the GIE hub's), cash remitted through `fulfilments_cod_remit`.
"""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from fulfilment.cod import fulfilments_cod_remit
from fulfilment.services import (
    producer_fulfilment_accept,
    producer_fulfilment_deliver,
    producer_fulfilment_pack,
    producer_fulfilment_ship,
)
from gie.services import collection_round_open, consolidated_shipment_create, round_lines_receive
from shop.currency.models import ExchangeRate
from tests.fulfilment.helpers import order_place, product_of
from tests.payment.checkout_helpers import card_checkout_until_payment_page, pay

Order = get_model("order", "Order")
D = Decimal
TODAY = timezone.localdate()
# The month being settled: today's deliveries fall in it.
PERIOD = {
    "period_start": TODAY - datetime.timedelta(days=10),
    "period_end": TODAY + datetime.timedelta(days=10),
}
NEXT_PERIOD = {
    "period_start": PERIOD["period_end"] + datetime.timedelta(days=1),
    "period_end": PERIOD["period_end"] + datetime.timedelta(days=31),
}
SAFFRON, ARGAN, ROSE = "souktana-safran-taliouine", "tifawin-argan-tiznit", "rose-du-dades"
# The demo's saffron: TAL-001 (1 g) 75.00 MAD, TAL-002 (2 g) 145.00 MAD; shipped to Casablanca 35.00 MAD.
SAFFRON_1G, SAFFRON_2G = 0, 1
EUR_RATE = D("0.0925")  # 1 MAD = 0.0925 EUR, entered by staff; an EUR order records 10.81081081 MAD/EUR
ADMIN = "admin@example.com"


def staff():
    return get_user_model().objects.get(username=ADMIN)


def user(username: str):
    return get_user_model().objects.get(username=username)


def eur_rate_entered():
    """The rate platform staff enter in the admin (in force since January)."""
    return ExchangeRate.objects.create(
        rate=EUR_RATE, effective_on=datetime.date(2026, 1, 1), source="Bank Al-Maghrib"
    )


def cod_order(items, **kwargs):
    """A cash-on-delivery order; `items` are (producer slug, product index, quantity)."""
    return order_place([(product_of(slug, index), quantity) for slug, index, quantity in items], **kwargs)


def card_order(items, *, address=None, currency=None):
    """A guest's card order through the checkout views, paid at the Stripe double; `currency="EUR"`
    chooses euros in the storefront first (needs `eur_rate_entered()`)."""
    client = Client()
    if currency:
        assert client.post(reverse("currency-choose"), {"currency": currency, "next": "/"}).status_code == 302
    known = set(Order.objects.values_list("pk", flat=True))
    card_checkout_until_payment_page(
        client, [(product_of(slug, index), quantity) for slug, index, quantity in items], address=address
    )
    assert pay(client, "pm_card_visa")["Location"] == reverse("checkout:thank-you")
    return Order.objects.exclude(pk__in=known).get()


def delivered(fulfilment, *, short: dict[int, int] | None = None):
    """The producer accepts, packs, ships (short of `short` {product id: units}) and the carrier delivers."""
    producer_fulfilment_accept(fulfilment=fulfilment)
    producer_fulfilment_pack(fulfilment=fulfilment)
    quantities = {}
    for fl in fulfilment.lines.select_related("line__product").order_by("pk"):
        missing = (short or {}).get(fl.line.product_id, 0)
        quantities[fl.line_id] = fl.quantity - missing
    producer_fulfilment_ship(
        fulfilment=fulfilment, carrier="Amana", tracking_number="AM1", quantities=quantities
    )
    return producer_fulfilment_deliver(fulfilment=fulfilment)


def order_delivered(order, *, short=None):
    return [delivered(f, short=short) for f in order.fulfilments.order_by("pk")]


def remitted(fulfilments, *, reference="AMANA-VIR-1", remitted_at=None):
    """The carrier's transfer of these parcels' cash to the platform."""
    return fulfilments_cod_remit(fulfilments=list(fulfilments), reference=reference, remitted_at=remitted_at)


def hub_order_delivered(gie, order):
    """The GIE's hub collects the members' units in a round, ships the parcel; the carrier delivers."""
    member_ids = list(order.fulfilments.values_list("partner_id", flat=True))
    round_ = collection_round_open(gie=gie, name="R", collection_date=TODAY, member_ids=member_ids)
    round_lines_receive(round_=round_, received={rl.pk: rl.quantity for rl in round_.lines.all()})
    consolidated_shipment_create(gie=gie, order_number=order.number, carrier="Amana", tracking_number="AM1")
    return [producer_fulfilment_deliver(fulfilment=f) for f in order.fulfilments.order_by("pk")]
