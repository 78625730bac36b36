import graphene
from django.db.models import prefetch_related_objects

from core.graphql.errors import django_errors
from gie import selectors
from gie.graphql.mutations import (
    CollectionRoundClose,
    CollectionRoundOpen,
    CollectionRoundReceive,
    ConsolidatedShipmentCreate,
)
from gie.graphql.types import GieDashboardType, GieType, gie_members_prefetch
from gie.models import Gie


class GieQueries(graphene.ObjectType):
    gie = graphene.Field(GieType, slug=graphene.String(required=True))
    coordinated_gies = graphene.List(
        graphene.NonNull(GieType),
        required=True,
        description="GIEs the user coordinates (every GIE for platform staff); refused to anyone else.",
    )
    gie_dashboard = graphene.Field(
        GieDashboardType,
        slug=graphene.String(required=True),
        description="The coordinator dashboard of one GIE; refused to anyone who does not coordinate it.",
    )

    def resolve_gie(self, info, slug):
        return Gie.objects.prefetch_related(gie_members_prefetch()).filter(slug=slug).first()

    @django_errors
    def resolve_coordinated_gies(self, info):
        gies = selectors.gies_for_coordinator(user=info.context.user)
        prefetch_related_objects(gies, gie_members_prefetch())
        return gies

    @django_errors
    def resolve_gie_dashboard(self, info, slug):
        return selectors.gie_get_for_coordinator_or_deny(user=info.context.user, slug=slug)


class GieMutations(graphene.ObjectType):
    collection_round_open = CollectionRoundOpen.Field()
    collection_round_close = CollectionRoundClose.Field()
    collection_round_receive = CollectionRoundReceive.Field()
    consolidated_shipment_create = ConsolidatedShipmentCreate.Field()
