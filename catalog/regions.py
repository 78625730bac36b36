"""Morocco's twelve regions (2015 division); used for product origin and for producers."""

from django.utils.translation import gettext_lazy as _

REGION_CHOICES = [
    ("tanger-tetouan-al-hoceima", _("Tanger-Tétouan-Al Hoceïma")),
    ("oriental", _("L'Oriental")),
    ("fes-meknes", _("Fès-Meknès")),
    ("rabat-sale-kenitra", _("Rabat-Salé-Kénitra")),
    ("beni-mellal-khenifra", _("Béni Mellal-Khénifra")),
    ("casablanca-settat", _("Casablanca-Settat")),
    ("marrakech-safi", _("Marrakech-Safi")),
    ("draa-tafilalet", _("Drâa-Tafilalet")),
    ("souss-massa", _("Souss-Massa")),
    ("guelmim-oued-noun", _("Guelmim-Oued Noun")),
    ("laayoune-sakia-el-hamra", _("Laâyoune-Sakia El Hamra")),
    ("dakhla-oued-ed-dahab", _("Dakhla-Oued Ed-Dahab")),
]
