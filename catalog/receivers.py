"""Keeps the stored search document in step with products saved anywhere (Oscar's staff dashboard,
the admin, services): each save queues its product, indexed after commit in one UPDATE.
Forgets a product image's remembered card thumbnail when the image is saved or deleted."""

from django.db.models.signals import post_delete, post_save
from oscar.core.loading import get_model

from catalog.cards import product_image_thumbnails_forget
from catalog.search import SEARCH_DOCUMENT_FIELDS
from catalog.services import products_search_index_on_commit

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")


def product_saved_reindex(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures load rows as they are; `catalog_reindex` recomputes their documents
        return
    if update_fields is not None and not SEARCH_DOCUMENT_FIELDS.intersection(update_fields):
        return
    products_search_index_on_commit(product_ids=[instance.pk])


def search_document_receivers_connect() -> None:
    post_save.connect(product_saved_reindex, sender=Product, dispatch_uid="terroir-product-search-document")


def product_image_changed(sender, instance, raw=False, **kwargs):
    """A product card remembers its thumbnail's address by file name (`catalog.cards`); a file saved
    again under the same name (storages that overwrite) or deleted must not keep the old address."""
    if instance.original:
        product_image_thumbnails_forget(name=instance.original.name)


def card_thumbnail_receivers_connect() -> None:
    post_save.connect(product_image_changed, sender=ProductImage, dispatch_uid="terroir-card-thumbnail-save")
    post_delete.connect(
        product_image_changed, sender=ProductImage, dispatch_uid="terroir-card-thumbnail-delete"
    )
