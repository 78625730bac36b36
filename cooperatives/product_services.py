"""A producer's own catalogue and public profile: products with their typed specs, photos, the
profile fields it edits itself, and publishing (food needs a valid ONSSA authorisation).

Stock and lots are in `cooperatives.services`."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.services import product_specs_save

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductImage = get_model("catalogue", "ProductImage")
StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True, kw_only=True)
class ProducerProductInput:
    """What a producer sets on its product. French texts are required; Arabic and English optional."""

    title: str
    description: str
    category: object = None  # one category (kept for callers); `categories` wins when given
    price: Decimal
    net_weight_g: int | None
    low_stock_threshold: int | None
    is_public: bool
    partner_sku: str = ""
    product_class: object = None
    title_ar: str = ""
    title_en: str = ""
    description_ar: str = ""
    description_en: str = ""
    categories: tuple | None = None
    # Typed attributes declared in `catalog.attributes`, raw as typed; "" removes a value.
    attributes: dict = field(default_factory=dict)
    net_quantity: Decimal | None = None
    net_quantity_unit: str = ""
    ingredients: str = ""
    storage_conditions: str = ""
    origin_region: str = ""
    origin_commune: str = ""


@transaction.atomic
def producer_product_save(*, producer, data: ProducerProductInput, product=None):
    """Create the producer's product with its stock record (MAD), or update one it alone sells.

    Typed attributes and labelling mentions go through `catalog.services.product_specs_save` and
    publishing through `product_availability_set` (ONSSA gate), all in this one transaction: any
    error (raised as a ValidationError keyed by field) leaves nothing written.
    """
    if data.price is None or data.price < 0:
        raise ValidationError({"price": _("The price must be a positive amount in MAD.")})
    if not data.title.strip():
        raise ValidationError({"title": _("Give the product a French title.")})
    if product is None:
        sku = data.partner_sku.strip()
        if not sku:
            raise ValidationError({"partner_sku": _("Give the product a SKU.")})
        if StockRecord.objects.filter(partner_sku=sku).exists():
            raise ValidationError({"partner_sku": _("This SKU is already used.")})
        if data.product_class is None:
            raise ValidationError({"product_class": _("Choose a product type.")})
        product = Product(structure=Product.STANDALONE, product_class=data.product_class, is_public=False)
        stockrecord = StockRecord(partner=producer, partner_sku=sku, price_currency="MAD")
    else:
        stockrecord = StockRecord.objects.select_for_update().get(product=product, partner=producer)
        if StockRecord.objects.filter(product=product).exclude(partner=producer).exists():
            raise PermissionDenied(_("This product is also sold by another producer."))
    for name in ("title", "title_ar", "title_en", "description", "description_ar", "description_en"):
        setattr(product, name, getattr(data, name).strip())
    if not product.slug:
        product.slug = slugify(data.title)[:128] or "produit"
    product_specs_save(
        product=product,
        attributes=data.attributes,
        net_quantity=data.net_quantity,
        net_quantity_unit=data.net_quantity_unit,
        ingredients=data.ingredients,
        storage_conditions=data.storage_conditions,
        origin_region=data.origin_region,
        origin_commune=data.origin_commune,
    )
    if data.net_weight_g is not None:
        # Shipping charges read the `weight` attribute in kg (see the demo loader).
        product.attr.weight = data.net_weight_g / 1000
        product.attr.save()
    categories = data.categories if data.categories is not None else (data.category,)
    categories = [category for category in categories if category is not None]
    if categories or data.categories is not None:
        ProductCategory.objects.filter(product=product).exclude(category__in=categories).delete()
        for category in categories:
            ProductCategory.objects.get_or_create(product=product, category=category)
    stockrecord.product = product
    stockrecord.price = data.price
    stockrecord.low_stock_threshold = data.low_stock_threshold
    stockrecord.save()
    # After the stock record exists: the ONSSA gate reads the product's producers.
    product_availability_set(product=product, is_public=data.is_public)
    return product


@transaction.atomic
def producer_product_photo_add(*, producer, product, photo) -> object:
    """Store an already validated and re-encoded photo (see `cooperatives.dashboard.photos`)."""
    if not StockRecord.objects.filter(product=product, partner=producer).exists():
        raise PermissionDenied(_("This product belongs to another producer."))
    image = ProductImage(product=product, caption=product.title[:200], display_order=product.images.count())
    image.original.save(photo.name, photo, save=True)
    return image


@transaction.atomic
def producer_profile_update(
    *, producer, story: str, members_count: int, women_members_count: int, logo=None
) -> object:
    """The public profile fields a producer edits itself; registration, ICE, sanitary authorisations
    and commission stay with platform staff and are never written here."""
    if women_members_count > members_count:
        raise ValidationError(
            {"women_members_count": _("Women members cannot exceed the number of members.")}
        )
    producer.story = story
    producer.members_count = members_count
    producer.women_members_count = women_members_count
    fields = ["story", "members_count", "women_members_count"]
    if logo is not None:
        producer.logo.save(logo.name, logo, save=False)
        fields.append("logo")
    producer.save(update_fields=fields)
    return producer


def product_availability_set(*, product, is_public: bool) -> None:
    """Publish or withdraw a product; a food product needs producers with a valid ONSSA authorisation."""
    if is_public and product.get_product_class().is_food:
        producers = [record.partner for record in product.stockrecords.select_related("partner")]
        if not producers:
            raise ValidationError({"is_public": _("Add the producer's stock record before publishing.")})
        for producer in producers:
            if not producer.has_valid_sanitary_authorisation():
                raise ValidationError(
                    {
                        "is_public": _(
                            "“%(product)s” is a food product: %(producer)s needs a valid ONSSA sanitary "
                            "authorisation number on file before it can be sold."
                        )
                        % {"product": product.title, "producer": producer.name}
                    }
                )
    product.is_public = is_public
    product.save(update_fields=["is_public", "date_updated"])
