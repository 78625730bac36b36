"""Receiving at the hub through the coordinator's dashboard: a shortfall is shown for confirmation,
with what each customer will be told, and only the confirmation cancels the missing units."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from core.languages import in_customer_language
from core.payments import PaymentMethod
from fulfilment.models import FulfilmentLine, ProducerFulfilment
from gie.models import CollectionRound, RoundLine
from tests.gie.conftest import PASSWORD, hub_order
from tests.payment.checkout_helpers import card_checkout_until_payment_page, pay, product_of

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db
DATES, FIGS = "nakhil-aoufous", "al-wahda-rissani"


@pytest.fixture
def coordinator(demo):
    client = Client()
    assert client.login(username="gie@example.com", password=PASSWORD)
    return client


def _url(name, **kwargs):
    return reverse(f"gie-dashboard:{name}", kwargs={"slug": "mawrout-bladi", **kwargs})


def _round_opened(coordinator, members, name="Semaine 48", member_slugs=(DATES, FIGS)) -> CollectionRound:
    response = coordinator.post(
        _url("rounds"),
        {"name": name, "collection_date": "2026-11-25", "members": [members[s].pk for s in member_slugs]},
        follow=True,  # the round page shows (and so consumes) the "round opened" message
    )
    assert response.redirect_chain
    return CollectionRound.objects.get(name=name)


def _receive(coordinator, round_, received: dict, *, confirmed=False):
    data = {f"received-{pk}": str(quantity) for pk, quantity in received.items()}
    if confirmed:
        data["shortfall"] = "confirmed"
    return coordinator.post(_url("round-action", pk=round_.pk, action="receive"), data, follow=True)


def _state(order):
    """Everything a receipt writes: what the hub recorded, the units cancelled, money due, events."""
    return (
        sorted(
            RoundLine.objects.filter(fulfilment_line__fulfilment__order=order).values_list(
                "pk", "quantity_received"
            )
        ),
        sorted(
            FulfilmentLine.objects.filter(fulfilment__order=order).values_list("pk", "quantity_cancelled")
        ),
        sorted(ProducerFulfilment.objects.filter(order=order).values_list("pk", "status", "refund_due")),
        PaymentEvent.objects.filter(order=order).count(),
    )


def test_a_cash_on_delivery_shortfall_is_confirmed_first_then_the_customer_is_told_not_to_pay(
    coordinator, members, django_capture_on_commit_callbacks
):
    # given a cash-on-delivery order in English of 2 dates and 1 figs, gathered in a round
    order = hub_order(language="en")
    round_ = _round_opened(coordinator, members)
    dates_rl = round_.lines.get(partner__slug=DATES)
    figs_rl = round_.lines.get(partner__slug=FIGS)
    before = _state(order)
    mail.outbox.clear()

    # when the coordinator records 1 of the 2 dates (and the figs in full)
    with django_capture_on_commit_callbacks(execute=True):
        page = _receive(coordinator, round_, {dates_rl.pk: 1, figs_rl.pk: 1})

    # then a confirmation page lists the short line and what the customer will read; nothing changed
    assert page.status_code == 200
    assert [t.name for t in page.templates][0] == "gie/dashboard/receive_confirm.html"
    [shortfall] = page.context["shortfalls"]
    dates_line = dates_rl.fulfilment_line.line
    assert [(rl.pk, missing) for rl, missing in shortfall.lines] == [(dates_rl.pk, 1)]
    html = page.content.decode()
    assert escape(members[DATES].name) in html and escape(dates_line.title) in html
    assert str(order.number) in html
    assert 'data-missing="1"' in html
    price = dates_line.unit_price_incl_tax
    on_page = PaymentMethod.CASH_ON_DELIVERY.refund_wording(currency(price, "MAD"))  # coordinator's language
    assert shortfall.customer_wording == on_page and escape(on_page) in html
    assert _state(order) == before
    assert mail.outbox == []

    # when the coordinator confirms
    with django_capture_on_commit_callbacks(execute=True):
        done = _receive(coordinator, round_, {dates_rl.pk: 1, figs_rl.pk: 1}, confirmed=True)

    # then the unit is cancelled, its price no longer due, and the customer is told not to pay it
    assert done.redirect_chain[-1][0] == _url("round", pk=round_.pk)
    dates_rl.refresh_from_db()
    figs_rl.refresh_from_db()
    assert (dates_rl.quantity_received, figs_rl.quantity_received) == (1, 1)
    fulfilment = order.fulfilments.get(partner__slug=DATES)
    assert fulfilment.refund_due == dates_line.unit_price_incl_tax
    [sent] = [m for m in mail.outbox if m.to == [order.email]]
    with in_customer_language(order):
        assert f"You will not pay these {currency(price, 'MAD')} on delivery." in sent.body
    assert dates_line.title in sent.body
    assert "refund" not in sent.body.lower()


@pytest.fixture
def card_order(client, demo, stripe_double):
    card_checkout_until_payment_page(client, [(product_of(DATES), 2)])
    pay(client, "pm_card_visa")
    return Order.objects.get()


def test_a_card_customer_whose_whole_part_is_missing_is_told_the_card_is_refunded(
    coordinator, members, card_order, stripe_double, django_capture_on_commit_callbacks
):
    # given a card order of 2 dates, gathered in a round
    round_ = _round_opened(coordinator, members, member_slugs=(DATES,))
    rl = round_.lines.get()
    fulfilment = card_order.fulfilments.get()
    expected = rl.fulfilment_line.line.unit_price_incl_tax * 2 + fulfilment.shipping_charge
    before = _state(card_order)
    mail.outbox.clear()

    # when the hub receives none of them
    with django_capture_on_commit_callbacks(execute=True):
        page = _receive(coordinator, round_, {rl.pk: 0})

    # then the page says the card is refunded the lines and the shipping; nothing is refunded yet
    [shortfall] = page.context["shortfalls"]
    on_page = PaymentMethod.CARD.refund_wording(currency(expected, card_order.currency))
    assert shortfall.amount == expected and escape(on_page) in page.content.decode()
    assert _state(card_order) == before
    assert stripe_double.refunds == {} and mail.outbox == []

    # when the coordinator confirms
    with django_capture_on_commit_callbacks(execute=True):
        _receive(coordinator, round_, {rl.pk: 0}, confirmed=True)

    # then the fulfilment is cancelled, the card refunded that amount, and the e-mail says so
    fulfilment.refresh_from_db()
    assert (fulfilment.status, fulfilment.refund_due) == ("cancelled", expected)
    (remote,) = stripe_double.refunds.values()
    assert remote["amount"] == int(expected * 100)
    with in_customer_language(card_order):
        subject = gettext("Part of your order %(number)s is not available") % {"number": card_order.number}
        told = PaymentMethod.CARD.refund_wording(currency(expected, card_order.currency))
    [sent] = [m for m in mail.outbox if m.subject == subject]
    assert sent.to == [card_order.email] and told in sent.body


@pytest.mark.parametrize("bad", ["negative", "above expected", "foreign line"])
def test_bad_receiving_input_writes_nothing_even_confirmed(coordinator, members, bad):
    # given a round of one order, and a second round holding another member's line
    order = hub_order()
    round_ = _round_opened(coordinator, members, member_slugs=(DATES,))
    other_round = _round_opened(coordinator, members, name="Autre", member_slugs=(FIGS,))
    dates_rl = round_.lines.get()
    received = {dates_rl.pk: 1}  # a valid shortfall, posted with the bad value
    if bad == "negative":
        received[dates_rl.pk] = -1
    elif bad == "above expected":
        received[dates_rl.pk] = dates_rl.quantity + 1
    else:
        received[other_round.lines.get().pk] = 1
    before = _state(order)

    # when it is posted, confirmed or not
    for confirmed in (False, True):
        page = _receive(coordinator, round_, received, confirmed=confirmed)

        # then the round page shows the error and nothing was written
        assert page.redirect_chain[-1][0] == _url("round", pk=round_.pk)
        assert [m.level_tag for m in page.context["messages"]] == ["error"]
        assert _state(order) == before
    assert PaymentEvent.objects.filter(order=order).count() == 0


def test_a_receipt_in_full_needs_no_confirmation(coordinator, members):
    order = hub_order()
    round_ = _round_opened(coordinator, members)

    page = _receive(coordinator, round_, {rl.pk: rl.quantity for rl in round_.lines.all()})

    assert page.redirect_chain[-1][0] == _url("round", pk=round_.pk)
    assert set(round_.lines.values_list("quantity_received", flat=True)) == {2, 1}
    assert order.fulfilments.filter(refund_due__gt=Decimal("0")).count() == 0


def test_the_customers_order_page_says_a_cash_on_delivery_shortfall_is_not_to_be_paid(
    coordinator, members, django_capture_on_commit_callbacks
):
    # given a signed-in customer's cash-on-delivery order, one date short at the hub, confirmed
    customer = get_user_model().objects.get(email="customer@example.com")
    order = hub_order(user=customer)
    round_ = _round_opened(coordinator, members)
    received = {rl.pk: rl.quantity for rl in round_.lines.all()}
    received[round_.lines.get(partner__slug=DATES).pk] = 1
    _receive(coordinator, round_, received, confirmed=True)
    fulfilment = order.fulfilments.get(partner__slug=DATES)
    assert fulfilment.refund_due > 0

    # when the customer opens the order
    client = Client()
    client.force_login(customer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()

    # then the page says that amount will not be asked on delivery, not that it is refunded
    told = PaymentMethod.CASH_ON_DELIVERY.refund_wording(currency(fulfilment.refund_due, order.currency))
    assert escape(told) in page
    assert gettext("Refund due") not in page
