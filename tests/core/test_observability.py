"""Request ids: on every response, on every log line of the request, carried to its Celery tasks."""

import json
import logging

import pytest
from celery import shared_task

from core.observability import (
    JsonFormatter,
    RequestIdFilter,
    request_id_get,
    request_id_var,
    task_headers_add_request_id,
)


@shared_task
def request_id_seen() -> str:
    return request_id_get()


@pytest.mark.django_db
def test_each_response_carries_a_request_id_and_a_sane_given_one_is_kept(client):
    generated = client.get("/health/live")["X-Request-ID"]
    kept = client.get("/health/live", headers={"X-Request-ID": "lb-42.a"})["X-Request-ID"]
    replaced = client.get("/health/live", headers={"X-Request-ID": "bad id\nX-Evil: 1"})["X-Request-ID"]

    assert len(generated) == 32 and kept == "lb-42.a"
    assert replaced != generated and "\n" not in replaced and " " not in replaced


@pytest.mark.django_db
def test_the_access_line_of_a_request_is_json_with_its_id(client, caplog):
    caplog.set_level(logging.INFO, logger="terroir.access")

    response = client.get("/health/live", headers={"X-Request-ID": "req-7"})

    record = next(r for r in caplog.records if r.name == "terroir.access")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert response.status_code == 200
    assert (line["request_id"], line["path"], line["status"], line["level"]) == (
        "req-7",
        "/health/live",
        200,
        "INFO",
    )
    assert line["duration_ms"] >= 0


def test_a_task_queued_during_a_request_carries_its_id_to_the_worker():
    # given the headers of a message published during request "req-9"
    headers = {}
    token = request_id_var.set("req-9")
    try:
        task_headers_add_request_id(headers=headers)
    finally:
        request_id_var.reset(token)

    # when the worker runs the task from that message
    seen = request_id_seen.apply(headers=headers).result

    # then its log lines carry the request's id, and the worker's context is clean afterwards
    assert headers == {"request_id": "req-9"} and seen == "req-9"
    assert request_id_get() == ""


def test_a_task_without_a_request_gets_an_id_of_its_own():
    assert request_id_seen.apply().result.startswith("task-")
