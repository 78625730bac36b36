"""Signing in without a browser: tokens, Bearer requests, lockout, registration, `me` and `order`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from shop.accounts import services
from tests.api import TOKEN_CREATE, api_client, bearer_client, error_codes, gql, token_for
from tests.fulfilment.helpers import order_place, product_of

pytestmark = pytest.mark.django_db
PASSWORD = "terroir-demo"
ME = "{ me { email firstName orders { totalCount edges { node { number total { amount currency } } } } } }"


@pytest.fixture(autouse=True)
def _no_failed_sign_ins():
    cache.clear()
    yield
    cache.clear()


def _token_create(email, password, ip="10.0.0.1"):
    client = Client(REMOTE_ADDR=ip)
    return gql(client, TOKEN_CREATE, email=email, password=password)["data"]["tokenCreate"]


def test_a_token_signs_requests_in_without_a_session(demo):
    # given
    created = _token_create("customer@example.com", PASSWORD)

    # when
    body = gql(bearer_client(created["token"]), ME)

    # then
    assert created["errors"] == [] and created["refreshToken"]
    assert body["data"]["me"]["email"] == "customer@example.com"
    assert gql(Client(), ME)["data"]["me"] is None


def test_browser_sessions_still_sign_requests_in(demo):
    body = gql(api_client("customer@example.com"), ME)

    assert body["data"]["me"]["firstName"] == "Sara"


def test_a_wrong_password_gets_no_token_and_says_so_in_the_requests_language(demo):
    def attempt(language):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        return gql(client, TOKEN_CREATE, email="customer@example.com", password="nope")["data"]["tokenCreate"]

    english, french, arabic = attempt("en"), attempt("fr-FR,fr;q=0.9"), attempt("ar")

    assert english["token"] is None
    assert [e["code"] for e in english["errors"]] == ["INVALID_CREDENTIALS"]
    assert english["errors"][0]["message"] == "Wrong e-mail address or password."
    assert french["errors"][0]["message"] == "Adresse e-mail ou mot de passe incorrect."
    assert arabic["errors"][0]["message"] == "البريد الإلكتروني أو كلمة المرور غير صحيحة."


def test_five_failures_lock_the_email_out_even_with_the_right_password(demo):
    for attempt in range(services.LOGIN_FAILURE_LIMIT):
        _token_create("customer@example.com", f"guess-{attempt}", ip=f"10.0.1.{attempt}")

    locked = _token_create("customer@example.com", PASSWORD, ip="10.0.2.1")
    other_user = _token_create("gie@example.com", PASSWORD, ip="10.0.2.1")

    assert locked["token"] is None and [e["code"] for e in locked["errors"]] == ["LOCKED_OUT"]
    assert other_user["token"]


def test_five_failures_from_one_ip_lock_that_ip_out_for_every_email(demo):
    for attempt in range(services.LOGIN_FAILURE_LIMIT):
        _token_create(f"nobody{attempt}@example.com", "guess", ip="10.0.3.1")

    from_that_ip = _token_create("customer@example.com", PASSWORD, ip="10.0.3.1")
    from_elsewhere = _token_create("customer@example.com", PASSWORD, ip="10.0.3.2")

    assert [e["code"] for e in from_that_ip["errors"]] == ["LOCKED_OUT"]
    assert from_elsewhere["token"]


def test_a_success_clears_the_emails_failures(demo):
    for attempt in range(services.LOGIN_FAILURE_LIMIT - 1):
        _token_create("customer@example.com", "guess", ip=f"10.0.4.{attempt}")
    _token_create("customer@example.com", PASSWORD, ip="10.0.5.1")

    _token_create("customer@example.com", "guess", ip="10.0.5.2")
    again = _token_create("customer@example.com", PASSWORD, ip="10.0.5.3")

    assert again["token"]


def test_refresh_gives_a_new_access_token_and_verify_checks_one(demo):
    created = _token_create("customer@example.com", PASSWORD)

    refreshed = gql(
        Client(),
        "mutation ($t: String!) { tokenRefresh(refreshToken: $t) { token user { email } errors { code } } }",
        t=created["refreshToken"],
    )["data"]["tokenRefresh"]
    access_as_refresh = gql(
        Client(),
        "mutation ($t: String!) { tokenRefresh(refreshToken: $t) { token errors { field code } } }",
        t=created["token"],
    )["data"]["tokenRefresh"]
    verify = "mutation ($t: String!) { tokenVerify(token: $t) { isValid user { email } errors { code } } }"
    valid = gql(Client(), verify, t=refreshed["token"])["data"]["tokenVerify"]
    forged = gql(Client(), verify, t=refreshed["token"][:-2] + "xx")["data"]["tokenVerify"]

    assert refreshed["user"] == {"email": "customer@example.com"} and refreshed["token"]
    assert access_as_refresh == {
        "token": None,
        "errors": [{"field": "refreshToken", "code": "INVALID_TOKEN"}],
    }
    assert valid == {"isValid": True, "user": {"email": "customer@example.com"}, "errors": []}
    assert forged["isValid"] is False and forged["errors"] == [{"code": "INVALID_TOKEN"}]


def test_an_expired_or_forged_bearer_token_is_refused_not_taken_as_anonymous(demo, monkeypatch):
    token = token_for("customer@example.com")

    forged = bearer_client(token + "x").post("/graphql/", {"query": ME}, content_type="application/json")
    monkeypatch.setattr(services, "ACCESS_TOKEN_SECONDS", -1)
    expired = bearer_client(token).post("/graphql/", {"query": ME}, content_type="application/json")

    assert forged.status_code == expired.status_code == 401
    assert error_codes(forged.json()) == ["INVALID_TOKEN"]
    assert error_codes(expired.json()) == ["EXPIRED_TOKEN"]


def test_changing_the_password_ends_its_tokens(demo):
    token = token_for("customer@example.com")
    user = get_user_model().objects.get(email="customer@example.com")

    user.set_password("a-new-long-passphrase")
    user.save()
    response = bearer_client(token).post("/graphql/", {"query": ME}, content_type="application/json")

    assert response.status_code == 401


def test_a_token_may_post_multipart_but_a_cookie_may_not(demo):
    token = token_for("customer@example.com")

    with_token = bearer_client(token).post("/graphql/", {"query": ME})
    with_cookie = api_client("customer@example.com").post("/graphql/", {"query": ME})

    assert with_token.status_code == 200 and with_token.json()["data"]["me"]["email"]
    assert with_cookie.status_code == 415


REGISTER = """
mutation ($email: String!, $password: String!) {
  accountRegister(email: $email, password: $password, firstName: "Leila") {
    user { email firstName } errors { field code message }
  }
}
"""


def test_a_visitor_registers_then_signs_in(demo):
    registered = gql(Client(), REGISTER, email="Leila@Example.com", password="argan-et-safran-2026")
    token = token_for("leila@example.com", "argan-et-safran-2026")

    assert registered["data"]["accountRegister"] == {
        "user": {"email": "Leila@example.com", "firstName": "Leila"},
        "errors": [],
    }
    assert gql(bearer_client(token), ME)["data"]["me"]["firstName"] == "Leila"


@pytest.mark.parametrize(
    "email,password,code",
    [
        ("customer@example.com", "argan-et-safran-2026", "UNIQUE"),
        ("new@example.com", "short", "PASSWORD_TOO_SHORT"),
        ("new@example.com", "password123", "PASSWORD_TOO_COMMON"),
        ("not-an-email", "argan-et-safran-2026", "INVALID"),
    ],
    ids=["taken", "short", "common", "bad-email"],
)
def test_registration_refuses_what_the_page_refuses(demo, email, password, code):
    body = gql(Client(), REGISTER, email=email, password=password)

    payload = body["data"]["accountRegister"]
    assert payload["user"] is None
    assert code in [e["code"] for e in payload["errors"]]
    assert not get_user_model().objects.filter(email="new@example.com").exists()


ORDER = (
    "query ($n: String!) { order(number: $n) { number statusLabel paymentMethod lines { title quantity } } }"
)


def test_a_customer_reads_their_own_orders_and_nobody_elses(demo):
    customer = get_user_model().objects.get(email="customer@example.com")
    own = order_place([(product_of("souktana-safran-taliouine"), 2)], user=customer)
    someone_elses = order_place([(product_of("nakhil-aoufous"), 1)])
    token = token_for("customer@example.com")

    mine = gql(bearer_client(token), ME)["data"]["me"]["orders"]
    read = gql(bearer_client(token), ORDER, n=str(own.number))
    other = gql(bearer_client(token), ORDER, n=str(someone_elses.number))
    anonymous = gql(Client(), ORDER, n=str(own.number))

    assert mine["totalCount"] == 1
    assert mine["edges"][0]["node"]["number"] == str(own.number)
    assert read["data"]["order"]["paymentMethod"] == "CASH_ON_DELIVERY"
    assert read["data"]["order"]["lines"] == [{"title": own.lines.get().title, "quantity": 2}]
    assert other["data"] == {"order": None} and error_codes(other) == ["NOT_FOUND"]
    assert anonymous["data"] == {"order": None} and error_codes(anonymous) == ["PERMISSION_DENIED"]
