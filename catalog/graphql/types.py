from graphene import relay
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
QualityLabel = get_model("catalogue", "QualityLabel")


class CategoryType(DjangoObjectType):
    class Meta:
        model = Category
        name = "Category"
        interfaces = (relay.Node,)
        fields = ("id", "name", "slug", "description", "depth")

    @classmethod
    def get_node(cls, info, id):
        return Category.objects.filter(is_public=True, pk=id).first()


class QualityLabelType(DjangoObjectType):
    """A protected label (AOP, IGP, organic) the product shows: its producer holds a valid certificate."""

    class Meta:
        model = QualityLabel
        name = "QualityLabel"
        fields = ("code", "kind", "name")
