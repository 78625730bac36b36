# PostgreSQL extensions for database search; Django's CreateExtension is a no-op on SQLite.
from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_terroir_product_fields")]

    operations = [TrigramExtension(), UnaccentExtension()]
