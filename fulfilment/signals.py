from django.dispatch import Signal

# Sent after the commit that records a refund due on a producer fulfilment (cancel, reject, shortfall).
# kwargs: fulfilment_id, order_id, amount (Decimal, order currency), key (unique per fulfilment event),
# quantities ({order line id: units}). The shop's payment app refunds card payments from it.
fulfilment_refund_due = Signal()
