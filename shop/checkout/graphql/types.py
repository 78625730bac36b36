"""The API checkout: lines, each producer's delivery, totals and the payment methods on offer."""

import graphene
from graphene_django import DjangoObjectType

from core.graphql.errors import error_type
from core.graphql.types import Money, global_id
from core.payments import PaymentMethod
from fulfilment.modules.base import NotShippable
from shop.checkout import services
from shop.checkout.models import ApiCheckout
from shop.checkout.selectors import DeliveryGroup
from shop.order.graphql.types import PaymentMethodEnum
from shop.shipping.methods import shipping_charge_converter

CheckoutError = error_type(
    "Checkout",
    (
        "NOT_FOUND",
        "PRODUCT_NOT_FOUND",
        "PRODUCT_UNAVAILABLE",
        "INSUFFICIENT_STOCK",
        "QUANTITY_INVALID",
        "LINE_NOT_FOUND",
        "CURRENCY_UNAVAILABLE",
        "EMPTY",
        "EMAIL_REQUIRED",
        "SHIPPING_ADDRESS_REQUIRED",
        "NOT_SHIPPABLE",
        "PRODUCER_NOT_IN_CHECKOUT",
        "DELIVERY_METHOD_INVALID",
        "DELIVERY_METHOD_REQUIRED",
        "PAYMENT_METHOD_UNAVAILABLE",
        "PAYMENT_FAILED",
        "UNABLE_TO_PLACE_ORDER",
        "ALREADY_COMPLETED",
    ),
)


class CheckoutLineType(graphene.ObjectType):
    id = graphene.ID(required=True)
    product = graphene.Field("cooperatives.graphql.products.ProductType", required=True)
    producer = graphene.Field("cooperatives.graphql.types.ProducerType")
    quantity = graphene.Int(required=True)
    unit_price = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)

    class Meta:
        name = "CheckoutLine"

    def resolve_id(line, info):
        return global_id("CheckoutLine", line.pk)

    def resolve_product(line, info):
        return line.product

    def resolve_producer(line, info):
        return line.stockrecord.partner if line.stockrecord_id else None

    def resolve_quantity(line, info):
        return line.quantity

    def resolve_unit_price(line, info):
        return Money.of(line.unit_price_incl_tax, line.price_currency)

    def resolve_total(line, info):
        return Money.of(line.line_price_incl_tax, line.price_currency)


class DeliveryMethodType(graphene.ObjectType):
    code = graphene.String(required=True)
    name = graphene.String(required=True)
    charge = graphene.Field(Money, required=True, description="In the checkout's currency.")

    class Meta:
        name = "DeliveryMethod"


class DeliveryGroupType(graphene.ObjectType):
    """One producer's parcel: how its fulfilment module delivers it to the address, and the choice."""

    producer = graphene.Field("cooperatives.graphql.types.ProducerType", required=True)
    lines = graphene.List(graphene.NonNull(CheckoutLineType), required=True)
    methods = graphene.List(graphene.NonNull(DeliveryMethodType), required=True)
    selected_method = graphene.Field(DeliveryMethodType)

    class Meta:
        name = "DeliveryGroup"

    def resolve_methods(group: DeliveryGroup, info):
        return [_method(group)]

    def resolve_selected_method(group: DeliveryGroup, info):
        return _method(group) if group.selected else None


def _method(group: DeliveryGroup) -> DeliveryMethodType:
    return DeliveryMethodType(code=group.method_code, name=group.method_name, charge=group.charge)


class CheckoutAddressType(graphene.ObjectType):
    first_name = graphene.String()
    last_name = graphene.String()
    line1 = graphene.String()
    line2 = graphene.String()
    city = graphene.String()
    postcode = graphene.String()
    country = graphene.String()
    phone_number = graphene.String()

    class Meta:
        name = "CheckoutAddress"


class CheckoutType(DjangoObjectType):
    lines = graphene.List(graphene.NonNull(CheckoutLineType), required=True)
    subtotal = graphene.Field(Money, required=True)
    shipping_address = graphene.Field(CheckoutAddressType)
    delivery_groups = graphene.List(
        graphene.NonNull(DeliveryGroupType),
        required=True,
        description="One per producer once the delivery address is known (empty before).",
    )
    shipping_price = graphene.Field(Money, description="The sum of the producers' charges.")
    total = graphene.Field(Money, required=True, description="Without a cash-on-delivery fee, if any.")
    available_payment_methods = graphene.List(graphene.NonNull(PaymentMethodEnum), required=True)
    order_number = graphene.String(description="Once completed.")

    class Meta:
        model = ApiCheckout
        name = "Checkout"
        fields = ("token", "email", "currency", "language")

    def resolve_lines(checkout, info):
        return _lines(checkout)

    def resolve_subtotal(checkout, info):
        basket = services.checkout_basket(checkout)
        return Money.of(basket.total_incl_tax, checkout.currency)

    def resolve_shipping_address(checkout, info):
        address = checkout.shipping_address
        if not address:
            return None
        return CheckoutAddressType(
            first_name=address.get("first_name"),
            last_name=address.get("last_name"),
            line1=address.get("line1"),
            line2=address.get("line2"),
            city=address.get("line4"),
            postcode=address.get("postcode"),
            country=address.get("country_id"),
            phone_number=address.get("phone_number"),
        )

    def resolve_delivery_groups(checkout, info):
        return _delivery_groups(checkout)

    def resolve_shipping_price(checkout, info):
        groups = _delivery_groups(checkout)
        if not groups:
            return None
        return Money.of(sum(group.charge.amount for group in groups), checkout.currency)

    def resolve_total(checkout, info):
        if not checkout.shipping_address or not _delivery_groups(checkout):
            return CheckoutType.resolve_subtotal(checkout, info)
        total = services.checkout_totals(checkout).total
        return Money.of(total.incl_tax, total.currency)

    def resolve_available_payment_methods(checkout, info):
        return [method.name for method in services.checkout_payment_methods(checkout)]

    def resolve_order_number(checkout, info):
        return checkout.order.number if checkout.order_id else None


def _lines(checkout):
    if not hasattr(checkout, "_api_lines"):
        basket = services.checkout_basket(checkout)
        checkout._api_lines = list(basket.all_lines())
    return checkout._api_lines


def _delivery_groups(checkout) -> list[DeliveryGroup]:
    if hasattr(checkout, "_api_groups"):
        return checkout._api_groups
    groups = []
    try:
        plan = services.checkout_shipping_plan(checkout) if not checkout.basket.is_empty else None
    except NotShippable:
        plan = None
    if plan is not None:
        convert = shipping_charge_converter(strategy=services.checkout_basket(checkout).strategy)
        for parcel, quote in plan.groups:
            groups.append(
                DeliveryGroup(
                    producer=parcel.partner,
                    lines=parcel.lines,
                    method_code=quote.method_code,
                    method_name=quote.method_name,
                    charge=Money.of(convert(quote.charge), checkout.currency),
                    selected=checkout.delivery_methods.get(str(parcel.partner.pk)) == quote.method_code,
                )
            )
    checkout._api_groups = groups
    return groups


PAYMENT_METHODS = {"CASH_ON_DELIVERY": PaymentMethod.CASH_ON_DELIVERY, "CARD": PaymentMethod.CARD}
