"""Products as producers sell them: the catalogue's product with its producer, price, stock, lots
and certified labels. Lists page through the catalogue pages' own selector; what a query asks of a
page's products loads once for the page (`core.graphql.batch`), so a page of 10 or 100 products costs
the same number of queries."""

import graphene
from django.db.models import Prefetch
from graphene import relay
from graphene_django import DjangoObjectType
from oscar.core.loading import get_model

from catalog.graphql.types import CategoryType, QualityLabelType
from catalog.selectors import product_labels_visible, products_for_listing
from cooperatives.graphql.types import LotType
from cooperatives.services import sellable_lots_q
from core.graphql.batch import page_of, page_prefetch
from core.graphql.connections import connection_field, connection_for, paginate
from core.graphql.types import Money

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Lot = get_model("partner", "Lot")


class ProductImageType(graphene.ObjectType):
    url = graphene.String(required=True)
    alt = graphene.String()

    class Meta:
        name = "ProductImage"


class ProductType(DjangoObjectType):
    price = graphene.Field(
        Money, description="Price for this visitor (incl. tax), from the pricing strategy."
    )
    in_stock = graphene.Boolean(required=True)
    quantity_available = graphene.Int(description="Units on sale now (the sum of the sellable lots).")
    producer = graphene.Field("cooperatives.graphql.types.ProducerType")
    product_type = graphene.String(description="Product type (Oscar product class) slug.")
    categories = graphene.List(graphene.NonNull(CategoryType), required=True)
    images = graphene.List(graphene.NonNull(ProductImageType), required=True)
    image_urls = graphene.List(graphene.NonNull(graphene.String), required=True)
    lots = graphene.List(
        graphene.NonNull(LotType), required=True, description="Lots on sale, first to expire first."
    )
    labels = graphene.List(
        graphene.NonNull(QualityLabelType),
        required=True,
        description="Labels the product claims and its producer holds a valid certificate for.",
    )
    url = graphene.String(required=True)

    class Meta:
        model = Product
        name = "Product"
        interfaces = (relay.Node,)
        fields = ("id", "title", "slug", "upc", "description")

    @classmethod
    def get_node(cls, info, id):
        return products_for_listing().filter(pk=id).first()

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

    def resolve_quantity_available(self, info):
        record = ProductType._purchase_info(self, info).stockrecord
        return record.net_stock_level if record is not None else None

    def resolve_producer(self, info):
        records = list(self.stockrecords.all())
        return records[0].partner if records else None

    def resolve_product_type(self, info):
        return self.product_class.slug if self.product_class_id else None

    def resolve_categories(self, info):
        categories = Prefetch("categories", queryset=Category.objects.order_by("path"))
        page_prefetch(self, categories, key="categories")
        return self.categories.all()

    def resolve_images(self, info):
        page_prefetch(self, "images", key="images")
        return [
            ProductImageType(
                url=info.context.build_absolute_uri(image.original.url), alt=image.caption or None
            )
            for image in self.images.all()
        ]

    def resolve_image_urls(self, info):
        page_prefetch(self, "images", key="images")
        return [info.context.build_absolute_uri(image.original.url) for image in self.images.all()]

    def resolve_lots(self, info):
        sellable = Lot.objects.filter(sellable_lots_q(), quantity__gt=0).order_by("best_before", "pk")
        page_prefetch(self, Prefetch("stockrecords__lots", queryset=sellable, to_attr="api_lots"), key="lots")
        return [lot for record in self.stockrecords.all() for lot in record.api_lots]

    def resolve_labels(self, info):
        return product_labels_visible(product=self)

    def resolve_url(self, info):
        return info.context.build_absolute_uri(self.get_absolute_url())


ProductConnection = connection_for(ProductType)


def products_page(products, **page):
    """A page of products, its objects marked for the page's loaders."""
    return paginate(products, connection_type=ProductConnection, prepare=page_of, **page)


class ProductQueries(graphene.ObjectType):
    products = connection_field(
        ProductConnection,
        category=graphene.String(description="Category slug (its subcategories included)."),
        producer=graphene.String(description="Producer slug."),
        description="Public products, newest first.",
    )
    product = graphene.Field(ProductType, slug=graphene.String(), upc=graphene.String())

    def resolve_products(self, info, category=None, producer=None, **page):
        category_obj = Category.objects.filter(slug=category).first() if category else None
        if category and category_obj is None:
            return products_page(Product.objects.none(), **page)
        products = products_for_listing(category=category_obj)
        if producer:
            products = products.filter(stockrecords__partner__slug=producer)
        return products_page(products, **page)

    def resolve_product(self, info, slug=None, upc=None):
        if not slug and not upc:
            return None
        lookup = {"slug": slug} if slug else {"upc": upc}
        return products_for_listing().filter(**lookup).first()
