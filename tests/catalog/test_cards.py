"""Product cards on the listing pages: what they show, and what each one costs."""

import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from oscar.core.loading import get_class, get_model
from PIL import Image

from catalog import cards

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")
Marketplace = get_class("partner.strategy", "Marketplace")

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<article class="product_pod">.*?</article>', re.S)


def _card(html: str, product) -> str:
    """The card of `product` in a listing page, whitespace collapsed."""
    url = product.get_absolute_url()
    title = f'<h3 class="mt-3 product-card-title"><a href="{url}"'
    found = [card for card in CARD.findall(html) if title in card]
    assert len(found) == 1, url
    return " ".join(found[0].split())


def _jpeg() -> ContentFile:
    buffer = io.BytesIO()
    Image.new("RGB", (310, 200), "#c0392b").save(buffer, "JPEG")
    return ContentFile(buffer.getvalue())


def test_a_card_shows_price_stock_producer_labels_and_the_add_to_basket_form(client, demo):
    product = Product.objects.get(upc="TAL-001")

    card = _card(client.get("/catalogue/?per_page=48&type=safran").content.decode(), product)

    record = product.stockrecords.get()
    assert '<p class="price_color">' + f"{record.price:.2f}".replace(".", ",") in card
    assert '<p class="instock availability"> <i class="fas fa-check-circle"></i>' in card
    assert f'<a href="{record.partner.get_absolute_url()}">{record.partner.name}</a>' in card
    assert '<span class="badge badge-success quality-label">' in card
    assert f'<form action="/basket/add/{product.pk}/" method="post">' in card
    assert 'name="csrfmiddlewaretoken"' in card
    assert '<input type="hidden" name="quantity" value="1" id="id_quantity">' in card
    assert 'src="/media/cache/' in card  # sorl's thumbnail of Oscar's "image not found" picture


def test_an_out_of_stock_card_offers_no_form(client, demo):
    product = Product.objects.get(upc="TAL-001")
    StockRecord.objects.filter(product=product).update(num_in_stock=0)

    card = _card(client.get("/catalogue/?per_page=48&type=safran").content.decode(), product)

    assert "<form" not in card
    assert '<span class="btn btn-secondary btn-block disabled">' in card
    assert '<p class="outofstock availability"> <i class="fas fa-ban"></i>' in card


def test_a_card_without_stock_record_shows_unavailable_without_price(client, demo):
    product = Product.objects.get(upc="TAL-001")
    StockRecord.objects.filter(product=product).delete()

    card = _card(client.get("/catalogue/?per_page=48&type=safran").content.decode(), product)

    assert '<p class="price_color">&nbsp;</p> <i class="fas fa-ban"></i>' in card
    assert "product-card-producer" not in card and "<form" not in card


def test_the_strategy_is_asked_once_per_card(client, demo):
    fetch = Marketplace.fetch_for_product
    with mock.patch.object(Marketplace, "fetch_for_product", autospec=True, wraps=fetch) as spy:
        response = client.get("/catalogue/?per_page=24")

    assert len(response.context["products"]) == 24
    assert spy.call_count == 24


def test_a_failed_add_to_basket_keeps_its_own_form_on_its_card(client, demo):
    """The add-to-basket form is rendered once per page, except a submission coming back with errors."""
    wrong, other = Product.objects.browsable().order_by("-date_created", "-pk")[:2]
    session = client.session
    session[f"add_to_basket_form_post_data_{wrong.pk}"] = '{"quantity": "0"}'
    session.save()

    html = client.get("/catalogue/?per_page=24").content.decode()

    assert 'value="0"' in _card(html, wrong)
    assert 'value="1"' in _card(html, other) and 'value="0"' not in _card(html, other)


def test_thumbnails_of_a_page_are_read_in_one_cache_call_once_known(client, demo, settings):
    cache.clear()
    product = Product.objects.get(upc="TAL-001")
    image = ProductImage(product=product, display_order=0)
    image.original.save("safran-card.jpg", _jpeg(), save=True)
    client.get("/catalogue/?per_page=24&type=safran")  # sorl makes the thumbnails, the addresses are kept

    with (
        mock.patch("sorl.thumbnail.base.ThumbnailBackend.get_thumbnail") as sorl,
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as get_many,
        mock.patch.object(cache, "get", wraps=cache.get) as get_one,
    ):
        html = client.get("/catalogue/?per_page=24&type=safran").content.decode()

    sorl.assert_not_called()
    assert get_many.call_count == 1
    # (the local-memory cache's get_many calls get() with a sentinel default: those are the one batch)
    one_by_one = [c for c in get_one.call_args_list if len(c.args) == 1]
    assert not [c for c in one_by_one if c.args[0].startswith("terroir:thumb:")]
    src = re.search(r'<img src="([^"]+)"', _card(html, product)).group(1)
    assert src.startswith("/media/cache/") and src.endswith(".jpg")
    assert Path(settings.MEDIA_ROOT, src.removeprefix("/media/")).is_file()  # the thumbnail, 155 px high
    with Image.open(Path(settings.MEDIA_ROOT, src.removeprefix("/media/"))) as thumbnail:
        assert thumbnail.size[1] == 155


def test_a_replaced_image_file_is_not_shown_with_its_old_thumbnail(client, demo):
    cache.clear()
    product = Product.objects.get(upc="TAL-001")
    image = ProductImage(product=product, display_order=0)
    image.original.save("safran-card.jpg", _jpeg(), save=True)
    name = image.original.name
    cache.set(cards._thumbnail_cache_key(name), "/media/cache/stale.jpg")

    image.save()  # e.g. a storage that overwrites the file under the same name

    assert cache.get(cards._thumbnail_cache_key(name)) is None
    cache.set(cards._thumbnail_cache_key(name), "/media/cache/stale.jpg")
    image.delete()
    assert cache.get(cards._thumbnail_cache_key(name)) is None
