import graphene
from graphene import relay
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from cooperatives.graphql.types import ProducerLotConnection
from cooperatives.selectors import lots_for_producer
from core.graphql.connections import connection_field, connection_for, paginate
from core.graphql.types import Money, global_id
from fulfilment.models import FulfilmentLine, ProducerFulfilment, SettlementStatement
from fulfilment.selectors import (
    fulfilments_for_producer_staff,
    settlements_for_producer,
    settlements_visible_to,
)

Partner = get_model("partner", "Partner")

FulfilmentState = graphene.Enum.from_enum(ProducerFulfilment.Status, name="FulfilmentState")


def _address_part(fulfilment, attribute: str) -> str | None:
    address = fulfilment.order.shipping_address
    if address is None:
        return None
    return getattr(address, attribute) or None


class FulfilmentLineType(DjangoObjectType):
    title = graphene.String(required=True)
    sku = graphene.String()
    product_id = graphene.ID()
    quantity_open = graphene.Int(required=True)

    class Meta:
        model = FulfilmentLine
        name = "FulfilmentLine"
        interfaces = (relay.Node,)
        fields = ("id", "quantity", "quantity_shipped", "quantity_cancelled")

    @classmethod
    def get_node(cls, info, id):
        fulfilments = fulfilments_for_producer_staff(user=info.context.user)
        return FulfilmentLine.objects.filter(fulfilment__in=fulfilments, pk=id).select_related("line").first()

    def resolve_title(self, info):
        return self.line.title

    def resolve_sku(self, info):
        return self.line.partner_sku or None

    def resolve_product_id(self, info):
        return global_id("Product", self.line.product_id)

    def resolve_quantity_open(self, info):
        return self.quantity_open


class FulfilmentType(DjangoObjectType):
    """One producer's part of an order, as the producer works it (no customer contact details)."""

    state = graphene.Field(FulfilmentState, required=True)
    order_number = graphene.String(required=True)
    date_placed = graphene.DateTime()
    destination_country = graphene.String(description="ISO 3166 code of the delivery country.")
    destination_city = graphene.String()
    shipping_charge = graphene.Field(Money, required=True)
    lines = graphene.List(graphene.NonNull(FulfilmentLineType), required=True)

    class Meta:
        model = ProducerFulfilment
        name = "Fulfilment"
        interfaces = (relay.Node,)
        fields = (
            "id",
            "module",
            "shipping_method_name",
            "carrier",
            "tracking_number",
            "date_created",
            "date_updated",
        )

    @classmethod
    def get_node(cls, info, id):
        """Its producer's staff, or the customer whose order it is part of."""
        user = info.context.user
        found = fulfilments_for_producer_staff(user=user).filter(pk=id).first()
        if found is None and user.is_authenticated:
            found = ProducerFulfilment.objects.filter(pk=id, order__user=user).first()
        return found

    def resolve_state(self, info):
        return self.status

    def resolve_order_number(self, info):
        return self.order.number

    def resolve_date_placed(self, info):
        return self.order.date_placed

    def resolve_destination_country(self, info):
        return _address_part(self, "country_id")

    def resolve_destination_city(self, info):
        return _address_part(self, "line4")

    def resolve_shipping_charge(self, info):
        return Money.of(self.shipping_charge, self.currency)

    def resolve_lines(self, info):
        return self.lines.all()


class SettlementStatementType(DjangoObjectType):
    """What the platform owes one producer for one period (read only)."""

    producer = graphene.Field("cooperatives.graphql.types.ProducerType", required=True)

    class Meta:
        model = SettlementStatement
        name = "SettlementStatement"
        interfaces = (relay.Node,)
        fields = (
            "id",
            "period_start",
            "period_end",
            "currency",
            "gross",
            "refunds",
            "commission",
            "payment_fees",
            "shipping",
            "net_payable",
            "fulfilments_count",
            "date_paid",
            "payment_reference",
        )

    @classmethod
    def get_node(cls, info, id):
        return settlements_visible_to(user=info.context.user).filter(pk=id).first()

    def resolve_producer(self, info):
        return self.partner


SettlementStatementConnection = connection_for(SettlementStatementType)


FulfilmentConnection = connection_for(FulfilmentType)


class MyProducerType(DjangoObjectType):
    """The producer the signed-in cooperative user works for, with its private reads."""

    id = graphene.ID(required=True, description="The producer's `node` id.")
    fulfilments = connection_field(
        FulfilmentConnection,
        state=graphene.Argument(FulfilmentState),
        description="The producer's fulfilments, newest first.",
    )
    statements = connection_field(
        SettlementStatementConnection,
        description="What the platform owes the producer, period by period, newest first (read only).",
    )
    lots = connection_field(ProducerLotConnection, description="The producer's lots, by SKU and best-before.")

    class Meta:
        model = Partner
        name = "MyProducer"
        fields = ("name", "slug", "kind")
        skip_registry = True

    def resolve_id(self, info):
        return global_id("Producer", self.pk)

    def resolve_fulfilments(self, info, state=None, **page):
        fulfilments = fulfilments_for_producer_staff(user=info.context.user, status=state)
        return paginate(fulfilments.filter(partner=self), connection_type=FulfilmentConnection, **page)

    def resolve_statements(self, info, **page):
        return paginate(
            settlements_for_producer(producer=self), connection_type=SettlementStatementConnection, **page
        )

    def resolve_lots(self, info, **page):
        return paginate(lots_for_producer(producer=self), connection_type=ProducerLotConnection, **page)
