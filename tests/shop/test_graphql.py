import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

PRODUCTS = """
query ($category: String, $producer: String, $first: Int) {
  products(category: $category, producer: $producer, first: $first) {
    title upc productType inStock url imageUrls
    price { amount currency }
    producer { name slug commune regionName }
    categories { slug }
  }
}
"""


def _query(client, query, **variables):
    response = client.post(
        "/graphql/", {"query": query, "variables": variables}, content_type="application/json"
    )
    return response.status_code, response.json()


def test_products_list_has_prices_producers_and_a_fixed_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    # products, images, stock records with producers, categories (+ session on a first visit)
    with django_assert_max_num_queries(6):
        status, body = _query(client, PRODUCTS, first=48)
    assert status == 200 and "errors" not in body, body
    assert len(body["data"]["products"]) == 48
    __, body = _query(client, PRODUCTS, producer="souktana-safran-taliouine")
    saffron = next(p for p in body["data"]["products"] if p["upc"] == "TAL-001")
    assert saffron["price"] == {"amount": "75.00", "currency": "MAD"}
    assert saffron["producer"]["slug"] == "souktana-safran-taliouine"
    assert saffron["producer"]["regionName"] == "Souss-Massa"
    assert saffron["productType"] == "safran" and saffron["inStock"] is True
    assert saffron["categories"] == [{"slug": "safran"}]


def test_products_filtered_by_category_and_producer(client, demo):
    __, body = _query(client, PRODUCTS, category="dattes", producer="al-wahda-rissani")
    upcs = {p["upc"] for p in body["data"]["products"]}
    assert upcs and all(upc.startswith("WAH-") for upc in upcs)
    __, body = _query(client, PRODUCTS, category="no-such-category")
    assert body["data"]["products"] == []


def test_page_size_is_bounded_with_a_clear_error(client, demo):
    __, body = _query(client, PRODUCTS, first=500)
    assert body["data"] is None
    assert "`first` must be between 1 and 100" in body["errors"][0]["message"]


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
    gie = body["data"]["gie"]
    assert gie["hubCity"] == "Erfoud"
    assert [m["slug"] for m in gie["members"]] == [
        "al-wahda-rissani",
        "compost-vert-erfoud",
        "nakhil-aoufous",
    ]


def test_unknown_fields_are_refused_by_validation(client, demo):
    status, body = _query(client, "{ products { title secretField } }")
    assert status == 400
    assert "Cannot query field 'secretField'" in body["errors"][0]["message"]


def test_a_request_leaves_the_database_connection_unwrapped(client, demo):
    """graphene-django's debug middleware (added with DEBUG) wrapped cursors for good, and its
    wrapper breaks `executemany` on SQLite (settlement lines are inserted that way)."""
    _query(client, PRODUCTS, first=1)

    assert not hasattr(connection, "_graphene_cursor")
