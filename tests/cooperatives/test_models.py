import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from oscar.core.loading import get_model

Partner = get_model("partner", "Partner")


@pytest.mark.parametrize("ice", ["001526378000045", "000000000000001"])
def test_a_fifteen_digit_ice_is_valid(ice):
    producer = Partner(name="Coopérative Test", ice=ice)
    producer.clean_fields(exclude=["code", "slug"])


@pytest.mark.parametrize("ice", ["00152637800004", "0015263780000451", "00152637800004A", "001 526 378 000"])
def test_an_ice_that_is_not_fifteen_digits_is_refused_with_a_message(ice):
    producer = Partner(name="Coopérative Test", ice=ice)
    with pytest.raises(ValidationError) as excinfo:
        producer.clean_fields(exclude=["code", "slug"])
    assert excinfo.value.error_dict["ice"][0].code == "invalid_ice"
    # French is the default language: the message the user reads
    assert "doit comporter exactement 15 chiffres" in str(excinfo.value.message_dict["ice"])


@pytest.mark.django_db
def test_women_members_cannot_exceed_members():
    producer = Partner(name="Coopérative Test", slug="test", members_count=10, women_members_count=11)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        producer.full_clean()
    assert "Women members cannot exceed" in str(excinfo.value)
