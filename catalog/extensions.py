"""What apps loaded after catalog tell it when they load (catalog imports none of them)."""

from core.hooks import Hooks

# Each takes the stock-record queryset a product card or page prefetches and returns it annotated with
# what the availability policy reads (cooperatives: the units in sellable and withheld lots), so a
# page of cards costs no query per card.
stockrecord_annotations = Hooks()
