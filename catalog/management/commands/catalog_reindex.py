"""Recompute the stored search documents after a bulk load (bench, CSV import, raw SQL edits)."""

from django.core.management.base import BaseCommand
from oscar.core.loading import get_model

from catalog.services import products_search_index

Product = get_model("catalogue", "Product")


class Command(BaseCommand):
    help = "Recompute the stored search document of every product (or of --missing ones only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="only products never indexed (after a bulk insert)"
        )

    def handle(self, *args, missing: bool = False, **options):
        products = Product.objects.filter(search_document__isnull=True) if missing else Product.objects.all()
        count = products_search_index(products=products)
        self.stdout.write(f"Search documents recomputed for {count} products.")
