"""The stored search document follows products saved outside our services (Oscar's staff dashboard)."""

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the stored search document is PostgreSQL's"
    ),
]


def _search_upcs(client, query) -> list[str]:
    response = client.get("/search/", {"q": query, "per_page": 48})
    assert response.status_code == 200
    return [product.upc for product in response.context["products"]]


def _index_updates(queries) -> list[str]:
    """The statements that recompute search documents (a plain save only copies the old value)."""
    return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "to_tsvector" in q["sql"]]


def _post_data(form) -> dict:
    """What the browser would send back for a form rendered with its current values."""
    data = {}
    for field in form:
        value = field.value()
        if value is None or isinstance(field.field, forms.FileField):
            continue
        if isinstance(field.field, forms.BooleanField):
            if value:
                data[field.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[field.html_name] = [str(v) for v in value]
        else:
            data[field.html_name] = str(value)
    return data


def _dashboard_product_form_data(context) -> dict:
    data = _post_data(context["form"])
    for name in ("category_formset", "image_formset", "recommended_formset", "stockrecord_formset"):
        formset = context[name]
        data.update(_post_data(formset.management_form))
        # the blank extra forms are left out, as if the browser sent them untouched
        data[formset.management_form["TOTAL_FORMS"].html_name] = str(formset.initial_form_count())
        for form in formset.initial_forms:
            data.update(_post_data(form))
    return data


def test_a_title_edited_in_the_staff_dashboard_is_found_by_search_after_commit(
    client, demo, django_capture_on_commit_callbacks
):
    # given platform staff on Oscar's product page of a saffron
    client.force_login(get_user_model().objects.get(email="admin@example.com"))
    product = Product.objects.get(upc="TAL-001")
    url = reverse("dashboard:catalogue-product", kwargs={"pk": product.pk})
    data = _dashboard_product_form_data(client.get(url).context)
    data["title"] = "Safran Tiwizi du Siroua — 1 g"
    assert _search_upcs(client, "tiwizi") == []

    # when they save a new title
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    # then the product is found by its new title (and by a typo of it) once the save committed
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).title == "Safran Tiwizi du Siroua — 1 g"
    assert len(_index_updates(queries)) == 1
    assert _search_upcs(client, "tiwizi") == ["TAL-001"]
    assert _search_upcs(client, "tiwizy")[:1] == ["TAL-001"]


def test_products_saved_in_one_transaction_are_indexed_by_one_update(
    demo, django_capture_on_commit_callbacks
):
    products = list(Product.objects.filter(upc__startswith="NAK-").order_by("pk")[:3])

    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            for number, product in enumerate(products):
                product.title = f"Dattes Tiwizi {number}"
                product.save()

    assert len(products) == 3
    assert len(_index_updates(queries)) == 1
    assert Product.objects.filter(search_title__startswith="dattes tiwizi").count() == 3


def test_a_save_that_leaves_the_texts_alone_queues_no_indexing(demo, django_capture_on_commit_callbacks):
    product = Product.objects.get(upc="TAL-001")

    with django_capture_on_commit_callbacks() as callbacks:
        product.is_public = False
        product.save(update_fields=["is_public", "date_updated"])

    assert callbacks == []


def test_a_rolled_back_save_is_not_indexed_and_the_next_save_still_is(
    client, demo, django_capture_on_commit_callbacks
):
    saffron = Product.objects.get(upc="TAL-001")
    dates = Product.objects.get(upc="NAK-001")

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            saffron.title = "Safran Tiwizi"
            saffron.save()
            raise RuntimeError("refused")
        dates.title = "Dattes Tiwizi"
        dates.save()

    assert _search_upcs(client, "tiwizi") == ["NAK-001"]
