"""The producer's products, stock records and lots as one CSV, one row per lot."""

import csv
import io

from cooperatives.selectors import stockrecords_for_producer

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


def producer_csv_export(*, producer) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs open Arabic and accents correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(producer_csv_rows(producer=producer))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
