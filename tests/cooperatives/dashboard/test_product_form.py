"""The typed product form: declared attributes, fr/ar/en texts, and the ONSSA publishing gate."""

import datetime
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model
from PIL import Image

from tests.cooperatives.dashboard.conftest import form_post_data

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

CREATE = reverse("coop-dashboard:product-create")


def _saffron(**overrides) -> dict:
    data = {
        "partner_sku": "TAL-200",
        "title": "Safran catégorie I — 2 g",
        "title_ar": "زعفران — 2 غ",
        "title_en": "Category I saffron — 2 g",
        "description": "Pistils de Taliouine",
        "description_en": "Threads from Taliouine",
        "categories": [Category.objects.get(slug="safran").pk],
        "price": "150.00",
        "net_quantity": "2",
        "net_quantity_unit": "g",
        "ingredients": "Stigmates de Crocus sativus",
        "storage_conditions": "À l'abri de la lumière",
        "origin_region": "souss-massa",
        "origin_commune": "Taliouine",
        "attr_form": "threads",
        "attr_iso_category": "I",
        "attr_crocin": "230",
        "attr_picrocrocin": "90",
        "attr_safranal": "35",
        "attr_moisture": "9",
    }
    return {**data, **overrides}


def test_creating_starts_by_choosing_a_type_and_the_form_shows_only_that_types_attributes(client_a):
    # when the producer opens "new product" without a type, then each type is offered
    choose = client_a.get(CREATE)
    assert choose.status_code == 200 and "form" not in choose.context
    assert 'href="?type=safran"' in choose.content.decode()

    # when it picks saffron, then the saffron attributes are fields, and olive oil's are not
    saffron = client_a.get(CREATE + "?type=safran").context["form"]
    assert {"attr_form", "attr_iso_category", "attr_crocin", "attr_harvest_year"} <= set(saffron.fields)
    assert "attr_acidity" not in saffron.fields
    assert [value for value, __ in saffron.fields["net_quantity_unit"].choices] == ["", "g"]
    olive = client_a.get(CREATE + "?type=huile-olive").context["form"]
    assert {"attr_grade", "attr_acidity"} <= set(olive.fields) and "attr_crocin" not in olive.fields
    assert client_a.get(CREATE + "?type=no-such-type").status_code == 404


def test_a_typed_product_is_saved_with_translations_attributes_and_labelling_mentions(client_a, coop_a):
    response = client_a.post(CREATE + "?type=safran", _saffron(is_public="on"))

    assert response.status_code == 302
    product = Product.objects.get(stockrecords__partner=coop_a, stockrecords__partner_sku="TAL-200")
    assert (product.title_ar, product.title_en, product.description_en) == (
        "زعفران — 2 غ",
        "Category I saffron — 2 g",
        "Threads from Taliouine",
    )
    assert (product.net_quantity, product.net_quantity_unit) == (Decimal("2.000"), "g")
    assert (product.origin_region, product.origin_commune) == ("souss-massa", "Taliouine")
    assert product.ingredients == "Stigmates de Crocus sativus"
    assert (product.attr.form, product.attr.iso_category, product.attr.crocin) == ("threads", "I", 230)
    assert product.is_public is True  # coop A holds a valid ONSSA authorisation (demo data)


def test_iso_3632_category_i_with_crocin_150_is_refused_on_the_crocin_field_and_nothing_is_written(
    client_a, coop_a
):
    products_before = Product.objects.count()

    response = client_a.post(CREATE + "?type=safran", _saffron(attr_crocin="150"))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["attr_crocin"] and "150" in errors["attr_crocin"][0]
    assert Product.objects.count() == products_before
    assert not StockRecord.objects.filter(partner_sku="TAL-200").exists()


def test_a_unit_the_type_is_not_sold_in_and_a_required_attribute_missing_are_both_reported(client_a):
    response = client_a.post(
        CREATE + "?type=huile-argan",
        {"partner_sku": "TAL-201", "title": "Huile", "price": "90", "net_quantity": "250", "attr_use": ""},
    )

    assert response.status_code == 200
    assert {"attr_use", "net_quantity_unit"} <= set(response.context["form"].errors)
    assert not StockRecord.objects.filter(partner_sku="TAL-201").exists()


