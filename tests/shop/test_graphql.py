import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from tests.fulfilment.helpers import product_of

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
Lot = get_model("partner", "Lot")


def _more_products(count):
    """Public copies of a demo product, each with its own stock record and lot."""
    model = product_of("souktana-safran-taliouine")
    record = model.stockrecords.get()
    for n in range(count):
        product = Product.objects.create(
            title=f"Safran {n}",
            slug=f"safran-{n}",
            upc=f"COPY-{n}",
            product_class=model.product_class,
            structure=Product.STANDALONE,
            is_public=True,
        )
        product.categories.set(model.categories.all())
        product.labels.set(model.labels.all())
        copy = StockRecord.objects.create(
            product=product,
            partner=record.partner,
            partner_sku=f"COPY-{n}",
            price=record.price,
            price_currency="MAD",
            num_in_stock=5,
        )
        Lot.objects.create(stockrecord=copy, code=f"COPY-LOT-{n}", quantity=5)


PRODUCTS = """
query ($category: String, $producer: String, $first: Int, $after: String) {
  products(category: $category, producer: $producer, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id title upc productType inStock quantityAvailable url imageUrls
      price { amount currency }
      producer { name slug commune regionName }
      categories { slug }
      images { url }
      lots { code bestBefore status }
      labels { code kind name }
    } }
  }
}
"""


def _nodes(body, field="products"):
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"][field]["edges"]]


def _query(client, query, **variables):
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response.status_code, response.json()


def test_a_page_of_products_costs_the_same_queries_for_10_and_100(
    client, demo, django_assert_max_num_queries, settings
):
    # given more public products than a page holds
    _more_products(120)
    _query(client, "{ producers(first: 1) { totalCount } }")  # the session, once, before counting

    # count, products, categories, images, stock records with producers and their certificates,
    # sellable lots, labels
    with CaptureQueriesContext(connection) as ten, django_assert_max_num_queries(10):
        status, small = _query(client, PRODUCTS, first=10)
    with django_assert_max_num_queries(len(ten.captured_queries)):
        __, big = _query(client, PRODUCTS, first=100)

    assert status == 200
    assert len(_nodes(small)) == 10 and len(_nodes(big)) == 100
    assert all(node["producer"] and node["price"] for node in _nodes(big))


def test_products_have_prices_producers_lots_and_labels(client, demo):
    __, body = _query(client, PRODUCTS, producer="souktana-safran-taliouine", first=100)

    saffron = next(p for p in _nodes(body) if p["upc"] == "TAL-001")
    assert saffron["price"] == {"amount": "75.00", "currency": "MAD"}
    assert saffron["producer"]["slug"] == "souktana-safran-taliouine"
    assert saffron["producer"]["regionName"] == "Souss-Massa"
    assert saffron["productType"] == "safran" and saffron["inStock"] is True
    assert saffron["categories"] == [{"slug": "safran"}]
    assert saffron["lots"] and all(lot["status"] == "ACTIVE" for lot in saffron["lots"])
    best_befores = [lot["bestBefore"] for lot in saffron["lots"]]
    assert best_befores == sorted(best_befores)
    assert saffron["quantityAvailable"] > 0
    assert {label["code"] for label in saffron["labels"]} == {"aop-safran-taliouine", "commerce-equitable"}


def test_a_product_is_a_node(client, demo):
    __, body = _query(client, PRODUCTS, first=1)
    product = _nodes(body)[0]

    __, node = _query(
        client, "query ($id: ID!) { node(id: $id) { ... on Product { upc } } }", id=product["id"]
    )

    assert node["data"]["node"] == {"upc": product["upc"]}


def test_products_come_in_pages_with_cursors(client, demo):
    __, first = _query(client, PRODUCTS, first=5)
    cursor = first["data"]["products"]["pageInfo"]["endCursor"]
    __, second = _query(client, PRODUCTS, first=5, after=cursor)

    assert first["data"]["products"]["pageInfo"]["hasNextPage"] is True
    ids = [p["id"] for p in _nodes(first) + _nodes(second)]
    assert len(set(ids)) == 10
    assert first["data"]["products"]["totalCount"] == second["data"]["products"]["totalCount"] > 10


def test_products_filtered_by_category_and_producer(client, demo):
    __, body = _query(client, PRODUCTS, category="dattes", producer="al-wahda-rissani")
    upcs = {p["upc"] for p in _nodes(body)}
    assert upcs and all(upc.startswith("WAH-") for upc in upcs)
    __, body = _query(client, PRODUCTS, category="no-such-category")
    assert _nodes(body) == [] and body["data"]["products"]["totalCount"] == 0


def test_page_size_is_bounded_with_a_clear_error(client, demo):
    __, body = _query(client, PRODUCTS, first=101)
    assert body["data"] == {"products": None}
    assert "`first` must be between 0 and 100" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["code"] == "INVALID_PAGE"


def test_producers_expose_only_their_public_profile(client, demo):
    __, body = _query(
        client, '{ producer(slug: "nakhil-aoufous") { name commune membersCount womenMembersCount } }'
    )
    assert body["data"]["producer"] == {
        "name": "Coopérative Nakhil Aoufous",
        "commune": "Aoufous",
        "membersCount": 120,
        "womenMembersCount": 35,
    }
    __, body = _query(client, '{ producer(slug: "nakhil-aoufous") { commissionRate ice } }')
    assert "Cannot query field 'commissionRate'" in body["errors"][0]["message"]


def test_gie_lists_its_members(client, demo):
    __, body = _query(client, '{ gie(slug: "mawrout-bladi") { name hubCity members { slug } } }')
    assert "errors" not in body, body
    gie = body["data"]["gie"]
    assert gie["hubCity"] == "Erfoud"
    assert [m["slug"] for m in gie["members"]] == [
        "al-wahda-rissani",
        "compost-vert-erfoud",
        "nakhil-aoufous",
    ]


def test_unknown_fields_are_refused_by_validation(client, demo):
    status, body = _query(client, "{ products { edges { node { title secretField } } } }")
    assert status == 400
    assert "Cannot query field 'secretField'" in body["errors"][0]["message"]


def test_a_request_leaves_the_database_connection_unwrapped(client, demo):
    """graphene-django's debug middleware (added with DEBUG) wrapped cursors for good, and its
    wrapper breaks `executemany` on SQLite (settlement lines are inserted that way)."""
    _query(client, PRODUCTS, first=1)

    assert not hasattr(connection, "_graphene_cursor")
