"""The hub ships its members' parcels, so the parcel's shipping is paid to the GIE, not to a member;
who may draw up a GIE's statements; and PostgreSQL's set-based run against the Python reference.

Orders are placed, delivered through the hub and paid as users do (tests/fulfilment/settlement_helpers.py).
Demo figures: Nakhil Aoufous NAK-001 90.00 MAD, Al Wahda WAH-001 140.00 MAD, both at the GIE's
commission of 8 %; the hub parcel's shipping 35.00 MAD; cash on delivery 1 %, card 2.90 %."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from fulfilment.models import SettlementLine, SettlementStatement
from fulfilment.settlements import AMOUNT_FIELDS, settlement_lines_of, settlements_draw_up
from gie.services import gie_settlements_draw_up
from tests.fulfilment.helpers import product_of
from tests.fulfilment.settlement_helpers import (
    ARGAN,
    NEXT_PERIOD,
    PERIOD,
    SAFFRON,
    SAFFRON_1G,
    SAFFRON_2G,
    card_order,
    cod_order,
    eur_rate_entered,
    hub_order_delivered,
    order_delivered,
    remitted,
    staff,
    user,
)
from tests.gie.conftest import PASSWORD, hub_order
from tests.payment.checkout_helpers import FRANCE
from tests.payment.conftest import stripe_double  # noqa: F401  (the fixture is used by name)

pytestmark = pytest.mark.django_db
D = Decimal


def _figures(amounts):
    return tuple(getattr(amounts, name) for name in AMOUNT_FIELDS)


def _hub_order_remitted(gie, items=None):
    """A cash order of two members (2 × NAK-001, 1 × WAH-001 unless told), through the hub, remitted."""
    order = hub_order(items)
    remitted(hub_order_delivered(gie, order))
    return order


def test_the_hub_parcels_shipping_goes_on_the_gies_statement(mawrout, members):
    order = _hub_order_remitted(mawrout)
    charged = {f.partner_id: f.shipping_charge for f in order.fulfilments.all()}
    assert sorted(charged.values()) == [D("0.00"), D("35.00")]  # charged once, on one member

    statements = {s.partner_id: s for s in settlements_draw_up(actor=staff(), **PERIOD)}

    hub = statements.pop(mawrout.partner_id)
    [line] = settlement_lines_of(statement=hub)
    assert line.kind == SettlementLine.Kind.SHIPPING and line.order_number == str(order.number)
    # the GIE: 35.00 shipping − 1 % cash fee 0.35 = 34.65
    assert _figures(hub) == (D("0.00"), D("0.00"), D("0.00"), D("0.35"), D("35.00"), D("34.65"))
    # Nakhil: 2 × (90.00 − 7.20 − 0.90) = 2 × 81.90; Al Wahda: 140.00 − 11.20 − 1.40 = 127.40
    assert _figures(statements[members["nakhil-aoufous"].pk]) == (
        D("180.00"),
        D("0.00"),
        D("14.40"),
        D("1.80"),
        D("0.00"),
        D("163.80"),
    )
    assert _figures(statements[members["al-wahda-rissani"].pk]) == (
        D("140.00"),
        D("0.00"),
        D("11.20"),
        D("1.40"),
        D("0.00"),
        D("127.40"),
    )
    # every dirham the customer paid for goods and shipping is on exactly one statement
    everything = SettlementStatement.objects.all()
    assert sum((s.gross + s.shipping for s in everything), D("0")) == order.total_incl_tax == D("355.00")


def test_a_gie_without_a_producer_record_leaves_the_shipping_with_the_member_charged(mawrout, members):
    mawrout.partner = None  # as staff would leave it in the admin
    mawrout.save(update_fields=["partner"])
    order = _hub_order_remitted(mawrout)
    payer = order.fulfilments.get(shipping_charge__gt=0)

    statements = {s.partner_id: s for s in settlements_draw_up(actor=staff(), **PERIOD)}

    # Nakhil keeps the parcel's shipping: 163.80 + 35.00 − 0.35 = 198.45
    assert payer.partner_id == members["nakhil-aoufous"].pk
    assert (statements[payer.partner_id].shipping, statements[payer.partner_id].net_payable) == (
        D("35.00"),
        D("198.45"),
    )
    assert SettlementLine.objects.filter(kind=SettlementLine.Kind.SHIPPING).count() == 0


def test_the_coordinator_draws_up_the_members_and_reads_the_gies_own_statement(client, mawrout, members):
    _hub_order_remitted(mawrout)
    remitted(order_delivered(cod_order([(SAFFRON, SAFFRON_1G, 1)])))  # not a member
    assert client.login(username="gie@example.com", password=PASSWORD)
    url = reverse("gie-dashboard:settlements", kwargs={"slug": mawrout.slug})

    response = client.post(url, {k: v.isoformat() for k, v in PERIOD.items()})

    assert response.status_code == 302
    drawn_up = {s.partner_id: s.net_payable for s in SettlementStatement.objects.all()}
    assert drawn_up == {
        members["nakhil-aoufous"].pk: D("163.80"),
        members["al-wahda-rissani"].pk: D("127.40"),
        mawrout.partner_id: D("34.65"),
    }
    # delivered after the run: the same period again finds the hub's record drawn up, the order waits whole
    _hub_order_remitted(mawrout)
    client.post(url, {k: v.isoformat() for k, v in PERIOD.items()})
    assert SettlementLine.objects.count() == 3
    hub = SettlementStatement.objects.get(partner_id=mawrout.partner_id)
    page = client.get(url)
    assert hub.pk in {s.pk for s in page.context["statements"]}
    download = client.get(reverse("settlements-dashboard:file", kwargs={"pk": hub.pk, "fmt": "csv"}))
    assert download.status_code == 200 and "34.65" in download.content.decode()


@pytest.mark.parametrize(
    "username, status, draws_up",
    [
        ("admin@example.com", 302, True),
        ("gie@example.com", 302, True),
        ("other@example.com", 404, False),  # coordinates another GIE
        ("dates@example.com", 404, False),  # a member cooperative's staff
        ("customer@example.com", 404, False),
        (None, 302, False),  # sent to log in
    ],
    ids=["staff", "coordinator", "other-coordinator", "cooperative", "customer", "anonymous"],
)
def test_who_may_draw_up_a_gies_statements_from_its_dashboard(
    client, mawrout, members, other_gie, username, status, draws_up
):
    _hub_order_remitted(mawrout)
    if username:
        assert client.login(username=username, password=PASSWORD)

    response = client.post(
        reverse("gie-dashboard:settlements", kwargs={"slug": mawrout.slug}),
        {k: v.isoformat() for k, v in PERIOD.items()},
    )

    assert response.status_code == status
    if username is None:
        assert "login" in response["Location"]
    assert SettlementStatement.objects.count() == (3 if draws_up else 0)


@pytest.mark.parametrize(
    "username, allowed",
    [
        ("admin@example.com", True),
        ("gie@example.com", True),
        ("other@example.com", False),
        ("dates@example.com", False),
        ("customer@example.com", False),
        ("anonymous", False),
        (None, False),
    ],
)
def test_the_gie_draw_up_service_checks_its_actor(mawrout, members, other_gie, username, allowed):
    _hub_order_remitted(mawrout)
    actor = AnonymousUser() if username == "anonymous" else user(username) if username else None

    if allowed:
        statements = gie_settlements_draw_up(gie=mawrout, actor=actor, **PERIOD)
        assert len(statements) == 3
    else:
        with pytest.raises(PermissionDenied):
            gie_settlements_draw_up(gie=mawrout, actor=actor, **PERIOD)
        assert not SettlementStatement.objects.exists()


@pytest.mark.postgres
def test_postgresqls_set_based_run_gives_the_reference_arithmetics_figures(
    mawrout,
    members,
    stripe_double,  # noqa: F811
):
    """PostgreSQL computes the run in SQL; SQLite runs the Python reference. On one mixed month —
    hub orders whose shipping goes to the GIE, a EUR card order at its recorded rate, a MAD card
    order, cash remitted and cash not yet remitted, a shortfall refund — both must give the same
    statements and lines to the centime."""
    from django.db import connection, transaction

    from fulfilment.settlements import runs

    if connection.vendor != "postgresql":
        pytest.skip("the set-based run is PostgreSQL's")
    eur_rate_entered()
    _hub_order_remitted(mawrout)
    _hub_order_remitted(
        mawrout, [(product_of("nakhil-aoufous", 1), 1), (product_of("al-wahda-rissani", 2), 3)]
    )
    short = cod_order([(SAFFRON, SAFFRON_1G, 3)])
    remitted(order_delivered(short, short={product_of(SAFFRON, SAFFRON_1G).pk: 1}))
    order_delivered(cod_order([(SAFFRON, SAFFRON_2G, 1)]))  # its cash is not remitted: it waits
    order_delivered(card_order([(SAFFRON, SAFFRON_2G, 1), (ARGAN, 3, 3)], address=FRANCE, currency="EUR"))
    order_delivered(card_order([(SAFFRON, SAFFRON_2G, 2)]))

    def run(create):
        statements = create()
        return (
            sorted(
                (s.partner_id, s.fulfilments_count, *(getattr(s, n) for n in AMOUNT_FIELDS))
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
                    *AMOUNT_FIELDS,
                )
            ),
        )

    def python_run():
        rows = list(runs.fulfilments_to_settle(period_end=PERIOD["period_end"]))
        return runs._settlements_create_in_python(rows=rows, already_drawn=set(), **PERIOD)

    with transaction.atomic():
        reference = run(python_run)
        transaction.set_rollback(True)
    in_sql = run(lambda: settlements_draw_up(actor=staff(), **PERIOD))

    # saffron (3 orders), argan, the two hub members and the GIE; 4 + 4 goods lines, 2 hub shipping lines
    assert len(reference[0]) == 5 and len(reference[1]) == 10
    assert in_sql == reference
    assert settlements_draw_up(actor=staff(), **NEXT_PERIOD) == []  # the unremitted cash still waits
