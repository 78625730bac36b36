"""Reads on the catalogue that carry rules (what is public, which labels show, what a page prefetches)."""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.attributes import BOOLEAN, product_type_for
from catalog.extensions import stockrecord_annotations

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
QualityLabel = get_model("catalogue", "QualityLabel")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
ProductReview = get_model("reviews", "ProductReview")
StockRecord = get_model("partner", "StockRecord")
ProducerCertificate = get_model("partner", "ProducerCertificate")


def product_types_for_home():
    """Top-level categories (one per product type) with their number of public products."""
    return list(
        Category.objects.filter(depth=1, is_public=True)
        .annotate(num_products=Count("product", filter=Q(product__is_public=True), distinct=True))
        .order_by("path")
    )


def _stockrecords_for_sale():
    """Stock records with their producer and what later apps add for the availability policy."""
    stockrecords = StockRecord.objects.select_related("partner")
    for annotate in stockrecord_annotations:
        stockrecords = annotate(stockrecords)
    return stockrecords


def _stockrecords_prefetch(today: date):
    """Stock records with their producer and its valid certificates (two queries for a whole page)."""
    certificates = ProducerCertificate.objects.filter(valid_until__gte=today)
    return Prefetch(
        "stockrecords",
        queryset=_stockrecords_for_sale().prefetch_related(
            Prefetch("partner__certificates", queryset=certificates, to_attr="valid_certificates")
        ),
    )


def products_with_card_data(products, *, today: date | None = None):
    """Prefetch what a product card shows: images, producer, price, labels (4 queries per page)."""
    today = today or timezone.localdate()
    return _with_options_flags(products.select_related("product_class")).prefetch_related(
        "images", "labels", _stockrecords_prefetch(today)
    )


def _with_options_flags(products):
    """Oscar's `has_options` reads these two annotations instead of querying once per product."""
    class_options = ProductClass.options.through.objects.filter(productclass_id=OuterRef("product_class_id"))
    product_options = Product.product_options.through.objects.filter(product_id=OuterRef("pk"))
    return products.annotate(
        has_product_class_options=Exists(class_options), has_product_options=Exists(product_options)
    )


def products_for_listing(*, category=None):
    """Public products for a listing page, prefetched so a page costs a constant number of queries."""
    products = Product.objects.browsable()
    if category is not None:
        products = products.filter(categories__in=category.get_descendants_and_self()).distinct()
    return products_with_card_data(products).order_by("-date_created", "-pk")


def product_labels_visible(*, product) -> list:
    """Labels the product claims AND one of its producers holds a valid certificate for.

    Expects `products_with_card_data` prefetching; an expired certificate hides the label.
    """
    if hasattr(product, "certified_labels"):  # computed by product_for_detail
        return product.certified_labels
    certified = {
        certificate.label_id
        for record in product.stockrecords.all()
        for certificate in getattr(record.partner, "valid_certificates", [])
    }
    return [label for label in product.labels.all() if label.pk in certified]


def products_certified_for_label_q(*, label_code: str, today: date | None = None) -> Q:
    """Products that show `label_code` (claimed and certified), for filtering in the database."""
    today = today or timezone.localdate()
    certified_partners = ProducerCertificate.objects.filter(
        label__code=label_code, valid_until__gte=today
    ).values("partner_id")
    return Q(labels__code=label_code) & Q(stockrecords__partner_id__in=certified_partners)


def product_for_detail(*, pk: int):
    """The product page's product with everything the page shows, in a fixed number of queries."""
    approved_reviews = (
        ProductReview.objects.filter(product=OuterRef("pk"), status=ProductReview.APPROVED)
        .order_by()
        .values("product")
        .annotate(n=Count("pk"))
        .values("n")
    )
    product = (
        _with_options_flags(Product.objects.select_related("product_class"))
        # Oscar's cached `num_approved_reviews` takes this annotation instead of a COUNT query.
        .annotate(num_approved_reviews=Coalesce(Subquery(approved_reviews), 0))
        .prefetch_related(
            "images",
            Prefetch("stockrecords", queryset=_stockrecords_for_sale()),
            Prefetch("attribute_values", queryset=ProductAttributeValue.objects.select_related("attribute")),
        )
        .get(pk=pk)
    )
    today = timezone.localdate()
    product.certified_labels = list(
        QualityLabel.objects.filter(
            products=product,
            certificates__valid_until__gte=today,
            certificates__partner__stockrecords__product=product,
        ).distinct()
    )
    return product


def product_specs_display(*, product) -> list[tuple[str, str]]:
    """(name, value) rows for the product page, from its typed attributes and labelling mentions."""
    product_type = product_type_for(product.product_class)
    specs = {spec.code: spec for spec in product_type.specs} if product_type else {}
    rows = []
    if product.net_quantity is not None:
        quantity = product.net_quantity.normalize()
        rows.append((_("Net quantity"), f"{quantity:f} {product.get_net_quantity_unit_display()}"))
    values = {value.attribute.code: value for value in product.attribute_values.all()}
    for code, spec in specs.items():
        if code not in values:
            continue
        value = values[code].value
        if spec.type == BOOLEAN:
            shown = _("Yes") if value else _("No")
        elif spec.choices:
            shown = str(dict(spec.choices).get(value, value))
        elif isinstance(value, float):
            shown = f"{value:g}{(' ' + spec.unit) if spec.unit else ''}"
        else:
            shown = f"{value}{(' ' + spec.unit) if spec.unit else ''}"
        rows.append((str(spec.name), shown))
    if product.origin_commune or product.origin_region:
        origin = ", ".join(v for v in (product.origin_commune, product.get_origin_region_display()) if v)
        rows.append((_("Origin"), origin))
    if product.ingredients:
        rows.append((_("Ingredients"), product.ingredients))
    if product.storage_conditions:
        rows.append((_("Storage"), product.storage_conditions))
    return rows
