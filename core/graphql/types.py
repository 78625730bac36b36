from decimal import Decimal

import graphene

CENT = Decimal("0.01")


def to_cents(amount: Decimal | None) -> Decimal | None:
    """Amounts always leave with two decimals (a sum computed by SQLite comes back without them)."""
    return None if amount is None else Decimal(amount).quantize(CENT)


class Money(graphene.ObjectType):
    amount = graphene.Decimal(required=True, description="Decimal amount, never a float.")
    currency = graphene.String(required=True, description="ISO 4217 code, e.g. MAD or EUR.")

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> "Money":
        return cls(amount=to_cents(amount), currency=currency)
