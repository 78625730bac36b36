import pytest
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


def test_home_shows_product_types_and_featured_cooperatives(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Safran" in page and "Dattes" in page
    assert "Coopérative Souktana du Safran" in page  # featured
    assert "Coopérative Zitouna d&#x27;Ouazzane" not in page  # not featured


def test_category_page_lists_only_that_type_with_a_bounded_number_of_queries(
    client, demo, django_assert_max_num_queries
):
    saffron = Category.objects.get(slug="safran")
    with django_assert_max_num_queries(32):
        response = client.get(saffron.get_absolute_url())
    assert response.status_code == 200
    titles = [product.title for product in response.context["products"]]
    assert titles and all("afran" in title for title in titles)
    assert "Dattes" not in " ".join(titles)


def test_product_page_names_its_cooperative_with_a_link(client, demo, django_assert_max_num_queries):
    product = Product.objects.get(upc="NAK-001")
    with django_assert_max_num_queries(28):
        response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="/cooperatives/nakhil-aoufous/"' in page
    assert "Aoufous" in page and "Drâa-Tafilalet" in page


def test_cooperative_page_shows_its_story_and_only_its_products(client, demo):
    response = client.get(reverse("cooperatives:detail", kwargs={"slug": "souktana-safran-taliouine"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Siroua" in page
    assert "Safran de Taliouine" in page and "Dattes Majhoul" not in page


def test_cooperative_list_and_unknown_cooperative(client, demo):
    assert "Coopérative Rose du Dadès" in client.get(reverse("cooperatives:list")).content.decode()
    assert client.get("/cooperatives/no-such-coop/").status_code == 404


def test_french_is_the_default_language(client, demo):
    response = client.get("/")
    page = response.content.decode()
    assert '<html lang="fr" dir="ltr"' in page
    assert "Tous les produits" in page


def test_arabic_renders_right_to_left(client, demo):
    response = client.get("/ar/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl"' in response.content.decode()


def test_switching_language_to_arabic_then_english(client, demo):
    response = client.post(reverse("set_language"), {"language": "ar", "next": "/catalogue/"}, follow=True)
    assert '<html lang="ar" dir="rtl"' in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/catalogue/"}, follow=True)
    page = response.content.decode()
    assert '<html lang="en" dir="ltr"' in page and "All products" in page


def test_prices_are_shown_in_moroccan_dirhams(client, demo):
    product = Product.objects.get(upc="TAL-001")
    assert "75,00" in client.get(product.get_absolute_url()).content.decode()
    assert "MAD" in client.get(product.get_absolute_url()).content.decode()


def test_health_endpoints(client, db):
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/ready").json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }
