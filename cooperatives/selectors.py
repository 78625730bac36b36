"""Reads about producers, with the prefetching their pages need."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Lot = get_model("partner", "Lot")
LineLotAllocation = get_model("partner", "LineLotAllocation")
QualityLabel = get_model("catalogue", "QualityLabel")


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


@dataclass(frozen=True)
class RecallRecipient:
    order_number: str
    email: str
    name: str
    quantity: int


def lot_recall_recipients(*, lot) -> list[RecallRecipient]:
    """The orders (and their customers) whose lines took units from this lot."""
    quantities: dict[int, int] = defaultdict(int)
    orders = {}
    for allocation in LineLotAllocation.objects.filter(lot=lot).select_related(
        "line__order__user", "line__order__shipping_address"
    ):
        order = allocation.line.order
        orders[order.pk] = order
        quantities[order.pk] += allocation.quantity
    recipients = []
    for pk in sorted(orders):
        order = orders[pk]
        user = order.user
        recipients.append(
            RecallRecipient(
                order_number=order.number,
                email=user.email if user else order.guest_email,
                name=user.get_full_name()
                if user
                else (order.shipping_address.name if order.shipping_address else ""),
                quantity=quantities[pk],
            )
        )
    return recipients


def lot_get_for_trace(*, code: str):
    """A lot with its product, producer and certified labels, for the public trace page (QR code)."""
    lot = get_object_or_404(
        Lot.objects.select_related("stockrecord__product__product_class", "stockrecord__partner"), code=code
    )
    lot.certified_labels = list(
        QualityLabel.objects.filter(
            products=lot.stockrecord.product,
            certificates__partner=lot.stockrecord.partner,
            certificates__valid_until__gte=timezone.localdate(),
        ).distinct()
    )
    return lot
