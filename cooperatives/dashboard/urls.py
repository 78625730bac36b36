from django.urls import path

from cooperatives.dashboard import views

app_name = "coop-dashboard"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/new/", views.ProductFormView.as_view(), name="product-create"),
    path("products/<int:pk>/", views.ProductFormView.as_view(), name="product-edit"),
    path("products/<int:pk>/photos/", views.PhotoUploadView.as_view(), name="photo-upload"),
    path("lots/", views.LotListView.as_view(), name="lot-list"),
    path("lots/new/", views.LotAddView.as_view(), name="lot-add"),
    path("lots/<int:pk>/adjust/", views.LotActionView.as_view(), name="lot-adjust"),
    path(
        "lots/<int:pk>/quarantine/", views.LotActionView.as_view(status="quarantined"), name="lot-quarantine"
    ),
    path("lots/<int:pk>/release/", views.LotActionView.as_view(status="active"), name="lot-release"),
    path("lots/<int:pk>/recall/", views.LotActionView.as_view(status="recalled"), name="lot-recall"),
    path("history/", views.StockHistoryView.as_view(), name="stock-history"),
    path("profile/", views.ProfileView.as_view(), name="profile"),
    path("csv/export/", views.CsvExportView.as_view(), name="csv-export"),
    path("csv/import/", views.CsvImportView.as_view(), name="csv-import"),
    path("csv/import/<int:pk>/", views.CsvImportStatusView.as_view(), name="csv-import-status"),
]
