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
