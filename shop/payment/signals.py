from django.dispatch import Signal

# Sent once per PaymentIntent, after the commit that first records it as succeeded
# (kwargs: intent=StripePaymentIntent). Checkout connects order placement to it.
payment_intent_succeeded = Signal()
