import graphene
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


class ProducerType(DjangoObjectType):
    region_name = graphene.String()
    url = graphene.String(required=True)

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
