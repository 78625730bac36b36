"""Oscar's search app with its Haystack view replaced by the database-backed `ProductSearchView`."""

from oscar.apps.search.apps import SearchConfig as OscarSearchConfig


class SearchConfig(OscarSearchConfig):
    def ready(self):
        super().ready()
        from catalog.views import ProductSearchView

        self.search_view = ProductSearchView
