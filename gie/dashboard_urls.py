from django.urls import path

from gie import dashboard_views as views

app_name = "gie-dashboard"

urlpatterns = [
    path("", views.GieIndexView.as_view(), name="index"),
    path("<slug:slug>/", views.GieHomeView.as_view(), name="home"),
    path("<slug:slug>/orders/", views.ConsolidatedView.as_view(), name="consolidated"),
    path("<slug:slug>/rounds/", views.RoundListView.as_view(), name="rounds"),
    path("<slug:slug>/rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round"),
    path(
        "<slug:slug>/rounds/<int:pk>/purchase-orders/<int:partner_id>.<str:fmt>",
        views.PurchaseOrderView.as_view(),
        name="purchase-order",
    ),
    path(
        "<slug:slug>/rounds/<int:pk>/purchase-orders/export/",
        views.RoundPurchaseOrdersExportView.as_view(),
        name="round-purchase-orders-export",
    ),
    path("<slug:slug>/rounds/<int:pk>/<slug:action>/", views.RoundActionView.as_view(), name="round-action"),
    path("<slug:slug>/packing/", views.PackingIndexView.as_view(), name="packing-index"),
    path("<slug:slug>/packing/<str:number>/", views.PackingListView.as_view(), name="packing"),
    path("<slug:slug>/settlements/", views.SettlementListView.as_view(), name="settlements"),
    path(
        "<slug:slug>/settlements/<int:pk>.<str:fmt>",
        views.SettlementFileView.as_view(),
        name="settlement-file",
    ),
    path(
        "<slug:slug>/settlements/<int:pk>/paid/", views.SettlementPaidView.as_view(), name="settlement-paid"
    ),
    path("<slug:slug>/exports/", views.ExportStartView.as_view(), name="export-start"),
    path("<slug:slug>/exports/<int:pk>/", views.ExportView.as_view(), name="export"),
    path(
        "<slug:slug>/exports/<int:pk>/download/", views.ExportDownloadView.as_view(), name="export-download"
    ),
]
