"""Checking a producer's CSV: every row is checked and every error returned with its row (the header
is row 1) and column, before anything is written (see `csv_import`)."""

import csv
import datetime
import io
from collections import namedtuple
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from cooperatives.dashboard.csv_export import COLUMNS
from cooperatives.services import LotImported, lot_import_check
from core.csv import csv_cell_restore

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
Lot = get_model("partner", "Lot")
StockRecord = get_model("partner", "StockRecord")

MAX_CSV_BYTES = 10 * 1024 * 1024
SQLITE_CHUNK = 900  # stays under SQLite's limit on query parameters
PROGRESS_EVERY = 1000
LOT_STATUSES = set(Lot.Status.values)
LOT_FIELDS = ("quantity", "harvest_date", "best_before", "status")
# Optional: why a row changes its lot's status (quarantine, release, recall), as the dashboard asks.
REASON_COLUMN = "status_reason"
# Where the lot rules' errors point in the file (errors of the whole lot: its code).
ERROR_COLUMNS = {
    "quantity": "lot_quantity",
    "best_before": "best_before",
    "status": "lot_status",
    "reason": REASON_COLUMN,
}
LotRow = namedtuple("LotRow", ("pk", "code", "stockrecord_id", *LOT_FIELDS))
# The longest text each column's database field holds; longer cells are refused, row by row.
MAX_LENGTHS = {
    "sku": StockRecord._meta.get_field("partner_sku").max_length,
    "product_type": ProductClass._meta.get_field("slug").max_length,
    "title": Product._meta.get_field("title").max_length,
    "lot_code": Lot._meta.get_field("code").max_length,
    "lot_status": max(len(status) for status in LOT_STATUSES),
}


@dataclass
class CsvImportRefused(Exception):
    errors: list

    def __str__(self):
        return f"{len(self.errors)} error(s)"


@dataclass
class ImportPlan:
    new_products: dict = field(default_factory=dict)  # sku -> product fields
    record_updates: dict = field(default_factory=dict)  # stockrecord pk -> changed fields
    title_updates: dict = field(default_factory=dict)  # product pk -> new title
    new_lots: list = field(default_factory=list)  # (sku, LotImported): the sku's record may be new
    lot_updates: dict = field(default_factory=dict)  # lot pk -> LotImported

    @property
    def is_empty(self) -> bool:
        return not (
            self.new_products
            or self.record_updates
            or self.title_updates
            or self.new_lots
            or self.lot_updates
        )


def _error(row: int, column: str, message: str) -> dict:
    return {"row": row, "column": column, "message": message}


