"""Buying without the pages: an API checkout goes through the same steps and rules as the checkout
views — Oscar's basket and its availability checks, the page's address form, each producer's
fulfilment module for delivery, the same OrderCreator (stock taken from lots first-expired-first-out,
one fulfilment per producer) and the same payment sources (cash on delivery; a card through
`shop.checkout.card`, placed when Stripe reports the payment).

Every refusal is a ValidationError whose code the API passes on (CheckoutErrorCode).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model

from core.payments import PaymentMethod
from fulfilment.modules.base import NotShippable
from fulfilment.selectors import basket_shipping_plan
from shop.checkout.applicator import SurchargeApplicator
from shop.checkout.card import address_fields, card_checkout_start
from shop.checkout.models import ApiCheckout
from shop.checkout.payment_methods import payment_methods_available
from shop.currency.selectors import currency_quote
from shop.order.utils import OrderCreator, basket_lock_for_placement, order_language
from shop.payment.exceptions import PaymentGatewayError
from shop.payment.sources import payment_source_build

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
OrderNumberGenerator = get_class("order.utils", "OrderNumberGenerator")
ShippingAddressForm = get_class("checkout.forms", "ShippingAddressForm")


def _error(message, code: str, field: str | None = None) -> ValidationError:
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


@dataclass(frozen=True)
class LineInput:
    product: object
    quantity: int


def checkout_strategy(checkout: ApiCheckout):
    return Selector().strategy(currency=currency_quote(code=checkout.currency))


def checkout_basket(checkout: ApiCheckout):
    """The checkout's basket, priced in the checkout's currency."""
    basket = checkout.basket
    basket.strategy = checkout_strategy(checkout)
    return basket


def _ensure_open(checkout: ApiCheckout) -> None:
    if checkout.order_id or checkout.basket.status != Basket.OPEN:
        raise _error(_("This checkout is already completed."), "ALREADY_COMPLETED")


def _line_quantity_check(basket, product, quantity: int, *, line=None) -> None:
    """The basket page's checks: a positive quantity, a product on sale, enough stock."""
    if quantity < 1:
        raise _error(_("The quantity must be at least 1."), "QUANTITY_INVALID", "quantity")
    info = basket.strategy.fetch_for_product(product)
    if not info.availability.is_available_to_buy:
        raise _error(
            _("“%(product)s” is not available.") % {"product": product.get_title()},
            "PRODUCT_UNAVAILABLE",
            "productId",
        )
    in_basket = sum(
        other.quantity for other in basket.all_lines() if other.product_id == product.pk and other != line
    )
    allowed, reason = info.availability.is_purchase_permitted(in_basket + quantity)
    if not allowed:
        raise _error(reason, "INSUFFICIENT_STOCK", "quantity")
    allowed, reason = basket.is_quantity_allowed(quantity)
    if not allowed:
        raise _error(reason, "QUANTITY_INVALID", "quantity")


def _lines_add(basket, lines: list[LineInput]) -> None:
    for line in lines:
        _line_quantity_check(basket, line.product, line.quantity)
        basket.add_product(line.product, line.quantity)
        basket.reset_offer_applications()


@transaction.atomic
def checkout_create(
    *, lines: list[LineInput], email: str = "", currency: str = "MAD", user=None, language: str | None = None
) -> ApiCheckout:
    """A new checkout with its lines, priced in `currency` (MAD, or EUR at the staff's rate)."""
    quote = currency_quote(code=(currency or "MAD").upper())
    if quote.code != (currency or "MAD").upper():
        raise _error(
            _("Prices cannot be shown in %(code)s: no exchange rate has been entered yet.")
            % {"code": currency},
            "CURRENCY_UNAVAILABLE",
            "currency",
        )
    if not lines:
        raise _error(_("Add at least one product."), "EMPTY", "lines")
    owner = user if user is not None and user.is_authenticated else None
    basket = Basket.objects.create(owner=owner)
    checkout = ApiCheckout.objects.create(
        basket=basket,
        user=owner,
        email=(email or (owner.email if owner else "")).strip(),
        currency=quote.code,
        language=order_language(language),
    )
    _lines_add(checkout_basket(checkout), lines)
    return checkout


def _checkout_lock(checkout: ApiCheckout) -> ApiCheckout:
    """Serialise writes on one checkout (and its basket), as placement does."""
    locked = ApiCheckout.objects.select_for_update().select_related("basket").get(pk=checkout.pk)
    _ensure_open(locked)
    return locked


def _delivery_reset(checkout: ApiCheckout) -> None:
    # Another set of lines or another address is another quote: the buyer chooses again.
    checkout.delivery_methods = {}
    checkout.save(update_fields=["delivery_methods", "date_updated"])


