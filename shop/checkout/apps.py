import oscar.apps.checkout.apps as apps
from django.urls import path


class CheckoutConfig(apps.CheckoutConfig):
    name = "shop.checkout"

    def ready(self):
        super().ready()
        from shop.checkout.card import payment_intent_succeeded_receiver
        from shop.checkout.card_views import CardPaymentView
        from shop.payment.signals import payment_intent_succeeded

        self.card_payment_view = CardPaymentView
        payment_intent_succeeded.connect(
            payment_intent_succeeded_receiver, dispatch_uid="card-checkout-order"
        )

    def get_urls(self):
        urls = super().get_urls()
        urls += self.post_process_urls([path("card/", self.card_payment_view.as_view(), name="card-payment")])
        return urls
