"""Catalogue benchmark: 10,000 products on PostgreSQL, gunicorn with 2 workers, load from `wrk`.

Run by hand (never from the test suite):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<db> python bench/catalog_bench.py [--products 10000]

It migrates the database, loads the demo if the catalogue is empty, tops the catalogue up to
`--products` public products, ANALYZEs (a server with autovacuum off would otherwise plan the
listing queries for an empty catalogue), prints the SQL queries each page costs at 12/24/48 per page, then
serves the site with gunicorn (2 workers, DEBUG off) and prints wrk's requests/s for the category,
search and product pages, with the anonymous page cache off and on.
"""

import argparse
import os
import random
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")


def catalogue_top_up(*, target: int) -> None:
    from django.core.management import call_command
    from oscar.core.loading import get_model

    from shop.demo.loader import demo_load

    Product = get_model("catalogue", "Product")
    ProductCategory = get_model("catalogue", "ProductCategory")
    Category = get_model("catalogue", "Category")
    StockRecord = get_model("partner", "StockRecord")
    Partner = get_model("partner", "Partner")

    call_command("migrate", verbosity=0)
    if not Product.objects.exists():
        demo_load(with_images=False)
    missing = target - Product.objects.count()
    if missing <= 0:
        return
    rng = random.Random(3632)
    templates = list(
        Product.objects.select_related("product_class").prefetch_related(
            "stockrecords__partner", "categories"
        )
    )
    start = Product.objects.count()
    for batch_start in range(0, missing, 1000):
        batch = []
        for n in range(batch_start, min(missing, batch_start + 1000)):
            model = templates[n % len(templates)]
            batch.append(
                (
                    Product(
                        title=f"{model.title} — lot de banc {start + n}",
                        slug=f"banc-{start + n}",
                        upc=f"BENCH-{start + n:06d}",
                        product_class=model.product_class,
                        structure=Product.STANDALONE,
                        is_public=True,
                        description=model.description,
                        origin_region=model.origin_region,
                        origin_commune=model.origin_commune,
                        title_ar=model.title_ar,
                        title_en=model.title_en,
                    ),
                    model,
                )
            )
        created = Product.objects.bulk_create([product for product, __ in batch])
        ProductCategory.objects.bulk_create(
            ProductCategory(product=product, category=model.categories.all()[0])
            for product, (__, model) in zip(created, batch, strict=True)
        )
        StockRecord.objects.bulk_create(
            StockRecord(
                product=product,
                partner=model.stockrecords.all()[0].partner,
                partner_sku=product.upc,
                price=Decimal(rng.randrange(20, 700)),
                price_currency="MAD",
                num_in_stock=rng.randrange(0, 50),
            )
            for product, (__, model) in zip(created, batch, strict=True)
        )
        Product.labels.through.objects.bulk_create(
            Product.labels.through(product=product, qualitylabel=label)
            for product, (__, model) in zip(created, batch, strict=True)
            for label in model.labels.all()
        )
    call_command("catalog_reindex", "--missing")  # bulk_create skipped the search-document service
    print(
        f"catalogue: {Product.objects.count()} products, {Partner.objects.count()} producers, "
        f"{Category.objects.count()} categories"
    )


def pages() -> dict[str, str]:
    from oscar.core.loading import get_model

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    return {
        "category": Category.objects.get(slug="safran").get_absolute_url(),
        "catalogue": "/catalogue/",
        "search": "/search/?q=safran",
        "search-typo": "/search/?q=saffran",
        "product": Product.objects.get(upc="TAL-001").get_absolute_url(),
    }


def query_counts(urls: dict[str, str]) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    print("\nSQL queries per page (anonymous visitor, warm process):")
    for name, url in urls.items():
        counts = []
        for per_page in (12, 24, 48):
            full = f"{url}{'&' if '?' in url else '?'}per_page={per_page}"
            Client().get(full)
            with CaptureQueriesContext(connection) as ctx:
                status = Client().get(full).status_code
            counts.append(f"{len(ctx.captured_queries)} ({status})")
        print(f"  {name:10s} 12/24/48 per page: {', '.join(counts)}")


def serve_and_measure(
    urls: dict[str, str],
    *,
    cache_seconds: int,
    facet_seconds: int,
    duration: int,
    connections: int,
    port: int,
) -> dict:
    env = {
        **os.environ,
        "DEBUG": "False",
        "PAGE_CACHE_SECONDS": str(cache_seconds),
        "FACET_CACHE_SECONDS": str(facet_seconds),
        "LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "shop.wsgi",
            "-w",
            "2",
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    results = {}
    try:
        base = f"http://127.0.0.1:{port}"
        for __ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/live", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        for name, url in urls.items():
            for __ in range(20):  # warm both workers' caches (templates, thumbnails, pages)
                urllib.request.urlopen(base + url, timeout=30).read()
            output = subprocess.run(
                ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", base + url],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
            p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)
            p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
            results[name] = (rps, p50, p99, int(errors.group(1)) if errors else 0)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=10_000)
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database: the benchmark is about the production setup.")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk).")

    import django

    django.setup()
    catalogue_top_up(target=args.products)
    from django.db import connection

    with connection.cursor() as cursor:  # fresh planner statistics, as autovacuum keeps them in production
        cursor.execute("ANALYZE")
    urls = pages()
    query_counts(urls)
    print(
        f"\nwrk -t2 -c{args.connections} -d{args.duration}s against gunicorn -w 2 on {os.cpu_count()} CPUs:"
    )
    setups = (
        (0, 0, "page cache off, facet cache off"),
        (0, 60, "page cache off, facet counts cached 60s"),
        (60, 60, "page cache 60s (anonymous, no cookies)"),
    )
    for cache_seconds, facet_seconds, label in setups:
        results = serve_and_measure(
            urls,
            cache_seconds=cache_seconds,
            facet_seconds=facet_seconds,
            duration=args.duration,
            connections=args.connections,
            port=args.port,
        )
        print(f"  {label}:")
        for name, (rps, p50, p99, errors) in results.items():
            print(f"    {name:11s} {rps:8.1f} req/s   p50 {p50:>8s}   p99 {p99:>8s}   non-2xx {errors}")


if __name__ == "__main__":
    main()
