"""The hub ships its members' parcels, so the parcel's shipping is paid to the GIE, not to a member."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from fulfilment.models import SettlementLine, SettlementStatement
from fulfilment.services import producer_fulfilment_deliver
from fulfilment.settlements import settlement_lines_of, settlements_create
from gie.models import Gie
from gie.services import collection_round_open, consolidated_shipment_create, round_lines_receive
from tests.gie.conftest import hub_order

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = datetime.date.today()
PERIOD = {
    "period_start": TODAY - datetime.timedelta(days=5),
    "period_end": TODAY + datetime.timedelta(days=5),
}


def _delivered_hub_order(gie, members):
    order = hub_order()
    round_ = collection_round_open(
        gie=gie, name="R", collection_date=TODAY, member_ids=[m.pk for m in members.values()]
    )
    round_lines_receive(round_=round_, received={rl.pk: rl.quantity for rl in round_.lines.all()})
    consolidated_shipment_create(gie=gie, order_number=order.number, carrier="Amana", tracking_number="AM1")
    for fulfilment in order.fulfilments.all():
        producer_fulfilment_deliver(fulfilment=fulfilment)
    return order


def test_the_hub_parcels_shipping_goes_on_the_gies_statement(mawrout, members):
    order = _delivered_hub_order(mawrout, members)
    charged = {f.partner_id: f.shipping_charge for f in order.fulfilments.all()}
    parcel_charge = sum(charged.values(), D("0"))
    assert parcel_charge > 0 and sorted(charged.values())[0] == 0  # charged once, on one member

    statements = {s.partner_id: s for s in settlements_create(**PERIOD)}

    assert mawrout.partner_id in statements
    hub = statements.pop(mawrout.partner_id)
    assert set(statements) == set(charged)
    assert all(s.shipping == 0 and s.gross > 0 for s in statements.values())
    [line] = settlement_lines_of(statement=hub)
    assert line.kind == SettlementLine.Kind.SHIPPING and line.order_number == str(order.number)
    assert (hub.gross, hub.commission, hub.shipping) == (D("0.00"), D("0.00"), parcel_charge)
    assert hub.net_payable == hub.shipping - hub.payment_fees
    # every dirham the customer paid for goods and shipping is on exactly one statement
    everything = SettlementStatement.objects.all()
    assert sum((s.gross + s.shipping for s in everything), D("0")) == order.total_incl_tax


def test_a_gie_without_a_producer_record_leaves_the_shipping_with_the_member_charged(mawrout, members):
    Gie.objects.filter(pk=mawrout.pk).update(partner=None)
    order = _delivered_hub_order(mawrout, members)
    payer = order.fulfilments.get(shipping_charge__gt=0)

    statements = {s.partner_id: s for s in settlements_create(**PERIOD)}

    assert statements[payer.partner_id].shipping == payer.shipping_charge
    assert SettlementLine.objects.filter(kind=SettlementLine.Kind.SHIPPING).count() == 0


def test_the_coordinator_reads_the_gies_own_statement_and_reruns_without_clash(client, mawrout, members):
    _delivered_hub_order(mawrout, members)
    member_ids = [m.pk for m in members.values()]
    first = settlements_create(**PERIOD, partner_ids=member_ids)  # the coordinator's run, members only
    hub = next(s for s in first if s.partner_id == mawrout.partner_id)
    _delivered_hub_order(mawrout, members)  # delivered after the run

    # the same period again: the hub's record has its statement already, so the new order waits whole
    assert settlements_create(**PERIOD, partner_ids=member_ids) == []
    assert SettlementLine.objects.count() == 3

    assert client.login(username="gie@example.com", password="terroir-demo")
    page = client.get(reverse("gie-dashboard:settlements", kwargs={"slug": mawrout.slug}))
    assert hub.pk in {s.pk for s in page.context["statements"]}
    download = client.get(reverse("settlements-dashboard:file", kwargs={"pk": hub.pk, "fmt": "csv"}))
    assert download.status_code == 200 and str(hub.net_payable) in download.content.decode()


@pytest.mark.postgres
def test_postgresqls_set_based_run_gives_the_reference_arithmetics_figures(mawrout, members):
    """PostgreSQL computes the run in SQL; SQLite runs the Python reference. On one mixed month —
    hub orders whose shipping goes to the GIE, a EUR order at its recorded rate, card and cash
    payments, a shortfall refund — both must give the same statements and lines to the centime."""
    from django.db import connection, transaction

    from fulfilment import settlements
    from tests.fulfilment.test_settlements import _delivered_order

    if connection.vendor != "postgresql":
        pytest.skip("the set-based run is PostgreSQL's")
    _delivered_hub_order(mawrout, members)
    _delivered_hub_order(mawrout, members)
    _delivered_order(
        quantity=3, unit_price=D("33.33"), shipping=D("29.99"), shipped=2, payment="cash-on-delivery"
    )
    _delivered_order(
        quantity=2,
        unit_price=D("17.35"),
        shipping=D("4.99"),
        shipped=2,
        payment="stripe-card",
        currency="EUR",
        index=1,
    )

    def run(create):
        statements = create()
        return (
            sorted(
                (s.partner_id, s.fulfilments_count, *(getattr(s, n) for n in settlements.AMOUNT_FIELDS))
                for s in statements
            ),
            sorted(
                SettlementLine.objects.values_list(
                    "statement__partner_id",
                    "fulfilment_id",
                    "kind",
                    "order_number",
                    "order_currency",
                    "rate_to_mad",
                    *settlements.AMOUNT_FIELDS,
                )
            ),
        )

    def python_run():
        already = set()
        rows = list(settlements.fulfilments_to_settle(period_end=PERIOD["period_end"]))
        return settlements._settlements_create_in_python(rows=rows, already_drawn=already, **PERIOD)

    with transaction.atomic():
        reference = run(python_run)
        transaction.set_rollback(True)
    in_sql = run(lambda: settlements_create(**PERIOD))

    # saffron (2 orders), the two hub members and the GIE; 2 + 4 goods lines and 2 hub shipping lines
    assert len(reference[0]) == 4 and len(reference[1]) == 8
    assert in_sql == reference