def producer_csv_read(*, raw: bytes) -> list[dict]:
    """The file's rows as dicts; CsvImportRefused for a file that is too big, not UTF-8 or not our CSV."""
    if len(raw) > MAX_CSV_BYTES:
        raise CsvImportRefused([_error(0, "", _("The file is larger than 10 MB."))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvImportRefused(
            [_error(0, "", _("The file is not UTF-8 text. Save it as “CSV UTF-8” in your spreadsheet."))]
        )
    if "\x00" in text:
        raise CsvImportRefused([_error(0, "", _("This is not a CSV file."))])
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [name.strip() for name in (reader.fieldnames or [])]
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise CsvImportRefused(
                [_error(1, column, _("This is not a product CSV: column missing.")) for column in missing]
            )
        reader.fieldnames = header
        rows = [
            {
                REASON_COLUMN: "",
                **{key: csv_cell_restore((value or "").strip()) for key, value in row.items() if key},
            }
            for row in reader
        ]
    except csv.Error as exc:
        raise CsvImportRefused([_error(0, "", _("This is not a valid CSV file: %s") % exc)])
    if not rows:
        raise CsvImportRefused([_error(2, "", _("The file has no rows."))])
    too_long = [
        _error(index + 2, column, _("Longer than %(limit)d characters.") % {"limit": limit})
        for index, row in enumerate(rows)
        for column, limit in MAX_LENGTHS.items()
        if len(row.get(column, "")) > limit
    ]
    if too_long:
        raise CsvImportRefused(too_long)
    return rows


def _chunked_in(queryset, lookup: str, values):
    values = list(values)
    chunk = SQLITE_CHUNK if connection.vendor == "sqlite" else 20_000
    for start in range(0, len(values), chunk):
        yield from queryset.filter(**{f"{lookup}__in": values[start : start + chunk]})


def _parse_int(value: str, row: int, column: str, errors: list, *, required: bool):
    if value == "":
        if required:
            errors.append(_error(row, column, _("A number is required.")))
        return None
    try:
        number = int(value)
    except ValueError:
        errors.append(_error(row, column, _("“%s” is not a whole number.") % value))
        return None
    if number < 0:
        errors.append(_error(row, column, _("Cannot be negative.")))
        return None
    return number


def _parse_price(value: str, row: int, errors: list):
    try:
        price = Decimal(value.replace(",", "."))
    except InvalidOperation:
        errors.append(_error(row, "price", _("“%s” is not a price.") % value))
        return None
    if not price.is_finite() or price < 0 or price >= Decimal("100000000"):
        errors.append(_error(row, "price", _("“%s” is not a price.") % value))
        return None
    return price.quantize(Decimal("0.01"))


def _parse_date(value: str, row: int, column: str, errors: list):
    if value == "":
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        errors.append(_error(row, column, _("“%s” is not a date (YYYY-MM-DD).") % value))
        return None


class _Context:
    """What the rows are checked against, read in a few bulk queries."""

    def __init__(self, *, producer, rows):
        skus = {row["sku"] for row in rows if row["sku"]}
        codes = {row["lot_code"] for row in rows if row["lot_code"]}
        self.records = {
            record.partner_sku: record
            for record in StockRecord.objects.filter(partner=producer).select_related(
                "product", "product__product_class"
            )
        }
        unknown = skus - set(self.records)
        self.foreign_skus = set(
            sku
            for sku in _chunked_in(
                StockRecord.objects.exclude(partner=producer).values_list("partner_sku", flat=True),
                "partner_sku",
                unknown,
            )
        )
        own_products = {record.product_id for record in self.records.values()}
        self.shared_products = set(
            StockRecord.objects.exclude(partner=producer)
            .filter(product_id__in=own_products)
            .values_list("product_id", flat=True)
        )
        # Plain tuples, not model instances: building 10,000 instances costs more than the query.
        lot_rows = Lot.objects.values_list(*LotRow._fields, named=True).order_by()
        self.lots = {
            lot.code: lot for lot in lot_rows.filter(stockrecord__partner=producer) if lot.code in codes
        }
        # Codes not among the producer's lots may still be taken by another producer.
        self.lots.update((lot.code, lot) for lot in _chunked_in(lot_rows, "code", codes - set(self.lots)))
        self.product_classes = {pc.slug: pc for pc in ProductClass.objects.all()}


def producer_csv_plan(*, producer, rows: list[dict], progress=None) -> ImportPlan:
    """Check every row; CsvImportRefused with all errors, or the plan of what changes."""
    context = _Context(producer=producer, rows=rows)
    plan = ImportPlan()
    errors: list = []
    product_rows: dict = {}  # sku -> (row number, product fields) seen first
    seen_codes: dict = {}
    for index, data in enumerate(rows):
        row = index + 2
        if progress and index % PROGRESS_EVERY == 0:
            progress(index)
        sku = data["sku"]
        if not sku:
            errors.append(_error(row, "sku", _("The SKU is required.")))
            continue
        record = context.records.get(sku)
        if record is None and sku in context.foreign_skus:
            errors.append(_error(row, "sku", _("SKU “%s” is not one of your products.") % sku))
            continue
        fields = _product_fields(data, row, record, context, errors)
        if fields is None:
            continue
        if sku in product_rows:
            first_row, first_fields = product_rows[sku]
            if fields != first_fields:
                errors.append(
                    _error(row, "sku", _("Product fields differ from row %d for the same SKU.") % first_row)
                )
        else:
            product_rows[sku] = (row, fields)
            _plan_product(plan, sku, record, fields, context, row, errors)
        if data["lot_code"]:
            if data["lot_code"] in seen_codes:
                errors.append(
                    _error(
                        row, "lot_code", _("Lot code already used on row %d.") % seen_codes[data["lot_code"]]
                    )
                )
                continue
            seen_codes[data["lot_code"]] = row
            _plan_lot(plan, sku, record, data, row, context, errors)
        elif any(data[column] for column in ("lot_quantity", "harvest_date", "best_before", "lot_status")):
            errors.append(_error(row, "lot_code", _("A lot code is required with lot columns.")))
    if errors:
        raise CsvImportRefused(errors)
    return plan


def _product_fields(data, row, record, context, errors):
    count = len(errors)
    type_slug = data["product_type"]
    product_class = context.product_classes.get(type_slug) if type_slug else None
    if type_slug and product_class is None:
        errors.append(_error(row, "product_type", _("Unknown product type “%s”.") % type_slug))
    if record is None:
        if not type_slug:
            errors.append(_error(row, "product_type", _("A new SKU needs a product type.")))
        if not data["title"]:
            errors.append(_error(row, "title", _("A new SKU needs a title.")))
        if not data["price"]:
            errors.append(_error(row, "price", _("A new SKU needs a price.")))
    elif product_class is not None and product_class.pk != record.product.product_class_id:
        errors.append(_error(row, "product_type", _("The product type of an existing SKU cannot change.")))
    price = _parse_price(data["price"], row, errors) if data["price"] else None
    threshold = _parse_int(data["low_stock_threshold"], row, "low_stock_threshold", errors, required=False)
    if len(errors) > count:
        return None
    return {"product_class": product_class, "title": data["title"], "price": price, "threshold": threshold}


def _plan_product(plan, sku, record, fields, context, row, errors):
    if record is None:
        plan.new_products[sku] = fields
        return
    changes = {}
    if fields["price"] is not None and fields["price"] != record.price:
        changes["price"] = fields["price"]
    if fields["threshold"] != record.low_stock_threshold:
        changes["low_stock_threshold"] = fields["threshold"]
    if changes:
        plan.record_updates[record.pk] = changes
    if fields["title"] and fields["title"] != record.product.title:
        if record.product_id in context.shared_products:
            errors.append(_error(row, "title", _("This product is shared with another producer.")))
        else:
            plan.title_updates[record.product_id] = fields["title"]


def _plan_lot(plan, sku, record, data, row, context, errors):
    count = len(errors)
    code = data["lot_code"]
    lot = context.lots.get(code)
    quantity = _parse_int(data["lot_quantity"], row, "lot_quantity", errors, required=lot is None)
    harvest = _parse_date(data["harvest_date"], row, "harvest_date", errors)
    best_before = _parse_date(data["best_before"], row, "best_before", errors)
    status = data["lot_status"]
    if status and status not in LOT_STATUSES:
        errors.append(_error(row, "lot_status", _("Unknown lot status “%s”.") % status))
    if lot is not None and (record is None or lot.stockrecord_id != record.pk):
        errors.append(_error(row, "lot_code", _("Lot code “%s” is already used by another product.") % code))
    if len(errors) > count:
        return
    # A new lot is added active and empty, then changes like any other (see `services.lots_import`).
    current = lot or LotRow(
        pk=None,
        code=code,
        stockrecord_id=record.pk if record else None,
        quantity=0,
        harvest_date=None,
        best_before=None,
        status=Lot.Status.ACTIVE,
    )
    wanted = LotImported(
        lot_id=current.pk,
        stockrecord_id=current.stockrecord_id,
        code=code,
        quantity=current.quantity if quantity is None else quantity,
        harvest_date=harvest,
        best_before=best_before,
        status=status or current.status,
        status_reason=data[REASON_COLUMN],
    )
    try:
        delta = lot_import_check(lot=current, wanted=wanted)
    except ValidationError as refused:
        by_field = refused.error_dict if hasattr(refused, "error_dict") else {None: refused.error_list}
        for key, field_errors in by_field.items():
            column = ERROR_COLUMNS.get(key, "lot_code")
            errors.extend(_error(row, column, message) for message in ValidationError(field_errors).messages)
        return
    if lot is None:
        plan.new_lots.append((sku, wanted))
    elif delta is not None or wanted.status != lot.status:
        plan.lot_updates[lot.pk] = wanted
