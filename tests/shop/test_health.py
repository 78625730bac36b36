"""Readiness says what is down, never how: host names and error texts go to the log."""

import logging

import pytest
from django.db import OperationalError

from shop import health

pytestmark = pytest.mark.django_db
SECRET_DETAIL = (
    'connection to server at "db-primary.internal" (10.1.2.3), port 5432 failed: password for "shop"'
)


def test_readiness_with_the_database_down_is_a_503_that_names_no_host(client, monkeypatch, caplog):
    # given a database that refuses connections with a detailed error
    def refuse():
        raise OperationalError(SECRET_DETAIL)

    monkeypatch.setattr(health.connection, "cursor", refuse)

    # when a monitor asks whether the site is ready
    with caplog.at_level(logging.WARNING, logger="shop.health"):
        response = client.get("/health/ready")

    # then it is told the database is unavailable, and only the log has the details
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert response.json()["checks"]["database"] == "unavailable"
    assert "db-primary" not in response.content.decode() and "10.1.2.3" not in response.content.decode()
    assert SECRET_DETAIL in caplog.text
