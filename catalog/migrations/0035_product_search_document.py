"""A stored, GIN-indexed search document and a trigram-indexed folded title (PostgreSQL only).

On SQLite the two columns exist but stay empty: search folds texts in Python there.
"""

import django.contrib.postgres.search
from django.db import migrations, models

INDEXES = (
    "CREATE INDEX IF NOT EXISTS catalogue_product_search_document_gin "
    "ON catalogue_product USING gin (search_document)",
    "CREATE INDEX IF NOT EXISTS catalogue_product_search_title_trgm "
    "ON catalogue_product USING gin (search_title gin_trgm_ops)",
    # The listing's default order ("newest") and its public-products filter, read backwards.
    "CREATE INDEX IF NOT EXISTS catalogue_product_browsable_newest "
    "ON catalogue_product (date_created DESC, id DESC) WHERE is_public AND parent_id IS NULL",
)


def indexes_create_and_fill(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from catalog.services import products_search_index

    for sql in INDEXES:
        schema_editor.execute(sql)
    products_search_index(products=apps.get_model("catalogue", "Product").objects.all())


def indexes_drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in INDEXES:
        name = sql.split("EXISTS ")[1].split()[0]
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('catalogue', '0034_search_extensions'),
    ]

    operations = [
        migrations.AddField(
            model_name='product',
            name='search_document',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name='product',
            name='search_title',
            field=models.TextField(blank=True, editable=False),
        ),
        migrations.RunPython(indexes_create_and_fill, indexes_drop),
    ]
