"""Hostile text in an address — NUL bytes, control characters, invalid UTF-8 — is a 400, never a 500.

PostgreSQL refuses NUL in text, so before the middleware these pages answered 500 on the PostgreSQL
pass; the whole matrix runs on both databases.
"""

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.forms import SEARCH_QUERY_MAX_LENGTH

pytestmark = pytest.mark.django_db
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
Lot = get_model("partner", "Lot")

LISTING_PARAMETERS = [
    "q",
    "type",
    "region",
    "producer",
    "label",
    "price",
    "in_stock",
    "sort",
    "per_page",
    "page",
]


def _page_url(page: str) -> str:
    return {
        "home": lambda: "/",
        "catalogue": lambda: reverse("catalogue:index"),
        "category": lambda: Category.objects.get(slug="safran").get_absolute_url(),
        "search": lambda: reverse("search:search"),
        "product": lambda: Product.objects.get(upc="TAL-001").get_absolute_url(),
        "producers": lambda: reverse("cooperatives:list"),
        "producer": lambda: reverse("cooperatives:detail", kwargs={"slug": "souktana-safran-taliouine"}),
        "gie": lambda: reverse("gie:detail", kwargs={"slug": "mawrout-bladi"}),
        "lot": lambda: reverse("lot-trace", kwargs={"code": Lot.objects.order_by("pk").first().code}),
        "basket": lambda: reverse("basket:summary"),
        "login": lambda: reverse("customer:login"),
        "graphql": lambda: reverse("graphql"),
    }[page]()


# Every query parameter a public page reads (listings: ListingParametersForm + ListingFilters; login: the
# redirect target; GraphQL GET: the query, its variables and operation). Pages that read none are
# probed with an arbitrary one: the rule is the same for every parameter.
PUBLIC_PARAMETERS = [
    *[(page, name) for page in ("catalogue", "category", "search") for name in LISTING_PARAMETERS],
    ("login", "next"),
    *[("graphql", name) for name in ("query", "variables", "operationName")],
    *[(page, "utm_source") for page in ("home", "product", "producers", "producer", "gie", "lot", "basket")],
]
HOSTILE_VALUES = {
    "nul": "%00",
    "nul-inside-text": "saf%00ran",
    "control-character": "a%01b",
    "escape-character": "%1B%5B2J",
    "invalid-utf8": "%FF%FE",
    "truncated-utf8": "caf%C3",
}


@pytest.mark.parametrize("value", HOSTILE_VALUES.values(), ids=HOSTILE_VALUES.keys())
@pytest.mark.parametrize(("page", "parameter"), PUBLIC_PARAMETERS)
def test_hostile_text_in_any_public_query_parameter_is_a_400(client, demo, page, parameter, value):
    # given a public page and one of its query parameters
    url = _page_url(page)
    client.raise_request_exception = False

    # when the parameter carries hostile text
    response = client.get(f"{url}?{parameter}={value}")

    # then the request is refused as a bad request, not a server error
    assert response.status_code == 400


@pytest.mark.parametrize(
    "path", ["/lot/%00/", "/lot/a%01b/", "/cooperatives/%00/", "/gie/%00/", "/catalogue/%00_1/", "/%00/"]
)
def test_hostile_text_in_the_path_is_a_400(client, demo, path):
    client.raise_request_exception = False

    assert client.get(path).status_code == 400
    assert client.get("/ar" + path).status_code == 400


def test_the_400_page_is_branded_and_in_the_visitors_language(client, demo):
    response = client.get("/ar/catalogue/?region=%00")

    page = response.content.decode()
    assert response.status_code == 400
    assert '<html lang="ar" dir="rtl"' in page
    assert "طلب غير صالح" in page  # "Invalid request"
    assert "أحرف تحكم" in page  # the reason: control characters
    assert "brand-name" in page


def test_graphql_gets_its_400_as_json(client, demo):
    response = client.get("/graphql/?query=%00")

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"]


def test_tab_newline_and_non_latin_text_are_ordinary_input(client, demo):
    for query in ("safran%09taliouine", "huile%0Aargan", "زعفران", "café"):
        assert client.get(f"/search/?q={query}").status_code == 200


def test_a_10000_character_search_is_refused_with_a_clear_message(client, demo):
    # when a visitor sends a 10,000-character search
    response = client.get("/search/", {"q": "safran " * 1428 + "safr"})

    # then the search is refused, saying how long a search may be
    assert response.status_code == 400
    assert f"{SEARCH_QUERY_MAX_LENGTH} caractères au plus" in response.content.decode()


def test_a_search_at_the_length_limit_is_served(client, demo):
    assert client.get("/search/", {"q": "s" * SEARCH_QUERY_MAX_LENGTH}).status_code == 200


@pytest.mark.parametrize("parameter", ["type", "region", "producer", "label"])
def test_a_filter_that_is_not_a_slug_is_refused_with_the_filter_named(client, demo, parameter):
    response = client.get("/en/catalogue/", {parameter: "saffron'; DROP TABLE x"})

    assert response.status_code == 400
    assert "letters, numbers, underscores or hyphens" in response.content.decode()


def test_an_unknown_but_well_formed_filter_finds_nothing(client, demo):
    response = client.get("/catalogue/", {"region": "atlantis"})

    assert response.status_code == 200
    assert list(response.context["products"]) == []
