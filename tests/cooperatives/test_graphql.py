"""The cooperative users' API: `myProducer`, its fulfilments and statements, refused to everyone else."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import to_global_id
from oscar.core.loading import get_model

from fulfilment.models import SettlementStatement
from fulfilment.services import producer_fulfilment_accept
from tests.api import api_client, error_codes, gql
from tests.fulfilment.helpers import order_place, product_of

pytestmark = pytest.mark.django_db
Partner = get_model("partner", "Partner")
SAFFRON, DATES = "souktana-safran-taliouine", "nakhil-aoufous"

MY_PRODUCER = """
query ($state: FulfilmentState, $first: Int, $after: String) {
  myProducer {
    slug
    fulfilments(state: $state, first: $first, after: $after) {
      pageInfo { endCursor }
      edges { node {
        id state orderNumber destinationCountry shippingCharge { amount currency }
        lines { title quantity quantityOpen }
      } }
    }
    statements { edges { node { producer { slug } periodStart netPayable paymentReference } } }
  }
}
"""


def _nodes(connection):
    return [edge["node"] for edge in connection["edges"]]


def _statement(slug: str, net: str = "90.00"):
    return SettlementStatement.objects.create(
        partner=Partner.objects.get(slug=slug),
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        gross=Decimal("100.00"),
        refunds=Decimal("0.00"),
        commission=Decimal("10.00"),
        payment_fees=Decimal("0.00"),
        shipping=Decimal("0.00"),
        net_payable=Decimal(net),
    )


def _mixed_order():
    """One order with a line of the saffron cooperative and a line of the dates cooperative."""
    return order_place([(product_of(SAFFRON), 1), (product_of(DATES), 2)])


@pytest.mark.parametrize(
    "email",
    [None, "customer@example.com", "gie@example.com", "admin@example.com"],
    ids=["anonymous", "customer", "gie-coordinator", "platform-staff"],
)
def test_who_works_for_no_producer_is_refused_my_producer(demo, email):
    _mixed_order()
    _statement(SAFFRON)

    body = gql(api_client(email), MY_PRODUCER)

    assert body["data"] == {"myProducer": None}
    assert error_codes(body) == ["PERMISSION_DENIED"]


@pytest.mark.parametrize(
    "email,slug,units",
    [("saffron@example.com", SAFFRON, 1), ("dates@example.com", DATES, 2)],
    ids=["saffron-coop", "gie-member-coop"],
)
def test_a_cooperative_user_reads_only_their_producers_fulfilments_and_statements(demo, email, slug, units):
    # given an order shared by two cooperatives, and a statement for each
    order = _mixed_order()
    _statement(SAFFRON, net="90.00")
    _statement(DATES, net="45.00")

    body = gql(api_client(email), MY_PRODUCER)

    assert "errors" not in body, body
    producer = body["data"]["myProducer"]
    assert producer["slug"] == slug
    fulfilment = order.fulfilments.get(partner__slug=slug)
    line = order.lines.get(partner__slug=slug)
    assert _nodes(producer["fulfilments"]) == [
        {
            "id": to_global_id("Fulfilment", fulfilment.pk),
            "state": "PENDING",
            "orderNumber": str(order.number),
            "destinationCountry": "MA",
            "shippingCharge": {"amount": str(fulfilment.shipping_charge), "currency": "MAD"},
            "lines": [{"title": line.title, "quantity": units, "quantityOpen": units}],
        }
    ]
    assert [(s["producer"]["slug"], s["netPayable"]) for s in _nodes(producer["statements"])] == [
        (slug, "90.00" if slug == SAFFRON else "45.00")
    ]


def test_fulfilments_filter_by_state_and_come_in_capped_pages(demo):
    orders = [_mixed_order() for __ in range(3)]
    producer_fulfilment_accept(fulfilment=orders[0].fulfilments.get(partner__slug=SAFFRON))
    client = api_client("saffron@example.com")

    def fulfilments(**variables):
        body = gql(client, MY_PRODUCER, **variables)
        assert "errors" not in body, body
        return body["data"]["myProducer"]["fulfilments"]

    assert [f["orderNumber"] for f in _nodes(fulfilments(state="ACCEPTED"))] == [str(orders[0].number)]
    assert len(_nodes(fulfilments(state="PENDING"))) == 2
    assert _nodes(fulfilments(state="DELIVERED")) == []
    first_page = fulfilments(first=2)
    pages = _nodes(first_page) + _nodes(fulfilments(first=2, after=first_page["pageInfo"]["endCursor"]))
    assert sorted(f["orderNumber"] for f in pages) == sorted(str(o.number) for o in orders)
    too_many = gql(client, MY_PRODUCER, first=101)
    assert too_many["data"]["myProducer"]["fulfilments"] is None
    assert "between 0 and 100" in too_many["errors"][0]["message"]
    unknown_state = gql(client, MY_PRODUCER, state="LOST")
    assert unknown_state.get("data") is None and unknown_state["errors"]


def test_the_my_producer_query_count_does_not_grow_with_fulfilments(demo, django_assert_max_num_queries):
    client = api_client("saffron@example.com")
    _mixed_order()
    _statement(SAFFRON)
    gql(client, "{ myProducer { slug } }")

    # session + user, the producer, fulfilments with order and address, their lines and order lines,
    # statements
    with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(7):
        small = gql(client, MY_PRODUCER)
    for __ in range(6):
        order_place([(product_of(SAFFRON), 1), (product_of(SAFFRON, 1), 1)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        big = gql(client, MY_PRODUCER)

    assert len(_nodes(small["data"]["myProducer"]["fulfilments"])) == 1
    assert len(_nodes(big["data"]["myProducer"]["fulfilments"])) == 7
    assert sum(len(f["lines"]) for f in _nodes(big["data"]["myProducer"]["fulfilments"])) == 13


def test_a_fulfilment_is_a_node_only_for_its_producers_staff(demo):
    fulfilment = _mixed_order().fulfilments.get(partner__slug=SAFFRON)
    query = "query ($id: ID!) { node(id: $id) { ... on Fulfilment { state orderNumber } } }"
    node_id = to_global_id("Fulfilment", fulfilment.pk)

    own = gql(api_client("saffron@example.com"), query, id=node_id)
    foreign = gql(api_client("dates@example.com"), query, id=node_id)
    anonymous = gql(api_client(None), query, id=node_id)

    assert own["data"]["node"] == {"state": "PENDING", "orderNumber": str(fulfilment.order.number)}
    assert foreign["data"]["node"] is None and anonymous["data"]["node"] is None
