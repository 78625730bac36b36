"""Import of the producer's CSV (the export, edited in a spreadsheet): all rows or none.

`csv_check` reads and checks every row first; only a file without errors is written here, in one
transaction, with bulk queries.
"""

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.services import products_search_index
from cooperatives.dashboard.csv_check import (
    MAX_CSV_BYTES,
    CsvImportRefused,
    ImportPlan,
    producer_csv_plan,
    producer_csv_read,
)
from cooperatives.services import lots_import

__all__ = ["MAX_CSV_BYTES", "CsvImportRefused", "producer_csv_import", "producer_csv_read"]

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
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
    _lots_write(user=user, producer=producer, plan=plan, record_by_sku=record_by_sku)
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


def _lots_write(*, user, producer, plan: ImportPlan, record_by_sku: dict) -> None:
    """The plan's lots, through the lot services' rules (`services.lots_import`)."""
    lots = [replace(wanted, stockrecord_id=record_by_sku[sku].pk) for sku, wanted in plan.new_lots]
    lots.extend(plan.lot_updates.values())
    if lots:
        lots_import(user=user, producer=producer, lots=lots, reason=_("CSV import"))


def producer_csv_import(*, user, producer, raw: bytes, progress=None) -> dict:
    """Read, check and write a producer's CSV; CsvImportRefused (nothing written) on any error."""
    rows = producer_csv_read(raw=raw)
    plan = producer_csv_plan(producer=producer, rows=rows, progress=progress)
    try:
        return producer_csv_apply(user=user, producer=producer, plan=plan, progress=progress)
    except ValidationError as refused:
        # A lot changed between the check and the write (another import, the dashboard).
        raise CsvImportRefused([{"row": 0, "column": "lot_code", "message": m} for m in refused.messages])
