import graphene
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from cooperatives.selectors import producer_products_for_public
from core.graphql.limits import page_bounds
from fulfilment.selectors import fulfilments_for_producer_staff, settlements_for_producer

Partner = get_model("partner", "Partner")


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


class MyProducerType(DjangoObjectType):
    """The producer the signed-in cooperative user works for, with its private reads."""

    fulfilments = graphene.List(
        graphene.NonNull("fulfilment.graphql.types.FulfilmentType"),
        required=True,
        state=graphene.Argument("fulfilment.graphql.types.FulfilmentState"),
        first=graphene.Int(),
        offset=graphene.Int(),
        description="The producer's fulfilments, newest first.",
    )
    settlements = graphene.List(
        graphene.NonNull("fulfilment.graphql.types.SettlementStatementType"),
        required=True,
        first=graphene.Int(),
        offset=graphene.Int(),
        description="The producer's settlement statements, newest period first.",
    )

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
