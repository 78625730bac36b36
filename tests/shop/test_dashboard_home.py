"""Oscar's staff dashboard home adds order totals up in MAD, each order at the rate it recorded."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.templatetags.currency_filters import currency

from tests.fulfilment.helpers import product_of
from tests.journey import cod_order_through_checkout, euro_card_order_through_checkout
from tests.payment.conftest import stripe_double  # noqa: F401  (the local Stripe API fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    return client


def _in_mad(order, amount):
    return (amount * order.exchange_rate.rate_to_mad).quantize(Decimal("0.01"), ROUND_HALF_UP)


@pytest.fixture
def eur_and_mad_orders(demo, eur_rate, stripe_double):  # noqa: F811
    """A visitor who chose euros and one paying in MAD, each placing a cash-on-delivery order."""
    eur = euro_card_order_through_checkout(Client(), [(product_of("nakhil-aoufous"), 2)])
    mad = cod_order_through_checkout(
        Client(), [(product_of("souktana-safran-taliouine"), 1)], email="karim@example.com"
    )
    assert (eur.currency, mad.currency) == ("EUR", "MAD")
    return eur, mad


def test_the_dashboard_home_shows_revenue_in_mad(staff, eur_and_mad_orders, django_assert_max_num_queries):
    eur, mad = eur_and_mad_orders

    # when staff open the dashboard
    with django_assert_max_num_queries(21):  # the hourly chart is one query, not one per bar
        response = staff.get("/dashboard/")

    # then revenue is the MAD total plus the EUR total at the EUR order's recorded rate
    eur_in_mad = _in_mad(eur, eur.total_incl_tax)
    expected = mad.total_incl_tax + eur_in_mad
    assert eur_in_mad > eur.total_incl_tax * 10
    context = response.context
    assert context["total_revenue"] == expected
    assert context["total_revenue_last_day"] == expected
    assert context["average_order_costs"] == (expected / 2).quantize(Decimal("0.01"), ROUND_HALF_UP)
    bars = context["hourly_report_dict"]["order_total_hourly"]
    assert sum(bar["total_incl_tax"] for bar in bars) == expected
    page = response.content.decode()
    assert page.count(currency(expected)) >= 2  # revenue of the last 24 hours and of all time
    assert currency(eur.total_incl_tax + mad.total_incl_tax) not in page


def test_the_order_report_csv_gives_each_total_its_currency_and_mad_value(staff, eur_and_mad_orders):
    eur, mad = eur_and_mad_orders

    response = staff.get("/dashboard/reports/", {"report_type": "order_report", "download": "on"})

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_number = {row[0]: row for row in rows[1:]}
    assert [by_number[eur.number][i] for i in (3, 4)] == [str(eur.total_incl_tax), "EUR"]
    assert Decimal(by_number[eur.number][5]) == _in_mad(eur, eur.total_incl_tax)
    assert [by_number[mad.number][i] for i in (3, 4)] == [str(mad.total_incl_tax), "MAD"]
    assert Decimal(by_number[mad.number][5]) == mad.total_incl_tax
