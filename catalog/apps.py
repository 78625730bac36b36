import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        super().ready()
        from catalog.receivers import search_document_receivers_connect

        search_document_receivers_connect()
