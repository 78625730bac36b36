"""How refusals and bad input reach API clients.

Selectors refuse with Django's PermissionDenied or Http404, as they do for the dashboards; a resolver
wrapped in `django_errors` turns them into a GraphQL error with an `extensions.code`, and its field
is null. Bad input to a mutation comes back in the payload's `errors { field message code }`.
"""

import binascii
import functools

import graphene
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from graphql import GraphQLError
from graphql_relay import from_global_id

PERMISSION_DENIED = "PERMISSION_DENIED"
NOT_FOUND = "NOT_FOUND"
INVALID = "INVALID"


def django_errors(resolver):
    @functools.wraps(resolver)
    def wrapped(*args, **kwargs):
        try:
            return resolver(*args, **kwargs)
        except PermissionDenied:
            raise GraphQLError(
                "You do not have permission to see or do this.", extensions={"code": PERMISSION_DENIED}
            ) from None
        except Http404:
            raise GraphQLError("Not found.", extensions={"code": NOT_FOUND}) from None

    return wrapped


def pk_from_id(value, type_name: str | None = None) -> int:
    """A model id given by the client: a global id (`node`'s, of `type_name` when given) or the bare
    number; anything else names no object (Http404)."""
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    try:
        found_type, raw = from_global_id(text)
        pk = int(raw)
    except (TypeError, ValueError, UnicodeDecodeError, binascii.Error):
        raise Http404("Not an id") from None
    if type_name and found_type != type_name:
        raise Http404("Not an id of this type")
    return pk


def pk_or_raw(value, type_name: str):
    """The pk a global or bare id names, or the value as given, for a form to refuse in its words."""
    if value is None:
        return None
    try:
        return pk_from_id(value, type_name)
    except Http404:
        return value


# Codes every domain's errors may carry: Django's form and model validation codes the API passes on.
COMMON_CODES = ("INVALID", "REQUIRED", "MAX_LENGTH", "MIN_VALUE", "MAX_VALUE", "INVALID_CHOICE")


def error_type(domain: str, codes: tuple[str, ...], description: str = "") -> type[graphene.ObjectType]:
    """`<Domain>Error { field message code: <Domain>ErrorCode! }`, Saleor's shape: one enum per domain.

    A service's ValidationError code outside the enum reaches the client as INVALID.
    """
    all_codes = tuple(dict.fromkeys((*COMMON_CODES, *codes)))
    enum = graphene.Enum(f"{domain}ErrorCode", [(code, code) for code in all_codes])
    return type(
        f"{domain}Error",
        (graphene.ObjectType,),
        {
            "__doc__": description or f"A problem with the input of a {domain.lower()} mutation.",
            "field": graphene.String(
                description="The argument at fault (camelCase), or null for the whole input."
            ),
            "message": graphene.String(required=True, description="In the request's language."),
            "code": graphene.Field(enum, required=True),
            "codes": frozenset(all_codes),
        },
    )


def _code_for(error_class, code: str | None) -> str:
    code = (code or INVALID).upper()
    return code if code in error_class.codes else INVALID


def input_errors(exc: ValidationError, *, fields: dict[str, str], error_class) -> list:
    """The errors of a form or service ValidationError; `fields` maps Python names to argument names
    (a name it does not map is passed on as it is; errors of the whole input have no field)."""
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    return [
        error_class(
            field=None if name == NON_FIELD_ERRORS else fields.get(name, name),
            message=" ".join(error.messages),
            code=_code_for(error_class, error.code),
        )
        for name, errors in by_field.items()
        for error in errors
    ]


def input_error(message: str, *, code: str, error_class, field: str | None = None):
    return error_class(field=field, message=str(message), code=_code_for(error_class, code))


def form_input_errors(form, *, fields: dict[str, str], error_class) -> list:
    return input_errors(ValidationError(form.errors.as_data()), fields=fields, error_class=error_class)
