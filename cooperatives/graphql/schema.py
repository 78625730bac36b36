import graphene

from cooperatives.graphql import mutations
from cooperatives.graphql.types import ProducerType
from cooperatives.selectors import producer_list


class CooperativeMutations(graphene.ObjectType):
    product_create = mutations.ProductCreate.Field()
    product_update = mutations.ProductUpdate.Field()
    lot_create = mutations.LotCreate.Field()
    lot_adjust = mutations.LotAdjust.Field()
    lot_recall = mutations.LotRecall.Field()


class CooperativeQueries(graphene.ObjectType):
    producers = graphene.List(graphene.NonNull(ProducerType), required=True, region=graphene.String())
    producer = graphene.Field(ProducerType, slug=graphene.String(required=True))

    def resolve_producers(self, info, region=None):
        producers = producer_list()
        return producers.filter(region=region) if region else producers

    def resolve_producer(self, info, slug):
        return producer_list().filter(slug=slug).first()
