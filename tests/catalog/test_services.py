from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from oscar.core.loading import get_model

from catalog.services import product_specs_save

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def test_demo_saffron_carries_validated_attributes_and_labelling_mentions(demo):
    product = Product.objects.get(upc="TAL-001")

    assert product.attr.form == "threads" and product.attr.iso_category == "I"
    assert product.net_quantity == Decimal(1) and product.net_quantity_unit == "g"
    assert product.origin_commune == "Taliouine" and product.origin_region == "souss-massa"


def test_invalid_attributes_raise_per_field_errors_and_write_nothing(demo):
    product = Product.objects.get(upc="TAL-001")

    with pytest.raises(ValidationError) as raised:
        product_specs_save(
            product=product,
            attributes={"form": "threads", "iso_category": "I", "crocin": 150},
            net_quantity=Decimal(2),
            net_quantity_unit="ml",
            origin_commune="Ailleurs",
        )

    assert set(raised.value.message_dict) == {"crocin", "net_quantity_unit"}
    product.refresh_from_db()
    assert product.origin_commune == "Taliouine" and product.net_quantity == Decimal(1)
    assert Product.objects.get(pk=product.pk).attr.crocin == 232


def test_valid_attributes_are_saved_and_shown_on_the_product_page(client, demo):
    product = Product.objects.get(upc="ZIT-004")  # olive oil

    product_specs_save(
        product=product,
        attributes={"grade": "virgin", "acidity": "1.2", "cultivar": "Haouzia", "crop_year": 2025},
        net_quantity=Decimal(1),
        net_quantity_unit="l",
        ingredients="100 % huile d'olive vierge",
        storage_conditions="À l'abri de la lumière",
    )

    with translation.override("en"):
        page = client.get(product.get_absolute_url()).content.decode()
    assert "Haouzia" in page and "1.2 %" in page and "Virgin" in page
    assert "100 % huile d&#x27;olive vierge" in page
