from django.core.management.base import BaseCommand

from shop.demo.loader import demo_load


class Command(BaseCommand):
    help = "Load the demo marketplace (cooperatives, GIE, products, lots, demo accounts). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--no-images", action="store_true", help="Skip generating pictures.")

    def handle(self, *args, **options):
        counts = demo_load(with_images=not options["no_images"])
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data ready: {producers} producers, {gies} GIE, {products} products, "
                "{users} users.".format(**counts)
            )
        )
