from django.apps import AppConfig


class ShopConfig(AppConfig):
    name = "shop"
    verbose_name = "Terroir Souk"

    def ready(self):
        from celery import signals as celery_signals
        from oscar.apps.order.signals import order_placed

        from core import observability
        from shop import metrics

        order_placed.connect(metrics.order_placed_count, dispatch_uid="terroir-metrics-orders")
        celery_signals.task_failure.connect(metrics.task_failure_count, dispatch_uid="terroir-metrics-tasks")
        celery_signals.before_task_publish.connect(
            observability.task_headers_add_request_id, dispatch_uid="terroir-request-id-publish"
        )
        celery_signals.task_prerun.connect(
            observability.task_request_id_restore, dispatch_uid="terroir-request-id-prerun"
        )
        celery_signals.task_postrun.connect(
            observability.task_request_id_clear, dispatch_uid="terroir-request-id-postrun"
        )
