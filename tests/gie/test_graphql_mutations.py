"""The coordinators' hub steps through the API: receiving a round, shipping one consolidated parcel,
reading the members' statements; refused to anyone who does not coordinate the GIE."""

import datetime

import pytest

from fulfilment.models import ProducerFulfilment
from gie.models import ConsolidatedShipment, RoundLine
from gie.services import collection_round_open
from tests.api import api_client, error_codes, gql
from tests.fulfilment.helpers import statement_for
from tests.gie.conftest import hub_order

pytestmark = pytest.mark.django_db
COORDINATOR, OTHER = "gie@example.com", "other@example.com"
REFUSED = {
    "anonymous": None,
    "customer": "customer@example.com",
    "member-coop-user": "dates@example.com",
}

RECEIVE = """
mutation ($slug: String!, $roundId: ID!, $lines: [RoundLineReceivedInput!]!) {
  collectionRoundReceive(slug: $slug, roundId: $roundId, lines: $lines, confirmShortfall: true) {
    round { id membersSummary { memberName units received } } errors { field message code }
  }
}"""
SHIP = """
mutation ($slug: String!, $number: String!, $carrier: String!) {
  consolidatedShipmentCreate(slug: $slug, orderNumber: $number, carrier: $carrier, trackingNumber: "CTM-77") {
    shipment { orderNumber carrier trackingNumber fulfilments { state } } errors { field message code }
  }
}"""
STATEMENTS = """
query ($slug: String!) {
  gieDashboard(slug: $slug) {
    memberStatements(first: 10) { totalCount edges { node { producer { slug } netPayable } } }
  }
}"""


@pytest.fixture
def round_(mawrout, members):
    order = hub_order()
    round_ = collection_round_open(
        gie=mawrout,
        name="Semaine 49",
        collection_date=datetime.date(2026, 12, 3),
        member_ids=[m.pk for m in members.values()],
    )
    return round_, order


def _received(round_, missing=0):
    lines = list(RoundLine.objects.filter(round=round_).order_by("pk"))
    return [
        {"roundLineId": str(line.pk), "quantityReceived": line.quantity - (missing if i == 0 else 0)}
        for i, line in enumerate(lines)
    ]


def test_the_coordinator_receives_a_round_then_ships_the_order_in_one_parcel(round_):
    round_, order = round_
    client = api_client(COORDINATOR)

    received = gql(client, RECEIVE, slug="mawrout-bladi", roundId=round_.pk, lines=_received(round_))
    shipped = gql(client, SHIP, slug="mawrout-bladi", number=str(order.number), carrier="CTM Messagerie")

    assert received["data"]["collectionRoundReceive"]["errors"] == []
    summary = received["data"]["collectionRoundReceive"]["round"]["membersSummary"]
    assert all(row["received"] == row["units"] for row in summary)
    payload = shipped["data"]["consolidatedShipmentCreate"]
    assert payload["errors"] == []
    assert payload["shipment"]["orderNumber"] == str(order.number)
    assert payload["shipment"]["trackingNumber"] == "CTM-77"
    assert [f["state"] for f in payload["shipment"]["fulfilments"]] == ["SHIPPED", "SHIPPED"]
    assert ConsolidatedShipment.objects.get().fulfilments.count() == 2


def test_a_shortfall_at_the_hub_cancels_and_refunds_the_missing_units(round_):
    round_, order = round_

    body = gql(
        api_client(COORDINATOR), RECEIVE, slug="mawrout-bladi", roundId=round_.pk, lines=_received(round_, 1)
    )

    assert body["data"]["collectionRoundReceive"]["errors"] == []
    short = RoundLine.objects.filter(round=round_).order_by("pk").first()
    fulfilment = ProducerFulfilment.objects.get(pk=short.fulfilment_line.fulfilment_id)
    assert fulfilment.refund_due > 0
    assert short.fulfilment_line.__class__.objects.get(pk=short.fulfilment_line_id).quantity_cancelled == 1


def test_shipping_before_the_hub_received_everything_is_an_input_error(round_):
    round_, order = round_

    body = gql(api_client(COORDINATOR), SHIP, slug="mawrout-bladi", number=str(order.number), carrier="Amana")

    payload = body["data"]["consolidatedShipmentCreate"]
    assert payload["shipment"] is None and [e["code"] for e in payload["errors"]] == ["INVALID"]
    assert not ConsolidatedShipment.objects.exists()


def test_receiving_more_than_was_ordered_is_an_input_error_and_writes_nothing(round_):
    round_, __ = round_
    lines = _received(round_)
    lines[0]["quantityReceived"] += 5

    body = gql(api_client(COORDINATOR), RECEIVE, slug="mawrout-bladi", roundId=round_.pk, lines=lines)

    assert body["data"]["collectionRoundReceive"]["errors"]
    assert not RoundLine.objects.filter(round=round_, quantity_received__isnull=False).exists()


@pytest.mark.parametrize("email", REFUSED.values(), ids=REFUSED.keys())
def test_who_coordinates_no_gie_is_refused_the_hub_steps(round_, email):
    round_, order = round_
    client = api_client(email)

    bodies = [
        gql(client, RECEIVE, slug="mawrout-bladi", roundId=round_.pk, lines=_received(round_)),
        gql(client, SHIP, slug="mawrout-bladi", number=str(order.number), carrier="Amana"),
        gql(client, STATEMENTS, slug="mawrout-bladi"),
    ]

    assert [error_codes(body) for body in bodies] == [["PERMISSION_DENIED"]] * 3
    assert not RoundLine.objects.filter(quantity_received__isnull=False).exists()


def test_a_coordinator_of_another_gie_finds_neither_the_round_nor_the_order(round_, other_gie):
    round_, order = round_
    client = api_client(OTHER)

    on_this_gie = gql(client, RECEIVE, slug="mawrout-bladi", roundId=round_.pk, lines=_received(round_))
    through_own = gql(client, RECEIVE, slug="oasis-draa", roundId=round_.pk, lines=_received(round_))
    ship_through_own = gql(client, SHIP, slug="oasis-draa", number=str(order.number), carrier="Amana")

    assert [error_codes(b) for b in (on_this_gie, through_own, ship_through_own)] == [["NOT_FOUND"]] * 3
    assert not ConsolidatedShipment.objects.exists()


def test_the_coordinator_reads_the_members_statements_in_pages(members, other_gie):
    for month, member in enumerate(members.values(), start=9):
        statement_for(member, month=month)
    statement_for(other_gie.members.get(), month=9, net="1.00")

    body = gql(api_client(COORDINATOR), STATEMENTS, slug="mawrout-bladi")

    statements = body["data"]["gieDashboard"]["memberStatements"]
    assert statements["totalCount"] == 3
    assert {edge["node"]["producer"]["slug"] for edge in statements["edges"]} == set(members)
