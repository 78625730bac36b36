"""What apps loaded after fulfilment tell it when they load (fulfilment imports none of them).

Fulfilment modules register in `fulfilment.modules` the same way.
"""

from core.hooks import Hooks

# Each is called with `user=` and returns a Partner filter: the producers, besides those the user works
# for, whose fulfilment records (settlement statements) the user may read (gie: its GIEs' members).
producer_reader_rules = Hooks()
