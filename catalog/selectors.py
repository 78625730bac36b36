"""Reads on the catalogue that carry rules (what is public, what the home page shows)."""

from django.db.models import Count, Prefetch, Q
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def product_types_for_home():
    """Top-level categories (one per product type) with their number of public products."""
    return list(
        Category.objects.filter(depth=1, is_public=True)
        .annotate(num_products=Count("product", filter=Q(product__is_public=True), distinct=True))
        .order_by("path")
    )


def products_for_listing(*, category=None):
    """Public products for a listing page, prefetched so a page costs a constant number of queries."""
    products = Product.objects.browsable().select_related("product_class")
    if category is not None:
        products = products.filter(categories__in=category.get_descendants_and_self()).distinct()
    return products.prefetch_related(
        "images",
        Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")),
    ).order_by("-date_created", "-pk")
