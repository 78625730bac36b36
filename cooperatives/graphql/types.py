import graphene
from django.core.exceptions import PermissionDenied
from graphene import relay
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from cooperatives.selectors import (
    lots_for_producer,
    producer_for_user,
    producer_list,
    producer_products_for_public,
)
from core.graphql.connections import connection_field, connection_for
from core.graphql.types import global_id

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
        interfaces = (relay.Node,)
        fields = ("id", "code", "harvest_date", "best_before", "quantity", "recalled_at", "recall_reason")
        skip_registry = True

    @classmethod
    def get_node(cls, info, id):
        try:
            producer = producer_for_user(user=info.context.user)
        except PermissionDenied:
            return None
        return lots_for_producer(producer=producer).filter(pk=id).first()

    def resolve_status(self, info):
        return self.status

    def resolve_product_id(self, info):
        return global_id("Product", self.stockrecord.product_id)

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
    products = connection_field(
        "cooperatives.graphql.products.ProductConnection",
        description="The producer's public products, by title.",
    )

    class Meta:
        model = Partner
        name = "Producer"
        interfaces = (relay.Node,)
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

    @classmethod
    def get_node(cls, info, id):
        return producer_list().filter(pk=id).first()

    def resolve_products(self, info, **page):
        from cooperatives.graphql.products import products_page

        return products_page(producer_products_for_public(producer=self), **page)


ProducerConnection = connection_for(ProducerType)
ProducerLotConnection = connection_for(ProducerLotType)
