"""Writes on producers' stock and lots. Every stock change locks its rows in primary-key order.

A producer's products, photos and profile are written in `cooperatives.product_services`."""

from collections import defaultdict
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.selectors import RecallRecipient, lot_recall_recipients
from core.jobs import job_stale_q

Lot = get_model("partner", "Lot")
LineLotAllocation = get_model("partner", "LineLotAllocation")
StockRecord = get_model("partner", "StockRecord")
ProducerImport = get_model("partner", "ProducerImport")


class InsufficientStock(Exception):
    """Raised when sellable lots cannot cover what a customer ordered."""


def sellable_lots_q(today: date | None = None) -> Q:
    today = today or timezone.localdate()
    return Q(status=Lot.Status.ACTIVE) & (Q(best_before__isnull=True) | Q(best_before__gte=today))


def stockrecords_refresh_quantity(*, stockrecord_ids, today: date | None = None) -> None:
    """Set each stock record's `num_in_stock` to the sum of its sellable lots, in one UPDATE per
    5,000 records (imports refresh thousands at once). The caller holds the row locks."""
    sellable = (
        Lot.objects.filter(sellable_lots_q(today), stockrecord_id=OuterRef("pk"))
        .order_by()
        .values("stockrecord_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    ids = sorted(set(stockrecord_ids))
    for start in range(0, len(ids), 5000):
        StockRecord.objects.filter(pk__in=ids[start : start + 5000]).update(
            num_in_stock=Coalesce(Subquery(sellable), Value(0)), num_allocated=0
        )


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
def stock_return_to_lots(*, line_quantities: dict[int, int]) -> list:
    """Put units of order lines back into the exact lots they were taken from.

    `line_quantities` maps an order line id to the units to return. The latest-expiring lot gets
    its units back first; each allocation shrinks so the same units can never be returned twice.
    Stock records, then lots, are locked in primary-key order, like allocation.
    """
    wanted = {line_id: qty for line_id, qty in line_quantities.items() if qty > 0}
    if not wanted:
        return []
    allocations = list(
        LineLotAllocation.objects.filter(line_id__in=wanted, quantity__gt=0)
        .select_related("lot")
        .order_by("line_id", "-lot__best_before", "-pk")
    )
    stockrecord_ids = sorted({a.lot.stockrecord_id for a in allocations})
    list(StockRecord.objects.select_for_update().filter(pk__in=stockrecord_ids).order_by("pk"))
    lot_ids = {a.lot_id for a in allocations}
    lots = {lot.pk: lot for lot in Lot.objects.select_for_update().filter(pk__in=lot_ids).order_by("pk")}
    remaining = dict(wanted)
    touched = []
    for allocation in allocations:
        give_back = min(allocation.quantity, remaining[allocation.line_id])
        if give_back == 0:
            continue
        allocation.quantity -= give_back
        remaining[allocation.line_id] -= give_back
        lots[allocation.lot_id].quantity += give_back
        touched.append(allocation)
    # Lines of untracked products have no allocations and nothing to give back.
    if any(remaining[line_id] for line_id in {a.line_id for a in allocations}):
        raise ValueError(_("More units are being returned than were taken from the lots."))
    LineLotAllocation.objects.bulk_update(touched, ["quantity"])
    Lot.objects.bulk_update(lots.values(), ["quantity"])
    stockrecords_refresh_quantity(stockrecord_ids=stockrecord_ids)
    return touched


# --- Cooperative dashboard: a producer's own writes, each recorded in its stock history. ---

StockMovement = get_model("partner", "StockMovement")

# Which status changes a producer may make, and how each is recorded in the history.
LOT_STATUS_CHANGES = {
    Lot.Status.QUARANTINED: ({Lot.Status.ACTIVE}, StockMovement.Kind.QUARANTINE),
    Lot.Status.ACTIVE: ({Lot.Status.QUARANTINED}, StockMovement.Kind.RELEASE),
    Lot.Status.RECALLED: ({Lot.Status.ACTIVE, Lot.Status.QUARANTINED}, StockMovement.Kind.RECALL),
}


def _ensure_own_stockrecord(*, producer, stockrecord) -> None:
    # Selectors already 404 on foreign ids; this guards callers that bypass them (imports, shells).
    if stockrecord.partner_id != producer.pk:
        raise PermissionDenied(_("This stock record belongs to another producer."))


def _lot_lock(*, producer, lot):
    """Lock the lot's stock record then the lot, the order `stock_allocate_order_lines` uses."""
    stockrecord = StockRecord.objects.select_for_update().get(pk=lot.stockrecord_id)
    _ensure_own_stockrecord(producer=producer, stockrecord=stockrecord)
    return Lot.objects.select_for_update().get(pk=lot.pk)


@transaction.atomic
def lot_add(
    *,
    user,
    producer,
    stockrecord,
    code: str,
    quantity: int,
    harvest_date: date | None = None,
    best_before: date | None = None,
    reason: str = "",
):
    """A new lot (after a harvest) under one of the producer's stock records, recorded in the history."""
    _ensure_own_stockrecord(producer=producer, stockrecord=stockrecord)
    if Lot.objects.filter(code=code).exists():
        raise ValidationError({"code": _("A lot with this code already exists.")})
    if harvest_date and best_before and best_before < harvest_date:
        raise ValidationError({"best_before": _("The best-before date cannot precede the harvest date.")})
    lot = lot_create(
        stockrecord=stockrecord,
        code=code,
        quantity=quantity,
        harvest_date=harvest_date,
        best_before=best_before,
    )
    StockMovement.objects.create(
        lot=lot,
        stockrecord=stockrecord,
        user=user,
        kind=StockMovement.Kind.CREATE,
        delta=quantity,
        quantity_after=quantity,
        status_after=lot.status,
        reason=reason,
    )
    return lot


@transaction.atomic
def lot_quantity_adjust(*, user, producer, lot, quantity: int, reason: str):
    """Set a lot's remaining quantity (stock count, breakage…); the reason goes into the history."""
    if quantity < 0:
        raise ValidationError({"quantity": _("A lot's quantity cannot be negative.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the quantity changes.")})
    lot = _lot_lock(producer=producer, lot=lot)
    if lot.status == Lot.Status.RECALLED:
        raise ValidationError(_("A recalled lot cannot be changed."))
    if lot.quantity == quantity:
        return lot
    delta = quantity - lot.quantity
    lot.quantity = quantity
    lot.save(update_fields=["quantity"])
    StockMovement.objects.create(
        lot=lot,
        stockrecord_id=lot.stockrecord_id,
        user=user,
        kind=StockMovement.Kind.ADJUST,
        delta=delta,
        quantity_after=quantity,
        status_after=lot.status,
        reason=reason.strip(),
    )
    stockrecords_refresh_quantity(stockrecord_ids=[lot.stockrecord_id])
    return lot


@transaction.atomic
def lot_status_set(*, user, producer, lot, status: str, reason: str):
    """Quarantine, release or recall a lot. Quarantined and recalled lots are not sellable, so the
    stock record's quantity drops at once; a recall is final."""
    if status not in LOT_STATUS_CHANGES:
        raise ValidationError(_("Unknown lot status."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the lot's status changes.")})
    lot = _lot_lock(producer=producer, lot=lot)
    allowed_from, kind = LOT_STATUS_CHANGES[status]
    if lot.status not in allowed_from:
        raise ValidationError(
            _("A lot that is “%(current)s” cannot become “%(new)s”.")
            % {"current": lot.get_status_display(), "new": Lot.Status(status).label}
        )
    if status == Lot.Status.RECALLED:
        # One recall rule for everyone: the recall service stamps the date and reason.
        lot_recall(lot=lot, reason=reason)
        lot.refresh_from_db()
    else:
        lot.status = status
        lot.save(update_fields=["status"])
        stockrecords_refresh_quantity(stockrecord_ids=[lot.stockrecord_id])
    StockMovement.objects.create(
        lot=lot,
        stockrecord_id=lot.stockrecord_id,
        user=user,
        kind=kind,
        delta=0,
        quantity_after=lot.quantity,
        status_after=status,
        reason=reason.strip(),
    )
    return lot


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


# --- Periodic jobs (Celery beat) ---

SWEEP_BATCH = 500


def lots_expired_sweep(*, today: date | None = None) -> int:
    """Nightly: stock records still counting units of lots past their best-before date are recounted
    from their sellable lots, so the storefront stops offering them. Returns how many changed."""
    today = today or timezone.localdate()
    sellable = (
        Lot.objects.filter(sellable_lots_q(today), stockrecord_id=OuterRef("pk"))
        .order_by()
        .values("stockrecord_id")
        .annotate(total=Sum("quantity"))
        .values("total")
    )
    candidates = (
        StockRecord.objects.filter(
            lots__status=Lot.Status.ACTIVE, lots__best_before__lt=today, lots__quantity__gt=0
        )
        .annotate(sellable=Coalesce(Subquery(sellable), Value(0)))
        .exclude(num_in_stock=F("sellable"))
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    ids = list(candidates)
    for start in range(0, len(ids), SWEEP_BATCH):
        batch = ids[start : start + SWEEP_BATCH]
        with transaction.atomic():
            list(StockRecord.objects.select_for_update().filter(pk__in=batch).order_by("pk"))
            stockrecords_refresh_quantity(stockrecord_ids=batch, today=today)
    return len(ids)


def producer_imports_fail_stale(*, pk: int | None = None) -> int:
    """Imports whose worker died (no heartbeat for TERROIR_JOB_STALE_MINUTES) end as failed, with why.

    The import writes in one transaction, so a dead one changed nothing."""
    jobs = ProducerImport.objects.filter(
        job_stale_q(created_field="created"),
        status__in=(ProducerImport.Status.PENDING, ProducerImport.Status.RUNNING),
    )
    if pk is not None:
        jobs = jobs.filter(pk=pk)
    message = _("The import stopped responding; nothing was changed. Please import the file again.")
    return jobs.update(
        status=ProducerImport.Status.FAILED,
        errors=[{"row": 0, "column": "", "message": message}],
        finished=timezone.now(),
    )


def producer_import_fail_if_stale(*, job):
    """Checked when an import is shown: the producer never watches a dead import's progress bar."""
    if job.status in (ProducerImport.Status.PENDING, ProducerImport.Status.RUNNING):
        if producer_imports_fail_stale(pk=job.pk):
            job.refresh_from_db()
    return job
