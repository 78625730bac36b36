# Choices and default of the fulfilment module are read from the registry at runtime.

import cooperatives.extensions
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('partner', '0013_private_file_paths'),
    ]

    operations = [
        migrations.AlterField(
            model_name='partner',
            name='fulfilment_module',
            field=models.CharField(choices=cooperatives.extensions.fulfilment_module_choices, default=cooperatives.extensions.fulfilment_module_default, max_length=64, verbose_name='Fulfilment module'),
        ),
    ]
