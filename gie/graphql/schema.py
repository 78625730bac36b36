import graphene
from django.db.models import Prefetch
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from gie.models import Gie

Partner = get_model("partner", "Partner")


class GieType(DjangoObjectType):
    class Meta:
        model = Gie
        name = "Gie"
        fields = ("id", "name", "slug", "description", "hub_city", "members")


class GieQueries(graphene.ObjectType):
    gie = graphene.Field(GieType, slug=graphene.String(required=True))

    def resolve_gie(self, info, slug):
        members = Prefetch("members", queryset=Partner.objects.order_by("name"))
        return Gie.objects.prefetch_related(members).filter(slug=slug).first()
