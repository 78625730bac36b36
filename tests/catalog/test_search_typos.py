"""Misspelt searches: PostgreSQL finds the products by trigram similarity; on either database a page
with no (or only approximate) results suggests the query with the catalogue's words."""

import pytest
from django.db import connection
from oscar.core.loading import get_model

from catalog.search import fold
from catalog.search_suggestions import search_suggestion

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search and pg_trgm need PostgreSQL"
)
sqlite_only = pytest.mark.skipif(connection.vendor != "sqlite", reason="checks the SQLite fallback")

MISSPELLINGS = [("argane", "argan"), ("aragn", "argan"), ("safron", "safran")]


def _page(client, query, path="/search/"):
    response = client.get(path, {"q": query, "per_page": 48})
    assert response.status_code == 200
    return response


def _upcs(response) -> set[str]:
    return {product.upc for product in response.context["products"]}


def _titled(word: str) -> set[str]:
    """Public products whose title carries the word (accents and case aside)."""
    return {p.upc for p in Product.objects.browsable() if word in fold(p.title)}


def _about(word: str) -> set[str]:
    """Public products whose title or description mentions the word."""
    return {p.upc for p in Product.objects.browsable() if word in fold(f"{p.title} {p.description}")}


@pytest.mark.parametrize("query, word", MISSPELLINGS)
def test_each_misspelling_is_corrected_to_the_catalogues_word(demo, query, word):
    assert search_suggestion(query) == word
    assert search_suggestion(f"huile d'{query}") == f"huile d'{word}"  # the rest stays as typed


@pytest.mark.parametrize("query, word", MISSPELLINGS)
def test_a_misspelt_search_finds_the_products_or_links_to_the_word_that_does(client, demo, query, word):
    # when a visitor searches with a misspelling
    response = _page(client, query)

    # then the page lists the products, or (when it cannot) suggests the word, whose link lists them
    if not _upcs(response):
        assert response.context["suggestion"] == word
        assert f'href="/search/?q={word}"' in response.content.decode()
        assert "Vouliez-vous dire" in response.content.decode()
        response = client.get(f"{response.context['suggestion_url']}&per_page=48")
    found = _upcs(response)
    assert _titled(word) <= found <= _about(word)


@sqlite_only
@pytest.mark.parametrize("query, word", MISSPELLINGS)
def test_on_sqlite_an_empty_search_suggests_the_catalogues_word(client, demo, query, word):
    response = _page(client, query)

    assert _upcs(response) == set()
    assert response.context["suggestion"] == word


@postgres_only
@pytest.mark.postgres
@pytest.mark.parametrize("query, word", MISSPELLINGS)
def test_on_postgresql_the_misspelling_itself_finds_the_products(client, demo, query, word):
    found = _upcs(_page(client, query))

    assert _titled(word) <= found <= _about(word)


@postgres_only
@pytest.mark.postgres
def test_on_postgresql_results_found_by_similarity_also_suggest_the_word(client, demo):
    response = _page(client, "safron")

    assert _upcs(response) == _titled("safran")
    assert response.context["suggestion"] == "safran"


@postgres_only
@pytest.mark.postgres
def test_on_postgresql_a_mistyped_producer_name_finds_its_products(client, demo):
    found = _upcs(_page(client, "tifawine"))

    assert found == {
        p.upc for p in Product.objects.browsable().filter(stockrecords__partner__slug="tifawin-argan-tiznit")
    }


def test_a_mistyped_word_is_suggested_with_its_french_accents(client, demo):
    # when a visitor types "henee" for "henné"
    response = _page(client, "henee")

    # then the suggestion is written as the catalogue writes it, and its link lists the henna
    assert response.context["suggestion"] == "henné"
    assert "<strong>henné</strong>" in response.content.decode()
    following = client.get(f"{response.context['suggestion_url']}&per_page=48")
    assert _titled("henne") <= _upcs(following)
    assert _titled("henne")  # the demo catalogue has henna


def test_a_search_that_matches_or_means_nothing_suggests_nothing(client, demo):
    assert "suggestion" not in _page(client, "argan").context
    nonsense = _page(client, "xyzzy")
    assert "suggestion" not in nonsense.context and "Aucun produit trouvé" in nonsense.content.decode()


def test_the_suggestion_follows_the_visitors_language(client, demo):
    from django.utils import translation

    with translation.override("en"):
        assert search_suggestion("safron") == "saffron"
    with translation.override("ar"):
        assert search_suggestion("زعفرن") == "زعفران"
