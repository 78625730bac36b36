from django.conf import settings
from django.http import HttpResponse
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView, HttpError
from graphql import specified_rules

from shop.graphql.limits import MAX_QUERY_DEPTH
from shop.graphql.schema import schema

# Bodies a cross-site HTML form can send without a CORS preflight.
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class TerroirGraphQLView(GraphQLView):
    """The API endpoint; GraphiQL only in DEBUG, query depth bounded for everyone.

    The endpoint is exempt from Django's CSRF check (API clients have no token), and coordinators'
    mutations run with the session cookie: so a POST must carry JSON (or application/graphql), which
    a browser sends to another site only after a CORS preflight this site never grants.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", schema)
        kwargs.setdefault("graphiql", settings.DEBUG)
        # graphene-django replaces GraphQL's standard rules with these, so keep them first.
        kwargs.setdefault(
            "validation_rules", (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH))
        )
        super().__init__(**kwargs)

    def parse_body(self, request):
        if self.get_content_type(request) in FORM_CONTENT_TYPES:
            raise HttpError(HttpResponse("Send the query as JSON (application/json).", status=415))
        return super().parse_body(request)
