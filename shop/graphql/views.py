from core.graphql.view import LimitedGraphQLView
from shop.graphql.cost_map import COST_MAP
from shop.graphql.schema import schema


class TerroirGraphQLView(LimitedGraphQLView):
    """The API endpoint: the root schema under the shared limits (core.graphql.view)."""

    cost_map = COST_MAP

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", schema)
        super().__init__(**kwargs)