def test_an_attribute_error_on_edit_leaves_the_product_and_its_price_unchanged(client_a, record_a):
    url = reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id})
    form = client_a.get(url).context["form"]
    assert form.initial["attr_form"] == record_a.product.attr.form  # the edit form shows stored attributes

    response = client_a.post(
        url,
        {
            **form_post_data(form),
            "title": "Changé",
            "price": "1",
            "attr_iso_category": "I",
            "attr_crocin": "150",
        },
    )

    assert response.status_code == 200 and "attr_crocin" in response.context["form"].errors
    product = Product.objects.get(pk=record_a.product_id)
    record_a.refresh_from_db()
    assert product.title != "Changé" and record_a.price != Decimal("1.00")


def test_a_food_product_of_a_producer_without_onssa_authorisation_cannot_be_published(client_a, coop_a):
    coop_a.onssa_number = ""
    coop_a.save(update_fields=["onssa_number"])

    response = client_a.post(CREATE + "?type=safran", _saffron(is_public="on"))

    # then the form says why, on the "published" field, and nothing is written
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["is_public"] and "ONSSA" in errors["is_public"][0]
    assert coop_a.name in errors["is_public"][0]
    assert "ONSSA" in response.content.decode()
    assert not StockRecord.objects.filter(partner_sku="TAL-200").exists()

    # and the same product, unpublished, is accepted
    assert client_a.post(CREATE + "?type=safran", _saffron()).status_code == 302
    assert Product.objects.get(stockrecords__partner_sku="TAL-200").is_public is False


def test_an_expired_authorisation_blocks_publishing_an_existing_product_but_not_withdrawing_it(
    client_a, coop_a, record_a
):
    coop_a.onssa_valid_until = timezone.localdate() - datetime.timedelta(days=1)
    coop_a.save(update_fields=["onssa_valid_until"])
    product = record_a.product
    url = reverse("coop-dashboard:product-edit", kwargs={"pk": product.pk})
    data = form_post_data(client_a.get(url).context["form"])

    published = client_a.post(url, {**data, "is_public": "on"})
    data.pop("is_public", None)
    withdrawn = client_a.post(url, data)

    assert published.status_code == 200 and "is_public" in published.context["form"].errors
    assert withdrawn.status_code == 302
    assert Product.objects.get(pk=product.pk).is_public is False


def test_a_non_food_product_is_published_without_an_onssa_authorisation(client_a, coop_a):
    coop_a.onssa_number = ""
    coop_a.save(update_fields=["onssa_number"])

    response = client_a.post(
        CREATE + "?type=compost",
        {
            "partner_sku": "TAL-202",
            "title": "Compost",
            "price": "40",
            "attr_feedstock": "fumier",
            "is_public": "on",
        },
    )

    assert response.status_code == 302
    assert Product.objects.get(stockrecords__partner_sku="TAL-202").is_public is True


def test_the_typed_edit_page_and_its_save_take_a_bounded_number_of_queries(
    client_a, record_a, django_assert_max_num_queries
):
    url = reverse("coop-dashboard:product-edit", kwargs={"pk": record_a.product_id})
    with django_assert_max_num_queries(20):
        form = client_a.get(url).context["form"]

    # Bounded by the type's declared attributes (catalog re-syncs them: 3 queries each), not by data size.
    with django_assert_max_num_queries(70):
        response = client_a.post(url, {**form_post_data(form), "attr_moisture": "8"})

    assert response.status_code == 302
    assert Product.objects.get(pk=record_a.product_id).attr.moisture == 8


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (180, 90, 20)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_photo_sent_with_the_product_form_is_stored_with_the_product(client_a, settings):
    photo = SimpleUploadedFile("pistils.png", _png(), "image/png")

    response = client_a.post(CREATE + "?type=safran", {**_saffron(), "photo": photo})

    assert response.status_code == 302
    product = Product.objects.get(stockrecords__partner_sku="TAL-200")
    assert product.images.count() == 1


def test_a_refused_product_stores_no_photo_and_a_refused_photo_stores_no_product(client_a, settings):
    good = SimpleUploadedFile("pistils.png", _png(), "image/png")
    html = SimpleUploadedFile("pistils.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg")

    bad_product = client_a.post(CREATE + "?type=safran", {**_saffron(attr_crocin="150"), "photo": good})
    bad_photo = client_a.post(CREATE + "?type=safran", {**_saffron(), "photo": html})

    assert bad_product.status_code == 200 and bad_photo.status_code == 200
    assert "photo" in bad_photo.context["form"].errors
    assert not Product.objects.filter(stockrecords__partner_sku="TAL-200").exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]
