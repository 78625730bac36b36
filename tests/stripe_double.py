"""A local stand-in for the Stripe API: a real HTTP server the stripe SDK talks to in tests.

It implements the part of the API the shop uses (PaymentIntent create/retrieve/confirm/cancel,
Refund create) with Stripe's JSON shapes, error shape (HTTP 402 `card_error` for declines) and
idempotency keys. Outcomes are chosen by Stripe's documented test payment methods:
`pm_card_visa` succeeds, `pm_card_chargeDeclined` (and `…InsufficientFunds`) declines,
`pm_card_authenticationRequired` stops at `requires_action` until `authenticate()` is called.
"""

import hashlib
import hmac
import itertools
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

DECLINES = {
    "pm_card_chargeDeclined": ("card_declined", "generic_decline", "Your card was declined."),
    "pm_card_chargeDeclinedInsufficientFunds": (
        "card_declined",
        "insufficient_funds",
        "Your card has insufficient funds.",
    ),
}
SUCCEEDS = {"pm_card_visa", "pm_card_mastercard"}
NEEDS_AUTHENTICATION = {"pm_card_authenticationRequired"}


class StripeApiError(Exception):
    def __init__(self, status: int, error: dict):
        self.status = status
        self.error = error


def _nested(form_pairs: list[tuple[str, str]]) -> dict:
    """Stripe's form encoding (`metadata[order_number]=…`) back into nested dicts."""
    result: dict = {}
    for key, value in form_pairs:
        parts = key.replace("]", "").split("[")
        target = result
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = value
    return result


def _invalid(message: str, *, code: str = "parameter_invalid", param: str | None = None, status: int = 400):
    return StripeApiError(
        status, {"type": "invalid_request_error", "code": code, "message": message, "param": param}
    )


