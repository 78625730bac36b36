"""Times a 10,000-row cooperative CSV import (goal: under 10 s on PostgreSQL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python bench/csv_import.py [rows]

Migrates and loads the demo data if needed, then inside one transaction that is rolled back at the
end (the database is left as it was): creates a producer, imports N rows creating products and
lots, imports the export back unchanged, then imports it with every lot quantity changed.
"""

import csv
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from cooperatives.dashboard.csv_export import COLUMNS, producer_csv_export  # noqa: E402
from cooperatives.dashboard.csv_import import producer_csv_import  # noqa: E402
from shop.demo.loader import demo_load  # noqa: E402

Partner = get_model("partner", "Partner")
StockMovement = get_model("partner", "StockMovement")

LOTS_PER_PRODUCT = 5


def _new_rows_csv(rows: int) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for index in range(rows):
        product = index // LOTS_PER_PRODUCT
        writer.writerow(
            {
                "sku": f"BENCH-{product:05d}",
                "product_type": "dattes",
                "title": f"Dattes Majhoul banc d'essai {product}",
                "price": "95.00",
                "lot_code": f"BENCH-{product:05d}-{index % LOTS_PER_PRODUCT}",
                "lot_quantity": str(10 + index % 7),
                "harvest_date": "2026-10-01",
                "best_before": "2027-10-01",
                "lot_status": "active",
            }
        )
    return buffer.getvalue().encode("utf-8")


def _timed(label: str, function):
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    print(f"{label:<48} {elapsed:6.2f} s   {result}")
    return elapsed


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    if not Partner.objects.filter(slug="nakhil-aoufous").exists():
        demo_load(with_images=False)
    print(f"database: {connection.vendor}, rows: {rows}")
    with transaction.atomic():
        producer = Partner.objects.create(name="Coopérative Banc d'essai", slug="bench-coop")
        user = get_user_model().objects.create(username="bench@example.com", email="bench@example.com")
        producer.users.add(user)
        raw = _new_rows_csv(rows)
        first = _timed(
            "import: create products and lots",
            lambda: producer_csv_import(user=user, producer=producer, raw=raw),
        )
        exported = producer_csv_export(producer=producer)
        _timed(
            "import: export back unchanged (no write)",
            lambda: producer_csv_import(user=user, producer=producer, raw=exported),
        )
        text = exported.decode("utf-8-sig")
        reader = list(csv.DictReader(io.StringIO(text)))
        for row in reader:
            row["lot_quantity"] = str(int(row["lot_quantity"]) + 1)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(reader)
        changed = buffer.getvalue().encode("utf-8")
        second = _timed(
            "import: every lot quantity changed",
            lambda: producer_csv_import(user=user, producer=producer, raw=changed),
        )
        recorded = StockMovement.objects.filter(stockrecord__partner=producer).count()
        print(f"stock movements recorded: {recorded}")
        transaction.set_rollback(True)
    verdict = "OK" if max(first, second) < 10 else "SLOWER THAN 10 s"
    print(f"goal < 10 s for {rows} rows: {verdict}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
