from django.urls import path

from cooperatives import views

app_name = "cooperatives"

urlpatterns = [
    path("", views.ProducerListView.as_view(), name="list"),
    path("<slug:slug>/", views.ProducerDetailView.as_view(), name="detail"),
]
