import graphene
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from cooperatives.graphql.types import ProducerLotConnection
from cooperatives.selectors import lots_for_producer
from core.graphql.connections import connection_field, connection_for, paginate
from core.graphql.limits import page_bounds
from core.graphql.types import Money
from fulfilment.models import FulfilmentLine, ProducerFulfilment, SettlementStatement
from fulfilment.selectors import fulfilments_for_producer_staff, settlements_for_producer

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
        fields = ("id", "quantity", "quantity_shipped", "quantity_cancelled")

    def resolve_title(self, info):
        return self.line.title

    def resolve_sku(self, info):
        return self.line.partner_sku or None

    def resolve_product_id(self, info):
        return self.line.product_id

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
        fields = (
            "id",
            "module",
            "shipping_method_name",
            "carrier",
            "tracking_number",
            "date_created",
            "date_updated",
        )

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

    def resolve_producer(self, info):
        return self.partner


SettlementStatementConnection = connection_for(SettlementStatementType)


class MyProducerType(DjangoObjectType):
    """The producer the signed-in cooperative user works for, with its private reads."""

    fulfilments = graphene.List(
        graphene.NonNull(FulfilmentType),
        required=True,
        state=graphene.Argument(FulfilmentState),
        first=graphene.Int(),
        offset=graphene.Int(),
        description="The producer's fulfilments, newest first.",
    )
    settlements = graphene.List(
        graphene.NonNull(SettlementStatementType),
        required=True,
        first=graphene.Int(),
        offset=graphene.Int(),
        description="The producer's settlement statements, newest period first.",
        deprecation_reason="Use `statements`, a connection.",
    )
    statements = connection_field(
        SettlementStatementConnection,
        description="What the platform owes the producer, period by period, newest first (read only).",
    )
    lots = connection_field(ProducerLotConnection, description="The producer's lots, by SKU and best-before.")

    class Meta:
        model = Partner
        name = "MyProducer"
        fields = ("id", "name", "slug", "kind")
        skip_registry = True

    def resolve_fulfilments(self, info, state=None, first=None, offset=None):
        start, stop = page_bounds(first=first, offset=offset)
        fulfilments = fulfilments_for_producer_staff(user=info.context.user, status=state)
        return fulfilments.filter(partner=self)[start:stop]

    def resolve_settlements(self, info, first=None, offset=None):
        start, stop = page_bounds(first=first, offset=offset)
        return settlements_for_producer(producer=self)[start:stop]

    def resolve_statements(self, info, **page):
        return paginate(
            settlements_for_producer(producer=self), connection_type=SettlementStatementConnection, **page
        )

    def resolve_lots(self, info, **page):
        return paginate(lots_for_producer(producer=self), connection_type=ProducerLotConnection, **page)
