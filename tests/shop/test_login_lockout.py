"""Five wrong passwords lock a username out from that address for 30 minutes, on every login form."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from oscar.core.loading import get_model

from tests.journey import add_to_basket

pytestmark = pytest.mark.django_db
Product = get_model("catalogue", "Product")
PASSWORD = "terroir-demo"
ATTACKER = "203.0.113.7"


def _storefront_login(client, email, password, *, address=ATTACKER, prefix=""):
    return client.post(
        prefix + "/accounts/login/",
        {"login-username": email, "login-password": password, "login_submit": "1"},
        REMOTE_ADDR=address,
    )


def _admin_login(client, email, password, *, address=ATTACKER):
    return client.post(reverse("admin:login"), {"username": email, "password": password}, REMOTE_ADDR=address)


def _dashboard_login(client, email, password, *, address=ATTACKER):
    return client.post(
        reverse("dashboard:login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_signs_in_on_the_storefront(client, demo):
    response = _storefront_login(client, "customer@example.com", PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_after_five_wrong_passwords_the_right_one_is_refused_on_the_storefront(client, demo):
    # given five wrong passwords for one customer from one address
    for _ in range(5):
        assert not _signed_in(client)
        _storefront_login(client, "customer@example.com", "guess")

    # when the right password comes next
    response = _storefront_login(client, "customer@example.com", PASSWORD)

    # then it is refused with the lockout page
    assert response.status_code == 429
    assert not _signed_in(client)
    assert "Trop de tentatives de connexion échouées" in response.content.decode()
    assert "30 minutes" in response.content.decode()


def test_four_wrong_passwords_do_not_lock_out(client, demo):
    for _ in range(4):
        _storefront_login(client, "customer@example.com", "guess")

    assert _storefront_login(client, "customer@example.com", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_lockout_holds_the_username_from_that_address_only(client, demo):
    # given a customer locked out from the attacker's address
    for _ in range(5):
        _storefront_login(client, "customer@example.com", "guess")

    # then the customer still signs in from home, and another account from the attacker's address
    assert (
        _storefront_login(client, "customer@example.com", PASSWORD, address="198.51.100.20").status_code
        == 302
    )
    client.post(reverse("customer:logout"))
    assert _storefront_login(client, "saffron@example.com", PASSWORD).status_code == 302


def test_the_lockout_page_speaks_arabic_under_the_ar_prefix(client, demo):
    for _ in range(5):
        _storefront_login(client, "customer@example.com", "guess", prefix="/ar")

    response = _storefront_login(client, "customer@example.com", PASSWORD, prefix="/ar")

    page = response.content.decode()
    assert response.status_code == 429
    assert 'dir="rtl"' in page and "محاولات تسجيل دخول فاشلة" in page


def test_after_five_wrong_passwords_the_right_one_is_refused_on_the_admin(client, demo):
    for _ in range(5):
        _admin_login(client, "admin@example.com", "guess")

    response = _admin_login(client, "admin@example.com", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)
    assert client.get(reverse("admin:index")).status_code == 302  # still sent to the login page


def test_after_five_wrong_passwords_the_right_one_is_refused_on_the_dashboard(client, demo):
    for _ in range(5):
        _dashboard_login(client, "admin@example.com", "guess")

    response = _dashboard_login(client, "admin@example.com", PASSWORD)

    assert response.status_code == 429
    assert not _signed_in(client)


def test_failures_on_one_login_form_count_on_the_others(client, demo):
    for _ in range(3):
        _storefront_login(client, "admin@example.com", "guess")
    for _ in range(2):
        _admin_login(client, "admin@example.com", "guess")

    assert _dashboard_login(client, "admin@example.com", PASSWORD).status_code == 429


def test_the_checkout_returning_customer_password_is_locked_out_too(client, demo):
    # given a basket, and five wrong passwords at checkout's "returning customer" step
    add_to_basket(client, Product.objects.get(upc="TAL-001"))
    for _ in range(5):
        client.post(
            reverse("checkout:index"),
            {"username": "customer@example.com", "options": "existing", "password": "guess"},
            REMOTE_ADDR=ATTACKER,
        )

    # when the right password comes next
    response = client.post(
        reverse("checkout:index"),
        {"username": "customer@example.com", "options": "existing", "password": PASSWORD},
        REMOTE_ADDR=ATTACKER,
    )

    # then it is refused
    assert response.status_code == 429
    assert not _signed_in(client)


def test_registration_still_signs_the_new_customer_in(client, demo):
    response = client.post(
        reverse("customer:register"),
        {
            "email": "amina@example.com",
            "password1": "Argan-et-safran-2025",
            "password2": "Argan-et-safran-2025",
        },
    )

    assert response.status_code == 302
    assert _signed_in(client)
    assert get_user_model().objects.filter(email="amina@example.com").exists()
