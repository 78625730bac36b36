import graphene
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from cooperatives.selectors import producer_products_for_public
from core.graphql.connections import connection_for
from core.graphql.limits import page_bounds

Partner = get_model("partner", "Partner")
Lot = get_model("partner", "Lot")
LotStatus = graphene.Enum.from_enum(Lot.Status, name="LotStatus")


class LotType(DjangoObjectType):
    """A lot as anyone may trace it (the QR code's page): no quantities."""

    status = graphene.Field(LotStatus, required=True)
    trace_url = graphene.String(required=True)

    class Meta:
        model = Lot
        name = "Lot"
        fields = ("code", "harvest_date", "best_before")

    def resolve_status(self, info):
        return self.status

    def resolve_trace_url(self, info):
        return info.context.build_absolute_uri(self.get_absolute_url())


class ProducerLotType(DjangoObjectType):
    """One of the producer's own lots, with what its staff see on the dashboard."""

    status = graphene.Field(LotStatus, required=True)
    product_id = graphene.ID(required=True)
    sku = graphene.String(required=True)

    class Meta:
        model = Lot
        name = "ProducerLot"
        fields = ("id", "code", "harvest_date", "best_before", "quantity", "recalled_at", "recall_reason")
        skip_registry = True

    def resolve_status(self, info):
        return self.status

    def resolve_product_id(self, info):
        return self.stockrecord.product_id

    def resolve_sku(self, info):
        return self.stockrecord.partner_sku


class RecallRecipientType(graphene.ObjectType):
    """A customer whose order took units of a recalled lot: who must be told."""

    order_number = graphene.String(required=True)
    email = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)

    class Meta:
        name = "RecallRecipient"


class ProducerType(DjangoObjectType):
    region_name = graphene.String()
    url = graphene.String(required=True)
    products = graphene.List(
        graphene.NonNull("catalog.graphql.types.ProductType"),
        required=True,
        first=graphene.Int(),
        offset=graphene.Int(),
        description="The producer's public products, by title.",
    )

    class Meta:
        model = Partner
        name = "Producer"
        # Public profile only: commission, ICE and staff users are not exposed.
        fields = (
            "id",
            "name",
            "slug",
            "kind",
            "legal_name",
            "region",
            "province",
            "commune",
            "founded_year",
            "members_count",
            "women_members_count",
            "story",
        )

    def resolve_region_name(self, info):
        return str(self.get_region_display()) if self.region else None

    def resolve_url(self, info):
        return info.context.build_absolute_uri(self.get_absolute_url())

    def resolve_products(self, info, first=None, offset=None):
        start, stop = page_bounds(first=first, offset=offset)
        return producer_products_for_public(producer=self)[start:stop]


ProducerLotConnection = connection_for(ProducerLotType)
