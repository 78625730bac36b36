import re

import pytest
from django.core.cache import cache
from django.test import Client
from oscar.core.loading import get_model

from tests.journey import add_to_basket

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def page_cache(settings):
    settings.TERROIR_PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def test_a_visitor_without_cookies_gets_the_cached_page_with_a_fresh_csrf_token(
    demo, page_cache, django_assert_num_queries
):
    first = Client().get("/catalogue/?type=safran")
    second_client = Client()

    with django_assert_num_queries(0):
        second = second_client.get("/catalogue/?type=safran")

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert "Cookie" in second["Vary"]
    first_tokens, second_tokens = (
        TOKEN.findall(first.content.decode()),
        TOKEN.findall(second.content.decode()),
    )
    assert second_tokens and "__csrf_token__" not in second.content.decode()
    assert set(first_tokens).isdisjoint(second_tokens)
    # the fresh token is accepted: the language switch posts with it
    response = second_client.post(
        "/i18n/setlang/", {"language": "en", "csrfmiddlewaretoken": second_tokens[0]}
    )
    assert response.status_code == 302


def test_a_visitor_with_a_basket_is_never_served_from_or_stored_in_the_cache(demo, page_cache):
    shopper = Client(enforce_csrf_checks=False)
    add_to_basket(shopper, Product.objects.get(upc="TAL-004"), 3)
    stranger = Client()
    stranger.get("/catalogue/")  # warms the cache

    own = shopper.get("/catalogue/")
    other = stranger.get("/catalogue/")

    assert "X-Page-Cache" not in own
    assert own.context["request"].basket.num_items == 3
    assert other["X-Page-Cache"] == "hit"
    basket_total = "2 040,00"
    assert basket_total in own.content.decode().replace("\u202f", " ").replace("\xa0", " ")
    assert basket_total not in other.content.decode().replace("\u202f", " ").replace("\xa0", " ")


def test_pages_are_not_cached_by_default_in_development(demo, settings):
    settings.TERROIR_PAGE_CACHE_SECONDS = 0

    response = Client().get("/catalogue/")

    assert "X-Page-Cache" not in response


def test_the_product_page_is_cached_and_still_records_the_recently_viewed_product(
    demo, page_cache, django_assert_num_queries
):
    product = Product.objects.get(upc="TAL-001")
    first = Client().get(product.get_absolute_url())
    visitor = Client()

    with django_assert_num_queries(0):
        second = visitor.get(product.get_absolute_url())

    assert first["X-Page-Cache"] == "miss" and second["X-Page-Cache"] == "hit"
    assert visitor.cookies["oscar_history"].value == f"[{product.pk}]"
    assert TOKEN.findall(second.content.decode())  # the add-to-basket form got a fresh token


def test_a_visitor_with_a_history_sees_the_product_page_rendered_for_them(demo, page_cache):
    viewed, product = Product.objects.get(upc="NAK-001"), Product.objects.get(upc="TAL-001")
    Client().get(product.get_absolute_url())  # warms the cache for stateless visitors
    visitor = Client()
    visitor.get(viewed.get_absolute_url())

    response = visitor.get(product.get_absolute_url())

    assert "X-Page-Cache" not in response
    assert viewed.get_absolute_url() in response.content.decode()


def test_a_visitor_with_a_basket_gets_the_product_page_rendered_for_them(demo, page_cache):
    product = Product.objects.get(upc="TAL-001")
    Client().get(product.get_absolute_url())
    shopper = Client()
    add_to_basket(shopper, Product.objects.get(upc="TAL-004"), 1)

    response = shopper.get(product.get_absolute_url())

    assert "X-Page-Cache" not in response
    assert response.context["request"].basket.num_items == 1