@transaction.atomic
def checkout_lines_add(*, checkout: ApiCheckout, lines: list[LineInput]) -> ApiCheckout:
    checkout = _checkout_lock(checkout)
    _lines_add(checkout_basket(checkout), lines)
    _delivery_reset(checkout)
    return checkout


def _basket_line(basket, line_id: int):
    line = basket.lines.filter(pk=line_id).select_related("product", "stockrecord").first()
    if line is None:
        raise _error(_("This line is not in the checkout."), "LINE_NOT_FOUND", "lineId")
    return line


@transaction.atomic
def checkout_lines_update(*, checkout: ApiCheckout, quantities: dict[int, int]) -> ApiCheckout:
    """Set the quantity of lines (line id → quantity); 0 removes the line."""
    checkout = _checkout_lock(checkout)
    basket = checkout_basket(checkout)
    for line_id, quantity in quantities.items():
        line = _basket_line(basket, line_id)
        if quantity == 0:
            line.delete()
            continue
        _line_quantity_check(basket, line.product, quantity, line=line)
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    basket.reset_offer_applications()
    _delivery_reset(checkout)
    return checkout


@transaction.atomic
def checkout_lines_delete(*, checkout: ApiCheckout, line_ids: list[int]) -> ApiCheckout:
    checkout = _checkout_lock(checkout)
    basket = checkout_basket(checkout)
    for line_id in line_ids:
        _basket_line(basket, line_id).delete()
    basket.reset_offer_applications()
    _delivery_reset(checkout)
    return checkout


def checkout_shipping_address(checkout: ApiCheckout):
    """The delivery address as an unsaved ShippingAddress, or None."""
    if not checkout.shipping_address:
        return None
    return ShippingAddress(**checkout.shipping_address)


def checkout_shipping_plan(checkout: ApiCheckout):
    """Each producer's parcel and quote for the checkout's address (NotShippable when one cannot go)."""
    address = checkout_shipping_address(checkout)
    if address is None:
        return None
    return basket_shipping_plan(basket=checkout_basket(checkout), shipping_address=address)


@transaction.atomic
def checkout_shipping_address_update(*, checkout: ApiCheckout, address: dict) -> ApiCheckout:
    """The checkout page's address form; a producer that cannot deliver there is refused at once."""
    checkout = _checkout_lock(checkout)
    form = ShippingAddressForm(data=address)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    fields = address_fields(form.save(commit=False))
    previous = checkout.shipping_address
    checkout.shipping_address = fields
    try:
        checkout_shipping_plan(checkout)
    except NotShippable as exc:
        checkout.shipping_address = previous
        raise _error(str(exc), "NOT_SHIPPABLE", "shippingAddress") from exc
    checkout.delivery_methods = {}
    checkout.save(update_fields=["shipping_address", "delivery_methods", "date_updated"])
    return checkout


@transaction.atomic
def checkout_delivery_method_update(
    *, checkout: ApiCheckout, producer_id: int, method_code: str
) -> ApiCheckout:
    """Choose how one producer's parcel travels, among what its fulfilment module offers."""
    checkout = _checkout_lock(checkout)
    plan = _plan_or_error(checkout)
    quote = plan.quotes.get(producer_id)
    if quote is None:
        raise _error(
            _("No product of this producer is in the checkout."), "PRODUCER_NOT_IN_CHECKOUT", "producerId"
        )
    if quote.method_code != method_code:
        raise _error(
            _("This delivery method is not offered for this producer's parcel."),
            "DELIVERY_METHOD_INVALID",
            "methodCode",
        )
    checkout.delivery_methods = {**checkout.delivery_methods, str(producer_id): method_code}
    checkout.save(update_fields=["delivery_methods", "date_updated"])
    return checkout


def _plan_or_error(checkout: ApiCheckout):
    if checkout.basket.is_empty:
        raise _error(_("The checkout has no products."), "EMPTY", "lines")
    try:
        plan = checkout_shipping_plan(checkout)
    except NotShippable as exc:
        raise _error(str(exc), "NOT_SHIPPABLE", "shippingAddress") from exc
    if plan is None:
        raise _error(_("Give the delivery address first."), "SHIPPING_ADDRESS_REQUIRED", "shippingAddress")
    return plan


def checkout_payment_methods(checkout: ApiCheckout) -> list[PaymentMethod]:
    address = checkout.shipping_address or {}
    return payment_methods_available(shipping_country_code=address.get("country_id"))


@dataclass(frozen=True)
class CheckoutTotals:
    shipping_method: object
    shipping_charge: object
    surcharges: object
    total: object


