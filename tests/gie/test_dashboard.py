"""The coordinator's pages: consolidated view, rounds, files read back, packing and shipping."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from gie.models import CollectionRound, ConsolidatedShipment
from gie.selectors import member_weekly_sales
from tests.fulfilment.helpers import product_of
from tests.gie.conftest import PASSWORD, hub_order
from tests.journey import cod_order_through_checkout, euro_card_order_through_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client, demo):
    client.login(username="gie@example.com", password=PASSWORD)
    return client


def _url(name, **kwargs):
    return reverse(f"gie-dashboard:{name}", kwargs={"slug": "mawrout-bladi", **kwargs})


def test_the_consolidated_view_filters_and_totals_open_member_lines(coordinator, members):
    # given two hub orders and a self-shipped one
    first = hub_order()
    hub_order([(product_of("nakhil-aoufous"), 3)])
    hub_order([(product_of("souktana-safran-taliouine"), 1)])
    nakhil = members["nakhil-aoufous"]
    dates_line = first.lines.get(partner=nakhil)

    # when the coordinator filters on one member
    response = coordinator.get(_url("consolidated"), {"member": nakhil.pk})

    # then only that member's open hub lines are listed, and the totals add them up
    assert response.status_code == 200
    lines = list(response.context["lines"])
    assert {fl.fulfilment.partner_id for fl in lines} == {nakhil.pk}
    assert sorted(fl.units_open for fl in lines) == [2, 3]
    by_member = response.context["totals"]["by_member"]
    assert [(row["fulfilment__partner__name"], row["units"]) for row in by_member] == [(nakhil.name, 5)]
    assert by_member[0]["amount"] == dates_line.unit_price_incl_tax * 5
    assert coordinator.get(_url("consolidated"), {"destination": "FR"}).context["lines"].__len__() == 0
    assert len(coordinator.get(_url("consolidated"), {"status": "pending"}).context["lines"]) == 3


def _in_mad(order, amount):
    """Hand conversion: the order's recorded rate, to the centime."""
    return (amount * order.exchange_rate.rate_to_mad).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture
def eur_and_mad_orders(members, eur_rate, stripe_double):
    """Two units of Nakhil's dates ordered from France in euros by card, three by a buyer in Morocco
    paying cash on delivery in MAD, both through the checkout."""
    dates = product_of("nakhil-aoufous")
    eur = euro_card_order_through_checkout(Client(), [(dates, 2)])
    mad = cod_order_through_checkout(Client(), [(dates, 3)], email="karim@example.com")
    assert (eur.currency, mad.currency) == ("EUR", "MAD")
    return eur, mad


def test_consolidated_totals_add_euro_orders_in_dirhams_at_their_recorded_rate(
    coordinator, members, eur_and_mad_orders
):
    eur, mad = eur_and_mad_orders

    response = coordinator.get(_url("consolidated"), {"member": members["nakhil-aoufous"].pk})

    # then the member's total is the MAD line plus the EUR line converted at the EUR order's rate
    expected = mad.lines.get().line_price_incl_tax + _in_mad(eur, eur.lines.get().line_price_incl_tax)
    [row] = response.context["totals"]["by_member"]
    assert row["amount"] == expected
    [product_row] = response.context["totals"]["by_product"]
    assert product_row["amount"] == expected and product_row["units"] == 5


def test_the_weekly_sales_chart_adds_euro_orders_in_dirhams(
    coordinator, mawrout, members, eur_and_mad_orders
):
    eur, mad = eur_and_mad_orders
    nakhil = members["nakhil-aoufous"]

    sales = member_weekly_sales(gie=mawrout)
    page = coordinator.get(_url("home")).content.decode()

    # this week's point for Nakhil is the hand-computed MAD sum; the others sold nothing
    expected = mad.lines.get().line_price_incl_tax + _in_mad(eur, eur.lines.get().line_price_incl_tax)
    assert sales["series"][nakhil.name][-1] == expected
    assert sum(sum(values) for values in sales["series"].values()) == expected
    assert f">{expected.quantize(Decimal('1'))} MAD</text>" in page  # the chart's peak, on its axis


def test_the_consolidated_view_query_count_does_not_grow_with_orders(
    coordinator, members, django_assert_max_num_queries
):
    for __ in range(2):
        hub_order()
    with django_assert_max_num_queries(20) as few:
        coordinator.get(_url("consolidated"))
    for __ in range(6):
        hub_order()

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = coordinator.get(_url("consolidated"))

    assert len(response.context["lines"]) == 16


