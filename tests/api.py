"""Calling the GraphQL API as a given user, the way a client does (JSON POST to /graphql/)."""

from django.contrib.auth import get_user_model
from django.test import Client


def api_client(email: str | None) -> Client:
    client = Client()
    if email:
        client.force_login(get_user_model().objects.get(email=email))
    return client


def gql(client: Client, query: str, **variables) -> dict:
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    assert response.status_code in (200, 400), response.content
    return response.json()


def error_codes(body: dict) -> list:
    return [error.get("extensions", {}).get("code") for error in body.get("errors", [])]


def bearer_client(token: str) -> Client:
    """A client that signs its requests with an API token and carries no session cookie."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


TOKEN_CREATE = """
mutation ($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token refreshToken errors { field message code } }
}
"""


def token_for(email: str, password: str = "terroir-demo") -> str:
    body = gql(Client(), TOKEN_CREATE, email=email, password=password)
    assert body["data"]["tokenCreate"]["errors"] == [], body
    return body["data"]["tokenCreate"]["token"]