def checkout_totals(checkout: ApiCheckout, *, payment_method: PaymentMethod | None = None) -> CheckoutTotals:
    """The order total as placement will compute it (with the cash-on-delivery fee when it applies)."""
    basket = checkout_basket(checkout)
    address = checkout_shipping_address(checkout)
    method = Repository().get_default_shipping_method(basket, shipping_addr=address)
    charge = method.calculate(basket)
    context = {"payment_method_key": payment_method.key if payment_method else None}
    surcharges = SurchargeApplicator(None, context).get_applicable_surcharges(basket, shipping_charge=charge)
    total = OrderTotalCalculator().calculate(basket, charge, surcharges=surcharges)
    return CheckoutTotals(shipping_method=method, shipping_charge=charge, surcharges=surcharges, total=total)


def _completion_check(checkout: ApiCheckout, payment_method: PaymentMethod) -> None:
    if not checkout.email:
        raise _error(_("Give an e-mail address for the order."), "EMAIL_REQUIRED", "email")
    plan = _plan_or_error(checkout)
    missing = [
        parcel.partner.name
        for parcel, quote in plan.groups
        if checkout.delivery_methods.get(str(parcel.partner.pk)) != quote.method_code
    ]
    if missing:
        raise _error(
            _("Choose how each producer delivers: %(producers)s.") % {"producers": ", ".join(missing)},
            "DELIVERY_METHOD_REQUIRED",
            "deliveryMethod",
        )
    if payment_method not in checkout_payment_methods(checkout):
        raise _error(
            _("This payment method is not available for this delivery address."),
            "PAYMENT_METHOD_UNAVAILABLE",
            "paymentMethod",
        )


@dataclass(frozen=True)
class CheckoutCompletion:
    order: object = None  # cash on delivery: the placed order
    order_number: str = ""
    client_secret: str = ""  # card: what Stripe.js confirms; the order is placed once it is paid


def checkout_complete(*, checkout: ApiCheckout, payment_method: PaymentMethod) -> CheckoutCompletion:
    """Place the order (cash on delivery), or start the card payment the order waits for."""
    if payment_method is PaymentMethod.CARD:
        return _card_payment_start(checkout=checkout)
    try:
        with transaction.atomic():
            return _cash_on_delivery_place(checkout=checkout)
    except UnableToPlaceOrder as exc:
        raise _error(str(exc), "UNABLE_TO_PLACE_ORDER") from exc


def _cash_on_delivery_place(*, checkout: ApiCheckout) -> CheckoutCompletion:
    checkout = _checkout_lock(checkout)
    method = PaymentMethod.CASH_ON_DELIVERY
    _completion_check(checkout, method)
    basket = checkout_basket(checkout)
    order_number = OrderNumberGenerator().order_number(basket)
    # The lock comes first so a second submission writes no address or payment source either.
    basket_lock_for_placement(basket=basket, order_number=order_number)
    totals = checkout_totals(checkout, payment_method=method)
    address = checkout_shipping_address(checkout)
    address.save()
    order = OrderCreator().place_order(
        basket=basket,
        total=totals.total,
        shipping_method=totals.shipping_method,
        shipping_charge=totals.shipping_charge,
        user=checkout.user,
        shipping_address=address,
        order_number=order_number,
        guest_email=checkout.email if checkout.user is None else "",
        surcharges=totals.surcharges,
        language=checkout.language or None,
    )
    source = payment_source_build(method=method, currency=totals.total.currency, amount=totals.total.incl_tax)
    source.order = order
    source.save()
    basket.submit()
    checkout.order = order
    checkout.save(update_fields=["order", "date_updated"])
    return CheckoutCompletion(order=order, order_number=order.number)


def _card_payment_start(*, checkout: ApiCheckout) -> CheckoutCompletion:
    from shop.payment import stripe_gateway

    with transaction.atomic():
        checkout = _checkout_lock(checkout)
        _completion_check(checkout, PaymentMethod.CARD)
        basket = checkout_basket(checkout)
        totals = checkout_totals(checkout, payment_method=PaymentMethod.CARD)
        order_number = str(OrderNumberGenerator().order_number(basket))
    try:
        with translation.override(checkout.language or None):
            card_checkout, intent = card_checkout_start(
                order_number=order_number,
                basket=basket,
                user=checkout.user,
                guest_email=checkout.email if checkout.user is None else "",
                shipping_address=checkout_shipping_address(checkout),
                shipping_method=totals.shipping_method,
                order_total=totals.total,
            )
        state = stripe_gateway.payment_intent_retrieve(intent_id=intent.intent_id)
    except PaymentGatewayError as exc:
        raise _error(str(exc), "PAYMENT_FAILED", "paymentMethod") from exc
    # The basket is frozen so the order placed on payment matches what is paid.
    basket.freeze()
    return CheckoutCompletion(order_number=order_number, client_secret=state.client_secret)
