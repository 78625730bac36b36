"""Signing in with tokens, and registering, through the same rules as the pages."""

import graphene
from django.core.exceptions import ValidationError

from core.graphql.errors import input_error, input_errors
from shop.accounts import services
from shop.accounts.graphql.types import AccountError, UserType

REGISTER_FIELDS = {"email": "email", "password1": "password", "password2": "password"}


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class TokenCreate(graphene.Mutation):
    """Access token (5 minutes, `Authorization: Bearer <token>`) and refresh token (30 days).

    Five failed attempts for one e-mail address or from one IP lock sign-in out for an hour."""

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)

    token = graphene.String(description="The access token.")
    refresh_token = graphene.String()
    user = graphene.Field(UserType)
    errors = graphene.List(graphene.NonNull(AccountError), required=True)

    @classmethod
    def mutate(cls, root, info, email, password):
        request = info.context
        try:
            pair = services.token_pair_create(
                email=email, password=password, ip=client_ip(request), request=request
            )
        except services.SignInRefused as exc:
            return cls(errors=[input_error(str(exc), code=exc.code, error_class=AccountError)])
        return cls(token=pair.access, refresh_token=pair.refresh, user=pair.user, errors=[])


class TokenRefresh(graphene.Mutation):
    class Arguments:
        refresh_token = graphene.String(required=True)

    token = graphene.String(description="A new access token.")
    user = graphene.Field(UserType)
    errors = graphene.List(graphene.NonNull(AccountError), required=True)

    @classmethod
    def mutate(cls, root, info, refresh_token):
        try:
            pair = services.token_refresh(refresh_token=refresh_token)
        except services.TokenInvalid as exc:
            error = input_error(str(exc), code=exc.code, field="refreshToken", error_class=AccountError)
            return cls(errors=[error])
        return cls(token=pair.access, user=pair.user, errors=[])


class TokenVerify(graphene.Mutation):
    class Arguments:
        token = graphene.String(required=True, description="An access token.")

    is_valid = graphene.Boolean(required=True)
    user = graphene.Field(UserType)
    errors = graphene.List(graphene.NonNull(AccountError), required=True)

    @classmethod
    def mutate(cls, root, info, token):
        try:
            user = services.token_user(token=token)
        except services.TokenInvalid as exc:
            error = input_error(str(exc), code=exc.code, field="token", error_class=AccountError)
            return cls(is_valid=False, errors=[error])
        return cls(is_valid=True, user=user, errors=[])


class AccountRegister(graphene.Mutation):
    """A customer account, with the registration page's checks; sign in with `tokenCreate` after."""

    class Arguments:
        email = graphene.String(required=True)
        password = graphene.String(required=True)
        first_name = graphene.String()
        last_name = graphene.String()

    user = graphene.Field(UserType)
    errors = graphene.List(graphene.NonNull(AccountError), required=True)

    @classmethod
    def mutate(cls, root, info, email, password, first_name="", last_name=""):
        try:
            user = services.customer_register(
                email=email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                request=info.context,
            )
        except ValidationError as exc:
            return cls(errors=input_errors(exc, fields=REGISTER_FIELDS, error_class=AccountError))
        return cls(user=user, errors=[])
