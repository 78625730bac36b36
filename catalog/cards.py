"""What a product card shows (listing, search and producer pages), computed once per card.

Oscar's card partial asked the pricing strategy twice per product, rendered the same hidden
add-to-basket form through the form renderer for every card, reversed the product's address twice
and asked sorl's key-value store for each thumbnail (one cache round trip and sorl's key hashing per
card). On a page of 24 cards that was most of an uncached listing request. Here:

- the purchase info is fetched once per card;
- the add-to-basket form is still built by Oscar's `basket_form` tag (it may carry a failed
  submission's data and errors), but an unbound form of the same shape renders to the same HTML,
  so that HTML is rendered once per request;
- thumbnail addresses are read for the whole page in one `cache.get_many` (`thumbnails_prefetch`),
  falling back to the thumbnailer (sorl) for the ones not cached yet; `product_image_thumbnails_forget`
  drops an image's entry when the image changes or goes.
"""

import hashlib
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from oscar.core.thumbnails import get_thumbnailer
from oscar.templatetags.basket_tags import basket_form

from catalog.selectors import product_labels_visible

logger = logging.getLogger(__name__)

CARD_THUMBNAIL_SIZE = "x155"  # what Oscar's card asked for: 155 px high, never upscaled
THUMBNAIL_URL_SECONDS = 24 * 3600


@dataclass
class ProductCard:
    url: str
    title: str
    thumbnail_url: str
    purchase_info: object
    producer: object = None
    producer_url: str = ""
    labels: list = field(default_factory=list)
    basket_form_shown: bool = False  # Oscar's rule: not for parents nor products with options
    basket_form_html: str = ""


def _memo(request) -> dict:
    """Per-request memo (thumbnails by image name, producers' addresses, rendered basket forms)."""
    memo = getattr(request, "_catalog_cards", None)
    if memo is None:
        memo = {"thumbnails": {}, "producer_urls": {}, "forms": {}}
        if request is not None:
            request._catalog_cards = memo
    return memo


def _primary_image_source(product):
    """The card image's file (a stored file, or for a product without images the name of Oscar's
    "image not found" file) and its name."""
    image = product.primary_image()
    if isinstance(image, dict):  # Oscar's stand-in for a product without images
        return image["original"], image["original"]
    return image.original, image.original.name if image.original else ""


def _thumbnail_cache_key(name: str) -> str:
    digest = hashlib.sha256(
        f"{settings.OSCAR_THUMBNAILER}|{CARD_THUMBNAIL_SIZE}|{name}".encode()
    ).hexdigest()[:32]
    return f"terroir:thumb:{digest}"


def _thumbnail_generate(source) -> tuple[str, bool]:
    """(address, whether it may be remembered): the thumbnailer's answer, as Oscar's tag gets it."""
    try:
        thumbnail = get_thumbnailer().generate_thumbnail(source, size=CARD_THUMBNAIL_SIZE, upscale=False)
        url = thumbnail.url
    except Exception as e:  # Oscar's `oscar_thumbnail` tag shows no image rather than failing the page
        if getattr(settings, "OSCAR_THUMBNAIL_DEBUG", settings.DEBUG):
            raise
        logger.exception(e)
        return "", False
    if settings.OSCAR_THUMBNAILER == "oscar.core.thumbnails.SorlThumbnail":
        from sorl.thumbnail import default

        # sorl records a thumbnail it made; one it could not make (source file missing) is not
        # recorded and is retried on the next request: remember it only in the first case.
        return url, default.kvstore.get(thumbnail) is not None
    return url, False


def thumbnails_prefetch(request, products) -> None:
    """Read the card thumbnails of `products` from the cache in one round trip."""
    memo = _memo(request)["thumbnails"]
    names = {}
    for product in products:
        __, name = _primary_image_source(product)
        if name and name not in memo:
            names[_thumbnail_cache_key(name)] = name
    if names:
        for key, url in cache.get_many(list(names)).items():
            memo[names[key]] = url


def _thumbnail_url(request, source, name: str) -> str:
    if not name:
        return ""
    memo = _memo(request)["thumbnails"]
    url = memo.get(name)
    if url is None:
        key = _thumbnail_cache_key(name)
        url = cache.get(key)
        if url is None:
            url, remember = _thumbnail_generate(source)
            if remember:
                cache.set(key, url, THUMBNAIL_URL_SECONDS)
        memo[name] = url
    return url


def product_image_thumbnails_forget(*, name: str) -> None:
    """The image file `name` changed or went: its card thumbnail address is asked anew."""
    cache.delete(_thumbnail_cache_key(name))


def _basket_form_html(request, product) -> str:
    form = basket_form(request, product, "single")
    if not form:  # Oscar's tag gives "" for what is not a product
        return ""
    if form.is_bound:  # a failed submission coming back with its errors: this card's own form
        return form.as_p()
    forms = _memo(request)["forms"]
    shape = (
        type(form),
        tuple(form.fields),
        tuple((name, form.initial[name]) for name in sorted(form.initial) if name in form.fields),
    )
    if shape not in forms:
        forms[shape] = form.as_p()
    return forms[shape]


def product_card(request, product) -> ProductCard:
    if product.is_parent:
        purchase_info = request.strategy.fetch_for_parent(product)
    else:
        purchase_info = request.strategy.fetch_for_product(product)
    title = product.get_title()
    card = ProductCard(
        url=product.get_absolute_url(),
        title=title,
        thumbnail_url=_thumbnail_url(request, *_primary_image_source(product)),
        purchase_info=purchase_info,
        labels=product_labels_visible(product=product),
    )
    stockrecords = product.stockrecords.all()
    if stockrecords:
        card.producer = stockrecords[0].partner
        urls = _memo(request)["producer_urls"]
        if card.producer.pk not in urls:
            urls[card.producer.pk] = card.producer.get_absolute_url()
        card.producer_url = urls[card.producer.pk]
    card.basket_form_shown = not product.is_parent and not product.has_options
    if (
        card.basket_form_shown
        and purchase_info.availability.is_available_to_buy
        and purchase_info.price.exists
    ):
        card.basket_form_html = _basket_form_html(request, product)
    return card
