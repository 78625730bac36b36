from django.conf import settings
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView
from graphql import specified_rules

from shop.graphql.limits import MAX_QUERY_DEPTH
from shop.graphql.schema import schema


class TerroirGraphQLView(GraphQLView):
    """The API endpoint; GraphiQL only in DEBUG, query depth bounded for everyone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", schema)
        kwargs.setdefault("graphiql", settings.DEBUG)
        # graphene-django replaces GraphQL's standard rules with these, so keep them first.
        kwargs.setdefault(
            "validation_rules", (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH))
        )
        super().__init__(**kwargs)
