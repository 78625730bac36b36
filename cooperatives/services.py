"""Writes on producers' stock and lots. Every stock change locks its rows in primary-key order.

A producer's products, photos and profile are written in `cooperatives.product_services`."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.selectors import (
    RecallRecipient,
    lot_recall_recipients,
    lot_units_subquery,
    product_unsellable_reason,
    sellable_lots_q,
    stockrecords_with_lot_units,
)
from core.jobs import job_stale_q

Lot = get_model("partner", "Lot")
LineLotAllocation = get_model("partner", "LineLotAllocation")
StockRecord = get_model("partner", "StockRecord")
ProducerImport = get_model("partner", "ProducerImport")


class InsufficientStock(Exception):
    """Raised when sellable lots cannot cover what a customer ordered."""


class ProductNotSellable(Exception):
    """Raised at placement for a line whose product the marketplace may not sell (see
    `cooperatives.selectors.product_unsellable_reason`)."""


def stockrecords_refresh_quantity(*, stockrecord_ids, today: date | None = None) -> None:
    """Set each stock record's `num_in_stock` to the sum of its sellable lots, in one UPDATE per
    5,000 records (imports refresh thousands at once). The caller holds the row locks."""
    sellable = lot_units_subquery(sellable_lots_q(today))
    ids = sorted(set(stockrecord_ids))
    for start in range(0, len(ids), 5000):
        StockRecord.objects.filter(pk__in=ids[start : start + 5000]).update(
            num_in_stock=sellable, num_allocated=0
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
    A line whose product may not be sold (not on sale, producer without a valid sanitary
    authorisation, lots withheld) raises ProductNotSellable before anything is taken.
    """
    lines = [line for line in lines if line.stockrecord_id]
    locked = stockrecords_with_lot_units(
        StockRecord.objects.select_for_update(of=("self",))
        .select_related("partner")
        .filter(pk__in={line.stockrecord_id for line in lines})
        .order_by("pk")
    )
    stockrecords = {record.pk: record for record in locked}
    needed: dict[int, list] = defaultdict(list)
    for line in lines:
        reason = product_unsellable_reason(
            product=line.product, stockrecord=stockrecords[line.stockrecord_id]
        )
        if reason:
            raise ProductNotSellable(
                _("“%(product)s”: %(reason)s") % {"product": line.title, "reason": reason}
            )
        if line.product.get_product_class().track_stock:
            needed[line.stockrecord_id].append(line)
    if not needed:
        return []
    stockrecord_ids = sorted(needed)
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


def lot_status_change_check(*, current: str, status: str, reason: str) -> None:
    """The rule for changing a lot's status, wherever the change comes from (dashboard, CSV import):
    a known status, a reason, and a change `LOT_STATUS_CHANGES` allows (a recall is final).
    ValidationError otherwise."""
    if status not in LOT_STATUS_CHANGES:
        raise ValidationError({"status": _("Unknown lot status.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the lot's status changes.")})
    allowed_from, __ = LOT_STATUS_CHANGES[status]
    if current not in allowed_from:
        raise ValidationError(
            {
                "status": _("A lot that is “%(current)s” cannot become “%(new)s”.")
                % {"current": Lot.Status(current).label, "new": Lot.Status(status).label}
            }
        )


def lot_dates_check(*, harvest_date: date | None, best_before: date | None) -> None:
    if harvest_date and best_before and best_before < harvest_date:
        raise ValidationError({"best_before": _("The best-before date cannot precede the harvest date.")})


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
    lot_dates_check(harvest_date=harvest_date, best_before=best_before)
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
    lot = _lot_lock(producer=producer, lot=lot)
    lot_status_change_check(current=lot.status, status=status, reason=reason)
    __, kind = LOT_STATUS_CHANGES[status]
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


# --- CSV import: many lots at once, by the rules above, with bulk queries. ---

LOT_STOCK_FIELDS = ("quantity", "harvest_date", "best_before")


@dataclass(frozen=True, kw_only=True)
class LotImported:
    """A lot as an imported row wants it: a new lot when `lot_id` is None."""

    stockrecord_id: int
    code: str
    quantity: int
    harvest_date: date | None
    best_before: date | None
    status: str
    status_reason: str = ""
    lot_id: int | None = None


