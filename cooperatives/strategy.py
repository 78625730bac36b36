"""Pricing and availability strategy: producers price in MAD; visitors may see every price in EUR;
what the marketplace may not sell is unavailable, with the reason the customer is told.

The visitor's currency arrives as `request.currency` (set by shop.currency's middleware) or as the
`currency` keyword; it is any object with `code`, `rate` and `convert(amount=, from_currency=)`, so
this app does not import the shop project.
"""

from decimal import Decimal

from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_class, get_model

from cooperatives.selectors import product_unsellable_reason, stockrecords_with_lot_units

StockRecord = get_model("partner", "StockRecord")

FixedPrice = get_class("partner.prices", "FixedPrice")
Unavailable = get_class("partner.availability", "Unavailable")


class NotSellable(Unavailable):
    """A product the marketplace may not sell at all; the basket and checkout refuse it with `reason`."""

    def __init__(self, reason: str):
        self.message = reason

    @property
    def short_message(self):
        return Unavailable.message

    def is_purchase_permitted(self, quantity):
        return False, self.message


class SellableOnly:
    """Availability mixin: a product `product_unsellable_reason` refuses is NotSellable, whatever its
    stock record counts; otherwise the next policy (stock required) decides.

    For basket lines, the stock records of the whole basket are read once, with their producer and
    lot units, and remembered for this strategy's request."""

    def fetch_for_line(self, line, stockrecord=None):
        if type(line).basket.is_cached(line):
            ids = {other.stockrecord_id for other in line.basket.all_lines() if other.stockrecord_id}
            self._stockrecords_for_sale_read(ids)
        return super().fetch_for_line(line, stockrecord)

    def _stockrecords_for_sale_read(self, ids) -> dict:
        memo = self.__dict__.setdefault("_stockrecords_for_sale", {})
        missing = set(ids) - memo.keys()
        if missing:
            records = StockRecord.objects.select_related("partner").filter(pk__in=missing)
            memo.update((record.pk, record) for record in stockrecords_with_lot_units(records))
        return memo

    def availability_policy(self, product, stockrecord):
        if stockrecord is not None:
            read = self.__dict__.get("_stockrecords_for_sale", {}).get(stockrecord.pk, stockrecord)
            reason = product_unsellable_reason(product=product, stockrecord=read)
            if reason:
                return NotSellable(reason)
        return super().availability_policy(product, stockrecord)


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
    SellableOnly,
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
