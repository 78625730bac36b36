from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_model

from fulfilment.modules.base import NotShippable
from fulfilment.selectors import basket_shipping_plan
from shop.checkout.forms import PaymentMethodForm
from shop.checkout.payment_methods import CASH_ON_DELIVERY, payment_methods_available
from shop.order.utils import OrderAlreadyPlaced, basket_lock_for_placement

SourceType = get_model("payment", "SourceType")
Source = get_model("payment", "Source")

SESSION_NAMESPACE = "payment"


class PaymentMethodSessionMixin:
    def get_payment_method_code(self):
        return self.checkout_session._get(SESSION_NAMESPACE, "method")

    def get_available_payment_methods(self):
        address = self.get_shipping_address(self.request.basket)
        country = address.country_id if address is not None else None
        return payment_methods_available(shipping_country_code=country)

    def check_payment_data_is_captured(self, request):
        codes = {m.code for m in self.get_available_payment_methods()}
        if self.get_payment_method_code() not in codes:
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Please choose how you want to pay."),
            )


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
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        self.checkout_session._set(SESSION_NAMESPACE, "method", form.cleaned_data["method"])
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
        ctx["payment_method"] = next(
            (m for m in self.get_available_payment_methods() if m.code == code), None
        )
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

    def handle_payment(self, order_number, total, **kwargs):
        method = self.get_payment_method_code()
        if method != CASH_ON_DELIVERY:
            raise UnableToTakePayment(_("This payment method is not available."))
        source_type, __ = SourceType.objects.get_or_create(
            code="cash-on-delivery", defaults={"name": "Cash on delivery"}
        )
        self.add_payment_source(
            Source(source_type=source_type, currency=total.currency, amount_allocated=total.incl_tax)
        )
