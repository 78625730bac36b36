"""GraphQL limits benchmark: how fast abusive queries are refused, and what a page of products costs.

Run by hand (never from the test suite), on any database (SQLite by default, or DATABASE_URL):

    python bench/graphql_limits.py [--seconds 5]

It migrates the database and loads the demo if the catalogue is empty, then, in-process with Django's
test client (one worker, no network):
- times the refusal of 1,000 aliases of `products(first: 100)` with every product field (refused
  unparsed, for its size) and of 30 aliases of `producers(first: 100)` each with `products(first:
  100)` (short enough to parse, refused for its cost), median of 20 tries, asserting that nothing
  reached the database;
- prints requests/s of `products(first: 20)` through the API beside the HTML catalogue page
  (24 products), each for `--seconds`, and the SQL queries each costs.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")

PRODUCT_FIELDS = """
  edges { node {
    title upc inStock quantityAvailable
    price { amount currency }
    producer { name slug }
    images { url }
    lots { code bestBefore }
    labels { code name }
  } }
"""
PRODUCTS_20 = "{ products(first: 20) {" + PRODUCT_FIELDS + "} }"


def aliases(count: int, field: str = "products", fields: str = PRODUCT_FIELDS) -> str:
    return "{" + " ".join(f"a{i}: {field}(first: 100) {{{fields}}}" for i in range(count)) + "}"


def database_ready() -> None:
    from django.core.management import call_command
    from oscar.core.loading import get_model

    from shop.demo.loader import demo_load

    call_command("migrate", verbosity=0)
    if not get_model("catalogue", "Product").objects.exists():
        demo_load(with_images=False)


def post(client, query: str):
    return client.post("/graphql/", {"query": query}, content_type="application/json")


def captured_queries():
    """Counts the queries of one request (each request empties DEBUG's query log as it starts)."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    reset_queries()
    return CaptureQueriesContext(connection)


def refusal_times(client, query: str, tries: int = 20) -> tuple[float, str, int]:
    post(client, query)  # warm: URL resolver, schema, imports
    times = []
    for __ in range(tries):
        with captured_queries() as queries:
            start = time.perf_counter()
            response = post(client, query)
            times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 400, response.content[:300]
        assert not queries.captured_queries, "a refused query reached the database"
    code = response.json()["errors"][0]["extensions"]["code"]
    return statistics.median(times), code, len(query)


def throughput(request, seconds: float) -> tuple[float, int]:
    request()
    with captured_queries() as queries:
        request()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        response = request()
        assert response.status_code == 200, response.content[:300]
        count += 1
    return count / (time.perf_counter() - start), len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds of requests per measure")
    args = parser.parse_args()

    import django

    django.setup()
    from django.test import Client

    from core.graphql.limits import MAX_QUERY_COST, MAX_QUERY_LENGTH, MAX_TOKENS

    database_ready()
    client = Client()
    print(f"limits: {MAX_QUERY_LENGTH} characters, {MAX_TOKENS} tokens, cost {MAX_QUERY_COST}")
    nested = "edges { node { products(first: 100) { totalCount } } }"
    for count, field, fields in ((1000, "products", PRODUCT_FIELDS), (30, "producers", nested)):
        median, code, length = refusal_times(client, aliases(count, field, fields))
        print(
            f"  {count:5d} aliases of {field}(first: 100) {{ {' '.join(fields.split())[:45]}… }} "
            f"({length} chars): refused {code} in {median:.1f} ms"
        )

    body = post(client, PRODUCTS_20).json()
    assert "errors" not in body, body["errors"]
    api_rps, api_queries = throughput(lambda: post(client, PRODUCTS_20), args.seconds)
    html_rps, html_queries = throughput(lambda: client.get("/catalogue/"), args.seconds)
    print(f"one process, Django test client, {args.seconds:.0f}s each:")
    print(f"  API products(first: 20), all fields: {api_rps:7.1f} req/s, {api_queries} SQL queries")
    print(f"  HTML /catalogue/ (24 per page):      {html_rps:7.1f} req/s, {html_queries} SQL queries")


if __name__ == "__main__":
    main()
