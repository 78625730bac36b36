from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GieConfig(AppConfig):
    name = "gie"
    verbose_name = _("GIE coordination")
    default_auto_field = "django.db.models.AutoField"