class StripeDouble:
    """The API state; one per test, behind `server_url`."""

    def __init__(self, *, api_key: str):
        self.api_key = api_key
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.requests: list[tuple[str, str]] = []
        self._idempotent: dict[str, tuple[str, int, dict]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.server_url = ""

    def _id(self, prefix: str) -> str:
        return f"{prefix}_{next(self._ids):06d}{secrets.token_hex(4)}"

    # --- request handling -------------------------------------------------------------------

    def handle(self, *, method: str, path: str, headers, body: str) -> tuple[int, dict, dict]:
        self.requests.append((method, path))
        if headers.get("Authorization") != f"Bearer {self.api_key}":
            return (
                401,
                {},
                {"error": {"type": "invalid_request_error", "message": "Invalid API Key provided."}},
            )
        params = _nested(parse_qsl(body, keep_blank_values=True))
        key = headers.get("Idempotency-Key")
        with self._lock:
            if method == "POST" and key:
                fingerprint = f"{method} {path} {body}"
                if key in self._idempotent:
                    stored_fingerprint, status, payload = self._idempotent[key]
                    if stored_fingerprint != fingerprint:
                        return (
                            400,
                            {},
                            {
                                "error": {
                                    "type": "idempotency_error",
                                    "message": "Keys for idempotent requests can only be used with the same "
                                    "parameters they were first used with.",
                                }
                            },
                        )
                    return status, {"Idempotent-Replayed": "true", "Idempotency-Key": key}, payload
            try:
                status, payload = 200, self._route(method, path, params)
            except StripeApiError as exc:
                status, payload = exc.status, {"error": exc.error}
            if method == "POST" and key:
                self._idempotent[key] = (f"{method} {path} {body}", status, payload)
        return status, {"Idempotency-Key": key} if key else {}, payload

    def _route(self, method: str, path: str, params: dict) -> dict:
        parts = path.strip("/").split("/")
        if parts[:2] == ["v1", "payment_intents"]:
            if method == "POST" and len(parts) == 2:
                return self._intent_create(params)
            intent = self._intent(parts[2]) if len(parts) > 2 else None
            if method == "GET" and len(parts) == 3:
                return intent
            if method == "POST" and len(parts) == 4 and parts[3] == "confirm":
                return self._intent_confirm(intent, params)
            if method == "POST" and len(parts) == 4 and parts[3] == "cancel":
                return self._intent_cancel(intent, params)
        if parts == ["v1", "refunds"] and method == "POST":
            return self._refund_create(params)
        raise _invalid(f"Unrecognized request URL ({method}: {path}).", code="resource_missing", status=404)

    def _intent(self, intent_id: str) -> dict:
        if intent_id not in self.intents:
            raise _invalid(
                f"No such payment_intent: '{intent_id}'", code="resource_missing", param="intent", status=404
            )
        return self.intents[intent_id]

    def _intent_create(self, params: dict) -> dict:
        try:
            amount = int(params["amount"])
        except (KeyError, ValueError):
            raise _invalid(
                "Missing required param: amount.", code="parameter_missing", param="amount"
            ) from None
        if amount < 1:
            raise _invalid("This value must be greater than or equal to 1.", param="amount")
        if not params.get("currency"):
            raise _invalid("Missing required param: currency.", code="parameter_missing", param="currency")
        intent_id = self._id("pi")
        intent = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": 0,
            "currency": params["currency"].lower(),
            "status": "requires_payment_method",
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "metadata": params.get("metadata", {}),
            "payment_method": None,
            "latest_charge": None,
            "last_payment_error": None,
            "next_action": None,
            "cancellation_reason": None,
            "capture_method": "automatic",
            "confirmation_method": "automatic",
            "created": int(time.time()),
            "livemode": False,
        }
        self.intents[intent_id] = intent
        if params.get("payment_method"):
            intent["payment_method"] = params["payment_method"]
            intent["status"] = "requires_confirmation"
        if params.get("confirm") == "true":
            return self._intent_confirm(intent, {})
        return intent

    def _intent_confirm(self, intent: dict, params: dict) -> dict:
        if intent["status"] not in ("requires_payment_method", "requires_confirmation"):
            raise _invalid(
                f"You cannot confirm this PaymentIntent because it has a status of {intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        payment_method = params.get("payment_method") or intent["payment_method"]
        if not payment_method:
            raise _invalid(
                "You cannot confirm this PaymentIntent because it's missing a payment method.",
                code="payment_intent_unexpected_state",
            )
        intent["payment_method"] = payment_method
        if payment_method in DECLINES:
            code, decline_code, message = DECLINES[payment_method]
            error = {
                "type": "card_error",
                "code": code,
                "decline_code": decline_code,
                "message": message,
                "charge": self._charge(intent, paid=False)["id"],
            }
            intent.update(status="requires_payment_method", last_payment_error=error, payment_method=None)
            raise StripeApiError(402, {**error, "payment_intent": intent})
        if payment_method in NEEDS_AUTHENTICATION:
            intent.update(
                status="requires_action",
                next_action={"type": "use_stripe_sdk", "use_stripe_sdk": {"type": "three_d_secure_redirect"}},
            )
            return intent
        if payment_method in SUCCEEDS:
            return self._succeed(intent)
        raise _invalid(
            f"No such PaymentMethod: '{payment_method}'", code="resource_missing", param="payment_method"
        )

    def _succeed(self, intent: dict) -> dict:
        charge = self._charge(intent, paid=True)
        intent.update(
            status="succeeded",
            amount_received=intent["amount"],
            latest_charge=charge["id"],
            next_action=None,
            last_payment_error=None,
        )
        return intent

    def _charge(self, intent: dict, *, paid: bool) -> dict:
        charge = {
            "id": self._id("ch"),
            "object": "charge",
            "amount": intent["amount"],
            "amount_refunded": 0,
            "currency": intent["currency"],
            "payment_intent": intent["id"],
            "paid": paid,
            "refunded": False,
            "status": "succeeded" if paid else "failed",
            "metadata": intent["metadata"],
        }
        self.charges[charge["id"]] = charge
        return charge

    def _intent_cancel(self, intent: dict, params: dict) -> dict:
        if intent["status"] in ("succeeded", "canceled"):
            raise _invalid(
                f"You cannot cancel this PaymentIntent because it has a status of {intent['status']}.",
                code="payment_intent_unexpected_state",
            )
        intent.update(
            status="canceled", cancellation_reason=params.get("cancellation_reason", "requested_by_customer")
        )
        return intent

    def _refund_create(self, params: dict) -> dict:
        intent = self._intent(params.get("payment_intent", ""))
        if intent["status"] != "succeeded":
            raise _invalid(f"PaymentIntent {intent['id']} does not have a successful charge to refund.")
        charge = self.charges[intent["latest_charge"]]
        remaining = charge["amount"] - charge["amount_refunded"]
        amount = int(params.get("amount", remaining))
        if amount < 1 or amount > remaining:
            raise _invalid(
                f"Refund amount ({amount}) is greater than unrefunded amount on charge ({remaining})",
                code="amount_too_large" if amount > remaining else "parameter_invalid",
                param="amount",
            )
        charge["amount_refunded"] += amount
        charge["refunded"] = charge["amount_refunded"] == charge["amount"]
        refund = {
            "id": self._id("re"),
            "object": "refund",
            "amount": amount,
            "charge": charge["id"],
            "currency": charge["currency"],
            "payment_intent": intent["id"],
            "status": "succeeded",
            "reason": params.get("reason"),
            "metadata": params.get("metadata", {}),
            "created": int(time.time()),
        }
        self.refunds[refund["id"]] = refund
        return refund

    # --- what tests do to the double besides API calls -------------------------------------------

    def authenticate(self, intent_id: str) -> dict:
        """The customer completes 3-D Secure in the browser (Stripe.js), maybe after closing our page."""
        with self._lock:
            return self._succeed(self.intents[intent_id])


def event_payload(
    *, event_type: str, obj: dict, event_id: str | None = None, created: int | None = None
) -> str:
    """A webhook event as Stripe sends it (the object is a snapshot at the time of the event)."""
    return json.dumps(
        {
            "id": event_id or f"evt_{secrets.token_hex(12)}",
            "object": "event",
            "api_version": "2025-01-27.acacia",
            "created": created or int(time.time()),
            "type": event_type,
            "livemode": False,
            "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
            "data": {"object": json.loads(json.dumps(obj))},
        }
    )


def signature_header(*, payload: str, secret: str, timestamp: int | None = None) -> str:
    """Stripe's scheme: `t=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<payload>" keyed by the secret>`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


class _Handler(BaseHTTPRequestHandler):
    double: StripeDouble

    def _serve(self, method: str):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        path, _, query = self.path.partition("?")
        status, headers, payload = self.double.handle(
            method=method, path=path, headers=self.headers, body=body or query
        )
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Request-Id", f"req_{secrets.token_hex(7)}")
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._serve("GET")

    def do_POST(self):
        self._serve("POST")

    def do_DELETE(self):
        self._serve("DELETE")

    def log_message(self, format, *args):  # keep pytest output quiet
        pass


class StripeDoubleServer:
    """Runs a StripeDouble on 127.0.0.1 at a free port in a background thread."""

    def __init__(self, *, api_key: str):
        self.double = StripeDouble(api_key=api_key)
        handler = type("Handler", (_Handler,), {"double": self.double})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.double.server_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        # A short poll interval so shutdown() at the end of each test returns at once.
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def __enter__(self) -> StripeDouble:
        self.thread.start()
        return self.double

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)
