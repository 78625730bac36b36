"""Reads about producers, with the prefetching their pages need."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")


def _public_products_q(prefix=""):
    return Q(**{f"{prefix}is_public": True})


def producer_list():
    """Producers with a public page, with their number of public products."""
    return (
        Partner.objects.exclude(slug__isnull=True)
        .exclude(slug="")
        .annotate(
            num_products=Count(
                "stockrecords__product",
                filter=Q(stockrecords__product__is_public=True),
                distinct=True,
            )
        )
        .order_by("name")
    )


def producers_featured(limit: int = 6):
    return list(producer_list().filter(is_featured=True)[:limit])


def producer_get_for_public(*, slug: str):
    return get_object_or_404(Partner.objects.prefetch_related("gies"), slug=slug)


def producer_products_for_public(*, producer):
    """Public products that this producer sells, ready for product cards."""
    return (
        Product.objects.browsable()
        .filter(stockrecords__partner=producer)
        .distinct()
        .select_related("product_class")
        .prefetch_related(
            "images",
            Prefetch("stockrecords", queryset=StockRecord.objects.select_related("partner")),
        )
        .order_by("title")
    )
