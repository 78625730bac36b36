"""Review text is capped: Oscar stores it in an unbounded column."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from catalog.reviews.forms import REVIEW_BODY_MAX_LENGTH

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
ProductReview = get_model("reviews", "ProductReview")


def _post_review(client, body):
    product = Product.objects.get(upc="TAL-001")
    client.force_login(get_user_model().objects.get(email="customer@example.com"))
    url = reverse("catalogue:reviews-add", kwargs={"product_slug": product.slug, "product_pk": product.pk})
    return client.post("/en" + url, {"title": "Parfumé", "score": 5, "body": body})


def test_a_review_longer_than_the_limit_is_refused_with_a_clear_message(client, demo):
    response = _post_review(client, "Très bon safran. " * 400)

    assert response.status_code == 200
    assert f"at most {REVIEW_BODY_MAX_LENGTH} characters" in response.content.decode()
    assert not ProductReview.objects.exists()


def test_a_review_form_with_an_error_is_shown_again(client, demo):
    response = _post_review(client, "")

    assert response.status_code == 200
    assert not ProductReview.objects.exists()


def test_a_review_at_the_limit_is_accepted(client, demo):
    response = _post_review(client, "s" * REVIEW_BODY_MAX_LENGTH)

    assert response.status_code == 302
    assert ProductReview.objects.get().body == "s" * REVIEW_BODY_MAX_LENGTH
