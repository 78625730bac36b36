import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from oscar.core.loading import get_model

from cooperatives.selectors import producer_sales_summary
from tests.journey import cod_order_through_checkout, euro_card_order_through_checkout
from tests.payment.conftest import stripe_double  # noqa: F401  (the local Stripe API fixture)

Lot = get_model("partner", "Lot")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db


def _order_with_line(*, number, record, quantity, price, status="Pending", days_ago=1):
    order = Order.objects.create(
        number=number,
        site_id=1,
        currency="MAD",
        total_incl_tax=price * quantity,
        total_excl_tax=price * quantity,
        status=status,
    )
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - datetime.timedelta(days=days_ago))
    Line.objects.create(
        order=order,
        partner=record.partner,
        partner_name=record.partner.name,
        partner_sku=record.partner_sku,
        stockrecord=record,
        product=record.product,
        title=record.product.title,
        quantity=quantity,
        num_allocated=quantity,
        line_price_incl_tax=price * quantity,
        line_price_excl_tax=price * quantity,
        line_price_before_discounts_incl_tax=price * quantity,
        line_price_before_discounts_excl_tax=price * quantity,
    )
    return order


def test_home_alerts_on_low_stock_by_the_records_own_threshold_and_on_lots_expiring_soon(
    client_a, record_a, lot_a
):
    # given a threshold above the stock of one record, and a lot expiring in 10 days
    StockRecord.objects.filter(pk=record_a.pk).update(low_stock_threshold=record_a.num_in_stock + 1)
    Lot.objects.filter(pk=lot_a.pk).update(best_before=timezone.localdate() + datetime.timedelta(days=10))

    # when the cooperative opens its dashboard
    response = client_a.get(reverse("coop-dashboard:home"))

    # then both alerts show
    assert [r.pk for r in response.context["low_stock"]] == [record_a.pk]
    assert [lot.pk for lot in response.context["expiring_lots"]] == [lot_a.pk]
    page = response.content.decode()
    assert 'class="alert low-stock"' in page and 'class="alert expiring"' in page


def test_records_without_a_threshold_and_far_off_lots_raise_no_alert(client_a):
    response = client_a.get(reverse("coop-dashboard:home"))

    assert list(response.context["low_stock"]) == []
    assert list(response.context["expiring_lots"]) == []
    assert "No alerts." in response.content.decode() or "Aucune" in response.content.decode()


def test_sales_count_only_the_producers_own_lines_of_the_last_30_days(coop_a, coop_b, record_a):
    # given orders: one recent with A's line, one old, one cancelled, and one recent of coop B only
    record_b = StockRecord.objects.filter(partner=coop_b).first()
    _order_with_line(number="A1", record=record_a, quantity=2, price=Decimal("75.00"))
    _order_with_line(number="A2", record=record_a, quantity=5, price=Decimal("75.00"), days_ago=45)
    _order_with_line(number="A3", record=record_a, quantity=1, price=Decimal("75.00"), status="Cancelled")
    _order_with_line(number="B1", record=record_b, quantity=9, price=Decimal("10.00"))

    summary = producer_sales_summary(producer=coop_a)

    assert summary["units"] == 2
    assert summary["revenue"] == Decimal("150.00")
    assert summary["open_orders"] == 2  # A1 and the 45-day-old A2 still wait to be delivered


def test_sales_add_euro_orders_in_dirhams_at_their_recorded_rate(
    client_a,
    coop_a,
    record_a,
    eur_rate,
    stripe_double,  # noqa: F811
):
    # given a visitor who chose euros and one paying in MAD each order the cooperative's saffron
    eur = euro_card_order_through_checkout(Client(), [(record_a.product, 1)])
    mad = cod_order_through_checkout(Client(), [(record_a.product, 2)], email="karim@example.com")
    euros = eur.lines.get().line_price_incl_tax

    # when the cooperative opens its dashboard
    response = client_a.get(reverse("coop-dashboard:home"))

    # then its revenue is the MAD line plus the EUR line at the EUR order's recorded rate
    in_mad = (euros * eur.exchange_rate.rate_to_mad).quantize(Decimal("0.01"), ROUND_HALF_UP)
    expected = mad.lines.get().line_price_incl_tax + in_mad
    assert eur.currency == "EUR" and in_mad > euros * 10
    assert response.context["sales"]["revenue"] == expected
    assert f"{number_format(expected, 2, use_l10n=True)}" in response.content.decode()


def test_home_costs_a_constant_number_of_queries(client_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = client_a.get(reverse("coop-dashboard:home"))
    assert response.status_code == 200
