import graphene


class Money(graphene.ObjectType):
    amount = graphene.Decimal(required=True, description="Decimal amount, never a float.")
    currency = graphene.String(required=True, description="ISO 4217 code, e.g. MAD or EUR.")
