"""Settlement statements from orders placed, delivered and paid the way users do, hand-computed to
the centime from the demo's prices (saffron TAL-001 75.00 MAD, TAL-002 145.00 MAD; shipping to
Casablanca 35.00 MAD; Souktana pays the platform's default commission, 10 %; fees: cash on delivery
1 %, card 2.90 %). Runs on SQLite (Python arithmetic) and PostgreSQL (set-based SQL) alike."""

import csv
import datetime
import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from pypdf import PdfReader

from core.money import order_rate_to_mad, producer_unit_share
from core.payments import PaymentMethod
from fulfilment.documents import settlement_csv, settlement_pdf
from fulfilment.models import SettlementLine, SettlementStatement
from fulfilment.settlements import (
    AMOUNT_FIELDS,
    settlement_lines_of,
    settlement_mark_paid,
    settlements_draw_up,
)
from gie.models import Gie
from tests.fulfilment.helpers import product_of
from tests.fulfilment.settlement_helpers import (
    ADMIN,
    NEXT_PERIOD,
    PERIOD,
    SAFFRON,
    SAFFRON_1G,
    SAFFRON_2G,
    TODAY,
    card_order,
    cod_order,
    eur_rate_entered,
    hub_order_delivered,
    order_delivered,
    remitted,
    staff,
    user,
)
from tests.payment.checkout_helpers import FRANCE
from tests.payment.conftest import stripe_double  # noqa: F401  (the fixture is used by name)

pytestmark = pytest.mark.django_db
D = Decimal


def _figures(amounts):
    return tuple(getattr(amounts, name) for name in AMOUNT_FIELDS)


@pytest.fixture
def saffron_month(demo, stripe_double):  # noqa: F811
    """A cash order of 3 × 1 g shipped one short, its cash remitted; a card order in EUR to France."""
    eur_rate_entered()
    cash = cod_order([(SAFFRON, SAFFRON_1G, 3)])
    (cash_fulfilment,) = order_delivered(cash, short={product_of(SAFFRON, SAFFRON_1G).pk: 1})
    remitted([cash_fulfilment])
    card = card_order([(SAFFRON, SAFFRON_2G, 1), (SAFFRON, SAFFRON_1G, 3)], address=FRANCE, currency="EUR")
    order_delivered(card)
    return cash, card


def test_a_month_of_cash_and_euro_card_orders_settles_to_the_centime(saffron_month):
    cash, card = saffron_month
    assert (card.currency, card.total_incl_tax) == ("EUR", D("49.90"))  # 13.50 + 3 × 7.50 + 13.90

    [statement] = settlements_draw_up(actor=staff(), **PERIOD)

    cash_line, card_line = settlement_lines_of(statement=statement)
    # Cash, MAD: per unit 75.00 − commission 7.50 − fee 0.75 = 66.75.
    #   gross 3 × 75.00 = 225.00; refund 1 × 75.00; commission 2 × 7.50 = 15.00;
    #   fees 2 × 0.75 + 1 % of 35.00 shipping (0.35) = 1.85; net 225 − 75 − 15 − 1.85 + 35 = 168.15.
    assert (cash_line.order_number, cash_line.order_currency) == (str(cash.number), "MAD")
    assert _figures(cash_line) == (D("225.00"), D("75.00"), D("15.00"), D("1.85"), D("35.00"), D("168.15"))
    # Card, EUR at 10.81081081 MAD: 2 g 13.50 € → 145.95 (commission 14.60, fee 4.23 → share 127.12);
    #   1 g 7.50 € → 81.08 (commission 8.11, fee 2.35 → share 70.62); shipping 13.90 € → 150.27.
    #   gross 145.95 + 3 × 81.08 = 389.19; commission 14.60 + 3 × 8.11 = 38.93;
    #   fees 4.23 + 3 × 2.35 + 2.90 % of 150.27 (4.36) = 15.64; net 389.19 − 38.93 − 15.64 + 150.27 = 484.89.
    assert (card_line.order_currency, card_line.rate_to_mad) == ("EUR", D("10.810811"))
    assert _figures(card_line) == (D("389.19"), D("0.00"), D("38.93"), D("15.64"), D("150.27"), D("484.89"))
    # The statement is the sum of its lines.
    assert statement.partner.slug == SAFFRON and statement.fulfilments_count == 2
    assert _figures(statement) == (D("614.19"), D("75.00"), D("53.93"), D("17.49"), D("185.27"), D("653.04"))


