"""Settlement statements on a hand-computed example: a MAD order with a shortfall, a EUR order."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from oscar.core.loading import get_model
from pypdf import PdfReader

from fulfilment import settlements
from fulfilment.documents import settlement_csv, settlement_pdf
from fulfilment.models import ProducerFulfilment, SettlementStatement
from fulfilment.services import (
    producer_fulfilment_accept,
    producer_fulfilment_deliver,
    producer_fulfilment_pack,
    producer_fulfilment_ship,
)
from fulfilment.settlements import settlement_lines_of, settlement_mark_paid, settlements_create
from shop.currency.models import OrderExchangeRate
from tests.fulfilment.helpers import order_place, product_of

pytestmark = pytest.mark.django_db
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
D = Decimal
TODAY = timezone.localdate()
PERIOD = {
    "period_start": TODAY - datetime.timedelta(days=10),
    "period_end": TODAY + datetime.timedelta(days=10),
}
SAFFRON = "souktana-safran-taliouine"
EUR_TO_MAD = D("10.85")


def _delivered_order(*, quantity, unit_price, shipping, shipped, payment, currency="MAD", index=0):
    order = order_place([(product_of(SAFFRON, index), quantity)])
    line = order.lines.get()
    type(line).objects.filter(pk=line.pk).update(
        unit_price_incl_tax=unit_price, unit_price_excl_tax=unit_price
    )
    type(order).objects.filter(pk=order.pk).update(currency=currency)
    fulfilment = order.fulfilments.get()
    ProducerFulfilment.objects.filter(pk=fulfilment.pk).update(shipping_charge=shipping, currency=currency)
    if currency != "MAD":  # as payments record it when the order is placed
        OrderExchangeRate.objects.create(
            order=order,
            currency=currency,
            rate=(1 / EUR_TO_MAD).quantize(D("0.00000001")),
            rate_to_mad=EUR_TO_MAD,
        )
    if payment:
        Source.objects.filter(order=order).update(
            currency=currency,
            source_type=SourceType.objects.get_or_create(code=payment, defaults={"name": payment})[0],
        )
    fulfilment = producer_fulfilment_accept(fulfilment=fulfilment)
    fulfilment = producer_fulfilment_pack(fulfilment=fulfilment)
    fulfilment = producer_fulfilment_ship(
        fulfilment=fulfilment, carrier="Amana", quantities={line.pk: shipped}
    )
    return producer_fulfilment_deliver(fulfilment=fulfilment)


@pytest.fixture
def saffron_deliveries(demo):
    Partner.objects.filter(slug=SAFFRON).update(commission_rate=D("0.1200"))
    mad = _delivered_order(
        quantity=3, unit_price=D("120.00"), shipping=D("30.00"), shipped=2, payment="cash-on-delivery"
    )
    eur = _delivered_order(
        quantity=1,
        unit_price=D("25.50"),
        shipping=D("4.99"),
        shipped=1,
        payment="stripe-card",
        currency="EUR",
        index=1,
    )
    return mad, eur


def test_a_statement_matches_the_hand_computed_example(saffron_deliveries):
    # MAD order: gross 3×120 = 360.00, 1 unit short → refund 120.00, shipping 30.00,
    #   commission 12% of 240.00 = 28.80, COD fee 1% of 270.00 = 2.70, net 238.50.
    # EUR order at 10.85: gross 25.50 → 276.68, shipping 4.99 → 54.14, commission 12% → 33.20,
    #   card fee 2.9% of 330.82 → 9.59, net 288.03.
    [statement] = settlements_create(**PERIOD)

    assert statement.partner.slug == SAFFRON
    assert (statement.gross, statement.refunds, statement.commission) == (
        D("636.68"),
        D("120.00"),
        D("62.00"),
    )
    assert (statement.payment_fees, statement.shipping, statement.net_payable) == (
        D("12.29"),
        D("84.14"),
        D("526.53"),
    )
    lines = settlement_lines_of(statement=statement)
    assert [line.net_payable for line in lines] == [D("238.50"), D("288.03")]
    assert [line.rate_to_mad for line in lines] == [D("1"), EUR_TO_MAD]


def test_statement_sums_reconcile_with_the_orders(saffron_deliveries):
    [statement] = settlements_create(**PERIOD)
    lines = settlement_lines_of(statement=statement)

    for name in settlements.AMOUNT_FIELDS:
        assert getattr(statement, name) == sum((getattr(line, name) for line in lines), D("0"))
    shipped_value = sum(
        (
            fl.line.unit_price_incl_tax * fl.quantity_shipped * (EUR_TO_MAD if f.currency == "EUR" else 1)
            for f in saffron_deliveries
            for fl in f.lines.select_related("line")
        ),
        D("0"),
    )
    # the EUR amounts round to the centime once per figure
    assert abs(statement.gross - statement.refunds - shipped_value) < D("0.01")


def test_a_fulfilment_is_settled_once_and_undelivered_ones_wait(saffron_deliveries):
    order_place([(product_of(SAFFRON), 1)])  # placed, not delivered
    settlements_create(**PERIOD)

    again = settlements_create(
        period_start=datetime.date(2026, 11, 15), period_end=datetime.date(2026, 12, 31)
    )

    assert again == []
    assert SettlementStatement.objects.get().fulfilments_count == 2
    with translation.override("en"), pytest.raises(ValidationError, match="ends before"):
        settlements_create(period_start=datetime.date(2026, 12, 1), period_end=datetime.date(2026, 11, 1))


def test_an_order_in_another_currency_without_a_recorded_rate_is_refused(demo):
    order = order_place([(product_of(SAFFRON), 1)])
    order.currency = "EUR"

    with translation.override("en"), pytest.raises(ValidationError, match="no recorded exchange rate"):
        settlements.order_rate_to_mad(order)
    assert settlements.order_rate_to_mad(type(order)(currency="MAD")) == D("1")


def test_the_statement_reads_back_as_csv_and_pdf_and_is_paid_once(saffron_deliveries):
    [statement] = settlements_create(**PERIOD)
    lines = settlement_lines_of(statement=statement)

    rows = list(csv.DictReader(io.StringIO(settlement_csv(statement=statement, lines=lines))))
    pdf_text = PdfReader(io.BytesIO(settlement_pdf(statement=statement, lines=lines))).pages[0].extract_text()

    assert [r["net_payable"] for r in rows] == ["238.50", "288.03", "526.53"]
    assert rows[1]["currency"] == "EUR" and rows[1]["rate_to_mad"] == "10.85"
    assert "526,53" in pdf_text  # written the French way, as the reader's language is
    admin = get_user_model().objects.get(username="admin@example.com")
    with pytest.raises(PermissionDenied):
        settlement_mark_paid(statement=statement, reference="VIR-0", actor=statement.partner.users.first())
    paid = settlement_mark_paid(statement=statement, reference="VIR-2026-11-001", actor=admin)
    assert paid.payment_reference == "VIR-2026-11-001" and paid.date_paid
    with translation.override("en"), pytest.raises(ValidationError, match="already paid"):
        settlement_mark_paid(statement=statement, reference="VIR-again", actor=admin)


def test_platform_staff_mark_a_member_statement_paid_from_the_gie_dashboard(client, demo):
    nakhil = Partner.objects.get(slug="nakhil-aoufous")
    statement = SettlementStatement.objects.create(
        partner=nakhil,
        **PERIOD,
        gross=D("10.00"),
        refunds=D("0"),
        commission=D("1.00"),
        payment_fees=D("0"),
        shipping=D("0"),
        net_payable=D("9.00"),
    )
    client.login(username="admin@example.com", password="terroir-demo")

    client.post(
        reverse("gie-dashboard:settlement-paid", kwargs={"slug": "mawrout-bladi", "pk": statement.pk}),
        {"reference": "VIR-7"},
    )

    statement.refresh_from_db()
    assert statement.payment_reference == "VIR-7"


def test_the_rate_recorded_by_payments_is_the_one_settlements_use(demo):
    from shop.currency.models import OrderExchangeRate

    order = order_place([(product_of(SAFFRON), 1)])
    order.currency = "EUR"
    order.save(update_fields=["currency"])
    OrderExchangeRate.objects.create(
        order=order, currency="EUR", rate=D("0.0925"), rate_to_mad=D("10.81081081")
    )

    assert settlements.order_rate_to_mad(Order.objects.get(pk=order.pk)) == D("10.81081081")


def test_a_french_statement_writes_decimals_with_a_comma_and_dates_day_first(demo, settings):
    # given a month of one delivered cash-on-delivery order, at a 9.5 % commission
    settings.DEFAULT_COMMISSION_RATE = "0.095"
    _delivered_order(
        quantity=2, unit_price=D("120.00"), shipping=D("30.00"), shipped=2, payment="cash-on-delivery"
    )
    [statement] = settlements_create(**PERIOD)

    # when it is printed in French
    with translation.override("fr"):
        pdf = settlement_pdf(statement=statement, lines=settlement_lines_of(statement=statement))
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    # then rates and amounts carry a decimal comma, dates read day first, nothing is in ISO form
    assert "Commission : 9,5 %" in text
    start, end = (PERIOD[key].strftime("%d/%m/%Y") for key in ("period_start", "period_end"))
    assert f"Période : du {start} au {end}" in text
    assert f"{statement.net_payable:.2f}".replace(".", ",") in text
    assert PERIOD["period_start"].isoformat() not in text and f"{statement.net_payable:.2f}" not in text
