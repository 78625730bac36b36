"""Who may open each GIE dashboard page: only the GIE's coordinators and platform staff."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from fulfilment.models import SettlementStatement
from gie.models import CollectionRound
from gie.services import collection_round_open
from tests.gie.conftest import PASSWORD, hub_order

pytestmark = pytest.mark.django_db
Z = Decimal("0.00")


@pytest.fixture
def mawrout_data(mawrout, members):
    order = hub_order()
    round_ = collection_round_open(
        gie=mawrout,
        name="R",
        collection_date=datetime.date(2026, 11, 25),
        member_ids=[m.pk for m in members.values()],
    )
    statement = SettlementStatement.objects.create(
        partner=members["nakhil-aoufous"],
        period_start=datetime.date(2026, 10, 1),
        period_end=datetime.date(2026, 10, 31),
        gross=Decimal("100.00"),
        refunds=Z,
        commission=Decimal("10.00"),
        payment_fees=Z,
        shipping=Z,
        net_payable=Decimal("90.00"),
    )
    return {"order": order, "round": round_, "statement": statement, "partner": members["nakhil-aoufous"]}


def _get_urls(slug, data):
    round_, partner, statement = data["round"], data["partner"], data["statement"]
    po = {"pk": round_.pk, "partner_id": partner.pk}
    return [
        reverse("gie-dashboard:home", kwargs={"slug": slug}),
        reverse("gie-dashboard:consolidated", kwargs={"slug": slug}),
        reverse("gie-dashboard:consolidated", kwargs={"slug": slug}) + "?export=csv",
        reverse("gie-dashboard:rounds", kwargs={"slug": slug}),
        reverse("gie-dashboard:round", kwargs={"slug": slug, "pk": round_.pk}),
        reverse("gie-dashboard:purchase-order", kwargs={"slug": slug, "fmt": "pdf", **po}),
        reverse("gie-dashboard:purchase-order", kwargs={"slug": slug, "fmt": "csv", **po}),
        reverse("gie-dashboard:packing-index", kwargs={"slug": slug}),
        reverse("gie-dashboard:packing", kwargs={"slug": slug, "number": data["order"].number}),
        reverse("gie-dashboard:settlements", kwargs={"slug": slug}),
        reverse("gie-dashboard:settlement-file", kwargs={"slug": slug, "pk": statement.pk, "fmt": "pdf"}),
        reverse("gie-dashboard:settlement-file", kwargs={"slug": slug, "pk": statement.pk, "fmt": "csv"}),
    ]


def _post_urls(slug, data):
    round_, statement = data["round"], data["statement"]
    return [
        (
            reverse("gie-dashboard:rounds", kwargs={"slug": slug}),
            {"name": "X", "collection_date": "2026-12-01"},
        ),
        (
            reverse("gie-dashboard:round-action", kwargs={"slug": slug, "pk": round_.pk, "action": "close"}),
            {},
        ),
        (
            reverse(
                "gie-dashboard:round-action", kwargs={"slug": slug, "pk": round_.pk, "action": "receive"}
            ),
            {f"received-{rl.pk}": "0" for rl in round_.lines.all()},
        ),
        (
            reverse("gie-dashboard:packing", kwargs={"slug": slug, "number": data["order"].number}),
            {"carrier": "Amana"},
        ),
        (
            reverse("gie-dashboard:settlements", kwargs={"slug": slug}),
            {"period_start": "2026-01-01", "period_end": "2026-12-31"},
        ),
        (
            reverse("gie-dashboard:settlement-paid", kwargs={"slug": slug, "pk": statement.pk}),
            {"reference": "VIR-1"},
        ),
    ]


def _unchanged(data):
    data["round"].refresh_from_db()
    data["statement"].refresh_from_db()
    return (
        data["round"].status == "open"
        and not data["round"].lines.filter(quantity_received__isnull=False).exists()
        and CollectionRound.objects.count() == 1
        and set(data["order"].fulfilments.values_list("status", flat=True)) == {"pending"}
        and not data["statement"].payment_reference
        and SettlementStatement.objects.count() == 1
    )


@pytest.mark.parametrize(
    "email",
    [None, "customer@example.com", "dates@example.com", "saffron@example.com", "other@example.com"],
    ids=["anonymous", "customer", "member-staff", "non-member-staff", "other-coordinator"],
)
def test_only_coordinators_and_staff_reach_the_gie_dashboard(client, mawrout_data, other_gie, email):
    # given a visitor who does not coordinate Mawrout Bladi
    if email:
        assert client.login(username=email, password=PASSWORD)

    # when they try every page and every step of the GIE dashboard
    get_codes = {url: client.get(url).status_code for url in _get_urls("mawrout-bladi", mawrout_data)}
    post_codes = {
        url: client.post(url, payload).status_code
        for url, payload in _post_urls("mawrout-bladi", mawrout_data)
    }

    # then the anonymous visitor is sent to log in, everyone else finds nothing; nothing changed
    expected = 302 if email is None else 404
    assert set(get_codes.values()) == {expected}, get_codes
    assert set(post_codes.values()) == {expected}, post_codes
    assert _unchanged(mawrout_data)


@pytest.mark.parametrize("email", ["gie@example.com", "admin@example.com"])
def test_the_coordinator_and_platform_staff_open_every_page(client, mawrout_data, email):
    assert client.login(username=email, password=PASSWORD)

    codes = {url: client.get(url).status_code for url in _get_urls("mawrout-bladi", mawrout_data)}

    assert set(codes.values()) == {200}, codes


def test_another_coordinator_cannot_reach_this_gies_objects_through_their_own_gie(
    client, mawrout_data, other_gie
):
    assert client.login(username="other@example.com", password=PASSWORD)

    codes = {url: client.get(url).status_code for url in _get_urls("oasis-draa", mawrout_data)[4:]}
    codes.pop(reverse("gie-dashboard:packing-index", kwargs={"slug": "oasis-draa"}))
    codes.pop(reverse("gie-dashboard:settlements", kwargs={"slug": "oasis-draa"}))

    assert set(codes.values()) == {404}, codes
    home = client.get(reverse("gie-dashboard:consolidated", kwargs={"slug": "oasis-draa"}))
    assert list(home.context["lines"]) == []


def test_a_coordinator_cannot_mark_a_statement_paid(client, mawrout_data):
    client.login(username="gie@example.com", password=PASSWORD)
    statement = mawrout_data["statement"]

    response = client.post(
        reverse("gie-dashboard:settlement-paid", kwargs={"slug": "mawrout-bladi", "pk": statement.pk}),
        {"reference": "VIR-1"},
    )

    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.date_paid is None


def test_the_gie_index_leads_a_coordinator_to_their_gie_and_refuses_others(client, demo):
    client.login(username="gie@example.com", password=PASSWORD)
    response = client.get(reverse("gie-dashboard:index"))
    assert response.status_code == 302 and response.url.endswith("/dashboard/gie/mawrout-bladi/")

    client.login(username="dates@example.com", password=PASSWORD)
    assert client.get(reverse("gie-dashboard:index")).status_code == 403
