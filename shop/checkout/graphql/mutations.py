"""Checkout mutations, Saleor-style: each returns the checkout (or the order) and `errors`."""

import graphene
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from core.graphql.errors import django_errors, input_errors, pk_from_id
from shop.checkout import services
from shop.checkout.graphql.types import PAYMENT_METHODS, CheckoutError, CheckoutType
from shop.checkout.selectors import checkout_get, products_for_checkout
from shop.order.graphql.types import OrderType, PaymentMethodEnum

ADDRESS_FIELDS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "line1": "line1",
    "line2": "line2",
    "line4": "city",
    "postcode": "postcode",
    "country": "country",
    "phone_number": "phoneNumber",
}
FIELDS = {"productId": "lines", "quantity": "lines", "lineId": "lines", **ADDRESS_FIELDS}


class CheckoutLineInput(graphene.InputObjectType):
    product_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)


class CheckoutLineUpdateInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True, description="0 removes the line.")


class AddressInput(graphene.InputObjectType):
    first_name = graphene.String(required=True)
    last_name = graphene.String(required=True)
    line1 = graphene.String(required=True)
    line2 = graphene.String()
    city = graphene.String(required=True)
    postcode = graphene.String()
    country = graphene.String(required=True, description="ISO 3166 code, e.g. MA or FR.")
    phone_number = graphene.String()


def _errors(exc: ValidationError) -> list:
    return input_errors(exc, fields=FIELDS, error_class=CheckoutError)


def _line_inputs(lines) -> list[services.LineInput]:
    """The products the lines name; an unknown or hidden product is an input error."""
    ids = {}
    for line in lines:
        try:
            ids[line.product_id] = pk_from_id(line.product_id, "Product")
        except Http404:
            ids[line.product_id] = None
    products = products_for_checkout(ids={pk for pk in ids.values() if pk is not None})
    inputs = []
    for line in lines:
        product = products.get(ids[line.product_id])
        if product is None:
            raise ValidationError(
                {
                    "productId": ValidationError(
                        _("There is no product %(id)s.") % {"id": line.product_id}, code="PRODUCT_NOT_FOUND"
                    )
                }
            )
        inputs.append(services.LineInput(product=product, quantity=line.quantity))
    return inputs


class CheckoutPayload:
    checkout = graphene.Field(CheckoutType)
    errors = graphene.List(graphene.NonNull(CheckoutError), required=True)


class CheckoutCreate(CheckoutPayload, graphene.Mutation):
    """A checkout with its first lines; its `token` is the handle of the next steps."""

    class Arguments:
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)
        email = graphene.String(description="Taken from the account when signed in.")
        currency = graphene.String(description="MAD (default) or EUR.")
        language_code = graphene.String(
            description="The order's language (fr, ar, en); the request's otherwise."
        )

    @classmethod
    def mutate(cls, root, info, lines, email="", currency="MAD", language_code=None):
        from django.utils import translation

        try:
            checkout = services.checkout_create(
                lines=_line_inputs(lines),
                email=email or "",
                currency=currency or "MAD",
                user=info.context.user,
                language=language_code or translation.get_language(),
            )
        except ValidationError as exc:
            return cls(errors=_errors(exc))
        return cls(checkout=checkout, errors=[])


class _OnCheckout(CheckoutPayload):
    """A step on an existing checkout: `token` names it (NOT_FOUND for someone else's)."""

    @classmethod
    def step(cls, checkout, **arguments):
        raise NotImplementedError

    @classmethod
    @django_errors
    def mutate(cls, root, info, token, **arguments):
        checkout = checkout_get(token=token, user=info.context.user)
        try:
            checkout = cls.step(checkout, **arguments)
        except ValidationError as exc:
            return cls(errors=_errors(exc))
        return cls(checkout=checkout, errors=[])


class CheckoutLinesAdd(_OnCheckout, graphene.Mutation):
    class Arguments:
        token = graphene.UUID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineInput), required=True)

    @classmethod
    def step(cls, checkout, lines):
        return services.checkout_lines_add(checkout=checkout, lines=_line_inputs(lines))


def _line_pk(value) -> int:
    try:
        return pk_from_id(value, "CheckoutLine")
    except Http404:
        message = _("This line is not in the checkout.")
        raise ValidationError({"lineId": ValidationError(message, code="LINE_NOT_FOUND")}) from None


class CheckoutLinesUpdate(_OnCheckout, graphene.Mutation):
    class Arguments:
        token = graphene.UUID(required=True)
        lines = graphene.List(graphene.NonNull(CheckoutLineUpdateInput), required=True)

    @classmethod
    def step(cls, checkout, lines):
        quantities = {_line_pk(line.line_id): line.quantity for line in lines}
        return services.checkout_lines_update(checkout=checkout, quantities=quantities)


class CheckoutLinesDelete(_OnCheckout, graphene.Mutation):
    class Arguments:
        token = graphene.UUID(required=True)
        line_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)

    @classmethod
    def step(cls, checkout, line_ids):
        return services.checkout_lines_delete(checkout=checkout, line_ids=[_line_pk(i) for i in line_ids])


class CheckoutShippingAddressUpdate(_OnCheckout, graphene.Mutation):
    """The checkout page's address form; each producer's delivery is quoted for it."""

    class Arguments:
        token = graphene.UUID(required=True)
        shipping_address = AddressInput(required=True)

    @classmethod
    def step(cls, checkout, shipping_address):
        address = {
            "first_name": shipping_address.first_name,
            "last_name": shipping_address.last_name,
            "line1": shipping_address.line1,
            "line2": shipping_address.line2 or "",
            "line4": shipping_address.city,
            "postcode": shipping_address.postcode or "",
            "country": (shipping_address.country or "").upper(),
            "phone_number": shipping_address.phone_number or "",
        }
        return services.checkout_shipping_address_update(checkout=checkout, address=address)


class CheckoutDeliveryMethodUpdate(_OnCheckout, graphene.Mutation):
    """Choose one producer's delivery method, among its delivery group's `methods`."""

    class Arguments:
        token = graphene.UUID(required=True)
        producer_id = graphene.ID(required=True)
        method_code = graphene.String(required=True)

    @classmethod
    def step(cls, checkout, producer_id, method_code):
        try:
            producer_pk = pk_from_id(producer_id, "Producer")
        except Http404:
            producer_pk = 0
        return services.checkout_delivery_method_update(
            checkout=checkout, producer_id=producer_pk, method_code=method_code
        )


class CheckoutComplete(graphene.Mutation):
    """Cash on delivery places the order at once. A card answers Stripe's `clientSecret` for
    Stripe.js; the order (`orderNumber`) is placed when Stripe reports the payment."""

    class Arguments:
        token = graphene.UUID(required=True)
        payment_method = PaymentMethodEnum(required=True)

    order = graphene.Field(OrderType)
    order_number = graphene.String()
    client_secret = graphene.String()
    errors = graphene.List(graphene.NonNull(CheckoutError), required=True)

    @classmethod
    @django_errors
    def mutate(cls, root, info, token, payment_method):
        checkout = checkout_get(token=token, user=info.context.user)
        method = PAYMENT_METHODS[getattr(payment_method, "value", payment_method)]
        try:
            done = services.checkout_complete(checkout=checkout, payment_method=method)
        except ValidationError as exc:
            return cls(errors=_errors(exc))
        return cls(
            order=done.order,
            order_number=str(done.order_number),
            client_secret=done.client_secret or None,
            errors=[],
        )