def test_a_card_orders_fee_is_2_90_percent_and_its_units_pay_exactly_the_producers_share(
    demo,
    stripe_double,  # noqa: F811
):
    order = card_order([(SAFFRON, SAFFRON_2G, 2)])
    order_delivered(order)

    [statement] = settlements_draw_up(actor=staff(), **PERIOD)

    # 2 × 145.00: commission 14.50 and fee 2.90 % = 4.205 → 4.21 per unit;
    #   shipping 35.00, its fee 1.015 → 1.02.
    #   fees 2 × 4.21 + 1.02 = 9.44; net 290.00 − 29.00 − 9.44 + 35.00 = 286.56.
    assert _figures(statement) == (D("290.00"), D("0.00"), D("29.00"), D("9.44"), D("35.00"), D("286.56"))
    share = producer_unit_share(
        unit_price_mad=D("145.00"), commission_rate=D("0.10"), fee_rate=PaymentMethod.CARD.fee_rate
    )
    assert PaymentMethod.CARD.fee_rate == D("0.0290") and share.payment_fee == D("4.21")
    # what a purchase order promises per unit is what the statement pays for the goods
    assert statement.net_payable - (statement.shipping - D("1.02")) == 2 * share.share == D("252.58")


def test_cash_not_yet_remitted_waits_and_is_carried_into_the_next_statement(demo, stripe_double):  # noqa: F811
    # given this month a card order and a cash order of the same producer, both delivered
    card = card_order([(SAFFRON, SAFFRON_1G, 1)])
    order_delivered(card)
    cash = cod_order([(SAFFRON, SAFFRON_1G, 2)])
    (cash_fulfilment,) = order_delivered(cash)

    # when the month is drawn up before the carrier remitted the cash
    [month] = settlements_draw_up(actor=staff(), **PERIOD)

    # then only the card order is settled: 75.00 − 7.50 − 2.18 (2.90 %) + 35.00 − 1.02 = 99.30
    assert [line.order_number for line in settlement_lines_of(statement=month)] == [card.number]
    assert month.net_payable == D("99.30")
    # when the cash arrives, and the next month is drawn up
    remitted([cash_fulfilment])
    assert settlements_draw_up(actor=staff(), **PERIOD) == []  # the month has its statement already
    [following] = settlements_draw_up(actor=staff(), **NEXT_PERIOD)

    # then the cash order is on it: 2 × (75.00 − 7.50 − 0.75) + 35.00 − 0.35 = 168.15
    [line] = settlement_lines_of(statement=following)
    assert (line.order_number, line.fulfilment_id) == (str(cash.number), cash_fulfilment.pk)
    assert _figures(following) == (D("150.00"), D("0.00"), D("15.00"), D("1.85"), D("35.00"), D("168.15"))
    assert SettlementLine.objects.filter(fulfilment=cash_fulfilment).count() == 1


def test_cash_remitted_after_the_period_end_counts_only_in_a_later_period(demo):
    order = cod_order([(SAFFRON, SAFFRON_2G, 1)])
    # the carrier's transfer is value-dated the day after the period being drawn up
    tomorrow_noon = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(12)))
    tomorrow_noon += datetime.timedelta(days=1)
    remitted(order_delivered(order), remitted_at=tomorrow_noon)

    today = settlements_draw_up(actor=staff(), period_start=TODAY.replace(day=1), period_end=TODAY)
    [later] = settlements_draw_up(
        actor=staff(),
        period_start=TODAY + datetime.timedelta(days=1),
        period_end=TODAY + datetime.timedelta(days=1),
    )

    assert today == []
    # 145.00 − 14.50 − 1.45 + 35.00 − 0.35 = 163.70
    assert later.net_payable == D("163.70") and later.payment_fees == D("1.80")


def test_a_fulfilment_is_settled_once_and_undelivered_ones_wait(saffron_month):
    cod_order([(SAFFRON, SAFFRON_1G, 1)])  # placed, not delivered
    settlements_draw_up(actor=staff(), **PERIOD)

    again = settlements_draw_up(actor=staff(), **NEXT_PERIOD)

    assert again == []
    assert SettlementStatement.objects.get().fulfilments_count == 2
    with translation.override("en"), pytest.raises(ValidationError, match="ends before"):
        settlements_draw_up(
            actor=staff(), period_start=NEXT_PERIOD["period_end"], period_end=NEXT_PERIOD["period_start"]
        )


