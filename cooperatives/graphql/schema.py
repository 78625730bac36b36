import graphene

from cooperatives.graphql.types import ProducerType
from cooperatives.selectors import producer_list


class CooperativeQueries(graphene.ObjectType):
    producers = graphene.List(graphene.NonNull(ProducerType), required=True, region=graphene.String())
    producer = graphene.Field(ProducerType, slug=graphene.String(required=True))

    def resolve_producers(self, info, region=None):
        producers = producer_list()
        return producers.filter(region=region) if region else producers

    def resolve_producer(self, info, slug):
        return producer_list().filter(slug=slug).first()
