import graphene
from django.db.models import Prefetch
from oscar.core.loading import get_model

from catalog.graphql.types import CategoryType, ProductType
from catalog.selectors import products_for_listing
from core.graphql.limits import page_bounds

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


class CatalogQueries(graphene.ObjectType):
    products = graphene.List(
        graphene.NonNull(ProductType),
        required=True,
        category=graphene.String(description="Category slug."),
        producer=graphene.String(description="Producer slug."),
        first=graphene.Int(),
        offset=graphene.Int(),
        description="Public products, newest first.",
    )
    product = graphene.Field(ProductType, slug=graphene.String(), upc=graphene.String())
    categories = graphene.List(graphene.NonNull(CategoryType), required=True)

    def resolve_products(self, info, category=None, producer=None, first=None, offset=None):
        start, stop = page_bounds(first=first, offset=offset)
        category_obj = Category.objects.filter(slug=category).first() if category else None
        if category and category_obj is None:
            return []
        products = products_for_listing(category=category_obj).prefetch_related(
            Prefetch("categories", queryset=Category.objects.order_by("path"))
        )
        if producer:
            products = products.filter(stockrecords__partner__slug=producer)
        return products[start:stop]

    def resolve_product(self, info, slug=None, upc=None):
        if not slug and not upc:
            return None
        lookup = {"slug": slug} if slug else {"upc": upc}
        return products_for_listing().filter(**lookup).first()

    def resolve_categories(self, info):
        return Category.objects.filter(is_public=True).order_by("path")