@pytest.mark.parametrize(
    "username",
    [None, "customer@example.com", "saffron@example.com", "gie@example.com"],
    ids=["anonymous", "customer", "cooperative", "coordinator"],
)
def test_only_platform_staff_draw_up_every_producers_statements(demo, username):
    order = cod_order([(SAFFRON, SAFFRON_1G, 1)])
    remitted(order_delivered(order))
    actor = user(username) if username else AnonymousUser()

    with pytest.raises(PermissionDenied):
        settlements_draw_up(actor=actor, **PERIOD)
    with pytest.raises(PermissionDenied):
        settlements_draw_up(actor=None, **PERIOD)

    assert not SettlementStatement.objects.exists()
    assert len(settlements_draw_up(actor=staff(), **PERIOD)) == 1


def test_the_statement_reads_back_as_csv_and_pdf_and_is_paid_once(saffron_month):
    [statement] = settlements_draw_up(actor=staff(), **PERIOD)
    lines = settlement_lines_of(statement=statement)

    rows = list(csv.DictReader(io.StringIO(settlement_csv(statement=statement, lines=lines))))
    pdf_text = PdfReader(io.BytesIO(settlement_pdf(statement=statement, lines=lines))).pages[0].extract_text()

    assert [r["net_payable"] for r in rows] == ["168.15", "484.89", "653.04"]
    assert rows[1]["currency"] == "EUR" and rows[1]["rate_to_mad"] == "10.810811"
    assert "653,04" in pdf_text  # written the French way, as the reader's language is
    with pytest.raises(PermissionDenied):
        settlement_mark_paid(statement=statement, reference="VIR-0", actor=user("saffron@example.com"))
    paid = settlement_mark_paid(statement=statement, reference="VIR-2026-11-001", actor=staff())
    assert paid.payment_reference == "VIR-2026-11-001" and paid.date_paid
    with translation.override("en"), pytest.raises(ValidationError, match="already paid"):
        settlement_mark_paid(statement=statement, reference="VIR-again", actor=staff())


def test_platform_staff_mark_a_member_statement_paid_from_the_gie_dashboard(client, demo):
    mawrout = Gie.objects.get(slug="mawrout-bladi")
    order = cod_order([("nakhil-aoufous", 0, 1)])
    remitted(hub_order_delivered(mawrout, order))
    statements = {s.partner.slug: s for s in settlements_draw_up(actor=staff(), **PERIOD)}
    # 90.00 − 7.20 (8 %, the GIE's rate) − 0.90 (1 %) = 81.90; the parcel's shipping goes to the GIE
    nakhil = statements["nakhil-aoufous"]
    assert nakhil.net_payable == D("81.90")
    client.login(username=ADMIN, password="terroir-demo")

    client.post(
        reverse("gie-dashboard:settlement-paid", kwargs={"slug": "mawrout-bladi", "pk": nakhil.pk}),
        {"reference": "VIR-7"},
    )

    nakhil.refresh_from_db()
    assert nakhil.payment_reference == "VIR-7"


def test_a_row_of_an_order_in_another_currency_without_a_recorded_rate_is_refused():
    # the settlement run reads plain rows; placement always records a rate, so only a broken row lacks it
    row = SimpleNamespace(number="100042", currency="EUR", exchange_rate__rate_to_mad=None)

    with translation.override("en"), pytest.raises(ValidationError, match="no recorded exchange rate"):
        order_rate_to_mad(row)
    assert order_rate_to_mad(SimpleNamespace(number="100043", currency="MAD")) == D("1")


def test_a_french_statement_writes_decimals_with_a_comma_and_dates_day_first(demo, settings):
    # given a month of one delivered cash-on-delivery order, its cash remitted, at a 9.5 % commission
    settings.DEFAULT_COMMISSION_RATE = "0.095"
    remitted(order_delivered(cod_order([(SAFFRON, SAFFRON_2G, 2)])))
    [statement] = settlements_draw_up(actor=staff(), **PERIOD)

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
