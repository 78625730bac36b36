"""Oscar's staff dashboard home adds order totals up in MAD, each order at the rate it recorded."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from oscar.templatetags.currency_filters import currency

from tests.fulfilment.helpers import product_of
from tests.journey import cod_order_through_checkout

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    return client


def test_the_dashboard_home_shows_revenue_in_mad(staff, eur_rate, django_assert_max_num_queries):
    # given a visitor who chose euros and one paying in MAD, each placing a cash-on-delivery order
    eur = cod_order_through_checkout(Client(), [(product_of("nakhil-aoufous"), 2)], currency="EUR")
    mad = cod_order_through_checkout(
        Client(), [(product_of("souktana-safran-taliouine"), 1)], email="karim@example.com"
    )
    assert (eur.currency, mad.currency) == ("EUR", "MAD")

    # when staff open the dashboard
    with django_assert_max_num_queries(21):  # the hourly chart is one query, not one per bar
        response = staff.get("/dashboard/")

    # then revenue is the MAD total plus the EUR total at the EUR order's recorded rate
    eur_in_mad = (eur.total_incl_tax * eur.exchange_rate.rate_to_mad).quantize(Decimal("0.01"), ROUND_HALF_UP)
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
