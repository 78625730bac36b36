import graphene
from oscar.core.loading import get_model

from catalog.graphql.types import CategoryType

Category = get_model("catalogue", "Category")


class CatalogQueries(graphene.ObjectType):
    categories = graphene.List(
        graphene.NonNull(CategoryType),
        required=True,
        description="Public categories, as a tree in path order.",
    )

    def resolve_categories(self, info):
        return Category.objects.filter(is_public=True).order_by("path")
