import pytest

from shop.payment.signals import payment_intent_succeeded
from tests.stripe_double import StripeDoubleServer

API_KEY = "sk_test_double_0123456789"
WEBHOOK_SECRET = "whsec_test_double_0123456789"


@pytest.fixture
def stripe_double(settings):
    """A local Stripe API on a random port, with the settings pointing the SDK at it."""
    with StripeDoubleServer(api_key=API_KEY) as double:
        settings.STRIPE_SECRET_KEY = API_KEY
        settings.STRIPE_PUBLISHABLE_KEY = "pk_test_double_0123456789"
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = double.server_url
        yield double


@pytest.fixture
def stripe_keys_absent(settings):
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_PUBLISHABLE_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = ""
    settings.STRIPE_API_BASE = ""


@pytest.fixture
def succeeded_signals():
    """Intent ids announced through `payment_intent_succeeded`, in order."""
    received = []

    def receiver(sender, intent, **kwargs):
        received.append(intent.intent_id)

    payment_intent_succeeded.connect(receiver)
    yield received
    payment_intent_succeeded.disconnect(receiver)