def test_the_consolidated_csv_export_reads_back(coordinator, members):
    order = hub_order()

    response = coordinator.get(_url("consolidated"), {"export": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert {(r["order"], r["member"], r["units_open"]) for r in rows} == {
        (str(order.number), members["nakhil-aoufous"].name, "2"),
        (str(order.number), members["al-wahda-rissani"].name, "1"),
    }


def test_the_consolidated_csv_gives_each_amount_its_currency_and_mad_value(coordinator, eur_and_mad_orders):
    eur, mad = eur_and_mad_orders

    response = coordinator.get(_url("consolidated"), {"export": "csv"})

    rows = {
        r["order"]: r
        for r in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    }
    eur_amount = eur.lines.get().line_price_incl_tax
    mad_amount = mad.lines.get().line_price_incl_tax
    assert [Decimal(rows[eur.number]["amount"]), rows[eur.number]["currency"]] == [eur_amount, "EUR"]
    assert Decimal(rows[eur.number]["amount_mad"]) == _in_mad(eur, eur_amount)
    assert [Decimal(rows[mad.number]["amount"]), rows[mad.number]["currency"]] == [mad_amount, "MAD"]
    assert Decimal(rows[mad.number]["amount_mad"]) == mad_amount


def test_a_coordinator_runs_a_round_from_opening_to_the_shipped_parcel(coordinator, members):
    # given an order of two members
    order = hub_order()
    nakhil = members["nakhil-aoufous"]

    # when the coordinator opens a round over every member
    response = coordinator.post(
        _url("rounds"),
        {"name": "Semaine 48", "collection_date": "2026-11-25", "members": [m.pk for m in members.values()]},
    )
    assert response.status_code == 302
    round_ = CollectionRound.objects.get(name="Semaine 48")
    assert round_.lines.count() == 2

    # then the member's purchase order reads back as PDF and CSV
    pdf = coordinator.get(_url("purchase-order", pk=round_.pk, partner_id=nakhil.pk, fmt="pdf"))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    line = order.lines.get(partner=nakhil)
    assert nakhil.name in text and str(order.number) in text
    rows = list(
        csv.DictReader(
            io.StringIO(
                coordinator.get(
                    _url("purchase-order", pk=round_.pk, partner_id=nakhil.pk, fmt="csv")
                ).content.decode("utf-8-sig")
            )
        )
    )
    assert [(r["product"], r["quantity"], r["sku"]) for r in rows] == [(line.title, "2", line.partner_sku)]
    assert rows[0]["lot"]

    # when everything is received and shipped in one parcel
    coordinator.post(
        _url("round-action", pk=round_.pk, action="receive"),
        {f"received-{rl.pk}": str(rl.quantity) for rl in round_.lines.all()},
    )
    page = coordinator.get(_url("packing", number=order.number))
    assert page.content.decode().count('class="packing-line"') == 2
    coordinator.post(_url("packing", number=order.number), {"carrier": "Amana", "tracking_number": "AM1"})

    # then every fulfilment of the order is shipped under one shipment
    assert set(order.fulfilments.values_list("status", flat=True)) == {"shipped"}
    assert ConsolidatedShipment.objects.get(order=order).fulfilments.count() == 2


def test_bad_receiving_input_shows_an_error_and_changes_nothing(coordinator, members):
    hub_order()
    coordinator.post(
        _url("rounds"),
        {"name": "R", "collection_date": "2026-11-25", "members": [m.pk for m in members.values()]},
    )
    round_ = CollectionRound.objects.get(name="R")
    rl = round_.lines.first()

    with translation.override("en"):
        response = coordinator.post(
            _url("round-action", pk=round_.pk, action="receive"), {f"received-{rl.pk}": "abc"}, follow=True
        )

    assert "whole numbers" in response.content.decode()
    rl.refresh_from_db()
    assert rl.quantity_received is None


def test_the_home_page_draws_a_weekly_sales_chart_per_member(coordinator, members):
    hub_order()

    response = coordinator.get(_url("home"))

    page = response.content.decode()
    assert "<svg" in page and page.count('class="series"') == len(members)
    assert "cdn" not in page.lower().split("<svg")[1].split("</svg>")[0]
