"""The API endpoint's rules, whatever the schema: one operation per request, limits checked before
anything runs, refusals answered as GraphQL errors with a code (HTTP 400), never a server error.

The endpoint is exempt from Django's CSRF check (API clients have no CSRF token). Requests that ride
the session cookie must therefore carry JSON (or application/graphql): a browser sends that to
another site only after a CORS preflight, which the site never grants (a form can send text/plain,
urlencoded or multipart). Requests authenticated by a token in the Authorization header cannot be
forged by another site, so they may also be multipart (file uploads).
"""

import json
import logging
from copy import copy

from django.conf import settings
from django.http import HttpResponse, QueryDict
from graphene_django.views import GraphQLView, HttpError
from graphql import ExecutionResult, GraphQLError, OperationType, execute, parse

from core.graphql.limits import (
    GRAPHQL_PARSE_FAILED,
    MAX_QUERY_LENGTH,
    MAX_TOKENS,
    ONE_OPERATION_ONLY,
    QUERY_TOO_LARGE,
    document_check,
    operations_of,
)

logger = logging.getLogger(__name__)

API_CONTENT_TYPES = ("application/json", "application/graphql")
TOKEN_CONTENT_TYPES = (*API_CONTENT_TYPES, "multipart/form-data")


def error_response(*, status: int, message: str, code: str) -> HttpResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return HttpResponse(json.dumps(body), status=status, content_type="application/json")


def _refusal(message: str, code: str) -> ExecutionResult:
    return ExecutionResult(data=None, errors=[GraphQLError(message, extensions={"code": code})])


class Refused(Exception):
    """A request answered before GraphQL runs, with this response (graphene-django would rewrite
    the body of its own HttpError)."""

    def __init__(self, response: HttpResponse):
        self.response = response
        super().__init__(response.status_code)


class LimitedGraphQLView(GraphQLView):
    """GraphiQL only in DEBUG; limits from `core.graphql.limits`, with the schema's cost map."""

    cost_map: dict = {}

    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.DEBUG)
        super().__init__(**kwargs)

    def token_authenticated(self, request) -> bool:
        """Whether the request's user comes from an Authorization header rather than a cookie."""
        return False

    def introspection_allowed(self) -> bool:
        return bool(getattr(settings, "GRAPHQL_INTROSPECTION", settings.DEBUG))

    def parse_body(self, request):
        content_type = self.get_content_type(request)
        if request.method == "POST":
            allowed = TOKEN_CONTENT_TYPES if self.token_authenticated(request) else API_CONTENT_TYPES
            if content_type not in allowed:
                raise HttpError(HttpResponse("Send the query as JSON (application/json).", status=415))
        if content_type != "application/json":
            return super().parse_body(request)
        try:
            body = json.loads(request.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise Refused(
                error_response(status=400, message="The body is not valid JSON.", code="INVALID_JSON")
            ) from None
        if isinstance(body, list):
            raise Refused(
                error_response(
                    status=400,
                    message="Batched requests are not accepted: send one operation per request.",
                    code=ONE_OPERATION_ONLY,
                )
            )
        if not isinstance(body, dict):
            raise Refused(
                error_response(status=400, message="Send a JSON object with a `query`.", code="INVALID_JSON")
            )
        return body

    def dispatch(self, request, *args, **kwargs):
        try:
            return super().dispatch(request, *args, **kwargs)
        except Refused as exc:
            return exc.response

    @staticmethod
    def get_graphql_params(request, data):
        # On a POST the operation comes from the body only: graphene-django would otherwise take a
        # `?query=` from the URL first, which a cross-site form could set beside any body.
        if request.method == "POST":
            request = copy(request)
            request.GET = QueryDict()
        if not isinstance(data, dict | QueryDict):
            data = {}
        return GraphQLView.get_graphql_params(request, data)

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if not query:
            if show_graphiql:
                return None
            raise Refused(error_response(status=400, message="Must provide a query.", code="QUERY_MISSING"))
        if not isinstance(query, str):
            return _refusal("`query` must be a string.", GRAPHQL_PARSE_FAILED)
        if variables is not None and not isinstance(variables, dict):
            return _refusal("`variables` must be an object.", "INVALID_VARIABLES")
        if len(query) > MAX_QUERY_LENGTH:
            # Refused before parsing: parsing alone is linear in the size of the document.
            message = f"The query is longer than {MAX_QUERY_LENGTH} characters; put values in `variables`."
            return _refusal(message, QUERY_TOO_LARGE)
        schema = self.schema.graphql_schema
        try:
            document = parse(query, max_tokens=MAX_TOKENS)
        except GraphQLError as exc:
            return _refusal(
                exc.message, QUERY_TOO_LARGE if "more than" in exc.message else GRAPHQL_PARSE_FAILED
            )
        except RecursionError:
            return _refusal("The query is nested too deeply.", GRAPHQL_PARSE_FAILED)
        errors = document_check(
            schema=schema,
            document=document,
            variables=variables,
            cost_map=self.cost_map,
            introspection=self.introspection_allowed(),
        )
        if errors:
            return ExecutionResult(data=None, errors=errors)
        operation = operations_of(document)[0]
        if request.method.lower() == "get" and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            message = "Mutations must be sent with POST."
            raise Refused(error_response(status=405, message=message, code="METHOD_NOT_ALLOWED"))
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        try:
            # Each mutation's service holds its own transaction, as it does for the dashboards.
            return execute(schema, document, **options)
        except GraphQLError as exc:
            return ExecutionResult(errors=[exc])
        except Exception as exc:  # as graphene-django does: an answer with the error, logged
            logger.exception("GraphQL execution failed")
            return ExecutionResult(errors=[GraphQLError(str(exc), original_error=exc)])
