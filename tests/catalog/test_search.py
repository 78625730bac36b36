from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and pg_trgm need PostgreSQL"
)


def _search(client, query, **params):
    response = client.get("/search/", {"q": query, "per_page": 48, **params})
    assert response.status_code == 200
    return list(response.context["products"])


def _upcs(products):
    return [product.upc for product in products]


def _saffron_upcs():
    return set(Product.objects.filter(upc__startswith="TAL-").values_list("upc", flat=True))


def _majhoul_upcs():
    return set(Product.objects.filter(title__contains="Majhoul").values_list("upc", flat=True))


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize("query", ["safran", "Safran de Taliouine", "SAFRAN", "saffran", "زعفران"])
def test_saffron_is_found_in_french_with_a_typo_and_in_arabic(client, demo, query):
    found = _upcs(_search(client, query))

    assert set(found) == _saffron_upcs()


@postgres_only
@pytest.mark.postgres
def test_dattes_medjool_puts_the_majhoul_dates_first(client, demo):
    found = _upcs(_search(client, "dattes medjool"))

    majhoul = _majhoul_upcs()
    assert len(majhoul) == 6
    assert set(found[: len(majhoul)]) == majhoul


@postgres_only
@pytest.mark.postgres
def test_accents_are_ignored_and_every_word_must_match(client, demo):
    assert _upcs(_search(client, "the")) == ["TAL-008"]  # "thé", not "thym"
    assert _upcs(_search(client, "argan bio")) == ["AMT-001"]
    assert _search(client, "xyzzy") == []


@postgres_only
@pytest.mark.postgres
def test_search_facets_count_the_results_only(client, demo):
    response = client.get("/search/", {"q": "huile", "per_page": 48})

    facets = response.context["facets"]
    found = list(response.context["products"])
    expected: dict[str, int] = {}
    for product in found:
        expected[product.product_class.slug] = expected.get(product.product_class.slug, 0) + 1
    assert {value.key: value.count for value in facets.product_type} == expected
    assert {"huile-argan", "huile-olive"} <= set(expected) and "safran" not in expected
    assert facets.total == len(found) == response.context["paginator"].count


@pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the SQLite fallback matching")
def test_sqlite_fallback_ignores_case_and_accents(client, demo):
    assert set(_upcs(_search(client, "SAFRAN taliouine"))) == _saffron_upcs()
    assert {p.title for p in _search(client, "HENNE naturel")} == {
        "Henné naturel de Tata en poudre — 100 g",
        "Henné naturel de Tata en poudre — 250 g",
    }
    assert set(_upcs(_search(client, "زعفران"))) == _saffron_upcs()


def test_search_sorted_by_price_and_filtered_by_producer(client, demo):
    found = _search(client, "dattes", sort="price-asc", producer="al-wahda-rissani")

    prices = [product.stockrecords.all()[0].price for product in found]
    assert prices == sorted(prices) and len(found) > 3
    assert {product.stockrecords.all()[0].partner.slug for product in found} == {"al-wahda-rissani"}


def test_search_page_keeps_its_address_and_name(client, demo):
    from django.urls import reverse

    assert reverse("search:search") == "/search/"
    assert client.get("/ar/search/", {"q": "safran"}).status_code == 200


@postgres_only
@pytest.mark.postgres
def test_bulk_loaded_products_are_found_once_reindexed(client, demo):
    model = Product.objects.get(upc="TAL-001")
    Product.objects.bulk_create(
        [
            Product(
                title="Miel Tiwizi de thym",
                slug="amlou-tafraout",
                upc="AML-001",
                is_public=True,
                product_class=model.product_class,
            )
        ]
    )
    assert _upcs(_search(client, "tiwizi")) == []  # bulk_create bypassed the search-document service

    call_command("catalog_reindex", "--missing", stdout=StringIO())

    assert _upcs(_search(client, "tiwizi")) == ["AML-001"]
    assert _upcs(_search(client, "tiwizy"))[:1] == ["AML-001"]  # the folded title feeds the typo search
