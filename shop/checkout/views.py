from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from core.payments import PaymentMethod
from fulfilment.modules.base import NotShippable
from fulfilment.selectors import basket_shipping_plan
from shop.checkout.card import card_checkout_start
from shop.checkout.forms import PaymentMethodForm
from shop.checkout.payment_methods import payment_method_refusal, payment_methods_available
from shop.currency.services import currency_apply_delivery_country, currency_apply_payment_method
from shop.order.utils import OrderAlreadyPlaced, basket_lock_for_placement
from shop.payment.exceptions import PaymentGatewayError
from shop.payment.sources import payment_source_build
from shop.shipping.methods import shipping_charge_converter

SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")

SESSION_NAMESPACE = "payment"

COD_IN_MAD_NOTICE = gettext_lazy("Cash on delivery is paid in dirhams: your basket is now priced in MAD.")
CARD_CHECKOUT_SESSION_KEY = "card_checkout_id"


class PaymentMethodSessionMixin:
    def get_payment_method_code(self):
        return self.checkout_session._get(SESSION_NAMESPACE, "method")

    def get_available_payment_methods(self):
        address = self.get_shipping_address(self.request.basket)
        country = address.country_id if address is not None else None
        return payment_methods_available(shipping_country_code=country)

    def check_payment_data_is_captured(self, request):
        codes = {m.key for m in self.get_available_payment_methods()}
        if self.get_payment_method_code() not in codes:
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Please choose how you want to pay."),
            )
        refusal = self.get_payment_method_refusal(self.get_payment_method_code())
        if refusal:
            raise FailedPreCondition(url=reverse("checkout:shipping-address"), message=refusal)
        if self.apply_payment_method_currency():
            # The visitor went back to another currency: the summary is shown again, in MAD, before placing.
            raise FailedPreCondition(url=reverse("checkout:preview"), message=COD_IN_MAD_NOTICE)

    def apply_payment_method_currency(self) -> bool:
        """Cash on delivery is priced in MAD: True when the basket had to be switched to it."""
        strategy = currency_apply_payment_method(
            session=self.request.session,
            basket=self.request.basket,
            method=PaymentMethod.from_key(self.get_payment_method_code()),
        )
        return strategy is not None

    def get_payment_method_refusal(self, key: str | None) -> str | None:
        address = self.get_shipping_address(self.request.basket)
        return payment_method_refusal(method=PaymentMethod.from_key(key), shipping_address=address)


class IndexView(oscar_views.IndexView):
    """Oscar's first checkout step; its "returning customer" password goes through the login lockout,
    which needs the request (Oscar's FormView does not hand it to the authentication form)."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


class ShippingAddressView(oscar_views.ShippingAddressView):
    """A European delivery address switches the basket to EUR, unless the visitor chose a currency."""

    def get_success_url(self):
        address = self.get_shipping_address(self.request.basket)
        if address is not None and address.country_id:
            currency_apply_delivery_country(
                session=self.request.session, basket=self.request.basket, country_code=address.country_id
            )
        return super().get_success_url()


class ShippingMethodView(oscar_views.ShippingMethodView):
    """Each producer's module prices its parcel; a producer that cannot deliver blocks checkout."""

    def get(self, request, *args, **kwargs):
        if self.checkout_session.is_shipping_address_set() and request.basket.is_shipping_required():
            try:
                basket_shipping_plan(
                    basket=request.basket, shipping_address=self.get_shipping_address(request.basket)
                )
            except NotShippable as exc:
                messages.error(request, str(exc))
                return redirect("checkout:shipping-address")
        return super().get(request, *args, **kwargs)


class PaymentMethodView(PaymentMethodSessionMixin, oscar_views.PaymentMethodView):
    """Lets the customer choose cash on delivery (or a card, when offered)."""

    template_name = "oscar/checkout/payment_method.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self._form()))

    def post(self, request, *args, **kwargs):
        form = self._form(data=request.POST)
        if form.is_valid() and (refusal := self.get_payment_method_refusal(form.cleaned_data["method"])):
            form.add_error("method", refusal)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.checkout_session._set(SESSION_NAMESPACE, "method", form.cleaned_data["method"])
        if self.apply_payment_method_currency():
            messages.info(request, COD_IN_MAD_NOTICE)
        return redirect("checkout:preview")

    def _form(self, data=None):
        methods = self.get_available_payment_methods()
        initial = {"method": self.get_payment_method_code()}
        return PaymentMethodForm(data=data, methods=methods, initial=initial)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["methods"] = self.get_available_payment_methods()
        if not ctx["methods"]:
            messages.error(
                self.request,
                _("No payment method is available for this delivery country."),
            )
        return ctx


class PaymentDetailsView(PaymentMethodSessionMixin, oscar_views.PaymentDetailsView):
    def get(self, request, *args, **kwargs):
        if not self.preview:
            # Nothing to enter for cash on delivery: the method page leads straight to the preview.
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.get_payment_method_code()
        ctx["payment_method"] = next((m for m in self.get_available_payment_methods() if m.key == code), None)
        plan = getattr(ctx.get("shipping_method"), "plan", None)
        if plan is not None:
            # Each producer's charge in the basket's currency, as the order will record it.
            convert = shipping_charge_converter(strategy=self.request.basket.strategy)
            ctx["shipping_groups"] = [(parcel, quote, convert(quote.charge)) for parcel, quote in plan.groups]
        return ctx

    def place_order(self, order_number, user, basket, *args, **kwargs):
        # The lock comes first so a second submission writes no address or payment source either.
        with transaction.atomic():
            basket_lock_for_placement(basket=basket, order_number=order_number)
            return super().place_order(order_number, user, basket, *args, **kwargs)

    def handle_order_placement(self, order_number, user, basket, *args, **kwargs):
        try:
            return super().handle_order_placement(order_number, user, basket, *args, **kwargs)
        except OrderAlreadyPlaced as exc:
            # A double submission lands on the first submission's thank-you page.
            self.checkout_session.flush()
            self.request.session["checkout_order_id"] = exc.order.pk
            return redirect("checkout:thank-you")

    def handle_place_order_submission(self, request):
        if self.get_payment_method_code() != PaymentMethod.CARD.key:
            return super().handle_place_order_submission(request)
        # A card is paid on the next page; the basket is frozen so the order matches what is paid.
        submission = self.build_submission()
        basket = submission["basket"]
        order_number = self.generate_order_number(basket)
        self.checkout_session.set_order_number(order_number)
        try:
            checkout, __ = card_checkout_start(
                order_number=order_number,
                basket=basket,
                user=submission["user"],
                guest_email=submission["order_kwargs"].get("guest_email") or "",
                shipping_address=submission["shipping_address"],
                shipping_method=submission["shipping_method"],
                order_total=submission["order_total"],
            )
        except PaymentGatewayError as exc:
            return self.render_preview(request, error=str(exc))
        self.freeze_basket(basket)
        self.checkout_session.set_submitted_basket(basket)
        request.session[CARD_CHECKOUT_SESSION_KEY] = checkout.pk
        return redirect("checkout:card-payment")

    def handle_payment(self, order_number, total, **kwargs):
        method = self.get_payment_method_code()
        cod = PaymentMethod.CASH_ON_DELIVERY
        if method != cod.key:
            raise UnableToTakePayment(_("This payment method is not available."))
        self.add_payment_source(
            payment_source_build(method=cod, currency=total.currency, amount=total.incl_tax)
        )
