from django.urls import path

from gie import views

app_name = "gie"

urlpatterns = [
    path("<slug:slug>/", views.GieDetailView.as_view(), name="detail"),
]
