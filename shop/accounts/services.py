"""Signing in without a browser: access and refresh tokens, and the lockout after failed attempts.

Tokens are Django-signed (`django.core.signing`, keyed by SECRET_KEY), not stored: an access token
lives ACCESS_TOKEN_SECONDS, a refresh token REFRESH_TOKEN_SECONDS. Each carries a fingerprint of the
user's password hash, so changing the password (or deactivating the user) ends every token at once.

Failed sign-ins are counted in the cache per e-mail address and per client IP; at LOGIN_FAILURE_LIMIT
either is locked out for LOGIN_COOLOFF_SECONDS, whatever the password. A success clears its
e-mail's count, not its IP's (one valid account must not reset an IP that guesses others).
"""

import hashlib
from dataclasses import dataclass

from django.contrib.auth import authenticate, get_user_model
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.apps.customer.signals import user_registered
from oscar.apps.customer.utils import normalise_email
from oscar.core.loading import get_class

EmailUserCreationForm = get_class("customer.forms", "EmailUserCreationForm")

ACCESS_TOKEN_SECONDS = 5 * 60
REFRESH_TOKEN_SECONDS = 30 * 24 * 3600
LOGIN_FAILURE_LIMIT = 5
LOGIN_COOLOFF_SECONDS = 3600

ACCESS, REFRESH = "access", "refresh"
_SALT = "shop.accounts.token."


class SignInRefused(Exception):
    """Wrong e-mail or password, or locked out; `code` says which."""

    def __init__(self, message: str, *, code: str):
        self.code = code
        super().__init__(message)


class TokenInvalid(Exception):
    """A token that is malformed, forged, expired, of the other kind or of a changed password."""

    def __init__(self, message: str, *, code: str = "INVALID_TOKEN"):
        self.code = code
        super().__init__(message)


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    user: object


def _fingerprint(user) -> str:
    return user.get_session_auth_hash()[:16]


def _token(user, kind: str) -> str:
    return signing.dumps({"u": user.pk, "p": _fingerprint(user)}, salt=_SALT + kind, compress=True)


def token_user(*, token: str, kind: str = ACCESS):
    """The active user a token names; TokenInvalid otherwise."""
    max_age = ACCESS_TOKEN_SECONDS if kind == ACCESS else REFRESH_TOKEN_SECONDS
    try:
        payload = signing.loads(token or "", salt=_SALT + kind, max_age=max_age)
    except signing.SignatureExpired:
        raise TokenInvalid(_("The token has expired."), code="EXPIRED_TOKEN") from None
    except signing.BadSignature:
        raise TokenInvalid(_("The token is not valid.")) from None
    if not isinstance(payload, dict):
        raise TokenInvalid(_("The token is not valid."))
    user = get_user_model().objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None or payload.get("p") != _fingerprint(user):
        raise TokenInvalid(_("The token is not valid."))
    return user


def _failure_keys(*, email: str, ip: str) -> list[str]:
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    return [f"signin-failures:email:{digest}", f"signin-failures:ip:{ip or 'unknown'}"]


def sign_in_locked_out(*, email: str, ip: str) -> bool:
    counts = cache.get_many(_failure_keys(email=email, ip=ip))
    return any(count >= LOGIN_FAILURE_LIMIT for count in counts.values())


def _failure_record(*, email: str, ip: str) -> None:
    for key in _failure_keys(email=email, ip=ip):
        cache.add(key, 0, timeout=LOGIN_COOLOFF_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=LOGIN_COOLOFF_SECONDS)


def token_pair_create(*, email: str, password: str, ip: str, request=None) -> TokenPair:
    """Access and refresh tokens for the e-mail's user; SignInRefused when wrong or locked out."""
    if sign_in_locked_out(email=email, ip=ip):
        raise SignInRefused(
            _("Too many failed sign-ins: try again in an hour, or reset your password."), code="LOCKED_OUT"
        )
    try:
        # No request: the API's lockout is this service's (per e-mail and per address), answered as a
        # GraphQL error; the login pages' lockout (django-axes) would answer with an HTML page.
        user = authenticate(None, email=email, password=password)
    except get_user_model().MultipleObjectsReturned:
        user = None
    if user is None:
        _failure_record(email=email, ip=ip)
        raise SignInRefused(_("Wrong e-mail address or password."), code="INVALID_CREDENTIALS")
    cache.delete(_failure_keys(email=email, ip=ip)[0])
    return TokenPair(access=_token(user, ACCESS), refresh=_token(user, REFRESH), user=user)


def token_refresh(*, refresh_token: str) -> TokenPair:
    """A new access token (and the same refresh token) for a valid refresh token."""
    user = token_user(token=refresh_token, kind=REFRESH)
    return TokenPair(access=_token(user, ACCESS), refresh=refresh_token, user=user)


@transaction.atomic
def customer_register(*, email: str, password: str, first_name: str = "", last_name: str = "", request=None):
    """A customer account with the registration page's checks (Oscar's form, the password
    validators); ValidationError keyed by field otherwise."""
    User = get_user_model()
    if User.objects.filter(email__iexact=normalise_email(email or "")).exists():
        message = _("A user with that email address already exists")
        raise ValidationError({"email": ValidationError(message, code="unique")})
    form = EmailUserCreationForm(data={"email": email, "password1": password, "password2": password})
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    user = form.save(commit=False)
    user.first_name, user.last_name = (first_name or "").strip(), (last_name or "").strip()
    user.save()
    user_registered.send_robust(sender=customer_register, request=request, user=user)
    return user
