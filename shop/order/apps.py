import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "shop.order"

    def ready(self):
        super().ready()
        from shop.order.receivers import analytics_order_placed_after_commit

        analytics_order_placed_after_commit()
