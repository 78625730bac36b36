import pytest
from django.utils import translation
from django.utils.html import escape
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _french_reverse():
    # a request leaves its language active in the test thread; reverse URLs in French
    with translation.override("fr"):
        yield


@pytest.mark.parametrize("upc", ["TAL-001", "TIF-001", "NAK-001"])
def test_demo_saffron_argan_and_dates_carry_french_arabic_and_english(demo, upc):
    product = Product.objects.get(upc=upc)

    assert product.title and product.title_ar and product.title_en
    assert product.description and product.description_ar and product.description_en
    assert len({product.title, product.title_ar, product.title_en}) == 3


def test_product_page_shows_the_active_language(client, demo):
    product = Product.objects.get(upc="TAL-001")
    url = product.get_absolute_url()  # unprefixed: French

    french = client.get(url).content.decode()
    arabic = client.get("/ar" + url).content.decode()
    english = client.get("/en" + url).content.decode()

    assert product.title in french and product.title_ar not in french
    assert product.title_ar in arabic and 'dir="rtl"' in arabic
    assert product.title_en in english and product.description_en in english


def test_missing_translation_falls_back_to_french(client, demo):
    product = Product.objects.get(upc="ZIT-001")  # olive oil: French only
    assert product.title_en == ""

    english = client.get("/en" + product.get_absolute_url()).content.decode()

    assert escape(product.title) in english
    with translation.override("ar"):
        assert product.get_title() == product.title


def test_producer_story_follows_the_language(client, demo):
    producer = Partner.objects.get(slug="nakhil-aoufous")
    url = producer.get_absolute_url()

    english = client.get("/en" + url).content.decode()
    french = client.get(url).content.decode()

    assert "Medjool (Majhoul)" in english
    assert "palmeraie d&#x27;Aoufous" in french
