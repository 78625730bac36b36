"""Root of the GraphQL API: each domain app contributes its queries and mutations."""

import graphene

from catalog.graphql.schema import CatalogQueries
from cooperatives.graphql.schema import CooperativeQueries
from fulfilment.graphql.schema import FulfilmentQueries
from gie.graphql.schema import GieMutations, GieQueries


class Query(CatalogQueries, CooperativeQueries, FulfilmentQueries, GieQueries, graphene.ObjectType):
    pass


class Mutation(GieMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
