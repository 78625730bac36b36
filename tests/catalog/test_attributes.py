from decimal import Decimal

import pytest
from django.utils import translation

from catalog.attributes import product_attributes_validate


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _errors(slug, **values):
    return product_attributes_validate(product_type_slug=slug, values=values)[1]


def test_saffron_category_i_with_lab_values_inside_the_iso_3632_limits_is_accepted():
    clean, errors = product_attributes_validate(
        product_type_slug="safran",
        values={
            "form": "threads",
            "iso_category": "I",
            "crocin": "232",
            "picrocrocin": 92,
            "safranal": 34,
            "moisture": "9,5",
        },
    )

    assert errors == {}
    assert clean["crocin"] == Decimal(232) and clean["moisture"] == Decimal("9.5")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"crocin": 180}, "crocin"),  # category I needs ≥ 190
        ({"picrocrocin": 60}, "picrocrocin"),  # ≥ 70
        ({"safranal": 55}, "safranal"),  # 20–50
        ({"safranal": 15}, "safranal"),
    ],
)
def test_saffron_category_i_claim_contradicted_by_the_lab_is_refused(values, field):
    errors = _errors("safran", form="threads", iso_category="I", **values)

    assert list(errors) == [field]
    assert "Category I" in errors[field][0]


def test_saffron_category_iii_accepts_lab_values_below_category_i():
    assert (
        _errors("safran", form="threads", iso_category="III", crocin=120, picrocrocin=45, safranal=25) == {}
    )


def test_saffron_moisture_limit_depends_on_the_form():
    assert _errors("safran", form="threads", moisture=11) == {}
    errors = _errors("safran", form="powder", moisture=11)
    assert "10" in errors["moisture"][0] and "powder" in errors["moisture"][0].lower()


def test_saffron_needs_its_form_and_rejects_unknown_values_with_per_field_messages():
    errors = _errors("safran", iso_category="IV", crocin="a lot", colour="red")

    assert set(errors) == {"form", "iso_category", "crocin", "colour"}
    assert "required" in errors["form"][0]
    assert "I, II, III" in errors["iso_category"][0]
    assert "number" in errors["crocin"][0]


def test_olive_oil_grade_must_agree_with_acidity():
    assert _errors("huile-olive", grade="extra_virgin", acidity="0.8") == {}
    assert "0.8" in _errors("huile-olive", grade="extra_virgin", acidity="0.9")["acidity"][0]
    assert _errors("huile-olive", grade="virgin", acidity="1.9") == {}
    assert _errors("huile-olive", grade="ordinary_virgin", acidity="3.4")["acidity"]
    assert "acidity" in _errors("huile-olive", grade="virgin")


def test_argan_oil_use_is_culinary_or_cosmetic():
    assert _errors("huile-argan", use="culinary", extraction="artisanal") == {}
    assert "use" in _errors("huile-argan", use="hair")


def test_dates_need_a_variety_and_pitted_is_a_yes_or_no():
    assert _errors("dattes", variety="Majhoul", pitted="yes", caliber="Jumbo") == {}
    assert set(_errors("dattes", pitted="maybe")) == {"variety", "pitted"}


def test_compost_npk_is_three_numbers_and_organic_matter_a_percentage():
    assert _errors("compost", feedstock="palmes", npk="1.5-0.8-1.2", organic_matter=45) == {}
    assert "N-P-K" in _errors("compost", feedstock="palmes", npk="beaucoup")["npk"][0]
    assert "100" in _errors("compost", feedstock="palmes", organic_matter=140)["organic_matter"][0]


def test_plants_say_wild_or_cultivated():
    assert _errors("herbes-henne", latin_name="Lawsonia inermis", growing="cultivated") == {}
    assert "growing" in _errors("rose", growing="greenhouse")
