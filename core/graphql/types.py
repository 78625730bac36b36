from decimal import Decimal

import graphene
from graphql_relay import to_global_id

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


def global_id(type_name: str, pk) -> str | None:
    """The `node` id of a row of another type than the field's (e.g. a lot's product)."""
    return None if pk is None else to_global_id(type_name, pk)
