"""Switching a visitor's currency, with the basket re-priced so it holds one currency only."""

from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from core.payments import PaymentMethod
from shop.currency.models import OrderExchangeRate
from shop.currency.pricing import SHOP_CURRENCY, CurrencyQuote
from shop.currency.selectors import (
    SESSION_KEY,
    SESSION_KEY_CHOSEN,
    currency_for_delivery_country,
    currency_quote,
)

Selector = get_class("partner.strategy", "Selector")


class CurrencyUnavailable(Exception):
    pass


def currency_choose(*, session, basket, code: str, explicit: bool = True):
    """Stores the visitor's currency and re-prices the basket; returns the new pricing strategy."""
    quote = currency_quote(code=code)
    if quote.code != code:
        raise CurrencyUnavailable(
            _("Prices cannot be shown in %(code)s: no exchange rate has been entered yet.") % {"code": code}
        )
    session[SESSION_KEY] = quote.code
    if explicit:
        session[SESSION_KEY_CHOSEN] = True
    strategy = Selector().strategy(currency=quote)
    if basket is not None and basket.id:
        basket_reprice(basket=basket, strategy=strategy)
    return strategy


def currency_apply_delivery_country(*, session, basket, country_code: str):
    """EUR by default for a European delivery address, unless the visitor already chose a currency."""
    if session.get(SESSION_KEY_CHOSEN):
        return None
    try:
        return currency_choose(
            session=session,
            basket=basket,
            code=currency_for_delivery_country(country_code=country_code),
            explicit=False,
        )
    except CurrencyUnavailable:
        return None


def currency_apply_payment_method(*, session, basket, method: PaymentMethod | None):
    """Cash on delivery is collected by Moroccan carriers in dirhams, so a basket paid that way is
    priced and ordered in MAD whatever currency the visitor browsed in. Returns the new strategy when
    the basket had to change currency, else None."""
    if method is not PaymentMethod.CASH_ON_DELIVERY or basket.currency in (None, SHOP_CURRENCY):
        return None
    return currency_choose(session=session, basket=basket, code=SHOP_CURRENCY, explicit=False)


def basket_reprice(*, basket, strategy) -> None:
    """Puts every line at the strategy's price and currency (Oscar keeps one currency per basket)."""
    basket.strategy = strategy
    for line in basket.all_lines():
        price = strategy.fetch_for_line(line, line.stockrecord).price
        if not price.exists:
            continue
        line.price_currency = price.currency
        line.price_excl_tax = price.excl_tax
        line.price_incl_tax = price.incl_tax
        line.save(update_fields=["price_currency", "price_excl_tax", "price_incl_tax"])
        line._info = None  # the line caches its purchase info from the previous strategy


def rate_used(*, strategy) -> CurrencyQuote:
    """What an order must record to reproduce its MAD amounts: the strategy's currency, rate id and rate."""
    return strategy.currency


RATE_TO_MAD_PLACES = Decimal("0.00000001")


def order_exchange_rate_record(*, order, quote: CurrencyQuote) -> OrderExchangeRate | None:
    """Stores the rate a non-MAD order was priced with; inside the placement transaction."""
    if order.currency == SHOP_CURRENCY:
        return None
    if quote is None or quote.code != order.currency or quote.rate is None:
        raise ValueError(
            f"Order {order.number} is in {order.currency} but no {order.currency} rate was used."
        )
    return OrderExchangeRate.objects.create(
        order=order,
        currency=order.currency,
        exchange_rate_id=quote.rate_id,
        rate=quote.rate,
        rate_to_mad=(Decimal(1) / quote.rate).quantize(RATE_TO_MAD_PLACES, rounding=ROUND_HALF_EVEN),
    )
