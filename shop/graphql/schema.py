"""Root of the GraphQL API: each domain app contributes its queries and mutations."""

import graphene
from graphene import relay

from catalog.graphql.schema import CatalogQueries
from cooperatives.graphql.schema import CooperativeMutations, CooperativeQueries
from fulfilment.graphql.schema import FulfilmentMutations, FulfilmentQueries
from gie.graphql.schema import GieMutations, GieQueries
from shop.accounts.graphql.schema import AccountMutations, AccountQueries
from shop.checkout.graphql.schema import CheckoutMutations, CheckoutQueries
from shop.order.graphql.schema import OrderQueries


class Query(
    AccountQueries,
    CheckoutQueries,
    OrderQueries,
    CatalogQueries,
    CooperativeQueries,
    FulfilmentQueries,
    GieQueries,
    graphene.ObjectType,
):
    node = relay.Node.Field()


class Mutation(
    AccountMutations,
    CheckoutMutations,
    CooperativeMutations,
    FulfilmentMutations,
    GieMutations,
    graphene.ObjectType,
):
    pass


schema = graphene.Schema(query=Query, mutation=Mutation)
