"""Logout by POST only: a link or an image elsewhere cannot sign a customer out."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_client(client, demo):
    client.force_login(get_user_model().objects.get(email="customer@example.com"))
    return client


def test_get_on_logout_is_refused_and_keeps_the_customer_signed_in(customer_client):
    response = customer_client.get(reverse("customer:logout"))

    assert response.status_code == 405
    assert "_auth_user_id" in customer_client.session


def test_post_on_logout_signs_out(customer_client):
    response = customer_client.post(reverse("customer:logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in customer_client.session


def test_the_account_bar_logs_out_with_a_csrf_protected_post_form(customer_client):
    page = customer_client.get("/").content.decode()

    form_start = page.index('<form id="logout_form"')
    form = page[form_start : page.index("</form>", form_start)]
    assert 'method="post"' in form and 'action="/accounts/logout/"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert 'href="/accounts/logout/"' not in page
