import graphene

from core.graphql.errors import django_errors
from shop.checkout.graphql import mutations
from shop.checkout.graphql.types import CheckoutType
from shop.checkout.selectors import checkout_get


class CheckoutQueries(graphene.ObjectType):
    checkout = graphene.Field(CheckoutType, token=graphene.UUID(required=True))

    @django_errors
    def resolve_checkout(self, info, token):
        return checkout_get(token=token, user=info.context.user)


class CheckoutMutations(graphene.ObjectType):
    checkout_create = mutations.CheckoutCreate.Field()
    checkout_lines_add = mutations.CheckoutLinesAdd.Field()
    checkout_lines_update = mutations.CheckoutLinesUpdate.Field()
    checkout_lines_delete = mutations.CheckoutLinesDelete.Field()
    checkout_shipping_address_update = mutations.CheckoutShippingAddressUpdate.Field()
    checkout_delivery_method_update = mutations.CheckoutDeliveryMethodUpdate.Field()
    checkout_complete = mutations.CheckoutComplete.Field()
