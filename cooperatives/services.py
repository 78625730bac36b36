"""Writes on producers' stock. Every stock change locks its rows in primary-key order."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.selectors import RecallRecipient, lot_recall_recipients

Lot = get_model("partner", "Lot")
LineLotAllocation = get_model("partner", "LineLotAllocation")
StockRecord = get_model("partner", "StockRecord")


class InsufficientStock(Exception):
    """Raised when sellable lots cannot cover what a customer ordered."""


def sellable_lots_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status=Lot.Status.ACTIVE) & (Q(best_before__isnull=True) | Q(best_before__gte=today))


def stockrecords_refresh_quantity(*, stockrecord_ids) -> None:
    """Set each stock record's `num_in_stock` to the sum of its sellable lots."""
    ids = sorted(set(stockrecord_ids))
    totals = dict(
        Lot.objects.filter(sellable_lots_q(), stockrecord_id__in=ids)
        .values("stockrecord_id")
        .annotate(total=Sum("quantity"))
        .values_list("stockrecord_id", "total")
    )
    records = list(StockRecord.objects.filter(pk__in=ids).order_by("pk"))
    for record in records:
        record.num_in_stock = totals.get(record.pk, 0)
        record.num_allocated = 0
    StockRecord.objects.bulk_update(records, ["num_in_stock", "num_allocated"])


@transaction.atomic
def lot_create(
    *,
    stockrecord,
    code: str,
    quantity: int,
    harvest_date: date | None = None,
    best_before: date | None = None,
    status: str = Lot.Status.ACTIVE,
):
    if quantity < 0:
        raise ValueError(_("A lot's quantity cannot be negative."))
    StockRecord.objects.select_for_update().get(pk=stockrecord.pk)
    lot = Lot.objects.create(
        stockrecord=stockrecord,
        code=code,
        quantity=quantity,
        harvest_date=harvest_date,
        best_before=best_before,
        status=status,
    )
    stockrecords_refresh_quantity(stockrecord_ids=[stockrecord.pk])
    return lot


def stock_allocate_order_lines(*, lines) -> list:
    """Take each order line's units from its stock record's lots, first-expired-first-out.

    Must run inside the transaction that creates the order. Stock records are locked in
    primary-key order so concurrent checkouts queue instead of overselling or deadlocking.
    """
    needed: dict[int, list] = defaultdict(list)
    for line in lines:
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            needed[line.stockrecord_id].append(line)
    if not needed:
        return []
    stockrecord_ids = sorted(needed)
    list(StockRecord.objects.select_for_update().filter(pk__in=stockrecord_ids).order_by("pk"))
    lots_by_record: dict[int, list] = defaultdict(list)
    for lot in (
        Lot.objects.select_for_update()
        .filter(sellable_lots_q(), stockrecord_id__in=stockrecord_ids, quantity__gt=0)
        .order_by("stockrecord_id", "best_before", "pk")
    ):
        lots_by_record[lot.stockrecord_id].append(lot)

    allocations = []
    touched_lots = []
    for stockrecord_id in stockrecord_ids:
        lots = lots_by_record[stockrecord_id]
        for line in needed[stockrecord_id]:
            remaining = line.quantity
            for lot in lots:
                if remaining == 0:
                    break
                take = min(lot.quantity, remaining)
                if take == 0:
                    continue
                lot.quantity -= take
                remaining -= take
                touched_lots.append(lot)
                allocations.append(LineLotAllocation(line=line, lot=lot, quantity=take))
            if remaining:
                raise InsufficientStock(
                    _("Not enough stock of “%(product)s”: %(missing)d more than is available.")
                    % {"product": line.title, "missing": remaining}
                )
    Lot.objects.bulk_update({lot.pk: lot for lot in touched_lots}.values(), ["quantity"])
    LineLotAllocation.objects.bulk_create(allocations)
    stockrecords_refresh_quantity(stockrecord_ids=stockrecord_ids)
    return allocations


@transaction.atomic
def product_availability_set(*, product, is_public: bool) -> None:
    """Publish or withdraw a product; a food product needs producers with a valid ONSSA authorisation."""
    if is_public and product.get_product_class().is_food:
        producers = [record.partner for record in product.stockrecords.select_related("partner")]
        if not producers:
            raise ValidationError({"is_public": _("Add the producer's stock record before publishing.")})
        for producer in producers:
            if not producer.has_valid_sanitary_authorisation():
                raise ValidationError(
                    {
                        "is_public": _(
                            "“%(product)s” is a food product: %(producer)s needs a valid ONSSA sanitary "
                            "authorisation number on file before it can be sold."
                        )
                        % {"product": product.title, "producer": producer.name}
                    }
                )
    product.is_public = is_public
    product.save(update_fields=["is_public", "date_updated"])


@transaction.atomic
def lot_recall(*, lot, reason: str) -> list[RecallRecipient]:
    """Withdraw a lot from sale and return who received units of it, one row per order.

    Recalling an already recalled lot changes nothing and returns the same recipients.
    """
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the lot is recalled; customers will be told.")})
    StockRecord.objects.select_for_update().get(pk=lot.stockrecord_id)
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if lot.status != Lot.Status.RECALLED:
        lot.status = Lot.Status.RECALLED
        lot.recalled_at = timezone.now()
        lot.recall_reason = reason.strip()
        lot.save(update_fields=["status", "recalled_at", "recall_reason"])
        stockrecords_refresh_quantity(stockrecord_ids=[lot.stockrecord_id])
    return lot_recall_recipients(lot=lot)
