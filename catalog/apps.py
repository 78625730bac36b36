import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        super().ready()
        from catalog.receivers import card_thumbnail_receivers_connect, search_document_receivers_connect

        search_document_receivers_connect()
        card_thumbnail_receivers_connect()
