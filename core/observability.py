"""Structured logs: one JSON object per line, each carrying the request id of the work it belongs to.

The id comes from the client's (or the proxy's) `X-Request-ID` when it looks sane, otherwise a new one
is made; it is echoed in the response, stamped on every log line of the request, sent along in the
headers of the Celery tasks the request queues and restored in the worker for the task's log lines.
"""

import contextvars
import datetime
import json
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
HEADER = "X-Request-ID"
TASK_HEADER = "request_id"
# Ids from outside are logged and echoed: keep them short and printable.
VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
access_logger = logging.getLogger("terroir.access")


def request_id_get() -> str:
    return request_id_var.get()


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        if not getattr(record, "request_id", ""):
            record.request_id = request_id_var.get()
        return True


STANDARD_ATTRS = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One line of JSON: time, level, logger, message, request id, the `extra` fields, the traceback."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRS and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class RequestIdMiddleware:
    """Sets the request id for the request's log lines, answers it back, logs one access line."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


# --- Celery: the id travels in the task message's headers --------------------------------------


def task_headers_add_request_id(headers=None, **kwargs) -> None:
    """before_task_publish: a task queued during a request carries its id."""
    request_id = request_id_var.get()
    if headers is not None and request_id and TASK_HEADER not in headers:
        headers[TASK_HEADER] = request_id


_task_tokens: dict[str, contextvars.Token] = {}


def task_request_id_restore(task_id=None, task=None, **kwargs) -> None:
    """task_prerun: the task's log lines carry the id of the request that queued it (or a new one).

    A task run eagerly inside a request keeps that request's id."""
    request = task.request if task is not None else None
    # A worker finds the message's custom headers on the request; apply() keeps them in .headers.
    headers = getattr(request, "headers", None) or {}
    request_id = getattr(request, TASK_HEADER, None) or headers.get(TASK_HEADER)
    if request_id or not request_id_var.get():
        _task_tokens[task_id] = request_id_var.set(request_id or f"task-{uuid.uuid4().hex}")


def task_request_id_clear(task_id=None, **kwargs) -> None:
    """task_postrun: back to the id before the task (none in a worker)."""
    token = _task_tokens.pop(task_id, None)
    if token is not None:
        request_id_var.reset(token)
