"""Surcharges: the optional cash-on-delivery fee (setting COD_FEE, in MAD; 0 = no fee)."""

from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import applicator
from oscar.apps.checkout.applicator import *  # noqa: F401,F403
from oscar.core import prices

from core.payments import PaymentMethod
from shop.shipping.methods import shipping_charge_converter


class CashOnDeliveryFee:
    name = _("Cash on delivery fee")
    code = "cod-fee"

    def __init__(self, amount_mad: Decimal):
        self.amount_mad = amount_mad

    def calculate(self, basket, **kwargs):
        amount = shipping_charge_converter(strategy=basket.strategy)(self.amount_mad)
        return prices.Price(currency=basket.currency, excl_tax=amount, incl_tax=amount)


def _chosen_payment_method(request) -> str | None:
    if request is None:
        return None
    return request.session.get("checkout_data", {}).get("payment", {}).get("method")


class SurchargeApplicator(applicator.SurchargeApplicator):
    """The checkout pages read the chosen payment method from the session; the API passes it in the
    context as `payment_method_key`."""

    def get_surcharges(self, basket, **kwargs):
        fee = Decimal(settings.COD_FEE)
        chosen = (self.context or {}).get("payment_method_key") or _chosen_payment_method(self.request)
        if fee > 0 and chosen == PaymentMethod.CASH_ON_DELIVERY.key:
            return (CashOnDeliveryFee(fee),)
        return ()
