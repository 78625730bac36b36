"""Orders placed per second by concurrent buyers, and SQL queries per 5-producer placement.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python bench/orders_place.py --buyers 32 --seconds 20

Migrates and loads the demo data if the database is empty, then gives five demo products (one
per producer) a large extra lot, so the run measures locking and writing, not running out of stock.
Two runs: "hot" (every buyer buys the same five products: all contend for the same stock rows)
and "spread" (each buyer picks random products of the five producers).
"""

import argparse
import multiprocessing
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
# Measure placement, not a console printing e-mails (tasks still run eagerly without REDIS_URL).
os.environ.setdefault("EMAIL_URL", "dummymail://localhost")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402

from cooperatives.services import lot_create  # noqa: E402
from shop.demo.loader import demo_load  # noqa: E402

Basket = get_model("basket", "Basket")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")

PRODUCERS = [
    "souktana-safran-taliouine",
    "tifawin-argan-tiznit",
    "nakhil-aoufous",
    "rose-du-dades",
    "zitouna-ouazzane",
]


def prepare() -> dict[str, list]:
    call_command("migrate", verbosity=0)
    if not Product.objects.exists():
        demo_load(with_images=False)
    products = {
        slug: list(Product.objects.filter(stockrecords__partner__slug=slug).order_by("pk"))
        for slug in PRODUCERS
    }
    stamp = int(time.time())
    for slug_products in products.values():
        for product in slug_products:
            record = StockRecord.objects.get(product=product)
            lot_create(stockrecord=record, code=f"BENCH-{record.partner_sku}-{stamp}", quantity=1_000_000)
    return products


def place(items) -> None:
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in items:
        basket.add_product(product, 1)
    address = ShippingAddress.objects.create(
        first_name="Bench", last_name="Buyer", line1="1 rue du Souk", line4="Rabat", country_id="MA"
    )
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    charge = method.calculate(basket)
    OrderCreator().place_order(
        basket=basket,
        total=OrderTotalCalculator().calculate(basket, charge),
        shipping_method=method,
        shipping_charge=charge,
        shipping_address=address,
        guest_email="bench@example.com",
    )


def queries_per_placement(products) -> tuple[int, int, int]:
    """Queries: whole call incl. basket building; placement transaction; after commit (analytics, e-mails)."""
    items = [products[slug][0] for slug in PRODUCERS]
    with CaptureQueriesContext(connection) as everything:
        place(items)
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product in items:
        basket.add_product(product, 1)
    address = ShippingAddress.objects.create(
        first_name="B", last_name="B", line1="1", line4="Rabat", country_id="MA"
    )
    method = Repository().get_shipping_methods(basket, shipping_addr=address)[0]
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    with CaptureQueriesContext(connection) as placement:
        with transaction.atomic():
            OrderCreator().place_order(
                basket=basket,
                total=total,
                shipping_method=method,
                shipping_charge=charge,
                shipping_address=address,
            )
            in_transaction = len(placement.captured_queries)
    after_commit = len(placement.captured_queries) - in_transaction
    return len(everything.captured_queries), in_transaction, after_commit


def _buyer(seed: int, product_ids: dict, spread: bool, start_at: float, stop_at: float):
    """One buyer process: places orders until the deadline; returns latencies and errors."""
    connection.close()  # never share the parent's socket after fork
    products = {
        slug: list(Product.objects.filter(pk__in=ids).order_by("pk")) for slug, ids in product_ids.items()
    }
    rng = random.Random(seed)
    latencies, errors = [], []
    time.sleep(max(0.0, start_at - time.time()))
    while time.time() < stop_at:
        items = [rng.choice(products[slug]) if spread else products[slug][0] for slug in PRODUCERS]
        started = time.monotonic()
        try:
            place(items)
        except Exception as exc:  # counted and shown, the run goes on
            errors.append(repr(exc)[:200])
            continue
        latencies.append(time.monotonic() - started)
    connection.close()
    return latencies, errors


def run(products, *, buyers: int, seconds: float, spread: bool) -> dict:
    """Each buyer is its own process (its own connection, no shared GIL), like gunicorn workers."""
    product_ids = {slug: [p.pk for p in items] for slug, items in products.items()}
    connection.close()
    start_at = time.time() + 2 + buyers * 0.05  # every process is up before the clock starts
    stop_at = start_at + seconds
    context = multiprocessing.get_context("fork")
    with context.Pool(buyers) as pool:
        results = pool.starmap(_buyer, [(i, product_ids, spread, start_at, stop_at) for i in range(buyers)])
    latencies = sorted(lat for lats, __ in results for lat in lats)
    errors = [err for __, errs in results for err in errs]
    return {
        "orders": len(latencies),
        "orders_per_s": len(latencies) / seconds,
        "p50_ms": 1000 * statistics.median(latencies) if latencies else 0,
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))] if latencies else 0,
        "errors": len(errors),
        "first_error": errors[0] if errors else "",
    }


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--buyers", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")
    products = prepare()
    everything, in_transaction, after_commit = queries_per_placement(products)
    print(
        f"SQL queries per 5-producer order: {in_transaction} in the placement transaction"
        f" (OrderCreator.place_order), {after_commit} after commit (analytics, e-mails run eagerly),"
        f" {everything} in all with building the basket"
    )
    for spread in (False, True):
        result = run(products, buyers=args.buyers, seconds=args.seconds, spread=spread)
        print(
            f"{'spread' if spread else 'hot'}: {args.buyers} buyers, {result['orders']} orders in "
            f"{args.seconds:.0f}s → {result['orders_per_s']:.1f} orders/s, "
            f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, errors {result['errors']}"
            + (f" (first: {result['first_error']})" if result["errors"] else "")
        )


if __name__ == "__main__":
    main()
