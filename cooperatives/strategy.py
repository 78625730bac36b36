"""Pricing strategy: producers price in MAD; visitors may see every price in EUR.

The visitor's currency arrives as `request.currency` (set by shop.currency's middleware) or as the
`currency` keyword; it is any object with `code`, `rate` and `convert(amount=, from_currency=)`, so
this app does not import the shop project.
"""

from decimal import Decimal

from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_class

FixedPrice = get_class("partner.prices", "FixedPrice")


class ConvertedPrice:
    """Pricing mixin: the price from the next policy, converted into the visitor's currency."""

    currency = None

    def pricing_policy(self, product, stockrecord):
        return self._converted(super().pricing_policy(product, stockrecord))

    def parent_pricing_policy(self, product, children_stock):
        return self._converted(super().parent_pricing_policy(product, children_stock))

    def _converted(self, price):
        if self.currency is None or not price.exists or price.currency == self.currency.code:
            return price
        return FixedPrice(
            currency=self.currency.code,
            excl_tax=self.currency.convert(amount=price.excl_tax, from_currency=price.currency),
            tax=Decimal("0.00"),
        )


class Marketplace(
    oscar_strategy.UseFirstStockRecord,
    oscar_strategy.StockRequired,
    ConvertedPrice,
    oscar_strategy.NoTax,
    oscar_strategy.Structured,
):
    def __init__(self, request=None, currency=None):
        super().__init__(request)
        self.currency = currency if currency is not None else getattr(request, "currency", None)


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return Marketplace(request, currency=kwargs.get("currency"))
