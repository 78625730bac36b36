"""Reads about producers, with the prefetching their pages need."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, DecimalField, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.extensions import commission_default_providers
from core.money import MAD, MONEY, UnitShare, amount_to_mad_expression, producer_unit_share
from core.payments import PaymentMethod

Partner = get_model("partner", "Partner")
RATE = DecimalField(max_digits=5, decimal_places=4)


def commission_rates_for(*, partner_ids) -> dict[int, Decimal]:
    """The commission rate each producer pays: its own, else the default a later app provides (its
    GIE's: see `extensions.commission_default_providers`), else the platform's
    `DEFAULT_COMMISSION_RATE`. One query for any number of producers."""
    provided = [provider() for provider in commission_default_providers]
    none = Value(None, output_field=RATE)
    default = Coalesce(*provided, none, output_field=RATE) if provided else none
    rows = (
        Partner.objects.filter(pk__in=partner_ids)
        .annotate(default_rate=default)
        .values_list("pk", "commission_rate", "default_rate")
    )
    platform = Decimal(str(settings.DEFAULT_COMMISSION_RATE))
    return {
        pk: own if own is not None else default if default is not None else platform
        for pk, own, default in rows
    }


@dataclass(frozen=True)
class ProducerShare:
    method: PaymentMethod
    share: UnitShare


def producer_share_for(*, stockrecord, methods=(PaymentMethod.CASH_ON_DELIVERY,)) -> list[ProducerShare]:
    """What of the stock record's unit price reaches its producer, for each payment method: the price
    less the producer's commission and the method's fee, as a purchase order promises it and a
    statement pays it. One query; nothing for a record without a MAD price."""
    if stockrecord is None or stockrecord.price is None or stockrecord.price_currency != MAD:
        return []
    partner_id = stockrecord.partner_id
    commission_rate = commission_rates_for(partner_ids=[partner_id])[partner_id]
    return [
        ProducerShare(
            method=method,
            share=producer_unit_share(
                unit_price_mad=stockrecord.price, commission_rate=commission_rate, fee_rate=method.fee_rate
            ),
        )
        for method in methods
    ]


Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Lot = get_model("partner", "Lot")
StockMovement = get_model("partner", "StockMovement")
ProducerImport = get_model("partner", "ProducerImport")
Line = get_model("order", "Line")

# Orders in these statuses no longer need anything from the producer (and cancelled ones sold nothing).
CLOSED_ORDER_STATUSES = ("Delivered", "Cancelled")
LineLotAllocation = get_model("partner", "LineLotAllocation")
QualityLabel = get_model("catalogue", "QualityLabel")


def sellable_lots_q(today: date | None = None) -> Q:
    """Lots whose units may be sold (and taken): active and not past their best-before date."""
    today = today or timezone.localdate()
    return Q(status=Lot.Status.ACTIVE) & (Q(best_before__isnull=True) | Q(best_before__gte=today))


def lot_units_subquery(condition: Q):
    """The units in a stock record's lots that meet `condition` (0 without any), for annotations."""
    units = (
        Lot.objects.filter(condition, stockrecord_id=OuterRef("pk"))
        .order_by()
        .values("stockrecord_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    return Coalesce(Subquery(units), 0)


def stockrecords_with_lot_units(stockrecords, *, today: date | None = None):
    """Each stock record with `units_sellable` (units in lots on sale) and `units_withheld` (units in
    lots expired, quarantined or recalled), read in the same query: what `product_unsellable_reason`
    and the availability policy need."""
    sellable = sellable_lots_q(today)
    return stockrecords.annotate(
        units_sellable=lot_units_subquery(sellable),
        units_withheld=lot_units_subquery(~sellable & Q(quantity__gt=0)),
    )


def stockrecord_lot_units(stockrecord, *, today: date | None = None) -> tuple[int, int]:
    """(sellable, withheld) units of the stock record's lots: its annotations when it was read with
    `stockrecords_with_lot_units`, else one query (remembered on the instance)."""
    if not hasattr(stockrecord, "units_sellable"):
        units = (
            stockrecords_with_lot_units(StockRecord.objects.filter(pk=stockrecord.pk), today=today)
            .values_list("units_sellable", "units_withheld")
            .first()
        )
        stockrecord.units_sellable, stockrecord.units_withheld = units or (0, 0)
    return stockrecord.units_sellable, stockrecord.units_withheld


def product_unsellable_reason(*, product, stockrecord, today: date | None = None) -> str:
    """Why the marketplace may never sell `product` from `stockrecord` now; "" when it may.

    The one rule behind the availability policy (product pages, basket, checkout) and order placement:
    - an unpublished product (`is_public` off, or its parent's) is not on sale;
    - a food product needs a producer with a valid ONSSA sanitary authorisation (law 28-07), as
      `product_availability_set` requires to publish it;
    - a product whose stock is tracked and whose units all sit in lots expired, quarantined or
      recalled cannot be sold: no unit may be taken from those lots.
    """
    if not product.is_public or (product.parent_id and not product.parent.is_public):
        return _("This product is not on sale.")
    product_class = product.get_product_class()
    if product_class is None:
        return ""
    if product_class.is_food and not stockrecord.partner.has_valid_sanitary_authorisation(today):
        return _("This product cannot be sold: its producer has no valid ONSSA sanitary authorisation.")
    if product_class.track_stock:
        sellable, withheld = stockrecord_lot_units(stockrecord, today=today)
        if not sellable and withheld:
            return _("This product cannot be sold: its lots are expired, quarantined or recalled.")
    return ""


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
    return get_object_or_404(Partner, slug=slug)


def producer_products_for_public(*, producer):
    """Public products that this producer sells, ready for product cards."""
    return (
        Product.objects.browsable()
        .filter(stockrecords__partner=producer)
        .distinct()
        .select_related("product_class")
        .prefetch_related(
            "images",
            Prefetch(
                "stockrecords",
                queryset=stockrecords_with_lot_units(StockRecord.objects.select_related("partner")),
            ),
        )
        .order_by("title")
    )


# --- Cooperative dashboard: every read below is scoped to the producer the user belongs to. ---


def producer_for_user(*, user):
    """The producer whose dashboard this user may work on; PermissionDenied for anyone else.

    Platform staff and GIE coordinators are refused too: they have their own dashboards.
    """
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    producer = Partner.objects.filter(users=user).order_by("pk").first()
    if producer is None:
        raise PermissionDenied
    return producer


def stockrecords_for_producer(*, producer):
    """The producer's stock records with their product and lots, for lists and the home page."""
    return (
        StockRecord.objects.filter(partner=producer)
        .select_related("product", "product__product_class")
        .prefetch_related(Prefetch("lots", queryset=Lot.objects.order_by("best_before", "pk")))
        .order_by("partner_sku", "pk")
    )


def products_for_producer(*, producer):
    """Products this producer sells and alone sells: a product shared with another producer is not
    editable from a cooperative dashboard (editing it would change the other producer's listing)."""
    shared = StockRecord.objects.exclude(partner=producer).values("product_id")
    return (
        Product.objects.filter(stockrecords__partner=producer, parent__isnull=True)
        .exclude(pk__in=shared)
        .distinct()
    )


def product_get_for_producer(*, producer, pk: int):
    """The producer's own product with its stock record; 404 for any other product id."""
    product = get_object_or_404(
        products_for_producer(producer=producer).select_related("product_class").prefetch_related("images"),
        pk=pk,
    )
    product.producer_stockrecord = StockRecord.objects.get(product=product, partner=producer)
    return product


def lots_for_producer(*, producer):
    return (
        Lot.objects.filter(stockrecord__partner=producer)
        .select_related("stockrecord", "stockrecord__product")
        .order_by("stockrecord__partner_sku", "best_before", "pk")
    )


def lot_get_for_producer(*, producer, pk: int):
    """The producer's own lot; another producer's lot id gives 404, never its data."""
    return get_object_or_404(lots_for_producer(producer=producer), pk=pk)


def stock_movements_for_producer(*, producer):
    return StockMovement.objects.filter(stockrecord__partner=producer).select_related(
        "lot", "stockrecord", "user"
    )


def producer_import_get_for_producer(*, producer, pk: int):
    return get_object_or_404(ProducerImport, partner=producer, pk=pk)


def lots_expiring_for_producer(*, producer, today: date | None = None, within_days: int = 30):
    """Sellable lots that reach their best-before date within `within_days`."""
    today = today or timezone.localdate()
    return (
        lots_for_producer(producer=producer)
        .filter(status=Lot.Status.ACTIVE, quantity__gt=0, best_before__gte=today)
        .filter(best_before__lte=today + timedelta(days=within_days))
        .order_by("best_before", "pk")
    )


def stockrecords_low_for_producer(*, producer):
    """Stock records at or below their own low-stock threshold (records without one never alert)."""
    return (
        StockRecord.objects.filter(partner=producer, low_stock_threshold__isnull=False)
        .filter(num_in_stock__lte=F("low_stock_threshold"))
        .select_related("product")
        .order_by("num_in_stock", "pk")
    )


def producer_sales_summary(*, producer, days: int = 30) -> dict:
    """Units and revenue (MAD) of the producer's own order lines placed in the last `days` days,
    and how many of its orders are still open. Only its own lines are counted, never whole orders."""
    since = timezone.now() - timedelta(days=days)
    lines = Line.objects.filter(partner=producer)
    recent = lines.filter(order__date_placed__gte=since).exclude(order__status="Cancelled")
    totals = recent.aggregate(
        units=Sum("quantity"),
        # each line in MAD at its order's recorded rate: euros are never added to dirhams
        revenue=Sum(amount_to_mad_expression(F("line_price_incl_tax"), order="order"), output_field=MONEY),
        lines=Count("pk"),
    )
    open_orders = lines.exclude(order__status__in=CLOSED_ORDER_STATUSES).values("order_id").distinct().count()
    return {
        "days": days,
        "units": totals["units"] or 0,
        "revenue": totals["revenue"] or Decimal("0.00"),
        "lines": totals["lines"],
        "open_orders": open_orders,
    }


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
