"""Orders as their customer reads them: lines, each producer's part with its tracking, totals."""

import graphene
from graphene import relay
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from core.graphql.connections import connection_for
from core.graphql.types import Money
from core.payments import PaymentMethod
from fulfilment.services import ORDER_STATUS_LABELS

Order = get_model("order", "Order")
Line = get_model("order", "Line")

PaymentMethodEnum = graphene.Enum(
    "PaymentMethodEnum", [("CASH_ON_DELIVERY", "CASH_ON_DELIVERY"), ("CARD", "CARD")]
)


class OrderLineType(DjangoObjectType):
    unit_price = graphene.Field(Money, required=True)
    total = graphene.Field(Money, required=True)
    producer = graphene.Field("cooperatives.graphql.types.ProducerType")
    product_id = graphene.ID()

    class Meta:
        model = Line
        name = "OrderLine"
        fields = ("title", "quantity", "upc", "partner_sku")

    def resolve_unit_price(self, info):
        return Money.of(self.unit_price_incl_tax, self.order.currency)

    def resolve_total(self, info):
        return Money.of(self.line_price_incl_tax, self.order.currency)

    def resolve_producer(self, info):
        return self.partner

    def resolve_product_id(self, info):
        return self.product_id


class OrderType(DjangoObjectType):
    status = graphene.String(required=True, description="Derived from the producers' progress.")
    status_label = graphene.String(required=True, description="In the request's language.")
    total = graphene.Field(Money, required=True)
    shipping_charge = graphene.Field(Money, required=True)
    payment_method = graphene.Field(PaymentMethodEnum)
    lines = graphene.List(graphene.NonNull(OrderLineType), required=True)
    fulfilments = graphene.List(
        graphene.NonNull("fulfilment.graphql.types.FulfilmentType"),
        required=True,
        description="Each producer's part of the order, with its state, carrier and tracking number.",
    )

    class Meta:
        model = Order
        name = "Order"
        interfaces = (relay.Node,)
        fields = ("id", "number", "currency", "date_placed", "language")

    @classmethod
    def get_node(cls, info, id):
        from shop.order.selectors import orders_for_customer

        return orders_for_customer(user=info.context.user).filter(pk=id).first()

    def resolve_status(self, info):
        return self.status

    def resolve_status_label(self, info):
        return str(ORDER_STATUS_LABELS.get(self.status, self.status))

    def resolve_total(self, info):
        return Money.of(self.total_incl_tax, self.currency)

    def resolve_shipping_charge(self, info):
        return Money.of(self.shipping_incl_tax, self.currency)

    def resolve_payment_method(self, info):
        sources = list(self.sources.all())
        method = PaymentMethod.from_code(sources[0].source_type.code) if sources else None
        return method.name if method else None

    def resolve_lines(self, info):
        return self.lines.all()

    def resolve_fulfilments(self, info):
        return self.fulfilments.all()


OrderConnection = connection_for(OrderType)
