"""Keeps the stored search document in step with products saved anywhere (Oscar's staff dashboard,
the admin, services): each save queues its product, indexed after commit in one UPDATE."""

from django.db.models.signals import post_save
from oscar.core.loading import get_model

from catalog.search import SEARCH_DOCUMENT_FIELDS
from catalog.services import products_search_index_on_commit

Product = get_model("catalogue", "Product")


def product_saved_reindex(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # fixtures load rows as they are; `catalog_reindex` recomputes their documents
        return
    if update_fields is not None and not SEARCH_DOCUMENT_FIELDS.intersection(update_fields):
        return
    products_search_index_on_commit(product_ids=[instance.pk])


def search_document_receivers_connect() -> None:
    post_save.connect(product_saved_reindex, sender=Product, dispatch_uid="terroir-product-search-document")
