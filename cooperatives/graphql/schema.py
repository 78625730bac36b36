import graphene

from cooperatives.graphql.types import MyProducerType, ProducerType
from cooperatives.selectors import producer_for_user, producer_list
from core.graphql.errors import django_errors


class CooperativeQueries(graphene.ObjectType):
    producers = graphene.List(graphene.NonNull(ProducerType), required=True, region=graphene.String())
    producer = graphene.Field(ProducerType, slug=graphene.String(required=True))
    my_producer = graphene.Field(
        MyProducerType, description="The producer the user works for; refused to anyone else."
    )

    def resolve_producers(self, info, region=None):
        producers = producer_list()
        return producers.filter(region=region) if region else producers

    def resolve_producer(self, info, slug):
        return producer_list().filter(slug=slug).first()

    @django_errors
    def resolve_my_producer(self, info):
        return producer_for_user(user=info.context.user)
