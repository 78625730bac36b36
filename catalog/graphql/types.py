import graphene
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from core.graphql.types import Money

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


class CategoryType(DjangoObjectType):
    class Meta:
        model = Category
        name = "Category"
        fields = ("id", "name", "slug", "description")


class ProductType(DjangoObjectType):
    price = graphene.Field(
        Money, description="Price for this visitor (incl. tax), from the pricing strategy."
    )
    in_stock = graphene.Boolean(required=True)
    producer = graphene.Field("cooperatives.graphql.types.ProducerType")
    product_type = graphene.String(description="Product type (Oscar product class) slug.")
    image_urls = graphene.List(graphene.NonNull(graphene.String), required=True)
    url = graphene.String(required=True)

    class Meta:
        model = Product
        name = "Product"
        fields = ("id", "title", "slug", "upc", "description", "categories")

    @staticmethod
    def _purchase_info(product, info):
        cache = info.context.__dict__.setdefault("_purchase_info_cache", {})
        if product.pk not in cache:
            cache[product.pk] = info.context.strategy.fetch_for_product(product)
        return cache[product.pk]

    def resolve_price(self, info):
        purchase = ProductType._purchase_info(self, info)
        if not purchase.price.exists:
            return None
        return Money(amount=purchase.price.incl_tax, currency=purchase.price.currency)

    def resolve_in_stock(self, info):
        return ProductType._purchase_info(self, info).availability.is_available_to_buy

    def resolve_producer(self, info):
        records = list(self.stockrecords.all())
        return records[0].partner if records else None

    def resolve_product_type(self, info):
        return self.product_class.slug if self.product_class_id else None

    def resolve_image_urls(self, info):
        return [info.context.build_absolute_uri(image.original.url) for image in self.images.all()]

    def resolve_url(self, info):
        return info.context.build_absolute_uri(self.get_absolute_url())
