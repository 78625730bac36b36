import graphene

from cooperatives.selectors import producer_for_user
from core.graphql.errors import django_errors
from fulfilment.graphql import mutations
from fulfilment.graphql.types import MyProducerType


class FulfilmentQueries(graphene.ObjectType):
    my_producer = graphene.Field(
        MyProducerType, description="The producer the user works for; refused to anyone else."
    )

    @django_errors
    def resolve_my_producer(self, info):
        return producer_for_user(user=info.context.user)


class FulfilmentMutations(graphene.ObjectType):
    fulfilment_accept = mutations.FulfilmentAccept.Field()
    fulfilment_pack = mutations.FulfilmentPack.Field()
    fulfilment_ship = mutations.FulfilmentShip.Field()
    fulfilment_deliver = mutations.FulfilmentDeliver.Field()
    fulfilment_reject = mutations.FulfilmentReject.Field()
