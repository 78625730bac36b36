import graphene

from fulfilment.graphql import mutations


class FulfilmentMutations(graphene.ObjectType):
    fulfilment_accept = mutations.FulfilmentAccept.Field()
    fulfilment_pack = mutations.FulfilmentPack.Field()
    fulfilment_ship = mutations.FulfilmentShip.Field()
    fulfilment_deliver = mutations.FulfilmentDeliver.Field()
    fulfilment_reject = mutations.FulfilmentReject.Field()
