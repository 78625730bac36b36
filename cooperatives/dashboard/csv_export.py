"""The producer's products, stock records and lots as one CSV, one row per lot."""

from cooperatives.selectors import stockrecords_for_producer
from core.csv import csv_bytes

COLUMNS = [
    "sku",
    "product_type",
    "title",
    "price",
    "low_stock_threshold",
    "lot_code",
    "lot_quantity",
    "harvest_date",
    "best_before",
    "lot_status",
]


def producer_csv_rows(*, producer):
    """Rows in export order; a product without lots still gets one row so it can be edited."""
    for record in stockrecords_for_producer(producer=producer):
        product_fields = [
            record.partner_sku,
            record.product.product_class.slug if record.product.product_class else "",
            record.product.title,
            f"{record.price:.2f}" if record.price is not None else "",
            "" if record.low_stock_threshold is None else str(record.low_stock_threshold),
        ]
        lots = list(record.lots.all())
        if not lots:
            yield product_fields + ["", "", "", "", ""]
        for lot in lots:
            yield product_fields + [
                lot.code,
                str(lot.quantity),
                lot.harvest_date.isoformat() if lot.harvest_date else "",
                lot.best_before.isoformat() if lot.best_before else "",
                lot.status,
            ]


def producer_csv_export_rows(*, producer):
    yield COLUMNS
    yield from producer_csv_rows(producer=producer)


def producer_csv_export(*, producer) -> bytes:
    """The export as a file's content (UTF-8 with a byte-order mark, cells neutralised)."""
    return csv_bytes(producer_csv_export_rows(producer=producer))
