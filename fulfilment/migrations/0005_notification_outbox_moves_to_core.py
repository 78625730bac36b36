from django.db import migrations


def copy_sent_keys(apps, schema_editor):
    """Keys already sent stay sent: a retried task must not send them again after the move."""
    old = apps.get_model("fulfilment", "NotificationSent")
    new = apps.get_model("core", "NotificationSent")
    new.objects.bulk_create(
        (new(key=row.key, recipient=row.recipient, date_sent=row.date_sent) for row in old.objects.iterator()),
        batch_size=1000,
    )


def copy_sent_keys_back(apps, schema_editor):
    old = apps.get_model("fulfilment", "NotificationSent")
    new = apps.get_model("core", "NotificationSent")
    old.objects.bulk_create(
        (old(key=row.key, recipient=row.recipient, date_sent=row.date_sent) for row in new.objects.iterator()),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("fulfilment", "0004_settlement_line_kind"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_sent_keys, copy_sent_keys_back),
        migrations.DeleteModel(name="NotificationSent"),
    ]
