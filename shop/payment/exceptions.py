"""Domain errors for card payments; subclasses of Oscar's, so Oscar's checkout already handles them."""

from oscar.apps.payment.exceptions import GatewayError, PaymentError, UnableToTakePayment


class CardDeclined(UnableToTakePayment):
    """The bank or Stripe refused the card; the customer may try another one."""

    def __init__(self, message: str, *, code: str = "", decline_code: str = "", intent_id: str = ""):
        super().__init__(message)
        self.code = code
        self.decline_code = decline_code
        self.intent_id = intent_id


class AuthenticationRequired(PaymentError):
    """The bank asks for strong customer authentication (3-D Secure) in the customer's browser."""

    def __init__(self, message: str, *, intent_id: str, client_secret: str, next_action: dict | None = None):
        super().__init__(message)
        self.intent_id = intent_id
        self.client_secret = client_secret
        self.next_action = next_action or {}


class PaymentGatewayError(GatewayError):
    """Stripe could not be reached or refused the request itself (a bug or a configuration error)."""

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code


class CardPaymentsDisabled(PaymentGatewayError):
    """No Stripe keys are configured."""