@transaction.atomic
def lots_import(*, user, producer, lots: list[LotImported], reason: str) -> None:
    """Write imported lots by the dashboard's rules: new lots are added active and quantities and
    dates set (recorded as the import, `reason`), in bulk; then each status change goes through
    `lot_status_set`, like a change made on the dashboard (transition rules, its reason, the recall
    date). ValidationError naming the lot if one is refused: the caller's transaction writes nothing."""
    stockrecord_ids = sorted({wanted.stockrecord_id for wanted in lots})
    records = StockRecord.objects.select_for_update().filter(pk__in=stockrecord_ids).order_by("pk")
    for record in records:
        _ensure_own_stockrecord(producer=producer, stockrecord=record)
    existing = {
        lot.pk: lot
        for lot in Lot.objects.select_for_update()
        .filter(pk__in=[wanted.lot_id for wanted in lots if wanted.lot_id])
        .only("pk", "code", "stockrecord_id", "status", *LOT_STOCK_FIELDS)
        .order_by("pk")
    }
    now = timezone.now()
    created, changed, movements, status_changes = [], [], [], []
    for wanted in lots:
        if wanted.lot_id is None:
            lot = Lot(stockrecord_id=wanted.stockrecord_id, code=wanted.code, quantity=0)
        else:
            lot = existing.get(wanted.lot_id)
        try:
            if lot is None:
                raise ValidationError(_("This lot no longer exists."))
            delta = lot_import_check(lot=lot, wanted=wanted)
        except ValidationError as error:
            raise ValidationError(
                _("Lot %(code)s: %(error)s") % {"code": wanted.code, "error": " ".join(error.messages)}
            ) from error
        if delta is not None:
            for name in LOT_STOCK_FIELDS:
                setattr(lot, name, getattr(wanted, name))
            (changed if lot.pk else created).append(lot)
            movements.append(_lot_import_movement(lot=lot, user=user, delta=delta, reason=reason, now=now))
        if wanted.status != lot.status:
            status_changes.append((lot, wanted))
    Lot.objects.bulk_create(created, batch_size=1000)
    _lots_stock_fields_write(changed)
    StockMovement.objects.bulk_create(movements, batch_size=1000)
    for lot, wanted in status_changes:
        lot_status_set(
            user=user, producer=producer, lot=lot, status=wanted.status, reason=wanted.status_reason
        )
    stockrecords_refresh_quantity(stockrecord_ids=stockrecord_ids)


def lot_import_check(*, lot, wanted: LotImported) -> int | None:
    """The change in quantity an imported lot makes (None when its quantity and dates stay), once
    the dashboard's rules accept it; ValidationError otherwise. `lot` is the lot as it is (a new one
    unsaved, active and empty); the CSV check calls this too, before anything is written."""
    if lot.stockrecord_id != wanted.stockrecord_id:
        raise ValidationError(_("This lot code is already used by another product."))
    if wanted.quantity < 0:
        raise ValidationError({"quantity": _("A lot's quantity cannot be negative.")})
    lot_dates_check(harvest_date=wanted.harvest_date, best_before=wanted.best_before)
    stays = lot.pk and all(getattr(lot, name) == getattr(wanted, name) for name in LOT_STOCK_FIELDS)
    if lot.status == Lot.Status.RECALLED and not (stays and wanted.status == lot.status):
        raise ValidationError(_("A recalled lot cannot be changed."))
    if wanted.status != lot.status:
        lot_status_change_check(current=lot.status, status=wanted.status, reason=wanted.status_reason)
    return None if stays else wanted.quantity - lot.quantity


def _lot_import_movement(*, lot, user, delta: int, reason: str, now):
    return StockMovement(
        lot=lot,
        stockrecord_id=lot.stockrecord_id,
        user=user,
        kind=StockMovement.Kind.IMPORT,
        delta=delta,
        quantity_after=lot.quantity,
        status_after=lot.status,
        reason=reason,
        created=now,
    )


def _lots_stock_fields_write(lots: list) -> None:
    """Write the lots' quantity and dates. On PostgreSQL one UPDATE … FROM (VALUES …) per 5,000 lots,
    where Django's bulk_update builds a CASE per row and takes seconds for 10,000 lots."""
    if connection.vendor != "postgresql":
        Lot.objects.bulk_update(lots, list(LOT_STOCK_FIELDS), batch_size=500)
        return
    table = Lot._meta.db_table
    for start in range(0, len(lots), 5000):
        batch = lots[start : start + 5000]
        values = ", ".join(["(%s::integer, %s::integer, %s::date, %s::date)"] * len(batch))
        params = [p for lot in batch for p in (lot.pk, lot.quantity, lot.harvest_date, lot.best_before)]
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS lot SET quantity = v.quantity, harvest_date = v.harvest_date, '
                f"best_before = v.best_before "
                f"FROM (VALUES {values}) AS v(id, quantity, harvest_date, best_before) "
                f"WHERE lot.id = v.id",
                params,
            )


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
