"""Dashboard pages stay light for a phone on a weak connection: everything in one HTML answer."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "home",
    "product-list",
    "product-create",
    "product-create?type=safran",  # the typed form, with its declared attributes
    "product-edit",
    "lot-list",
    "lot-add",
    "stock-history",
    "profile",
    "csv-import",
]
BUDGET = 200 * 1024


@pytest.mark.parametrize("name", PAGES)
def test_each_main_page_is_under_200_kb_with_its_css_and_js_and_fits_a_phone(name, client_a, record_a):
    name, __, query = name.partition("?")
    kwargs = {"pk": record_a.product_id} if name == "product-edit" else None
    response = client_a.get(reverse(f"coop-dashboard:{name}", kwargs=kwargs) + (f"?{query}" if query else ""))
    assert response.status_code == 200
    html = response.content.decode()

    # no stylesheet or script to fetch: the page's own bytes are all it weighs
    assert not re.search(r"<link[^>]+stylesheet|<script[^>]+src=", html)
    assert len(response.content) < BUDGET
    assert 'name="viewport" content="width=device-width' in html
    # wide tables scroll inside their box instead of widening a 360 px screen
    assert html.count("<table") == html.count('<div class="tbl"><table')
