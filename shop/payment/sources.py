"""The payment source an order records: one shape for every way an order is paid."""

from decimal import Decimal

from oscar.core.loading import get_model

from core.payments import PaymentMethod

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


def payment_source_build(
    *,
    method: PaymentMethod,
    currency: str,
    amount: Decimal,
    debited: Decimal | None = None,
    reference: str = "",
) -> Source:
    """An unsaved Source of the method's type (created on first use), for the order about to be placed.

    Cash on delivery allocates the amount and debits nothing (the carrier collects it later); a card
    payment that Stripe confirmed is debited at once, with the PaymentIntent as its reference.
    """
    source_type, __ = SourceType.objects.get_or_create(
        code=method.value, defaults={"name": method.source_name}
    )
    return Source(
        source_type=source_type,
        currency=currency,
        amount_allocated=amount,
        amount_debited=debited or Decimal("0.00"),
        reference=reference,
    )
