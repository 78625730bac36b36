"""Issue 11's proof: money that agrees to the centime, reached only the way users reach it.

A guest pays one order by card (through the checkout views and the Stripe double) and another cash on
delivery; the argan cooperative rejects its part of both from its dashboard; the saffron cooperative
ships and delivers its parts from its dashboard; staff remit the cash in the admin and draw up the
month from the settlements dashboard. Fees, refunds, e-mails and the statements are checked to the
centime against figures computed by hand from the demo prices.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from cooperatives.selectors import commission_rates_for
from core.money import producer_unit_share
from core.payments import PaymentMethod
from fulfilment.models import ProducerFulfilment, SettlementStatement
from tests.journey import add_to_basket, guest_checkout_until_preview
from tests.payment.checkout_helpers import card_checkout_until_payment_page, pay, product_of

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
PASSWORD = "terroir-demo"
SAFFRON, ARGAN = "souktana-safran-taliouine", "tifawin-argan-tiznit"


def _signed_in(email):
    client = Client()
    assert client.login(username=email, password=PASSWORD)
    return client


def _cod_order(client, items):
    for product, quantity in items:
        add_to_basket(client, product, quantity)
    guest_checkout_until_preview(client)
    assert client.post(reverse("checkout:payment-method"), {"method": "cod"}).status_code == 302
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response["Location"] == reverse("checkout:thank-you")
    return Order.objects.order_by("-pk").first()


def _card_order(client, items):
    card_checkout_until_payment_page(client, items)
    response = pay(client, "pm_card_visa")
    assert response["Location"] == reverse("checkout:thank-you")
    return Order.objects.order_by("-pk").first()


def _step(client, fulfilment, action, data=None):
    url = reverse("fulfilment-dashboard:action", kwargs={"pk": fulfilment.pk, "action": action})
    response = client.post(url, data or {})
    assert response.status_code == 302, response.content[:300]
    fulfilment.refresh_from_db()
    return fulfilment


def _period(days_from: int, days_to: int) -> dict:
    today = timezone.localdate()
    return {
        "period_start": (today + datetime.timedelta(days=days_from)).isoformat(),
        "period_end": (today + datetime.timedelta(days=days_to)).isoformat(),
    }


def _draw_up(staff_client, period) -> SettlementStatement | None:
    response = staff_client.post(reverse("settlements-dashboard:list"), period)
    assert response.status_code == 302, response.content[:300]
    return SettlementStatement.objects.filter(
        partner__slug=SAFFRON, period_start=period["period_start"], period_end=period["period_end"]
    ).first()


def _mail_about(order, subject_part):
    found = [
        m
        for m in mail.outbox
        if m.to == [order.guest_email] and subject_part in m.subject and order.number in m.subject
    ]
    assert len(found) == 1, [(m.to, m.subject) for m in mail.outbox]
    return found[0]


def test_a_card_and_a_cash_order_settle_to_the_centime_once_delivered_and_the_cash_remitted(
    demo, stripe_double, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    saffron_1g = product_of(SAFFRON)  # TAL-001, 1 g, 75.00 MAD; self-shipped to Casablanca for 35.00 MAD
    argan = product_of(ARGAN)
    items = [(saffron_1g, 1), (argan, 1)]
    # Saffron pays the platform's 10 % commission (the demo sets no own rate and it is in no GIE).
    assert commission_rates_for(partner_ids=[saffron_1g.stockrecords.get().partner_id]).popitem()[1] == D(
        "0.10"
    )

    # given a guest who pays by card and another who pays cash on delivery, both through checkout
    with django_capture_on_commit_callbacks(execute=True):
        card = _card_order(Client(), items)
    with django_capture_on_commit_callbacks(execute=True):
        cash = _cod_order(Client(), items)
    card_source, cash_source = card.sources.get(), cash.sources.get()
    assert card_source.source_type.code == PaymentMethod.CARD == "stripe-card"
    assert cash_source.source_type.code == PaymentMethod.CASH_ON_DELIVERY == "cash-on-delivery"

    # when the argan cooperative rejects its part of both orders from its dashboard
    argan_staff = _signed_in("argan@example.com")
    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        card_argan = _step(
            argan_staff, card.fulfilments.get(partner__slug=ARGAN), "reject", {"reason": "Rupture"}
        )
        cash_argan = _step(
            argan_staff, cash.fulfilments.get(partner__slug=ARGAN), "reject", {"reason": "Rupture"}
        )

    # then the card customer's part is refunded on the card (goods and that parcel's shipping) and
    # each customer is told in the words of the way they paid
    argan_line = card.lines.get(partner__slug=ARGAN)
    assert card_argan.status == ProducerFulfilment.Status.REJECTED
    assert card_argan.refund_due == argan_line.line_price_incl_tax + card_argan.shipping_charge
    (refund,) = stripe_double.refunds.values()
    assert (refund["payment_intent"], refund["amount"]) == (
        card_source.reference,
        int(card_argan.refund_due * 100),
    )
    card_mail = _mail_about(card, "ne peut pas envoyer")
    amount = f"{card_argan.refund_due:.2f}".replace(".", ",")
    assert "vous seront remboursés sur votre carte" in card_mail.body and amount in card_mail.body
    assert "à la livraison" not in card_mail.body
    cash_mail = _mail_about(cash, "ne peut pas envoyer")
    assert "Vous ne paierez pas ces" in cash_mail.body and amount in cash_mail.body
    assert "carte" not in cash_mail.body
    assert cash_argan.refund_due == card_argan.refund_due

    # when the saffron cooperative ships and the carrier delivers both parcels (steps on its dashboard)
    saffron_staff = _signed_in("saffron@example.com")
    for order in (card, cash):
        fulfilment = order.fulfilments.get(partner__slug=SAFFRON)
        for action, data in (
            ("accept", None),
            ("pack", None),
            ("ship", {"carrier": "Amana", "tracking_number": "AM123456789MA"}),
            ("deliver", None),
        ):
            fulfilment = _step(saffron_staff, fulfilment, action, data)
        assert fulfilment.status == ProducerFulfilment.Status.DELIVERED
    cash_saffron = cash.fulfilments.get(partner__slug=SAFFRON)
    assert cash_saffron.cod_collected_amount == D("110.00")  # 75.00 + 35.00 collected at the door

    # and staff draw up the month before the carrier has remitted the cash
    staff = _signed_in("admin@example.com")
    this_month = _period(-10, 10)
    statement = _draw_up(staff, this_month)

    # then only the card sale is settled, with the card's 2.90 % fee, by hand:
    #   gross 75.00; commission 10 % = 7.50; fee per unit 75.00 × 2.9 % = 2.175 → 2.18,
    #   on the shipping 35.00 × 2.9 % = 1.015 → 1.02, so 3.20; net 75.00 − 7.50 − 3.20 + 35.00 = 99.30
    assert statement is not None and statement.fulfilments_count == 1
    assert (statement.gross, statement.refunds, statement.commission) == (D("75.00"), D("0.00"), D("7.50"))
    assert (statement.payment_fees, statement.shipping, statement.net_payable) == (
        D("3.20"),
        D("35.00"),
        D("99.30"),
    )
    assert not SettlementStatement.objects.filter(partner__slug=ARGAN).exists()  # it sold nothing

    # when staff record the carrier's transfer of the cash in the admin
    response = staff.post(
        reverse("admin:fulfilment_producerfulfilment_changelist"),
        {"action": "cod_remit", "_selected_action": [cash_saffron.pk], "reference": "AMANA-VIR-0042"},
    )
    assert response.status_code == 302
    cash_saffron.refresh_from_db()
    assert cash_saffron.cod_remitted_at is not None

    # then the next run settles the cash sale, with the 1 % collection fee, by hand:
    #   commission 7.50; fee 0.75 per unit and 0.35 on the shipping = 1.10; net 75 − 7.50 − 1.10 + 35 = 101.40
    next_month = _period(11, 41)
    statement = _draw_up(staff, next_month)
    assert statement is not None and statement.fulfilments_count == 1
    (line,) = statement.lines.all()
    assert line.order_number == cash.number
    assert (line.commission, line.payment_fees, line.net_payable) == (D("7.50"), D("1.10"), D("101.40"))

    # and the goods part of each statement is exactly the unit share the product page shows
    for method, fees_on_shipping in (
        (PaymentMethod.CARD, D("1.02")),
        (PaymentMethod.CASH_ON_DELIVERY, D("0.35")),
    ):
        share = producer_unit_share(
            unit_price_mad=D("75.00"), commission_rate=D("0.10"), fee_rate=method.fee_rate
        )
        paid = SettlementStatement.objects.get(
            partner__slug=SAFFRON,
            period_start=(this_month if method is PaymentMethod.CARD else next_month)["period_start"],
        )
        assert paid.net_payable == share.share + D("35.00") - fees_on_shipping
    page = Client().get(saffron_1g.get_absolute_url()).content.decode()
    assert "66,75" in page  # 75.00 − 7.50 − 0.75: what reaches the cooperative for cash on delivery
