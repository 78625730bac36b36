"""Pages of the cooperative dashboard (namespace `coop-dashboard`) that read fulfilment records;
`shop.urls` mounts them beside the dashboard's own pages, which may not import fulfilment."""

from django.urls import path

from fulfilment import views

urlpatterns = [
    path("settlements/", views.ProducerSettlementListView.as_view(), name="settlements"),
]
