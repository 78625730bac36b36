import graphene
from django.contrib.auth import get_user_model
from graphene import relay
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from core.graphql.connections import connection_field, paginate
from core.graphql.errors import error_type
from shop.order.graphql.types import OrderConnection
from shop.order.selectors import orders_for_customer

UserAddress = get_model("address", "UserAddress")

AccountError = error_type(
    "Account",
    (
        "INVALID_CREDENTIALS",
        "LOCKED_OUT",
        "INVALID_TOKEN",
        "EXPIRED_TOKEN",
        "UNIQUE",
        "PASSWORD_MISMATCH",
        "PASSWORD_TOO_SHORT",
        "PASSWORD_TOO_SIMILAR",
        "PASSWORD_TOO_COMMON",
        "PASSWORD_ENTIRELY_NUMERIC",
    ),
)


class AddressType(DjangoObjectType):
    city = graphene.String(description="Town or city (Oscar's line4).")
    country = graphene.String(description="ISO 3166 code.")
    phone_number = graphene.String()

    class Meta:
        model = UserAddress
        name = "Address"
        interfaces = (relay.Node,)
        fields = ("id", "first_name", "last_name", "line1", "line2", "line3", "state", "postcode")

    @classmethod
    def get_node(cls, info, id):
        user = info.context.user
        return UserAddress.objects.filter(user=user, pk=id).first() if user.is_authenticated else None

    def resolve_city(self, info):
        return self.line4

    def resolve_country(self, info):
        return self.country_id

    def resolve_phone_number(self, info):
        return str(self.phone_number) if self.phone_number else None


class UserType(DjangoObjectType):
    """The signed-in customer (never another user)."""

    orders = connection_field(OrderConnection, description="The customer's orders, newest first.")
    addresses = graphene.List(graphene.NonNull(AddressType), required=True)

    class Meta:
        model = get_user_model()
        name = "User"
        fields = ("email", "first_name", "last_name", "date_joined")

    def resolve_orders(self, info, **page):
        return paginate(orders_for_customer(user=self), connection_type=OrderConnection, **page)

    def resolve_addresses(self, info):
        return self.addresses.order_by("-is_default_for_shipping", "pk")
