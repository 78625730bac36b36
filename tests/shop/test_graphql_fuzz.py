"""Generated queries and mutations (schemathesis, GraphQL mode, from schema.graphql) never meet a
server error: whatever a client sends gets data or errors with a code, never a 500."""

from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings

from tests.api import api_client

pytestmark = pytest.mark.django_db
# A cooperative's staff reach the producer mutations; platform staff coordinate every GIE.
ROLES = ("saffron@example.com", "admin@example.com")
EXAMPLES_PER_OPERATION = 15
MINIMUM_QUERIES = 1_000


def _operations():
    schema = schemathesis.graphql.from_path(Path(settings.BASE_DIR) / "schema.graphql")
    return [result.ok() for result in schema.get_all_operations()]


def _send_generated(operation, *, client, sent: list, server_errors: list) -> None:
    """Post EXAMPLES_PER_OPERATION generated documents of one operation (reproducible: derandomized)."""

    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def send(case):
        response = client.post("/graphql/", {"query": case.body}, content_type="application/json")
        sent.append(operation.label)
        if response.status_code >= 500:
            server_errors.append((operation.label, case.body, response.content[:300]))

    send()


def test_generated_queries_never_meet_a_server_error(demo, settings):
    # generated accounts are hashed quickly; the hasher is not what this test is about
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    sent, server_errors = [], []

    for email in ROLES:
        client = api_client(email)
        for operation in _operations():
            _send_generated(operation, client=client, sent=sent, server_errors=server_errors)

    assert server_errors == []
    assert len(sent) >= MINIMUM_QUERIES, f"only {len(sent)} queries were generated"
