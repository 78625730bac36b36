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
