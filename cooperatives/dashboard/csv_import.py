"""Import of the producer's CSV (the export, edited in a spreadsheet): all rows or none.

`csv_check` reads and checks every row first; only a file without errors is written here, in one
transaction, with bulk queries.
"""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.services import products_search_index
from cooperatives.dashboard.csv_check import (
    LOT_FIELDS,
    MAX_CSV_BYTES,
    CsvImportRefused,
    ImportPlan,
    producer_csv_plan,
    producer_csv_read,
)
from cooperatives.services import stockrecords_refresh_quantity

__all__ = ["MAX_CSV_BYTES", "CsvImportRefused", "producer_csv_import", "producer_csv_read"]

Category = get_model("catalogue", "Category")
Lot = get_model("partner", "Lot")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
StockMovement = get_model("partner", "StockMovement")
StockRecord = get_model("partner", "StockRecord")


@transaction.atomic
def producer_csv_apply(*, user, producer, plan: ImportPlan, progress=None) -> dict:
    """Write the plan with bulk queries; stock rows are locked in primary-key order."""
    summary = {
        "products_created": len(plan.new_products),
        "products_updated": len(set(plan.record_updates) | set(plan.title_updates)),
        "lots_created": len(plan.new_lots),
        "lots_updated": len(plan.lot_updates),
    }
    if plan.is_empty:
        return summary
    record_by_sku = _products_create(producer=producer, new_products=plan.new_products)
    # Search reads a stored document: new and retitled products must be indexed in this transaction.
    texts_changed = {record.product_id for record in record_by_sku.values()} | set(plan.title_updates)
    locked = {
        record.pk: record
        for record in StockRecord.objects.select_for_update()
        .filter(partner=producer)
        .select_related("product")
        .order_by("pk")
    }
    record_by_sku.update({record.partner_sku: record for record in locked.values()})
    if plan.title_updates:
        products = [record.product for record in locked.values() if record.product_id in plan.title_updates]
        for product in products:
            product.title = plan.title_updates[product.pk]
        Product.objects.bulk_update(products, ["title"], batch_size=1000)
    if texts_changed:
        products_search_index(products=Product.objects.filter(pk__in=texts_changed))
    if plan.record_updates:
        records = [locked[pk] for pk in plan.record_updates]
        for record in records:
            for key, value in plan.record_updates[record.pk].items():
                setattr(record, key, value)
        StockRecord.objects.bulk_update(records, ["price", "low_stock_threshold"], batch_size=1000)
    if progress:
        progress(None)
    movements = _lots_write(user=user, plan=plan, record_by_sku=record_by_sku)
    StockMovement.objects.bulk_create(movements, batch_size=1000)
    stockrecords_refresh_quantity(stockrecord_ids={movement.stockrecord_id for movement in movements})
    return summary


def _products_create(*, producer, new_products: dict) -> dict:
    if not new_products:
        return {}
    categories = {c.slug: c for c in Category.objects.filter(depth=1)}
    # Created unpublished: the producer adds photos and checks the page before going live.
    products = [
        Product(
            structure=Product.STANDALONE,
            product_class=fields["product_class"],
            title=fields["title"],
            slug=slugify(fields["title"])[:128] or "produit",
            is_public=False,
        )
        for fields in new_products.values()
    ]
    Product.objects.bulk_create(products, batch_size=1000)
    links = [
        ProductCategory(product=product, category=categories[fields["product_class"].slug])
        for product, fields in zip(products, new_products.values(), strict=True)
        if fields["product_class"].slug in categories
    ]
    ProductCategory.objects.bulk_create(links, batch_size=1000)
    records = [
        StockRecord(
            partner=producer,
            product=product,
            partner_sku=sku,
            price_currency="MAD",
            price=fields["price"],
            low_stock_threshold=fields["threshold"],
            num_in_stock=0,
        )
        for product, (sku, fields) in zip(products, new_products.items(), strict=True)
    ]
    StockRecord.objects.bulk_create(records, batch_size=1000)
    return {record.partner_sku: record for record in records}


def _lots_write(*, user, plan: ImportPlan, record_by_sku: dict) -> list:
    now = timezone.now()
    reason = _("CSV import")
    movements = []
    if plan.lot_updates:
        lots = list(
            Lot.objects.select_for_update()
            .filter(pk__in=plan.lot_updates)
            .only("pk", "stockrecord_id", *LOT_FIELDS)
            .order_by("pk")
        )
        for lot in lots:
            before = lot.quantity
            for key, value in plan.lot_updates[lot.pk].items():
                setattr(lot, key, value)
            movements.append(_movement(lot, user, lot.quantity - before, reason, now))
        _lots_update(lots)
    new_lots = [
        Lot(
            stockrecord=record_by_sku[spec["sku"]],
            code=spec["code"],
            quantity=spec["quantity"],
            harvest_date=spec["harvest_date"],
            best_before=spec["best_before"],
            status=spec["status"],
        )
        for spec in plan.new_lots
    ]
    Lot.objects.bulk_create(new_lots, batch_size=1000)
    movements.extend(_movement(lot, user, lot.quantity, reason, now) for lot in new_lots)
    return movements


def _lots_update(lots: list) -> None:
    """Write the lots' four stock fields. On PostgreSQL one UPDATE … FROM (VALUES …) per 5,000 lots,
    where Django's bulk_update builds a CASE per row and takes seconds for 10,000 lots."""
    if connection.vendor != "postgresql":
        Lot.objects.bulk_update(lots, list(LOT_FIELDS), batch_size=500)
        return
    table = Lot._meta.db_table
    for start in range(0, len(lots), 5000):
        batch = lots[start : start + 5000]
        values = ", ".join(["(%s::integer, %s::integer, %s::date, %s::date, %s::varchar)"] * len(batch))
        params = [
            p for lot in batch for p in (lot.pk, lot.quantity, lot.harvest_date, lot.best_before, lot.status)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{table}" AS lot SET quantity = v.quantity, harvest_date = v.harvest_date, '
                f"best_before = v.best_before, status = v.status "
                f"FROM (VALUES {values}) AS v(id, quantity, harvest_date, best_before, status) "
                f"WHERE lot.id = v.id",
                params,
            )


def _movement(lot, user, delta, reason, now):
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


def producer_csv_import(*, user, producer, raw: bytes, progress=None) -> dict:
    """Read, check and write a producer's CSV; CsvImportRefused (nothing written) on any error."""
    rows = producer_csv_read(raw=raw)
    plan = producer_csv_plan(producer=producer, rows=rows, progress=progress)
    return producer_csv_apply(user=user, producer=producer, plan=plan, progress=progress)
