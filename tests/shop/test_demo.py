import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from oscar.core.loading import get_model
from PIL import Image

from gie.models import Gie
from shop.demo.loader import demo_load

Partner = get_model("partner", "Partner")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Lot = get_model("partner", "Lot")
User = get_user_model()

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count() for model in (Partner, Product, StockRecord, Lot, User, Gie)
    }


def test_demo_load_twice_creates_no_duplicates(demo):
    # given the demo data loaded once (session fixture)
    before = _counts()

    # when loaded again through the management command
    out = io.StringIO()
    call_command("load_demo", "--no-images", stdout=out)

    # then nothing was duplicated; the GIE's own record is not counted as one of the 9 producers
    assert _counts() == before
    assert "9 producers, 1 GIE, 63 products" in out.getvalue()
    assert before["Partner"] >= 8
    assert before["Product"] >= 60


def test_demo_covers_the_real_regions_and_product_types(demo):
    communes = set(Partner.objects.values_list("commune", flat=True))
    assert {"Taliouine", "Tiznit", "Aoufous", "Rissani", "Erfoud", "Kelaat M'Gouna"} <= communes
    for category in ("safran", "huile-argan", "huile-olive", "dattes", "compost", "herbes-henne", "rose"):
        assert Product.objects.filter(categories__slug=category).exists(), category
    # every product has a price in MAD, stock from its lots, and a category
    for record in StockRecord.objects.select_related("product"):
        assert record.price_currency == "MAD" and record.price > 0
        assert record.num_in_stock == sum(record.lots.values_list("quantity", flat=True)) > 0
        assert record.product.categories.exists()


def test_demo_pictures_are_generated_real_images(db, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    ProductImage.objects.all().delete()

    demo_load(with_images=True)

    assert ProductImage.objects.count() >= Product.objects.count()
    image = ProductImage.objects.first()
    with Image.open(image.original.path) as picture:
        assert picture.format == "JPEG" and picture.size == (480, 480)
    assert all(partner.logo for partner in Partner.objects.exclude(kind="gie"))


@pytest.mark.parametrize(
    "email",
    [
        "admin@example.com",
        "saffron@example.com",
        "argan@example.com",
        "dates@example.com",
        "gie@example.com",
        "customer@example.com",
    ],
)
def test_demo_accounts_log_in_with_the_documented_password(demo, email):
    user = authenticate(username=email, password="terroir-demo")
    assert user is not None and user.email == email


def test_demo_roles_are_linked(demo):
    assert User.objects.get(email="admin@example.com").is_superuser
    assert Partner.objects.get(users__email="saffron@example.com").commune == "Taliouine"
    assert Partner.objects.get(users__email="argan@example.com").province == "Tiznit"
    dates = Partner.objects.get(users__email="dates@example.com")
    gie = Gie.objects.get(slug="mawrout-bladi")
    assert dates in gie.members.all()
    assert gie.coordinators.filter(email="gie@example.com").exists()
    assert not User.objects.get(email="customer@example.com").partners.exists()
