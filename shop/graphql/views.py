from django.utils import translation

from core.graphql.view import LimitedGraphQLView, error_response
from shop.accounts.services import TokenInvalid, token_user
from shop.graphql.cost_map import COST_MAP
from shop.graphql.schema import schema


def bearer_token(request) -> str | None:
    scheme, __, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else None


class TerroirGraphQLView(LimitedGraphQLView):
    """The API endpoint: the root schema under the shared limits (core.graphql.view).

    The user is the Bearer token's when the request carries one (an invalid or expired token is
    refused with 401, never treated as anonymous), else the session's. Messages are in the language
    of `Accept-Language` (the URL has no language prefix to say it).
    """

    cost_map = COST_MAP

    def __init__(self, **kwargs):
        kwargs.setdefault("schema", schema)
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        token = bearer_token(request)
        if token is not None:
            try:
                request.user = token_user(token=token)
            except TokenInvalid as exc:
                return error_response(status=401, message=str(exc), code=exc.code)
            request.api_token_user = True
        with translation.override(translation.get_language_from_request(request)):
            return super().dispatch(request, *args, **kwargs)

    def token_authenticated(self, request) -> bool:
        return getattr(request, "api_token_user", False)
