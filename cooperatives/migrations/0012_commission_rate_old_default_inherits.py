"""Producers created before commission defaults existed all got the old field default, 10 %.

That value was never chosen for them, so it now inherits: the GIE's default where a GIE sets one,
else DEFAULT_COMMISSION_RATE (0.10, the same rate as before). A rate staff set to anything else is
kept. Backwards, an inherited rate becomes 10 % again.
"""

from decimal import Decimal

from django.db import migrations

OLD_DEFAULT = Decimal("0.1000")


def old_default_inherits(apps, schema_editor):
    apps.get_model("partner", "Partner").objects.filter(commission_rate=OLD_DEFAULT).update(commission_rate=None)


def inherited_back_to_old_default(apps, schema_editor):
    apps.get_model("partner", "Partner").objects.filter(commission_rate__isnull=True).update(
        commission_rate=OLD_DEFAULT
    )


class Migration(migrations.Migration):
    dependencies = [("partner", "0011_commission_rate_defaults")]

    operations = [migrations.RunPython(old_default_inherits, inherited_back_to_old_default)]
