"""Error pages are the shop's own, in the visitor's language; the 500 page needs no request, no database."""

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError
from django.template import loader
from django.urls import reverse
from django.utils import translation

from shop import views

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "heading"),
    [
        ("", "fr", "ltr", "Page introuvable"),
        ("/ar", "ar", "rtl", "الصفحة غير موجودة"),
        ("/en", "en", "ltr", "Page not found"),
    ],
)
def test_a_missing_page_is_a_branded_404_in_the_visitors_language(
    client, demo, prefix, lang, direction, heading
):
    response = client.get(f"{prefix}/no-such-page/")

    page = response.content.decode()
    assert response.status_code == 404
    assert f'<html lang="{lang}" dir="{direction}"' in page
    assert f"<h1>{heading}</h1>" in page
    assert "brand-name" in page and "terroir/css/terroir.css" in page
    assert f'href="{prefix}/"' in page  # back to the home page, in the same language


def test_a_forbidden_page_is_a_branded_403(client, demo):
    # given a cooperative's user, who is not a GIE coordinator
    client.force_login(get_user_model().objects.get(email="dates@example.com"))

    response = client.get("/en" + reverse("gie-dashboard:index"))

    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in response.content.decode()


@pytest.mark.parametrize(
    ("prefix", "lang", "direction", "heading"),
    [
        ("", "fr", "ltr", "Un problème est survenu"),
        ("/ar", "ar", "rtl", "حدث خطأ ما"),
        ("/en", "en", "ltr", "Something went wrong"),
    ],
)
def test_a_failing_view_gives_the_branded_500_in_the_visitors_language(
    client, demo, monkeypatch, prefix, lang, direction, heading
):
    # given the home page fails on a database error
    def fail(*args, **kwargs):
        raise OperationalError('could not connect to server "db.internal"')

    monkeypatch.setattr(views.HomeView, "get_context_data", fail)
    client.raise_request_exception = False

    response = client.get(f"{prefix}/")

    page = response.content.decode()
    assert response.status_code == 500
    assert f'<html lang="{lang}" dir="{direction}"' in page
    assert f"<h1>{heading}</h1>" in page
    assert "Terroir Souk" in page
    assert "db.internal" not in page


def test_the_500_page_renders_without_request_or_database(django_db_blocker):
    with django_db_blocker.block(), translation.override("ar"):
        page = loader.get_template("500.html").render()

    assert 'dir="rtl"' in page and "حدث خطأ ما" in page
    assert "<script" not in page and "<link" not in page  # self-contained: no static file to fetch
