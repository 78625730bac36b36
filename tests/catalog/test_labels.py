import datetime

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")
ProducerCertificate = get_model("partner", "ProducerCertificate")

pytestmark = pytest.mark.django_db


def _aop_certificate():
    return ProducerCertificate.objects.get(
        partner__slug="souktana-safran-taliouine", label__code="aop-safran-taliouine"
    )


def test_label_shows_on_product_page_and_card_while_the_certificate_is_valid(client, demo):
    product = Product.objects.get(upc="TAL-001")

    detail = client.get(product.get_absolute_url()).content.decode()
    listing = client.get("/catalogue/?type=safran").content.decode()

    assert ">Safran de Taliouine AOP</span>" in detail
    assert ">Safran de Taliouine AOP</span>" in listing


def test_expired_certificate_hides_the_label_everywhere(client, demo):
    certificate = _aop_certificate()
    certificate.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    certificate.save()
    product = Product.objects.get(upc="TAL-001")

    detail = client.get(product.get_absolute_url()).content.decode()
    listing = client.get("/catalogue/?type=safran").content.decode()
    filtered = client.get("/catalogue/?label=aop-safran-taliouine")

    assert ">Safran de Taliouine AOP</span>" not in detail
    assert ">Safran de Taliouine AOP</span>" not in listing
    assert filtered.context["paginator"].count == 0


def test_label_claimed_without_any_certificate_is_not_shown(client, demo):
    # the Al Wahda cooperative holds no IGP certificate; its product claims the IGP anyway
    product = Product.objects.get(upc="WAH-007")
    product.labels.add(_aop_certificate().label.__class__.objects.get(code="igp-dattes-majhoul-tafilalet"))

    detail = client.get(product.get_absolute_url()).content.decode()

    assert ">Dattes Majhoul de Tafilalet IGP</span>" not in detail
