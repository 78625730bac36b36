"""The card payment page: Stripe's Payment Element in the browser, or a server-side confirmation."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import generic
from oscar.core.loading import get_model

from shop.checkout.card import PaidButNotPlaceable, card_checkout_order_place
from shop.checkout.mixins import OrderPlacementMixin
from shop.checkout.views import CARD_CHECKOUT_SESSION_KEY
from shop.payment import stripe_gateway
from shop.payment.conf import stripe_publishable_key
from shop.payment.exceptions import AuthenticationRequired, CardDeclined, PaymentGatewayError
from shop.payment.models import CardCheckout, StripePaymentIntent
from shop.payment.services import stripe_payment_intent_confirm, stripe_payment_intent_sync

Status = StripePaymentIntent.Status
Basket = get_model("basket", "Basket")


class CardPaymentView(OrderPlacementMixin, generic.TemplateView):
    """GET shows the payment form (and, back from Stripe or 3-D Secure, places the paid order);
    POST `payment_method` confirms on the server (Stripe's test payment methods, the test suite)."""

    template_name = "oscar/checkout/card_payment.html"
    pre_conditions = []
    skip_conditions = []

    def dispatch(self, request, *args, **kwargs):
        self.card_checkout = CardCheckout.objects.filter(
            pk=request.session.get(CARD_CHECKOUT_SESSION_KEY)
        ).first()
        if self.card_checkout is None:
            return redirect("checkout:preview")
        if self.card_checkout.expired_at is not None and self.card_checkout.order_id is None:
            messages.info(request, _("Your payment page expired; please confirm your order again."))
            return self._back_to_preview()
        self.intent = StripePaymentIntent.objects.get(intent_id=self.card_checkout.intent_id)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        try:
            state = stripe_gateway.payment_intent_retrieve(intent_id=self.intent.intent_id)
            stripe_payment_intent_sync(intent=self.intent)
        except PaymentGatewayError as exc:
            messages.error(request, str(exc))
            return self._back_to_preview()
        if self.intent.status == Status.SUCCEEDED:
            return self._order_placed_response()
        return self.render_to_response(
            self.get_context_data(
                client_secret=state.client_secret,
                requires_action=state.status == Status.REQUIRES_ACTION,
            )
        )

    def post(self, request, *args, **kwargs):
        payment_method = request.POST.get("payment_method", "").strip()
        if not payment_method:
            return redirect("checkout:card-payment")
        try:
            stripe_payment_intent_confirm(intent=self.intent, payment_method=payment_method)
        except CardDeclined as exc:
            messages.error(request, str(exc))
            return self._back_to_preview()
        except AuthenticationRequired as exc:
            # The bank wants 3-D Secure: Stripe.js runs it in the browser, then this page is reloaded.
            return self.render_to_response(
                self.get_context_data(client_secret=exc.client_secret, requires_action=True)
            )
        except PaymentGatewayError as exc:
            messages.error(request, str(exc))
            return self._back_to_preview()
        return self._order_placed_response()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(
            card_checkout=self.card_checkout,
            intent=self.intent,
            stripe_publishable_key=stripe_publishable_key(),
        )
        return ctx

    def _back_to_preview(self):
        """The payment did not go through: the basket is given back, unchanged, for another try."""
        basket = Basket.objects.filter(pk=self.card_checkout.basket_id).first()
        if basket is not None:
            basket.thaw()
            if self.request.basket.id and self.request.basket.id != basket.id:
                basket.merge(self.request.basket)  # what was added meanwhile in a new basket
            basket.strategy = self.request.basket.strategy
            self.request.basket = basket
        return redirect("checkout:preview")

    def _order_placed_response(self):
        try:
            order = card_checkout_order_place(checkout=self.card_checkout)
        except PaidButNotPlaceable as exc:
            messages.error(self.request, str(exc))
            return self._back_to_preview()
        if order is None:
            return redirect("checkout:card-payment")
        self.checkout_session.flush()
        self.request.session.pop(CARD_CHECKOUT_SESSION_KEY, None)
        self.request.session["checkout_order_id"] = order.pk
        return redirect("checkout:thank-you")
