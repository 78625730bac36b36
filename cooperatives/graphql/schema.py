import graphene

from cooperatives.graphql import mutations
from cooperatives.graphql.products import ProductQueries
from cooperatives.graphql.types import ProducerConnection, ProducerType
from cooperatives.selectors import producer_list
from core.graphql.connections import connection_field, paginate


class CooperativeMutations(graphene.ObjectType):
    product_create = mutations.ProductCreate.Field()
    product_update = mutations.ProductUpdate.Field()
    lot_create = mutations.LotCreate.Field()
    lot_adjust = mutations.LotAdjust.Field()
    lot_recall = mutations.LotRecall.Field()


class CooperativeQueries(ProductQueries, graphene.ObjectType):
    producers = connection_field(
        ProducerConnection, region=graphene.String(), description="Producers with a public page, by name."
    )
    producer = graphene.Field(ProducerType, slug=graphene.String(required=True))

    def resolve_producers(self, info, region=None, **page):
        producers = producer_list()
        if region:
            producers = producers.filter(region=region)
        return paginate(producers, connection_type=ProducerConnection, **page)

    def resolve_producer(self, info, slug):
        return producer_list().filter(slug=slug).first()
