import graphene

from core.graphql.errors import django_errors
from shop.order.graphql.types import OrderType
from shop.order.selectors import order_get_for_customer


class OrderQueries(graphene.ObjectType):
    order = graphene.Field(
        OrderType,
        number=graphene.String(required=True),
        description="One of the signed-in customer's orders; another customer's number is NOT_FOUND.",
    )

    @django_errors
    def resolve_order(self, info, number):
        return order_get_for_customer(user=info.context.user, number=number)
