from urllib.parse import unquote_to_bytes

from django.http import JsonResponse
from django.utils.translation import gettext as _

from core.user_input import InputRejected, has_control_characters
from shop.security.errors import bad_request
from shop.security.paths import path_without_language


def _as_bytes(environ_text: str) -> bytes:
    """WSGI hands the query string over as bytes in a latin-1 str (PEP 3333); ASGI as text."""
    try:
        return environ_text.encode("latin-1")
    except UnicodeEncodeError:
        return environ_text.encode("utf-8")


def request_input_problem(request) -> str:
    """Why no page can take this request's address (path or query string); "" when it is fine.

    Django has decoded the path already (bytes that are not UTF-8 stay percent-encoded, and resolve
    to nothing); the query string is decoded here, strictly.
    """
    query = unquote_to_bytes(_as_bytes(request.META.get("QUERY_STRING", "")).replace(b"+", b" "))
    try:
        text = request.path_info + query.decode("utf-8")
    except UnicodeDecodeError:
        return _("The address is not valid UTF-8 text.")
    if has_control_characters(text):
        return _("The address contains control characters, which no page accepts.")
    return ""


class RejectInvalidInputMiddleware:
    """NUL bytes, other control characters and invalid UTF-8 in the path or the query string are
    answered 400 before any view reads them (PostgreSQL refuses NUL in text, which would be a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        problem = request_input_problem(request)
        if not problem:
            return self.get_response(request)
        if path_without_language(request.path_info).startswith("/graphql/"):
            return JsonResponse({"errors": [{"message": problem}]}, status=400)
        return bad_request(request, InputRejected(problem))
