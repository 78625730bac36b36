from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from tests.cooperatives.dashboard.conftest import form_post_data

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_a_cooperative_creates_a_product_priced_in_mad_with_its_weight_and_category(client_a, coop_a):
    saffron = ProductClass.objects.get(slug="safran")
    category = Category.objects.get(slug="safran")

    response = client_a.post(
        reverse("coop-dashboard:product-create") + "?type=safran",
        {
            "partner_sku": "TAL-100",
            "title": "Safran de Taliouine — 3 g",
            "description": "Récolte 2026",
            "categories": [category.pk],
            "price": "199.90",
            "net_weight_g": 3,
            "low_stock_threshold": 4,
            "is_public": "on",
            "attr_form": "threads",
        },
    )

    record = StockRecord.objects.select_related("product").get(partner=coop_a, partner_sku="TAL-100")
    assert response.status_code == 302
    assert response["Location"] == reverse("coop-dashboard:product-edit", kwargs={"pk": record.product_id})
    product = Product.objects.get(pk=record.product_id)
    assert (product.title, product.product_class, product.is_public) == (
        "Safran de Taliouine — 3 g",
        saffron,
        True,
    )
    assert (record.price, record.price_currency, record.low_stock_threshold) == (Decimal("199.90"), "MAD", 4)
    assert product.attr.weight == pytest.approx(0.003)
    assert list(product.categories.all()) == [category]


def test_a_sku_already_used_by_another_producer_is_refused(client_a, coop_a):
    response = client_a.post(
        reverse("coop-dashboard:product-create") + "?type=safran",
        {"partner_sku": "TIF-001", "title": "x", "price": "1", "attr_form": "threads"},
    )

    assert response.status_code == 200
    assert "partner_sku" in response.context["form"].errors
    assert not StockRecord.objects.filter(partner=coop_a, partner_sku="TIF-001").exists()


def test_editing_changes_title_price_and_threshold_of_the_producers_product(client_a, record_a):
    url = reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id})
    form = client_a.get(url).context["form"]
    assert form.initial["price"] == record_a.price and form.initial["net_weight_g"] == 1

    data = form_post_data(form)
    data.pop("is_public", None)
    response = client_a.post(
        url, {**data, "title": "Safran catégorie I — 1 g", "price": "79", "low_stock_threshold": 10}
    )

    assert response.status_code == 302
    record_a.refresh_from_db()
    record_a.product.refresh_from_db()
    assert record_a.product.title == "Safran catégorie I — 1 g" and record_a.product.is_public is False
    assert (record_a.price, record_a.low_stock_threshold) == (Decimal("79.00"), 10)


def test_a_negative_price_is_refused(client_a, record_a):
    url = reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id})
    response = client_a.post(
        url,
        {**form_post_data(client_a.get(url).context["form"]), "title": "x", "price": "-1"},
    )

    assert response.status_code == 200 and "price" in response.context["form"].errors
    record_a.product.refresh_from_db()
    assert record_a.product.title != "x"


def test_the_product_list_shows_only_the_producers_products(client_a, coop_a, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client_a.get(reverse("coop-dashboard:product-list"))

    skus = [record.partner_sku for record in response.context["stockrecords"]]
    assert skus == sorted(StockRecord.objects.filter(partner=coop_a).values_list("partner_sku", flat=True))
