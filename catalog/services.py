"""Writes on the catalogue: product types and a product's typed attributes and labelling mentions."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalog.attributes import PRODUCT_TYPES, product_attributes_validate
from catalog.search import search_document_expression, search_title_expression

ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductClass = get_model("catalogue", "ProductClass")
Product = get_model("catalogue", "Product")

COMMON_FIELDS = ("ingredients", "storage_conditions", "origin_region", "origin_commune")


def product_class_attributes_sync(*, product_class) -> None:
    """Create or update the Oscar attributes of a product class from its declaration."""
    product_type = PRODUCT_TYPES.get(product_class.slug)
    if product_type is None:
        return
    if product_class.is_food != product_type.is_food:
        product_class.is_food = product_type.is_food
        product_class.save(update_fields=["is_food"])
    for spec in product_type.specs:
        ProductAttribute.objects.update_or_create(
            product_class=product_class,
            code=spec.code,
            defaults={"name": str(spec.name), "type": spec.type, "required": False},
        )


@transaction.atomic
def product_specs_save(
    *,
    product,
    attributes: dict,
    net_quantity: Decimal | None = None,
    net_quantity_unit: str = "",
    **common,
) -> None:
    """Validate and save a product's typed attributes and labelling mentions, all or nothing.

    Raises ValidationError with one message list per field; nothing is written then.
    """
    unknown = set(common) - set(COMMON_FIELDS)
    if unknown:
        raise TypeError(f"Unknown product fields: {sorted(unknown)}")
    product_class = product.get_product_class()
    clean, errors = product_attributes_validate(product_type_slug=product_class.slug, values=attributes)
    product_type = PRODUCT_TYPES.get(product_class.slug)
    if net_quantity is not None and net_quantity <= 0:
        errors.setdefault("net_quantity", []).append(_("The net quantity must be more than zero."))
    if net_quantity is not None and not net_quantity_unit:
        errors.setdefault("net_quantity_unit", []).append(_("Give the unit of the net quantity."))
    if product_type and net_quantity_unit and net_quantity_unit not in product_type.net_units:
        errors.setdefault("net_quantity_unit", []).append(
            _("%(type)s is sold in %(units)s, not “%(unit)s”.")
            % {
                "type": product_type.name,
                "units": ", ".join(product_type.net_units),
                "unit": net_quantity_unit,
            }
        )
    if errors:
        raise ValidationError(errors)

    product.net_quantity = net_quantity
    product.net_quantity_unit = net_quantity_unit
    for name, value in common.items():
        setattr(product, name, value)
    product_class_attributes_sync(product_class=product_class)
    product.attr.invalidate()
    product.full_clean(exclude=["slug", "upc"])
    product.save()
    for code, value in clean.items():
        setattr(product.attr, code, float(value) if isinstance(value, Decimal) else value)
    for code in attributes.keys() - clean.keys():  # an emptied value is removed
        setattr(product.attr, code, None)
    product.attr.save()


def products_search_index(*, products=None) -> int:
    """Recompute the stored search document and folded title of `products` (all when None).

    One UPDATE statement, computed by PostgreSQL. Saved products are indexed after commit by
    `products_search_index_on_commit` (see `catalog.receivers`); call this directly after writes
    that bypass `save()` (bulk_create, bulk_update, update): the CSV import, `catalog_reindex`.
    On SQLite search reads the texts directly: no-op. Returns the number of products updated.
    """
    if connection.vendor != "postgresql":
        return 0
    products = Product.objects.all() if products is None else products
    return products.update(
        search_document=search_document_expression(), search_title=search_title_expression()
    )


class _SearchIndexBatch:
    """The products queued during one transaction, indexed together when it commits."""

    def __init__(self):
        self.product_ids: set[int] = set()
        self.done = False

    def __call__(self):
        self.done = True
        products_search_index(products=Product.objects.filter(pk__in=self.product_ids))

    def is_pending(self) -> bool:
        # Commit runs the callback (done); a rollback, even of a savepoint, drops it from the list.
        return not self.done and any(entry[1] is self for entry in connection.run_on_commit)


def products_search_index_on_commit(*, product_ids) -> None:
    """Refresh the search document of these products once the current transaction commits.

    Every product queued during one transaction is indexed by a single UPDATE, so a loop of saves
    costs one statement, and nothing is indexed if the transaction rolls back. Outside a
    transaction (autocommit) the product is already written: it is indexed at once.
    """
    if connection.vendor != "postgresql":
        return
    if not connection.in_atomic_block:
        products_search_index(products=Product.objects.filter(pk__in=list(product_ids)))
        return
    batch = getattr(connection, "search_index_batch", None)
    if batch is None or not batch.is_pending():
        batch = _SearchIndexBatch()
        connection.search_index_batch = batch
        transaction.on_commit(batch)
    batch.product_ids.update(product_ids)
