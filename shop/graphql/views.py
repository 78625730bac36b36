from copy import copy

from django.conf import settings
from django.http import HttpResponse, QueryDict
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView, HttpError
from graphql import specified_rules

from core.graphql.limits import MAX_QUERY_DEPTH
from shop.graphql.schema import schema

# The only bodies a POST may carry: a browser sends them to another site only after a CORS
# preflight, which this site never grants (a form can send text/plain, urlencoded or multipart).
API_CONTENT_TYPES = ("application/json", "application/graphql")


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
        if request.method == "POST" and self.get_content_type(request) not in API_CONTENT_TYPES:
            raise HttpError(HttpResponse("Send the query as JSON (application/json).", status=415))
        return super().parse_body(request)

    @staticmethod
    def get_graphql_params(request, data):
        # On a POST the operation comes from the body only: graphene-django would otherwise take a
        # `?query=` from the URL first, which a cross-site form could set beside any body.
        if request.method == "POST":
            request = copy(request)
            request.GET = QueryDict()
        return GraphQLView.get_graphql_params(request, data)
