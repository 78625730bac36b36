"""The coordinators' API: the GIE dashboard's reads and round steps, refused to everyone else."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphql_relay import from_global_id, to_global_id

from fulfilment.models import ProducerFulfilment, SettlementStatement
from gie.models import CollectionRound, RoundLine
from gie.services import collection_round_open
from tests.api import api_client, error_codes, gql
from tests.fulfilment.helpers import order_place, product_of
from tests.gie.conftest import Partner, hub_order

pytestmark = pytest.mark.django_db
Z = Decimal("0.00")
DAY = datetime.date(2026, 11, 25)
COORDINATOR, STAFF, OTHER = "gie@example.com", "admin@example.com", "other@example.com"
# Refused outright: they coordinate no GIE (dates@ works for a member of Mawrout Bladi).
REFUSED = {
    "anonymous": None,
    "customer": "customer@example.com",
    "member-coop-user": "dates@example.com",
    "other-coop-user": "saffron@example.com",
}

DASHBOARD = """
query ($slug: String!, $roundId: ID!) {
  gieDashboard(slug: $slug) {
    slug
    members { slug }
    consolidated {
      totalCount
      lines(first: 100) { edges { node {
        orderNumber member { slug } title unitsOpen amountOpen { amount currency } state roundName
      } } }
      totalsByProduct { title units amount }
      totalsByMember { memberName units amount }
    }
    rounds { edges { node { id name status members { slug } membersSummary { memberName units received } } } }
    roundLines(roundId: $roundId) {
      edges { node { member { slug } orderNumber title quantity quantityReceived } }
    }
    memberStatements { edges { node { producer { slug } periodStart netPayable } } }
  }
}
"""

LINES = """
query ($slug: String!, $memberId: ID, $productId: ID, $state: FulfilmentState, $destination: String,
       $dateFrom: Date, $dateTo: Date, $first: Int, $after: String) {
  gieDashboard(slug: $slug) {
    consolidated(memberId: $memberId, productId: $productId, state: $state, destination: $destination,
                 dateFrom: $dateFrom, dateTo: $dateTo) {
      totalCount
      lines(first: $first, after: $after) {
        pageInfo { endCursor hasNextPage }
        edges { node { id orderNumber member { slug } unitsOpen state } }
      }
      totalsByMember { memberName units }
    }
  }
}
"""

OPEN = """
mutation ($slug: String!, $name: String!, $date: Date!, $memberIds: [ID!]!) {
  collectionRoundOpen(slug: $slug, name: $name, collectionDate: $date, memberIds: $memberIds) {
    round { id name status membersSummary { memberName units } }
    errors { field message code }
  }
}
"""

CLOSE = """
mutation ($slug: String!, $roundId: ID!) {
  collectionRoundClose(slug: $slug, roundId: $roundId) { round { id status } errors { field message code } }
}
"""


def _statement(partner, month=10, net="90.00"):
    return SettlementStatement.objects.create(
        partner=partner,
        period_start=datetime.date(2026, month, 1),
        period_end=datetime.date(2026, month, 28),
        gross=Decimal("100.00"),
        refunds=Z,
        commission=Decimal("10.00"),
        payment_fees=Z,
        shipping=Z,
        net_payable=Decimal(net),
    )


@pytest.fixture
def data(mawrout, members):
    """One hub order of two members, a round over one of them, a statement per member."""
    order = hub_order()
    round_ = collection_round_open(
        gie=mawrout, name="Semaine 48", collection_date=DAY, member_ids=[members["nakhil-aoufous"].pk]
    )
    statements = [_statement(members["nakhil-aoufous"]), _statement(members["al-wahda-rissani"])]
    return {"order": order, "round": round_, "statements": statements}


def _dashboard(email, data, slug="mawrout-bladi"):
    return gql(api_client(email), DASHBOARD, slug=slug, roundId=data["round"].pk)


def _nodes(connection):
    return [edge["node"] for edge in connection["edges"]]


@pytest.mark.parametrize("email", REFUSED.values(), ids=REFUSED.keys())
def test_who_coordinates_no_gie_is_refused_every_coordinator_field(data, other_gie, email):
    client = api_client(email)

    dashboard = gql(client, DASHBOARD, slug="mawrout-bladi", roundId=data["round"].pk)
    gies = gql(client, "{ coordinatedGies { slug } }")

    assert dashboard["data"] == {"gieDashboard": None}
    assert error_codes(dashboard) == ["PERMISSION_DENIED"]
    assert gies["data"] is None and error_codes(gies) == ["PERMISSION_DENIED"]


@pytest.mark.parametrize("email", REFUSED.values(), ids=REFUSED.keys())
def test_who_coordinates_no_gie_cannot_open_or_close_a_round(data, members, email):
    client = api_client(email)
    ids = [m.pk for m in members.values()]

    opened = gql(client, OPEN, slug="mawrout-bladi", name="X", date="2026-12-01", memberIds=ids)
    closed = gql(client, CLOSE, slug="mawrout-bladi", roundId=data["round"].pk)

    assert opened["data"] == {"collectionRoundOpen": None}
    assert closed["data"] == {"collectionRoundClose": None}
    assert error_codes(opened) == error_codes(closed) == ["PERMISSION_DENIED"]
    assert CollectionRound.objects.get().status == "open"


def test_a_coordinator_of_another_gie_gets_nothing_of_this_one(data, members, other_gie):
    client = api_client(OTHER)

    # this GIE's dashboard does not exist for them, as on the dashboard (404)
    body = _dashboard(OTHER, data)
    assert body["data"] == {"gieDashboard": None} and error_codes(body) == ["NOT_FOUND"]

    # their own GIE's dashboard shows none of this GIE's lines, rounds or statements
    body = gql(
        client,
        """query ($roundId: ID!) { gieDashboard(slug: "oasis-draa") {
             members { slug } consolidated { totalCount totalsByMember { memberName } }
             rounds { totalCount } memberStatements { totalCount } round(id: $roundId) { id } } }""",
        roundId=data["round"].pk,
    )
    own = body["data"]["gieDashboard"]
    assert own["members"] == [{"slug": "rose-du-dades"}]
    assert own["consolidated"] == {"totalCount": 0, "totalsByMember": []}
    assert own["rounds"] == own["memberStatements"] == {"totalCount": 0} and own["round"] is None
    assert error_codes(body) == ["NOT_FOUND"]
    lines = gql(
        client,
        'query ($id: ID!) { gieDashboard(slug: "oasis-draa") { roundLines(roundId: $id) { totalCount } } }',
        id=data["round"].pk,
    )
    assert lines["data"] == {"gieDashboard": {"roundLines": None}} and error_codes(lines) == ["NOT_FOUND"]
    assert gql(client, "{ coordinatedGies { slug } }")["data"] == {
        "coordinatedGies": [{"slug": "oasis-draa"}]
    }

    # and they can neither open a round over this GIE's members nor close its round
    opened = gql(
        client,
        OPEN,
        slug="mawrout-bladi",
        name="X",
        date="2026-12-01",
        memberIds=[m.pk for m in members.values()],
    )
    through_own = gql(client, CLOSE, slug="oasis-draa", roundId=data["round"].pk)
    assert error_codes(opened) == error_codes(through_own) == ["NOT_FOUND"]
    assert through_own["data"] == {"collectionRoundClose": None}
    assert CollectionRound.objects.get().status == "open"


@pytest.mark.parametrize("email", [COORDINATOR, STAFF], ids=["coordinator", "platform-staff"])
def test_the_coordinator_and_platform_staff_read_the_whole_dashboard(data, members, email):
    body = _dashboard(email, data)

    assert "errors" not in body, body
    dashboard = body["data"]["gieDashboard"]
    nakhil, wahda = members["nakhil-aoufous"], members["al-wahda-rissani"]
    nakhil_line = data["order"].lines.get(partner=nakhil)
    assert [m["slug"] for m in dashboard["members"]] == [
        "al-wahda-rissani",
        "compost-vert-erfoud",
        "nakhil-aoufous",
    ]
    consolidated = dashboard["consolidated"]
    assert consolidated["totalCount"] == 2
    by_member = {
        row["memberName"]: (row["units"], Decimal(row["amount"])) for row in consolidated["totalsByMember"]
    }
    assert by_member == {
        nakhil.name: (2, nakhil_line.unit_price_incl_tax * 2),
        wahda.name: (1, data["order"].lines.get(partner=wahda).unit_price_incl_tax),
    }
    assert sum(row["units"] for row in consolidated["totalsByProduct"]) == 3
    line = next(fl for fl in _nodes(consolidated["lines"]) if fl["member"]["slug"] == "nakhil-aoufous")
    assert line == {
        "orderNumber": str(data["order"].number),
        "member": {"slug": "nakhil-aoufous"},
        "title": nakhil_line.title,
        "unitsOpen": 2,
        "amountOpen": {"amount": str(nakhil_line.unit_price_incl_tax * 2), "currency": "MAD"},
        "state": "PENDING",
        "roundName": "Semaine 48",
    }
    assert _nodes(dashboard["rounds"]) == [
        {
            "id": to_global_id("CollectionRound", data["round"].pk),
            "name": "Semaine 48",
            "status": "OPEN",
            "members": [{"slug": "nakhil-aoufous"}],
            "membersSummary": [{"memberName": nakhil.name, "units": 2, "received": None}],
        }
    ]
    assert _nodes(dashboard["roundLines"]) == [
        {
            "member": {"slug": "nakhil-aoufous"},
            "orderNumber": str(data["order"].number),
            "title": nakhil_line.title,
            "quantity": 2,
            "quantityReceived": None,
        }
    ]
    assert sorted(
        (s["producer"]["slug"], s["netPayable"]) for s in _nodes(dashboard["memberStatements"])
    ) == [
        ("al-wahda-rissani", "90.00"),
        ("nakhil-aoufous", "90.00"),
    ]


def test_statements_of_producers_outside_the_gie_are_not_listed(data):
    _statement(Partner.objects.get(slug="souktana-safran-taliouine"))

    body = _dashboard(COORDINATOR, data)

    slugs = {s["producer"]["slug"] for s in _nodes(body["data"]["gieDashboard"]["memberStatements"])}
    assert slugs == {"nakhil-aoufous", "al-wahda-rissani"}


def test_the_consolidated_filters_are_the_dashboards(mawrout, members):
    # given two hub orders to Morocco, one to France (placed the day before), and a self-shipped one
    first = hub_order()
    hub_order([(product_of("nakhil-aoufous"), 3)])
    france = hub_order([(product_of("al-wahda-rissani"), 4)], country="FR")
    france.__class__.objects.filter(pk=france.pk).update(
        date_placed=first.date_placed - datetime.timedelta(days=1)
    )
    order_place([(product_of("souktana-safran-taliouine"), 1)])
    ProducerFulfilment.objects.filter(order=first, partner=members["al-wahda-rissani"]).update(
        status="accepted"
    )
    client = api_client(COORDINATOR)
    nakhil = members["nakhil-aoufous"]

    def lines(**filters):
        body = gql(client, LINES, slug="mawrout-bladi", **filters)
        assert "errors" not in body, body
        return body["data"]["gieDashboard"]["consolidated"]

    by_member = lines(memberId=to_global_id("Producer", nakhil.pk))
    assert {fl["member"]["slug"] for fl in _nodes(by_member["lines"])} == {"nakhil-aoufous"}
    assert by_member["totalsByMember"] == [{"memberName": nakhil.name, "units": 5}]
    assert lines(productId=product_of("nakhil-aoufous").pk)["totalCount"] == 2
    assert [fl["state"] for fl in _nodes(lines(state="ACCEPTED")["lines"])] == ["ACCEPTED"]
    assert [fl["unitsOpen"] for fl in _nodes(lines(destination="FR")["lines"])] == [4]
    assert lines(destination="ma")["totalCount"] == 3
    day = first.date_placed.date()
    assert lines(dateTo=(day - datetime.timedelta(days=1)).isoformat())["totalCount"] == 1
    assert lines(dateFrom=day.isoformat())["totalCount"] == 3
    assert lines()["totalCount"] == 4


def test_the_consolidated_lines_come_in_capped_pages(mawrout, members):
    for __ in range(3):
        hub_order()
    client = api_client(COORDINATOR)

    first_page = gql(client, LINES, slug="mawrout-bladi", first=4)["data"]["gieDashboard"]["consolidated"]
    cursor = first_page["lines"]["pageInfo"]["endCursor"]
    second_page = gql(client, LINES, slug="mawrout-bladi", first=4, after=cursor)["data"]["gieDashboard"][
        "consolidated"
    ]
    too_many = gql(client, LINES, slug="mawrout-bladi", first=101)

    assert first_page["totalCount"] == second_page["totalCount"] == 6
    assert (
        first_page["lines"]["pageInfo"]["hasNextPage"] and not second_page["lines"]["pageInfo"]["hasNextPage"]
    )
    ids = [fl["id"] for fl in _nodes(first_page["lines"]) + _nodes(second_page["lines"])]
    assert len(ids) == len(set(ids)) == 6
    consolidated = too_many["data"]["gieDashboard"]["consolidated"]
    assert consolidated["lines"] is None and consolidated["totalCount"] == 6
    assert "between 0 and 100" in too_many["errors"][0]["message"]


@pytest.mark.parametrize(
    "filters",
    [{"state": "DELIVERED"}, {"memberId": "not-an-id"}, {"productId": "0"}],
    ids=["closed-state", "bad-member", "bad-product"],
)
def test_a_filter_the_dashboard_would_refuse_is_an_error_not_everything(mawrout, members, filters):
    hub_order()

    body = gql(api_client(COORDINATOR), LINES, slug="mawrout-bladi", **filters)

    assert body["data"] == {"gieDashboard": None}
    assert error_codes(body) == ["INVALID"]


def test_a_member_of_another_gie_is_not_a_filter_of_this_one(data, other_gie):
    rose = other_gie.members.get()
    body = gql(
        api_client(COORDINATOR), LINES, slug="mawrout-bladi", memberId=to_global_id("Producer", rose.pk)
    )
    assert error_codes(body) == ["INVALID"]


def test_the_dashboard_query_count_does_not_grow_with_orders_rounds_or_statements(
    mawrout, members, django_assert_max_num_queries
):
    # given a little activity
    def activity(month):
        for __ in range(2):
            hub_order()
        round_ = collection_round_open(
            gie=mawrout, name=f"R{month}", collection_date=DAY, member_ids=[m.pk for m in members.values()]
        )
        for member in members.values():
            _statement(member, month=month)
        return round_

    round_ = activity(1)
    client = api_client(COORDINATOR)
    gql(client, "{ coordinatedGies { slug } }")  # the session is loaded once before counting

    # session + user, the GIE, members (for the field and the filter form), consolidated count,
    # lines and two totals, rounds + their members + one grouped summary, one round + its members
    # and its lines, statements
    with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(16):
        small = gql(client, DASHBOARD, slug="mawrout-bladi", roundId=round_.pk)

    # when there are many more
    for month in range(2, 6):
        round_ = activity(month)
    with django_assert_max_num_queries(len(few.captured_queries)):
        big = gql(client, DASHBOARD, slug="mawrout-bladi", roundId=round_.pk)

    assert "errors" not in small and "errors" not in big, big
    assert len(_nodes(big["data"]["gieDashboard"]["rounds"])) == 5
    assert all(r["membersSummary"] for r in _nodes(big["data"]["gieDashboard"]["rounds"]))
    assert len(_nodes(big["data"]["gieDashboard"]["consolidated"]["lines"])) == 20
    assert len(_nodes(big["data"]["gieDashboard"]["memberStatements"])) == 15


def test_coordinated_gies_lists_the_coordinators_gies_and_every_gie_for_staff(demo, other_gie):
    mine = gql(api_client(COORDINATOR), "{ coordinatedGies { slug members { slug } } }")
    every = gql(api_client(STAFF), "{ coordinatedGies { slug } }")

    assert [g["slug"] for g in mine["data"]["coordinatedGies"]] == ["mawrout-bladi"]
    assert len(mine["data"]["coordinatedGies"][0]["members"]) == 3
    assert {g["slug"] for g in every["data"]["coordinatedGies"]} == {"mawrout-bladi", "oasis-draa"}


@pytest.mark.parametrize("email", [COORDINATOR, STAFF], ids=["coordinator", "platform-staff"])
def test_a_coordinator_opens_and_closes_a_round(mawrout, members, email):
    # given a hub order of two members
    hub_order()
    client = api_client(email)
    nakhil = members["nakhil-aoufous"]

    # when a round is opened over one of them, then closed
    opened = gql(
        client,
        OPEN,
        slug="mawrout-bladi",
        name=" Semaine 49 ",
        date="2026-12-02",
        memberIds=[to_global_id("Producer", nakhil.pk)],
    )
    round_id = opened["data"]["collectionRoundOpen"]["round"]["id"]
    closed = gql(client, CLOSE, slug="mawrout-bladi", roundId=round_id)

    # then the round took that member's lines, and is closed
    assert opened["data"]["collectionRoundOpen"] == {
        "round": {
            "id": round_id,
            "name": "Semaine 49",
            "status": "OPEN",
            "membersSummary": [{"memberName": nakhil.name, "units": 2}],
        },
        "errors": [],
    }
    assert closed["data"]["collectionRoundClose"] == {
        "round": {"id": round_id, "status": "CLOSED"},
        "errors": [],
    }
    round_ = CollectionRound.objects.get(pk=from_global_id(round_id).id)
    assert round_.status == "closed" and round_.collection_date == datetime.date(2026, 12, 2)
    assert set(round_.lines.values_list("partner_id", flat=True)) == {nakhil.pk}


@pytest.mark.parametrize(
    "variables,field,code",
    [
        ({"name": "   "}, "name", "REQUIRED"),
        ({"name": "x" * 129}, "name", "MAX_LENGTH"),
        ({"memberIds": []}, "memberIds", "REQUIRED"),
        ({"memberIds": ["rose"]}, "memberIds", "INVALID_PK_VALUE"),
        ({"memberIds": ["other-gie-member"]}, "memberIds", "INVALID_CHOICE"),
    ],
    ids=["blank-name", "long-name", "no-member", "not-an-id", "not-a-member"],
)
def test_bad_round_input_comes_back_as_field_errors_and_writes_nothing(
    mawrout, members, other_gie, variables, field, code
):
    hub_order()
    rose = other_gie.members.get()
    arguments = {"name": "Semaine 49", "date": "2026-12-02", "memberIds": [m.pk for m in members.values()]}
    arguments.update(variables)
    if arguments["memberIds"] == ["other-gie-member"]:
        arguments["memberIds"] = [members["nakhil-aoufous"].pk, rose.pk]

    body = gql(api_client(COORDINATOR), OPEN, slug="mawrout-bladi", **arguments)

    payload = body["data"]["collectionRoundOpen"]
    assert payload["round"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    assert payload["errors"][0]["message"]
    assert not CollectionRound.objects.exists() and not RoundLine.objects.exists()


def test_closing_a_closed_round_is_an_input_error(data):
    client = api_client(COORDINATOR)
    gql(client, CLOSE, slug="mawrout-bladi", roundId=data["round"].pk)
    date_closed = CollectionRound.objects.get().date_closed

    again = gql(client, CLOSE, slug="mawrout-bladi", roundId=data["round"].pk)

    assert again["data"]["collectionRoundClose"]["round"] is None
    assert [(e["field"], e["code"]) for e in again["data"]["collectionRoundClose"]["errors"]] == [
        (None, "ALREADY_CLOSED")
    ]
    assert CollectionRound.objects.get().date_closed == date_closed


def test_an_unknown_round_is_not_found(data):
    body = gql(api_client(COORDINATOR), CLOSE, slug="mawrout-bladi", roundId="nope")
    assert body["data"] == {"collectionRoundClose": None} and error_codes(body) == ["NOT_FOUND"]


def test_a_mutation_cannot_come_from_a_cross_site_form(data):
    """The endpoint is CSRF-exempt, so a form POST riding the coordinator's cookie must not run."""
    client = api_client(COORDINATOR)
    query = 'mutation { collectionRoundClose(slug: "mawrout-bladi", roundId: "%d") { errors { code } } }'

    mutation = query % data["round"].pk

    form = client.post("/graphql/", {"query": mutation})
    # text/plain is what a form can send without a preflight; the operation hides in the URL
    plain = client.post(f"/graphql/?{urlencode({'query': mutation})}", data="x", content_type="text/plain")
    url_beside_json = client.post(
        f"/graphql/?{urlencode({'query': mutation})}", data={}, content_type="application/json"
    )

    assert (form.status_code, plain.status_code) == (415, 415)
    assert url_beside_json.status_code == 400  # the body carries no query: the URL's is ignored
    assert CollectionRound.objects.get().status == "open"
