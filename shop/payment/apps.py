import oscar.apps.payment.apps as apps


class PaymentConfig(apps.PaymentConfig):
    name = "shop.payment"

    def ready(self):
        super().ready()
        from fulfilment.signals import fulfilment_refund_due
        from shop.payment.refunds import fulfilment_refund_due_receiver

        fulfilment_refund_due.connect(
            fulfilment_refund_due_receiver, dispatch_uid="card-refund-for-fulfilment"
        )
