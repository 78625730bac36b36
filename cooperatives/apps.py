import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    name = "cooperatives"

    def ready(self):
        super().ready()
        from catalog.extensions import stockrecord_annotations
        from cooperatives.selectors import stockrecords_with_lot_units

        stockrecord_annotations.register(stockrecords_with_lot_units)
