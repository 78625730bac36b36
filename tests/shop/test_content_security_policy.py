"""Storefront pages send a Content-Security-Policy without 'unsafe-inline' scripts, and their HTML has no
script the policy would block: every inline script carries the request's nonce, no element has an
inline event handler."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from tests.csp import NONCE, assert_page_obeys_its_policy, csp_directives
from tests.journey import add_to_basket, guest_checkout_until_preview

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


def test_home_catalogue_category_search_and_product_pages_obey_the_policy(client, demo):
    for url in (
        "/",
        "/ar/",
        reverse("catalogue:index"),
        Category.objects.get(slug="safran").get_absolute_url(),
        reverse("search:search") + "?q=safran",
        Product.objects.get(upc="TAL-001").get_absolute_url(),
        reverse("cooperatives:detail", kwargs={"slug": "souktana-safran-taliouine"}),
        reverse("customer:login"),
    ):
        assert_page_obeys_its_policy(client.get(url))


def test_basket_and_every_cash_on_delivery_checkout_page_obey_the_policy(client, demo):
    add_to_basket(client, Product.objects.get(upc="TAL-001"))
    assert_page_obeys_its_policy(client.get(reverse("basket:summary")))
    assert_page_obeys_its_policy(client.get(reverse("checkout:index")))

    assert_page_obeys_its_policy(guest_checkout_until_preview(client))  # the payment-method page
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert_page_obeys_its_policy(client.get(reverse("checkout:preview")))
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert_page_obeys_its_policy(response)


def test_the_nonce_changes_with_every_response(client, demo):
    first, second = client.get("/"), client.get("/")

    assert NONCE.findall(first["Content-Security-Policy"]) != NONCE.findall(second["Content-Security-Policy"])


def test_the_policy_forbids_framing_plugins_and_foreign_form_targets(client, demo):
    directives = csp_directives(client.get("/"))

    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]


def test_error_pages_carry_the_policy_too(client, demo):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "'unsafe-inline'" not in csp_directives(response)["script-src"]


def test_the_staff_dashboard_keeps_inline_scripts_without_a_nonce(client, demo):
    client.force_login(get_user_model().objects.get(email="admin@example.com"))

    script_src = csp_directives(client.get(reverse("dashboard:index")))["script-src"]

    assert "'unsafe-inline'" in script_src
    assert not NONCE.findall(" ".join(script_src))
