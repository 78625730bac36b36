"""Payment methods, as one enum: how checkout offers them, how an order's payment source records
them, what each costs the producer in fees, and how a customer is told about a refund.

The enum's value is the code of the order's Oscar `SourceType` ("cash-on-delivery", "stripe-card"):
that is what orders store, so settlements, refunds and e-mails all read the method from it.
"""

import enum
from decimal import Decimal

from django.apps import apps
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext, gettext_lazy


class PaymentMethod(enum.StrEnum):
    CASH_ON_DELIVERY = "cash-on-delivery"
    CARD = "stripe-card"

    @property
    def key(self) -> str:
        """The short name checkout forms post ("cod", "card")."""
        return _DETAILS[self]["key"]

    @property
    def label(self):
        return _DETAILS[self]["label"]

    @property
    def description(self):
        return _DETAILS[self]["description"]

    @property
    def source_name(self) -> str:
        """The name of the payment source's type, as Oscar's admin lists it."""
        return _DETAILS[self]["source_name"]

    @property
    def fee_rate(self) -> Decimal:
        """What taking the money costs, as a share of the amount paid; the producer bears it."""
        return _DETAILS[self]["fee_rate"]

    @property
    def refunds_to_card(self) -> bool:
        return self is PaymentMethod.CARD

    def refund_wording(self, amount: str) -> str:
        """The sentence that tells the customer what happens to money for units that will not come,
        in the active language; `amount` is already formatted with its currency."""
        return gettext(_DETAILS[self]["refund_wording"]) % {"amount": amount}

    @classmethod
    def from_key(cls, key: str | None) -> "PaymentMethod | None":
        return next((method for method in cls if method.key == key), None)

    @classmethod
    def from_code(cls, code: str | None) -> "PaymentMethod | None":
        try:
            return cls(code)
        except ValueError:
            return None

    @classmethod
    def fee_rate_of(cls, code: str | None) -> Decimal:
        """The fee rate of the method an order's source type code names; nothing for an order
        paid otherwise (or not at all)."""
        method = cls.from_code(code)
        return method.fee_rate if method is not None else Decimal("0")

    @classmethod
    def fee_rates(cls) -> dict[str, Decimal]:
        """{source type code: fee rate}, for the settlement query."""
        return {method.value: method.fee_rate for method in cls}


_DETAILS = {
    PaymentMethod.CASH_ON_DELIVERY: {
        "key": "cod",
        "label": gettext_lazy("Cash on delivery"),
        "description": gettext_lazy("Pay the carrier in cash when each producer's parcel arrives."),
        "source_name": "Cash on delivery",
        # The carrier's collection fee.
        "fee_rate": Decimal("0.0100"),
        "refund_wording": gettext_lazy("You will not pay these %(amount)s on delivery."),
    },
    PaymentMethod.CARD: {
        "key": "card",
        "label": gettext_lazy("Card"),
        "description": gettext_lazy(
            "Pay now by card (Visa, Mastercard), with your bank's confirmation if it asks for one."
        ),
        "source_name": "Card (Stripe)",
        # The card processor's fee.
        "fee_rate": Decimal("0.0290"),
        "refund_wording": gettext_lazy("%(amount)s will be refunded on your card."),
    },
}


def order_payment_method(order) -> PaymentMethod | None:
    """The method the order was paid with (its first payment source), None if it has none."""
    if order.pk is None:
        return None
    code = order.sources.order_by("pk").values_list("source_type__code", flat=True).first()
    return PaymentMethod.from_code(code)


def payment_code_expression(order: str = "pk"):
    """`order_payment_method`'s code as a database expression: the source type code of the order's
    first payment source, for annotating many rows in one query. `order` is the lookup to the
    order's primary key from the annotated model (e.g. "fulfilment_line__fulfilment__order_id")."""
    source = apps.get_model("payment", "Source")
    first = source.objects.filter(order_id=OuterRef(order)).order_by("pk")
    return Subquery(first.values("source_type__code")[:1])
