import datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from shop.currency.models import ExchangeRate
from shop.currency.pricing import MAD, SHOP_CURRENCY, CurrencyQuote

SESSION_KEY = "terroir_currency"
SESSION_KEY_CHOSEN = "terroir_currency_chosen"
CURRENCIES = (SHOP_CURRENCY, "EUR")
CURRENCIES_OFFERED_KEY = "terroir:currencies-offered"
CURRENCIES_OFFERED_SECONDS = 300


def exchange_rate_current(
    *, quote_currency: str = "EUR", on: datetime.date | None = None
) -> ExchangeRate | None:
    """The rate in force on `on` (today by default): the latest one that has started."""
    on = on or timezone.localdate()
    return (
        ExchangeRate.objects.filter(
            base_currency=SHOP_CURRENCY, quote_currency=quote_currency, effective_on__lte=on
        )
        .order_by("-effective_on", "-pk")
        .first()
    )


def currency_quote(*, code: str) -> CurrencyQuote:
    """The quote for a currency; EUR without any rate falls back to MAD rather than inventing prices."""
    if code == SHOP_CURRENCY or code not in CURRENCIES:
        return MAD
    rate = exchange_rate_current(quote_currency=code)
    if rate is None:
        return MAD
    return CurrencyQuote(code=code, rate_id=rate.pk, rate=rate.rate)


def currency_quote_for_session(*, session) -> CurrencyQuote:
    return currency_quote(code=session.get(SESSION_KEY, SHOP_CURRENCY))


def currency_for_delivery_country(*, country_code: str) -> str:
    return "EUR" if country_code.upper() in settings.TERROIR_EUR_COUNTRIES else SHOP_CURRENCY


def currencies_offered() -> tuple[str, ...]:
    """The currencies a visitor may choose: MAD, and each other one with a rate in force today (no
    price is invented without a rate). Every storefront page's chooser reads it, so it is cached for
    the day, at most CURRENCIES_OFFERED_SECONDS; saving or deleting a rate clears it (apps.py)."""
    today = timezone.localdate().isoformat()
    cached = cache.get(CURRENCIES_OFFERED_KEY)
    if cached is not None and cached[0] == today:
        return cached[1]
    offered = (SHOP_CURRENCY, *(c for c in CURRENCIES[1:] if exchange_rate_current(quote_currency=c)))
    cache.set(CURRENCIES_OFFERED_KEY, (today, offered), CURRENCIES_OFFERED_SECONDS)
    return offered


def currencies_offered_forget(**kwargs) -> None:
    """A rate was entered, changed or removed: the currencies offered are read again."""
    cache.delete(CURRENCIES_OFFERED_KEY)
